package topology

import (
	"fmt"
	"log/slog"
	"math"
	"slices"
	"time"
)

// maxRipsPoints bounds the number of points so that edge ids fit in an int32:
// n(n-1)/2 must stay below 2^31.
const maxRipsPoints = 65535

// symmetryTolerance is the relative difference allowed between dist[i][j] and
// dist[j][i] in a precomputed distance matrix.
const symmetryTolerance = 1e-9

// RipsOptions configures the Vietoris–Rips filtration.
type RipsOptions struct {
	// MaxFiltration is the largest filtration value kept: edges longer than
	// it, and triangles with such an edge, are left out. Classes still alive
	// at MaxFiltration get Death = +Inf. Zero means no limit. It is in the
	// units of the distances (the Rips filtration value of a simplex is its
	// diameter, the length of its longest edge, as in GUDHI and Ripser).
	MaxFiltration float64
}

// Rips computes the Vietoris–Rips persistence diagrams of a point cloud in
// homology dimensions 0 and 1 over Z/2, with Euclidean distances. It returns
// two diagrams, index 0 for H0 and index 1 for H1, without zero-length pairs.
// All points must have the same number of finite coordinates, and there may
// be at most 65535 of them. Memory grows as 8n² bytes for the distance matrix
// plus 16 bytes per edge. An empty cloud gives two empty diagrams.
//
// H0 comes from Kruskal's algorithm on the sorted edges. H1 comes from the
// reduction of the coboundary matrix with clearing and the emergent-pair
// shortcut, enumerating triangles implicitly, as described by U. Bauer,
// "Ripser: efficient computation of Vietoris–Rips persistence barcodes"
// (J. Appl. Comput. Topol., 2021), after the persistence algorithm of
// H. Edelsbrunner, D. Letscher and A. Zomorodian, "Topological persistence and
// simplification" (2002) and the clearing of C. Chen and M. Kerber,
// "Persistent homology computation with a twist" (2011).
func Rips(points [][]float64, opts RipsOptions) ([]Diagram, error) {
	dist, err := euclideanDistances(points)
	if err != nil {
		return nil, err
	}
	return ripsFromMatrix(dist, opts)
}

// RipsDistances is Rips for a precomputed distance matrix: dist[i][j] is the
// distance between points i and j. The matrix must be square, with a zero
// diagonal, nonnegative entries that are not NaN, and symmetric up to a
// relative difference of 1e-9. The lower triangle (i > j) is used. An entry of
// +Inf means that the edge is never added.
func RipsDistances(dist [][]float64, opts RipsOptions) ([]Diagram, error) {
	matrix, err := newDistanceMatrix(dist)
	if err != nil {
		return nil, err
	}
	return ripsFromMatrix(matrix, opts)
}

// ripsFromMatrix runs the H0 and H1 computations on a validated matrix.
func ripsFromMatrix(dist distanceMatrix, opts RipsOptions) ([]Diagram, error) {
	threshold, err := ripsThreshold(opts)
	if err != nil {
		return nil, err
	}

	start := time.Now()
	threshold = min(threshold, enclosingRadius(dist))
	edges := sortedEdges(dist, threshold)
	h0, columns := persistenceH0(dist.n, edges)
	h1, stats := persistenceH1(dist, edges, columns)

	slog.Debug("topology: Rips persistence done",
		"points", dist.n, "edges", len(edges), "h1_columns", len(columns),
		"reduced_columns", stats.reducedColumns, "column_additions", stats.columnAdditions,
		"h0_pairs", len(h0.Pairs), "h1_pairs", len(h1.Pairs), "elapsed", time.Since(start))

	return []Diagram{h0, h1}, nil
}

// ripsThreshold turns MaxFiltration into the edge-length cutoff.
func ripsThreshold(opts RipsOptions) (float64, error) {
	limit := opts.MaxFiltration
	if math.IsNaN(limit) || limit < 0 {
		return 0, fmt.Errorf("topology: MaxFiltration=%v must be zero (no limit) or positive", limit)
	}
	if limit == 0 {
		return math.Inf(1), nil
	}
	return limit, nil
}

// enclosingRadius returns min over i of max over j of dist(i, j). At that
// filtration value one vertex is joined to all others, so the complex is a
// cone and has no homology: every class of positive length dies by then, and
// the edges and triangles above it change no diagram. Ripser uses the same
// default threshold (Bauer, "Ripser: efficient computation of Vietoris–Rips
// persistence barcodes").
func enclosingRadius(dist distanceMatrix) float64 {
	radius := math.Inf(1)
	for i := range dist.n {
		radius = min(radius, slices.Max(dist.row(i)))
	}
	return radius
}

// distanceMatrix is a dense symmetric n x n matrix in row-major order,
// d[i*n+j] = distance between points i and j.
type distanceMatrix struct {
	n int
	d []float64
}

// row returns the distances from point i to all points.
func (m distanceMatrix) row(i int) []float64 {
	return m.d[i*m.n : (i+1)*m.n]
}

// euclideanDistances validates a point cloud and returns its distance matrix.
func euclideanDistances(points [][]float64) (distanceMatrix, error) {
	n := len(points)
	if n > maxRipsPoints {
		return distanceMatrix{}, fmt.Errorf("topology: %d points exceed the limit of %d; subsample with FarthestPointSample first", n, maxRipsPoints)
	}

	if err := validatePoints(points); err != nil {
		return distanceMatrix{}, err
	}

	m := distanceMatrix{n: n, d: make([]float64, n*n)}
	for i := 1; i < n; i++ {
		for j := 0; j < i; j++ {
			dij := euclidean(points[i], points[j])
			m.d[i*n+j] = dij
			m.d[j*n+i] = dij
		}
	}
	return m, nil
}

// validatePoints checks that all points have the same dimension and finite
// coordinates.
func validatePoints(points [][]float64) error {
	for i, p := range points {
		if len(p) != len(points[0]) {
			return fmt.Errorf("topology: point %d has %d coordinates but point 0 has %d; give all points the same dimension", i, len(p), len(points[0]))
		}
		for k, x := range p {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("topology: coordinate %d of point %d is %v; coordinates must be finite", k, i, x)
			}
		}
	}
	return nil
}

// euclidean returns the Euclidean distance between x and y.
func euclidean(x, y []float64) float64 {
	sum := 0.0
	for k := range x {
		diff := x[k] - y[k]
		sum += diff * diff
	}
	return math.Sqrt(sum)
}

// newDistanceMatrix validates a precomputed distance matrix and copies it,
// symmetrized from its lower triangle.
func newDistanceMatrix(dist [][]float64) (distanceMatrix, error) {
	n := len(dist)
	if n > maxRipsPoints {
		return distanceMatrix{}, fmt.Errorf("topology: distance matrix of size %d exceeds the limit of %d points; subsample first", n, maxRipsPoints)
	}

	for i, row := range dist {
		if len(row) != n {
			return distanceMatrix{}, fmt.Errorf("topology: distance matrix row %d has length %d, expected %d; pass a square matrix", i, len(row), n)
		}
		if row[i] != 0 {
			return distanceMatrix{}, fmt.Errorf("topology: distance matrix diagonal entry [%d][%d]=%v must be 0; a distance matrix has zeros on its diagonal", i, i, row[i])
		}
	}

	m := distanceMatrix{n: n, d: make([]float64, n*n)}
	for i := 1; i < n; i++ {
		for j := 0; j < i; j++ {
			dij, dji := dist[i][j], dist[j][i]
			if math.IsNaN(dij) || dij < 0 {
				return distanceMatrix{}, fmt.Errorf("topology: distance [%d][%d]=%v is invalid; distances must be nonnegative numbers", i, j, dij)
			}
			if !nearlyEqual(dij, dji, symmetryTolerance) {
				return distanceMatrix{}, fmt.Errorf("topology: distance matrix is not symmetric: [%d][%d]=%v but [%d][%d]=%v; pass a symmetric matrix", i, j, dij, j, i, dji)
			}
			m.d[i*n+j] = dij
			m.d[j*n+i] = dij
		}
	}
	return m, nil
}

// nearlyEqual reports whether a and b agree to relative tolerance tol, with
// equal infinities counted as equal.
func nearlyEqual(a, b, tol float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= tol*max(1, math.Abs(a), math.Abs(b))
}
