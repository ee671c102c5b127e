package metrics

import (
	"math"
	"slices"
	"testing"
)

func TestHistogramUniformDensity(t *testing.T) {
	t.Parallel()
	const (
		samples = 100000
		tol     = 0.05 // about 5 standard errors of a bin density at 10000 counts per bin
	)
	r := newRand(8)
	values := make([]float64, samples)
	for i := range values {
		values[i] = r.Float64()
	}
	values = append(values, 1, -0.5, 2) // right edge is inside, two are outside

	edges, err := UniformEdges(0, 1, 10)
	mustNoErr(t, err)
	h, err := NewHistogram(values, edges)
	mustNoErr(t, err)

	if h.Inside != samples+1 || h.Outside != 2 {
		t.Errorf("Inside, Outside = %d, %d; want %d, 2", h.Inside, h.Outside, samples+1)
	}
	var integral float64
	for b, d := range h.Density {
		integral += d * (edges[b+1] - edges[b])
		assertClose(t, "uniform density", d, 1, tol)
	}
	assertClose(t, "∫ density", integral, 1, 1e-12)
}

func TestHistogramEdgeAssignment(t *testing.T) {
	t.Parallel()
	h, err := NewHistogram([]float64{0, 1, 1.5, 3, 3}, []float64{0, 1, 2, 3})
	mustNoErr(t, err)
	want := []int{1, 2, 2}
	for b := range want {
		if h.Counts[b] != want[b] {
			t.Errorf("Counts[%d] = %d, want %d", b, h.Counts[b], want[b])
		}
	}
}

func TestHistogramErrors(t *testing.T) {
	t.Parallel()
	if _, err := NewHistogram([]float64{1}, []float64{0, 0}); err == nil {
		t.Error("NewHistogram with repeated edges returned no error")
	}
	if _, err := NewHistogram([]float64{math.NaN()}, []float64{0, 1}); err == nil {
		t.Error("NewHistogram with a NaN value returned no error")
	}
	if _, err := UniformEdges(1, 1, 4); err == nil {
		t.Error("UniformEdges with lo == hi returned no error")
	}
}

func TestWasserstein1ExactCases(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	r := newRand(9)
	a := normals(r, 500, 0, 1)

	same, err := Wasserstein1(a, slices.Clone(a))
	mustNoErr(t, err)
	assertClose(t, "W1 of identical samples", same, 0, tol)

	shifted := make([]float64, len(a))
	for i, v := range a {
		shifted[i] = v + 0.75
	}
	shift, err := Wasserstein1(a, shifted)
	mustNoErr(t, err)
	assertClose(t, "W1 of a shifted copy", shift, 0.75, tol)

	// {0} against {0, 1}: half the mass moves by 1.
	unequal, err := Wasserstein1([]float64{0}, []float64{0, 1})
	mustNoErr(t, err)
	assertClose(t, "W1({0}, {0,1})", unequal, 0.5, tol)
}

// For sizes 3 and 4 both quantile functions are constant on the 12 intervals
// of width 1/12, so W1 = ∫|Q_a − Q_b| is a sum over their midpoints.
func TestWasserstein1UnequalSizesQuantileForm(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	r := newRand(10)
	quantile := func(sorted []float64, p float64) float64 {
		return sorted[int(p*float64(len(sorted)))]
	}
	for range 10 {
		a := normals(r, 3, 0, 1)
		b := normals(r, 4, 0.3, 2)

		got, err := Wasserstein1(a, b)
		mustNoErr(t, err)

		sa, sb := slices.Clone(a), slices.Clone(b)
		slices.Sort(sa)
		slices.Sort(sb)
		var want float64
		for s := range 12 {
			p := (float64(s) + 0.5) / 12
			want += math.Abs(quantile(sa, p)-quantile(sb, p)) / 12
		}
		assertClose(t, "W1 vs quantile sum", got, want, tol)
	}
}

// Between N(μ1, σ1²) and N(μ2, σ2²) the quantiles differ by
// (μ2 − μ1) + (σ2 − σ1)z. For equal variances W1 = |μ1 − μ2|, and for equal
// means W1 = |σ1 − σ2|·E|Z| = |σ1 − σ2|·√(2/π).
func TestWasserstein1Gaussians(t *testing.T) {
	t.Parallel()
	const tol = 0.03 // sampling error of W1 at 20000 and 15000 samples is about 0.01
	r := newRand(11)
	a := normals(r, 20000, 0, 1)

	shifted := normals(r, 15000, 0.7, 1)
	got, err := Wasserstein1(a, shifted)
	mustNoErr(t, err)
	assertClose(t, "W1(N(0,1), N(0.7,1))", got, 0.7, tol)

	wide := normals(r, 15000, 0, 2)
	got, err = Wasserstein1(a, wide)
	mustNoErr(t, err)
	assertClose(t, "W1(N(0,1), N(0,4))", got, math.Sqrt(2/math.Pi), tol)
}

func TestMMD2IdenticalSamples(t *testing.T) {
	t.Parallel()
	r := newRand(12)
	x := Points1D(normals(r, 400, 0, 1))

	got, err := MMD2(x, x, 1)
	mustNoErr(t, err)
	// The unbiased estimate for y = x is −2(1 − k̄)/m, within [−2/m, 0].
	if got > 0 || got < -2.0/400 {
		t.Errorf("MMD2(x, x) = %g, want within [%g, 0]", got, -2.0/400)
	}
}

// For N(μ1, s²) and N(μ2, s²) with kernel bandwidth σ, the Gaussian
// integrals give MMD² = 2σ/√(σ²+2s²) · (1 − exp(−Δ²/(2(σ²+2s²)))).
func TestMMD2GaussianClosedForm(t *testing.T) {
	t.Parallel()
	const (
		size = 1000
		s    = 1.0
		bw   = 1.0
		tol  = 0.03 // a few standard deviations of the estimate at 1000 points
	)
	r := newRand(13)
	x := Points1D(normals(r, size, 0, s))
	sameDist := Points1D(normals(r, size, 0, s))
	shifted := Points1D(normals(r, size, 1, s))

	same, err := MMD2(x, sameDist, bw)
	mustNoErr(t, err)
	assertClose(t, "MMD2 same distribution", same, 0, tol)

	c := bw*bw + 2*s*s
	want := 2 * bw / math.Sqrt(c) * (1 - math.Exp(-1/(2*c)))
	got, err := MMD2(x, shifted, bw)
	mustNoErr(t, err)
	assertClose(t, "MMD2 shifted by 1", got, want, tol)
}

// |X − X'| for independent N(0,1) is half-normal with scale √2, whose median
// is √2·Φ⁻¹(0.75) ≈ 0.9539.
func TestMedianBandwidthGaussian(t *testing.T) {
	t.Parallel()
	const tol = 0.03
	r := newRand(14)
	x := Points1D(normals(r, 600, 0, 1))
	y := Points1D(normals(r, 600, 0, 1))

	got, err := MedianBandwidth(x, y)
	mustNoErr(t, err)
	assertClose(t, "MedianBandwidth", got, math.Sqrt2*0.6744897501960817, tol)
}

func TestMMD2Errors(t *testing.T) {
	t.Parallel()
	x := Points1D([]float64{0, 1, 2})
	if _, err := MMD2(x, x, 0); err == nil {
		t.Error("MMD2 with zero bandwidth returned no error")
	}
	if _, err := MMD2(x, [][]float64{{1, 2}, {3, 4}}, 1); err == nil {
		t.Error("MMD2 with mismatched dimensions returned no error")
	}
	if _, err := MedianBandwidth(Points1D([]float64{1, 1}), Points1D([]float64{1})); err == nil {
		t.Error("MedianBandwidth of coincident points returned no error")
	}
}

func BenchmarkWasserstein1(b *testing.B) {
	r := newRand(15)
	x := normals(r, 65536, 0, 1)
	y := normals(r, 65536, 0.1, 1)
	for b.Loop() {
		if _, err := Wasserstein1(x, y); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMMD2(b *testing.B) {
	r := newRand(16)
	x := Points1D(normals(r, 1000, 0, 1))
	y := Points1D(normals(r, 1000, 0.1, 1))
	for b.Loop() {
		if _, err := MMD2(x, y, 1); err != nil {
			b.Fatal(err)
		}
	}
}
