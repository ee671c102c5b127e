package metrics

import (
	"fmt"
	"math"
	"slices"
)

// Wasserstein1 returns the exact Wasserstein-1 (earth mover's) distance
// between the empirical distributions of the 1D samples a and b, which may
// have different sizes:
//
//	W1 = ∫ |F_a(x) − F_b(x)| dx,
//
// with F_a and F_b the empirical CDFs. The integrand is piecewise constant
// between the pooled sorted samples, so the integral is an exact sum. The
// cost is O((n_a + n_b) log(n_a + n_b)); the inputs are not modified. It
// returns an error if a sample is empty or holds a NaN.
//
// Reference: A. Ramdas, N. García Trillos, M. Cuturi, "On Wasserstein
// two-sample testing and related families of nonparametric tests",
// Entropy 19 (2017), section 2.
func Wasserstein1(a, b []float64) (float64, error) {
	if len(a) == 0 || len(b) == 0 {
		return 0, fmt.Errorf("metrics: Wasserstein1 needs non-empty samples, got sizes %d and %d", len(a), len(b))
	}
	if slices.ContainsFunc(a, math.IsNaN) || slices.ContainsFunc(b, math.IsNaN) {
		return 0, fmt.Errorf("metrics: Wasserstein1 got a NaN sample; remove NaNs first")
	}

	sa := slices.Clone(a)
	sb := slices.Clone(b)
	slices.Sort(sa)
	slices.Sort(sb)

	na, nb := float64(len(sa)), float64(len(sb))
	var ia, ib int
	var dist float64
	x := math.Min(sa[0], sb[0])
	for ia < len(sa) || ib < len(sb) {
		// Advance past every sample equal to the next breakpoint.
		next := math.Inf(1)
		if ia < len(sa) {
			next = sa[ia]
		}
		if ib < len(sb) {
			next = math.Min(next, sb[ib])
		}
		dist += math.Abs(float64(ia)/na-float64(ib)/nb) * (next - x)
		for ia < len(sa) && sa[ia] == next {
			ia++
		}
		for ib < len(sb) && sb[ib] == next {
			ib++
		}
		x = next
	}
	return dist, nil
}
