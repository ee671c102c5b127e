package geometry

import (
	"fmt"
	"math"
)

// PairwiseDistances returns the n x n matrix of Euclidean distances between the rows of
// points. It returns an error when points is empty, the rows differ in length or a coordinate
// is not finite.
func PairwiseDistances(points [][]float64) ([][]float64, error) {
	if len(points) == 0 {
		return nil, fmt.Errorf("geometry: the point cloud is empty; give at least one point")
	}
	dim := len(points[0])
	for i, point := range points {
		if len(point) != dim {
			return nil, fmt.Errorf("geometry: point %d has %d coordinates but point 0 has %d; all points need the same dimension", i, len(point), dim)
		}
		for c, value := range point {
			if math.IsNaN(value) || math.IsInf(value, 0) {
				return nil, fmt.Errorf("geometry: coordinate %d of point %d is %g; coordinates must be finite", c, i, value)
			}
		}
	}

	n := len(points)
	dist := newSquare(n)
	for i := range n {
		for j := i + 1; j < n; j++ {
			var squared float64
			for c := range dim {
				difference := points[i][c] - points[j][c]
				squared += difference * difference
			}
			dist[i][j] = math.Sqrt(squared)
			dist[j][i] = dist[i][j]
		}
	}
	return dist, nil
}

// FromFloat32 converts count rows of dim values each, stored flat in row-major order, to a
// point cloud. It returns an error when len(values) is not count·dim.
func FromFloat32(values []float32, count, dim int) ([][]float64, error) {
	if count < 1 || dim < 1 || len(values) != count*dim {
		return nil, fmt.Errorf("geometry: %d values do not form %d points of dimension %d", len(values), count, dim)
	}
	points := make([][]float64, count)
	for i := range points {
		points[i] = make([]float64, dim)
		for c := range dim {
			points[i][c] = float64(values[i*dim+c])
		}
	}
	return points, nil
}

// newSquare returns an n x n zero matrix backed by one allocation.
func newSquare(n int) [][]float64 {
	backing := make([]float64, n*n)
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = backing[i*n : (i+1)*n]
	}
	return rows
}

// validateDistances checks that dist is a square matrix of finite, non-negative values with
// a zero diagonal; name labels the matrix in the error.
func validateDistances(name string, dist [][]float64) error {
	n := len(dist)
	if n == 0 {
		return fmt.Errorf("geometry: the %s distance matrix is empty", name)
	}
	for i, row := range dist {
		if len(row) != n {
			return fmt.Errorf("geometry: row %d of the %s distance matrix has %d entries, want %d (square)", i, name, len(row), n)
		}
		if row[i] != 0 {
			return fmt.Errorf("geometry: the %s distance matrix has %g on the diagonal at %d; want 0", name, row[i], i)
		}
		for j, value := range row {
			if !(value >= 0) || math.IsInf(value, 0) {
				return fmt.Errorf("geometry: the %s distance [%d][%d] = %g must be finite and non-negative", name, i, j, value)
			}
		}
	}
	return nil
}

// validatePair checks both matrices and that they have the same size, and that there is at
// least one pair i < j.
func validatePair(reference, latent [][]float64) error {
	if err := validateDistances("reference", reference); err != nil {
		return err
	}
	if err := validateDistances("latent", latent); err != nil {
		return err
	}
	if len(reference) != len(latent) {
		return fmt.Errorf("geometry: the reference distances are for %d points but the latent ones for %d; give the same points", len(reference), len(latent))
	}
	if len(reference) < 2 {
		return fmt.Errorf("geometry: %d point gives no pair; give at least 2 points", len(reference))
	}
	return nil
}

// upperTriangle returns the entries i < j of dist in row order.
func upperTriangle(dist [][]float64) []float64 {
	n := len(dist)
	values := make([]float64, 0, n*(n-1)/2)
	for i := range n {
		values = append(values, dist[i][i+1:]...)
	}
	return values
}
