package metrics

import (
	"fmt"
	"math"
	"sort"
)

// Histogram is a density-normalized histogram of sample values.
type Histogram struct {
	// Edges are the len(Density)+1 increasing bin edges. Bin b is
	// [Edges[b], Edges[b+1]), except the last bin, which also includes
	// its right edge.
	Edges []float64
	// Counts is the number of samples in each bin.
	Counts []int
	// Density is Counts[b] / (Inside · width_b), so that
	// Σ_b Density[b]·width_b = 1 whenever Inside > 0. It is zero everywhere
	// when no sample falls inside the edges.
	Density []float64
	// Inside is the number of samples within [Edges[0], Edges[len−1]].
	Inside int
	// Outside is the number of samples outside the edges. They are not
	// counted, so Density is the PDF conditioned on the edge range.
	Outside int
}

// UniformEdges returns bins+1 equally spaced edges from lo to hi. It returns
// an error unless bins > 0 and lo < hi.
func UniformEdges(lo, hi float64, bins int) ([]float64, error) {
	if bins <= 0 {
		return nil, fmt.Errorf("metrics: UniformEdges bins=%d must be positive", bins)
	}
	if !(lo < hi) {
		return nil, fmt.Errorf("metrics: UniformEdges needs lo < hi, got lo=%g hi=%g", lo, hi)
	}

	edges := make([]float64, bins+1)
	for b := range edges {
		edges[b] = lo + (hi-lo)*float64(b)/float64(bins)
	}
	edges[bins] = hi
	return edges, nil
}

// NewHistogram bins values into the given edges and returns the counts and
// the density (see [Histogram]). It returns an error if there are fewer than
// two edges, the edges do not strictly increase, or a value is NaN.
func NewHistogram(values, edges []float64) (Histogram, error) {
	if len(edges) < 2 {
		return Histogram{}, fmt.Errorf("metrics: NewHistogram needs at least 2 edges, got %d", len(edges))
	}
	for b := 1; b < len(edges); b++ {
		if !(edges[b] > edges[b-1]) {
			return Histogram{}, fmt.Errorf("metrics: NewHistogram edges must strictly increase, but edges[%d]=%g <= edges[%d]=%g", b, edges[b], b-1, edges[b-1])
		}
	}

	bins := len(edges) - 1
	h := Histogram{
		Edges:   append([]float64(nil), edges...),
		Counts:  make([]int, bins),
		Density: make([]float64, bins),
	}

	lo, hi := edges[0], edges[bins]
	for i, v := range values {
		if math.IsNaN(v) {
			return Histogram{}, fmt.Errorf("metrics: NewHistogram value %d is NaN; remove NaNs before binning", i)
		}
		if v < lo || v > hi {
			h.Outside++
			continue
		}
		b := sort.SearchFloat64s(edges, v)
		if b == len(edges) || edges[b] != v {
			b--
		}
		b = min(b, bins-1)
		h.Counts[b]++
		h.Inside++
	}

	if h.Inside == 0 {
		return h, nil
	}
	for b, c := range h.Counts {
		h.Density[b] = float64(c) / (float64(h.Inside) * (edges[b+1] - edges[b]))
	}
	return h, nil
}
