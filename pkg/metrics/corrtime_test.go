package metrics

import (
	"math"
	"testing"
)

func TestAutocorrelationMatchesDirectSum(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	r := newRand(17)
	x := normals(r, 37, 1, 2)

	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var c0 float64
	for _, v := range x {
		c0 += (v - mean) * (v - mean)
	}

	rho, err := Autocorrelation(x, 10)
	mustNoErr(t, err)
	for lag := range rho {
		var c float64
		for i := 0; i+lag < len(x); i++ {
			c += (x[i] - mean) * (x[i+lag] - mean)
		}
		assertClose(t, "ρ(lag)", rho[lag], c/c0, tol)
	}
}

// An AR(1) process x_{t+1} = φx_t + ε has ρ(τ) = φ^τ, whose integral over
// continuous lag is −dt/ln φ. The trapezoid sum of φ^τ is
// dt(1+φ)/(2(1−φ)), which differs from it by under 0.1% at φ = 0.9.
func TestCorrelationTimeAR1(t *testing.T) {
	t.Parallel()
	const (
		phi = 0.9
		dt  = 0.1
	)
	// Relative tolerances. The noisy autocorrelation tail before the first
	// zero crossing makes the estimate scatter by about 2% (one standard
	// deviation over 30 seeds) at 10⁶ steps and about twice that at 2·10⁵.
	steps, tol := 1000000, 0.08
	if testing.Short() {
		steps, tol = 200000, 0.16
	}
	r := newRand(18)
	x := make([]float64, steps)
	for i := 1; i < steps; i++ {
		x[i] = phi*x[i-1] + r.NormFloat64()
	}

	got, err := CorrelationTime(x, dt)
	mustNoErr(t, err)
	want := -dt / math.Log(phi)
	assertClose(t, "CorrelationTime of AR(1)", got/want, 1, tol)
}

// The integration rule itself, on an exact autocorrelation: ρ = 1, 0.5,
// 0.25, −0.25 gives trapezoids 0.75 + 0.375 and a triangle 0.5·0.25·0.5.
func TestIntegrateToFirstZeroExact(t *testing.T) {
	t.Parallel()
	const tol = 1e-15
	got, crossed := integrateToFirstZero([]float64{1, 0.5, 0.25, -0.25, 0.5})
	if !crossed {
		t.Error("integrateToFirstZero did not report the zero crossing")
	}
	assertClose(t, "integral to first zero", got, 0.75+0.375+0.0625, tol)

	positive, crossed := integrateToFirstZero([]float64{1, 0.5})
	if crossed {
		t.Error("integrateToFirstZero reported a crossing for a positive ρ")
	}
	assertClose(t, "integral without crossing", positive, 0.75, tol)
}

func TestCorrelationTimeErrors(t *testing.T) {
	t.Parallel()
	if _, err := CorrelationTime([]float64{1, 2, 3}, 0); err == nil {
		t.Error("CorrelationTime with dt = 0 returned no error")
	}
	if _, err := CorrelationTime([]float64{2, 2, 2}, 1); err == nil {
		t.Error("CorrelationTime of a constant series returned no error")
	}
}
