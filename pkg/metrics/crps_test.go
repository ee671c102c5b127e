package metrics

import (
	"math"
	"testing"
)

// bruteCRPS evaluates the kernel form with the explicit double sum.
func bruteCRPS(x []float64, y float64, fair bool) float64 {
	m := float64(len(x))
	var abs, pairs float64
	for _, a := range x {
		abs += math.Abs(a - y)
		for _, b := range x {
			pairs += math.Abs(a - b)
		}
	}
	if fair {
		return abs/m - pairs/(2*m*(m-1))
	}
	return abs/m - pairs/(2*m*m)
}

func TestCRPSSmallEnsembleByHand(t *testing.T) {
	t.Parallel()
	const tol = 1e-15
	x := []float64{1, 0}

	// meanAbs = 0.5, pair sum = 2.
	standard, err := CRPSEnsemble(x, 0)
	mustNoErr(t, err)
	assertClose(t, "CRPSEnsemble({1,0}, 0)", standard, 0.25, tol)

	fair, err := FairCRPSEnsemble(x, 0)
	mustNoErr(t, err)
	assertClose(t, "FairCRPSEnsemble({1,0}, 0)", fair, 0, tol)

	if x[0] != 1 || x[1] != 0 {
		t.Errorf("CRPSEnsemble modified its input: %v", x)
	}

	single, err := CRPSEnsemble([]float64{2.5}, 1)
	mustNoErr(t, err)
	assertClose(t, "CRPSEnsemble of one member", single, 1.5, tol)
}

func TestCRPSMatchesDoubleSum(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	r := newRand(2)
	for trial := range 20 {
		x := normals(r, 2+trial, 0.3, 1.7)
		y := r.NormFloat64()

		got, err := CRPSEnsemble(x, y)
		mustNoErr(t, err)
		assertClose(t, "CRPSEnsemble vs double sum", got, bruteCRPS(x, y, false), tol)

		gotFair, err := FairCRPSEnsemble(x, y)
		mustNoErr(t, err)
		assertClose(t, "FairCRPSEnsemble vs double sum", gotFair, bruteCRPS(x, y, true), tol)
	}
}

func TestCRPSPerfectForecastIsZero(t *testing.T) {
	t.Parallel()
	truth := []float64{0.3, -1.2, 4, 0}
	members := [][]float64{truth, truth, truth}

	standard, err := CRPS(members, truth)
	mustNoErr(t, err)
	if standard != 0 {
		t.Errorf("CRPS of a perfect deterministic forecast = %g, want 0", standard)
	}

	fair, err := FairCRPS(members, truth)
	mustNoErr(t, err)
	if fair != 0 {
		t.Errorf("FairCRPS of a perfect deterministic forecast = %g, want 0", fair)
	}
}

func TestGaussianCRPSKnownValues(t *testing.T) {
	t.Parallel()
	const tol = 1e-12

	// z = 0: σ(2φ(0) − 1/√π) = σ(√(2/π) − 1/√π).
	assertClose(t, "GaussianCRPS(z=0)", GaussianCRPS(1, 2, 1), 2*(math.Sqrt(2/math.Pi)-1/math.Sqrt(math.Pi)), tol)

	// Far from the mean the CRPS tends to |y − μ| − σ/√π.
	assertClose(t, "GaussianCRPS(z=40)", GaussianCRPS(0, 1, 40), 40-1/math.Sqrt(math.Pi), 1e-9)
}

// A large sample of N(μ, σ²) scores against y like the distribution itself.
func TestCRPSLargeEnsembleMatchesGaussian(t *testing.T) {
	t.Parallel()
	const (
		mu, sigma = 0.5, 1.5
		members   = 20000
		tol       = 0.02 * sigma // about 4 standard errors at M = 20000
	)
	r := newRand(3)
	x := normals(r, members, mu, sigma)

	for _, y := range []float64{-3, 0, 0.5, 2, 5} {
		want := GaussianCRPS(mu, sigma, y)

		fair, err := FairCRPSEnsemble(x, y)
		mustNoErr(t, err)
		assertClose(t, "FairCRPSEnsemble vs Gaussian", fair, want, tol)

		standard, err := CRPSEnsemble(x, y)
		mustNoErr(t, err)
		assertClose(t, "CRPSEnsemble vs Gaussian", standard, want, tol)
	}
}

// With M = 3 members the fair score is unbiased for the Gaussian CRPS, and
// the standard score exceeds it by E|X−X'|/(2M) = σ/(M√π) on average.
func TestFairCRPSUnbiasedSmallEnsemble(t *testing.T) {
	t.Parallel()
	const (
		points  = 40000
		members = 3
		sigma   = 1.0
		tol     = 0.01 // about 4 standard errors of the mean over 40000 points
	)
	r := newRand(4)

	truth := normals(r, points, 0, sigma)
	ensemble := make([][]float64, members)
	for m := range ensemble {
		ensemble[m] = normals(r, points, 0, sigma)
	}
	var want float64
	for _, y := range truth {
		want += GaussianCRPS(0, sigma, y)
	}
	want /= points

	fair, err := FairCRPS(ensemble, truth)
	mustNoErr(t, err)
	assertClose(t, "FairCRPS (M=3)", fair, want, tol)

	standard, err := CRPS(ensemble, truth)
	mustNoErr(t, err)
	assertClose(t, "CRPS (M=3)", standard, want+sigma/(members*math.Sqrt(math.Pi)), tol)
}

func TestCRPSErrors(t *testing.T) {
	t.Parallel()
	if _, err := CRPSEnsemble(nil, 0); err == nil {
		t.Error("CRPSEnsemble of empty ensemble returned no error")
	}
	if _, err := FairCRPSEnsemble([]float64{1}, 0); err == nil {
		t.Error("FairCRPSEnsemble of one member returned no error")
	}
	if _, err := CRPS([][]float64{{1, 2}}, []float64{1}); err == nil {
		t.Error("CRPS with short truth returned no error")
	}
}
