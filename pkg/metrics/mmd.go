package metrics

import (
	"fmt"
	"math"
	"slices"
)

// checkSamples validates a set of vector samples s[i][d] and returns the
// dimension.
func checkSamples(name, which string, s [][]float64, minSize int) (int, error) {
	if len(s) < minSize {
		return 0, fmt.Errorf("metrics: %s sample %s has %d points, needs at least %d", name, which, len(s), minSize)
	}
	dim := len(s[0])
	if dim == 0 {
		return 0, fmt.Errorf("metrics: %s sample %s has zero-dimensional points", name, which)
	}
	for i, v := range s {
		if len(v) != dim {
			return 0, fmt.Errorf("metrics: %s sample %s point %d has dimension %d, point 0 has %d; all points must have the same dimension", name, which, i, len(v), dim)
		}
	}
	return dim, nil
}

func squaredDistance(a, b []float64) float64 {
	var s float64
	for i := range a {
		d := a[i] - b[i]
		s += d * d
	}
	return s
}

// MMD2 returns the unbiased estimate of the squared maximum mean discrepancy
// between the samples x[i][d] and y[j][d] (m and n points of dimension D)
// under the Gaussian kernel k(a, b) = exp(−‖a − b‖²/(2σ²)), σ = bandwidth:
//
//	MMD²_u = 1/(m(m−1)) Σ_{i≠i'} k(x_i,x_i') + 1/(n(n−1)) Σ_{j≠j'} k(y_j,y_j')
//	         − 2/(mn) Σ_{i,j} k(x_i,y_j).
//
// The estimate is unbiased, so it can be negative when the two
// distributions are equal; its standard deviation is O(1/√(mn)) there. For
// identical sample sets (y = x) it equals −2(1 − k̄)/m, with k̄ the mean
// off-diagonal kernel value, so |MMD²_u| ≤ 2/m. The cost is O((m+n)² D).
// It needs at least two points in each sample and a positive bandwidth.
//
// Reference: A. Gretton, K. M. Borgwardt, M. J. Rasch, B. Schölkopf,
// A. Smola, "A kernel two-sample test", JMLR 13 (2012), eq. (3).
func MMD2(x, y [][]float64, bandwidth float64) (float64, error) {
	dx, err := checkSamples("MMD2", "x", x, 2)
	if err != nil {
		return 0, err
	}
	dy, err := checkSamples("MMD2", "y", y, 2)
	if err != nil {
		return 0, err
	}
	if dx != dy {
		return 0, fmt.Errorf("metrics: MMD2 samples have dimensions %d and %d; they must match", dx, dy)
	}
	if !(bandwidth > 0) || math.IsInf(bandwidth, 1) {
		return 0, fmt.Errorf("metrics: MMD2 bandwidth=%g must be positive and finite; use MedianBandwidth for a default", bandwidth)
	}

	scale := -1 / (2 * bandwidth * bandwidth)
	kernel := func(a, b []float64) float64 { return math.Exp(scale * squaredDistance(a, b)) }

	within := func(s [][]float64) float64 {
		var sum float64
		for i := range s {
			for j := i + 1; j < len(s); j++ {
				sum += kernel(s[i], s[j])
			}
		}
		n := float64(len(s))
		return 2 * sum / (n * (n - 1))
	}

	var cross float64
	for i := range x {
		for j := range y {
			cross += kernel(x[i], y[j])
		}
	}
	cross /= float64(len(x) * len(y))

	return within(x) + within(y) - 2*cross, nil
}

// MedianBandwidth returns the median heuristic for the Gaussian kernel
// bandwidth σ: the median Euclidean distance over all pairs of distinct
// points in the pooled sample x ∪ y. It stores all (m+n)(m+n−1)/2 pair
// distances, so subsample large sets first. It returns an error on
// invalid samples or if the median distance is zero.
//
// Reference: A. Gretton et al., "A kernel two-sample test", JMLR 13 (2012),
// section 8.
func MedianBandwidth(x, y [][]float64) (float64, error) {
	dx, err := checkSamples("MedianBandwidth", "x", x, 1)
	if err != nil {
		return 0, err
	}
	dy, err := checkSamples("MedianBandwidth", "y", y, 1)
	if err != nil {
		return 0, err
	}
	if dx != dy {
		return 0, fmt.Errorf("metrics: MedianBandwidth samples have dimensions %d and %d; they must match", dx, dy)
	}

	pooled := append(slices.Clone(x), y...)
	dists := make([]float64, 0, len(pooled)*(len(pooled)-1)/2)
	for i := range pooled {
		for j := i + 1; j < len(pooled); j++ {
			dists = append(dists, math.Sqrt(squaredDistance(pooled[i], pooled[j])))
		}
	}
	slices.Sort(dists)

	half := len(dists) / 2
	median := dists[half]
	if len(dists)%2 == 0 {
		median = 0.5 * (dists[half-1] + dists[half])
	}
	if median == 0 {
		return 0, fmt.Errorf("metrics: MedianBandwidth median pair distance is zero (most points coincide); pass a bandwidth explicitly")
	}
	return median, nil
}

// Points1D wraps scalar samples as one-dimensional points for [MMD2] and
// [MedianBandwidth], for example to compare the marginal distributions of
// closure values.
func Points1D(v []float64) [][]float64 {
	points := make([][]float64, len(v))
	for i := range v {
		points[i] = v[i : i+1 : i+1]
	}
	return points
}
