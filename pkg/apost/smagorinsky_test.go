package apost

import (
	"math"
	"testing"

	"github.com/closure-lab/closure/pkg/solver"
	"github.com/closure-lab/closure/pkg/spectral"
)

// randomField returns a seeded random vorticity field on an n² grid of side l.
func randomField(t *testing.T, n int, l float64, seed uint64) []float64 {
	t.Helper()
	g, err := spectral.NewGrid(n, l, 1)
	if err != nil {
		t.Fatal(err)
	}
	hat := make([]complex128, g.SpectralSize())
	if err := (spectral.RandomField{Peak: 3, RMSVorticity: 1, Seed: seed}).Generate(g, hat); err != nil {
		t.Fatal(err)
	}
	omega := make([]float64, g.Size())
	g.Inverse(omega, hat)
	return omega
}

func smagorinskyTerm(t *testing.T, n int, l, cs float64, omega []float64) []float64 {
	t.Helper()
	model, err := NewSmagorinskyModel(n, l, cs)
	if err != nil {
		t.Fatal(err)
	}
	h := make([]float64, n*n)
	model.Term(h, omega)
	return h
}

// TestSmagorinskyDissipativeSign checks ∑ω̄·H = ∑ν_t|∇ω̄|² ≥ 0 on random
// fields, so that the LES, which subtracts H, loses enstrophy.
func TestSmagorinskyDissipativeSign(t *testing.T) {
	t.Parallel()
	const n, l = 32, 2 * math.Pi
	for seed := uint64(1); seed <= 5; seed++ {
		omega := randomField(t, n, l, seed)
		h := smagorinskyTerm(t, n, l, DefaultSmagorinskyCoefficient, omega)
		dot := 0.0
		for i := range h {
			dot += omega[i] * h[i]
		}
		if !(dot > 0) {
			t.Errorf("seed %d: ∑ω̄·H = %g, want positive (dissipation)", seed, dot)
		}
	}
}

// TestSmagorinskyCoefficientScaling checks H ∝ C_s²: doubling C_s
// multiplies H by 4 up to round-off.
func TestSmagorinskyCoefficientScaling(t *testing.T) {
	t.Parallel()
	// scalingTol bounds ‖H(2C) − 4H(C)‖/‖4H(C)‖.
	const scalingTol = 1e-12
	const n, l = 32, 2 * math.Pi
	omega := randomField(t, n, l, 3)
	h1 := smagorinskyTerm(t, n, l, 0.1, omega)
	h2 := smagorinskyTerm(t, n, l, 0.2, omega)
	for i := range h1 {
		h1[i] *= 4
	}
	if rel := relativeL2(h2, h1); !(rel < scalingTol) {
		t.Errorf("H(2C_s) differs from 4·H(C_s) by %.3g relative, more than %g", rel, scalingTol)
	}
}

// smagorinskyReferenceError returns the relative L2 difference on an n² grid
// between the spectral term and H evaluated from closed-form derivatives of
// ω = sin x cos 2y + ½ cos(3x + y) with a second-order central difference for
// the final divergence.
func smagorinskyReferenceError(t *testing.T, n int) float64 {
	t.Helper()
	const l, cs = 2 * math.Pi, 0.17
	dx := l / float64(n)
	scale := math.Pow(cs*dx, 2)

	// Closed forms from ψ = sin x cos 2y / 5 + cos(3x + y) / 20, −∇²ψ = ω.
	omegaAt := func(x, y float64) float64 { return math.Sin(x)*math.Cos(2*y) + 0.5*math.Cos(3*x+y) }
	flux := func(x, y float64) (qx, qy float64) {
		psiXX := -math.Sin(x)*math.Cos(2*y)/5 - 9*math.Cos(3*x+y)/20
		psiYY := -4*math.Sin(x)*math.Cos(2*y)/5 - math.Cos(3*x+y)/20
		psiXY := -2*math.Cos(x)*math.Sin(2*y)/5 - 3*math.Cos(3*x+y)/20
		s11 := psiXY                 // ∂u/∂x with u = ∂ψ/∂y
		s12 := 0.5 * (psiYY - psiXX) // ½(∂u/∂y + ∂v/∂x), v = −∂ψ/∂x
		nuT := scale * 2 * math.Hypot(s11, s12)
		wx := math.Cos(x)*math.Cos(2*y) - 1.5*math.Sin(3*x+y)
		wy := -2*math.Sin(x)*math.Sin(2*y) - 0.5*math.Sin(3*x+y)
		return nuT * wx, nuT * wy
	}

	omega := make([]float64, n*n)
	want := make([]float64, n*n)
	for i := range n {
		for j := range n {
			x, y := float64(j)*dx, float64(i)*dx
			omega[i*n+j] = omegaAt(x, y)
			qxE, _ := flux(x+dx, y)
			qxW, _ := flux(x-dx, y)
			_, qyN := flux(x, y+dx)
			_, qyS := flux(x, y-dx)
			want[i*n+j] = -((qxE-qxW)/(2*dx) + (qyN-qyS)/(2*dx))
		}
	}
	return relativeL2(smagorinskyTerm(t, n, l, cs, omega), want)
}

// TestSmagorinskyMatchesFiniteDifferences checks that the spectral term
// converges to an independent evaluation. |S̄| has kinks where S̄ = 0, so the
// flux is not smooth and both methods converge slowly; the measured
// differences are 5.4e-2 (64²), 1.9e-2 (128²), 9.2e-3 (256²), 4.0e-3 (512²).
func TestSmagorinskyMatchesFiniteDifferences(t *testing.T) {
	t.Parallel()
	const (
		// fdTol256 bounds the relative difference on the 256² grid.
		fdTol256 = 2e-2
		// minGain is the smallest error reduction from 64² to 256².
		minGain = 3
	)
	coarse := smagorinskyReferenceError(t, 64)
	fine := smagorinskyReferenceError(t, 256)
	t.Logf("spectral vs finite-difference Smagorinsky term: %.3g (64²), %.3g (256²)", coarse, fine)
	if !(fine < fdTol256) {
		t.Errorf("256² Smagorinsky term differs from the reference by %.3g relative, more than %g", fine, fdTol256)
	}
	if !(coarse/fine > minGain) {
		t.Errorf("difference falls only from %.3g to %.3g between 64² and 256², want a factor above %g", coarse, fine, float64(minGain))
	}
}

// TestSmagorinskyDissipatesEnergy runs the LES without forcing: with the
// Smagorinsky closure the energy and enstrophy decay faster than without a
// closure, and the energy decays monotonically.
func TestSmagorinskyDissipatesEnergy(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, 1, 1, None{}, Smagorinsky{})
	cfg.DNS.Forcing = solver.Forcing{Kind: solver.ForcingNone}
	res := mustRun(t, cfg)

	none, smag := res.Closure("none"), res.Closure("smagorinsky")
	for i := 1; i < len(res.Times); i++ {
		if !(smag.Energy[i] < none.Energy[i]) {
			t.Errorf("t=%g: Smagorinsky energy %g is not below the no-closure energy %g", res.Times[i], float64(smag.Energy[i]), float64(none.Energy[i]))
		}
		if !(smag.Enstrophy[i] < none.Enstrophy[i]) {
			t.Errorf("t=%g: Smagorinsky enstrophy %g is not below the no-closure enstrophy %g", res.Times[i], float64(smag.Enstrophy[i]), float64(none.Enstrophy[i]))
		}
		if !(smag.Energy[i] < smag.Energy[i-1]) {
			t.Errorf("t=%g: unforced Smagorinsky energy grew from %g to %g", res.Times[i], float64(smag.Energy[i-1]), float64(smag.Energy[i]))
		}
	}
	last := len(res.Times) - 1
	t.Logf("unforced energy at t=%g: none %.6g, smagorinsky %.6g (start %.6g)", res.Times[last], float64(none.Energy[last]), float64(smag.Energy[last]), float64(none.Energy[0]))
}

// TestOmitViscousTerm checks H = ν∇²ω̄ on ω = cos(3x + 2y), where
// ν∇²ω = −13ν ω.
func TestOmitViscousTerm(t *testing.T) {
	t.Parallel()
	// termTol bounds the max error of H against −13ν ω, round-off only.
	const termTol = 1e-12
	const n, l, nu = 16, 2 * math.Pi, 0.1

	b, err := OmitViscous{}.Bind(Env{LES: solver.Params{N: n, L: l, Nu: nu}, Members: 1})
	if err != nil {
		t.Fatal(err)
	}
	omega := make([]float64, n*n)
	for i := range n {
		for j := range n {
			x, y := float64(j)*l/n, float64(i)*l/n
			omega[i*n+j] = math.Cos(3*x + 2*y)
		}
	}
	h := make([]float64, n*n)
	if err := b.Term(0, 0, 0, omega, h); err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for i := range h {
		worst = math.Max(worst, math.Abs(h[i]+13*nu*omega[i]))
	}
	if worst > termTol {
		t.Errorf("H differs from −13ν ω by up to %.3g, more than %g", worst, termTol)
	}
}
