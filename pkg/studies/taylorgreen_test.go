package studies

import (
	"math"
	"testing"

	"github.com/closure-lab/closure/pkg/solver"
)

// TestTaylorGreenMatchesCrankNicolson checks that the Crank–Nicolson
// steppers make exactly the error of Crank–Nicolson on the decay
// dω/dt = −(2νk² + α)ω, because the advection of the vortex vanishes.
func TestTaylorGreenMatchesCrankNicolson(t *testing.T) {
	t.Parallel()
	// cnTol is the relative deviation allowed between the measured and the
	// predicted error (3.33e-7 on tiny over 500 steps); round-off is 1e-14.
	const cnTol = 1e-3
	p := tinyPreset(t)

	for _, name := range []string{solver.StepperCNAB2, solver.StepperCNRK2} {
		r, err := TaylorGreen(p, TaylorGreenConfig{Stepper: name})
		if err != nil {
			t.Fatal(err)
		}
		last := len(r.Times) - 1
		steps := int(math.Round(r.Times[last] / r.Dt))
		want := CrankNicolsonError(r.DecayRate, r.Dt, steps)
		got := r.RelativeError[last]
		t.Logf("%s: error %.4g, Crank–Nicolson prediction %.4g", name, got, want)
		if math.Abs(got-want) > cnTol*want {
			t.Errorf("%s: final error %.4g differs from the Crank–Nicolson prediction %.4g by more than %g relative", name, got, want, cnTol)
		}
	}
}

// TestTaylorGreenHigherOrderSteppers checks that cnrk3 beats Crank–Nicolson
// and that ifrk4, which integrates the linear terms exactly, is at round-off.
func TestTaylorGreenHigherOrderSteppers(t *testing.T) {
	t.Parallel()
	const (
		// cnrk3Tol bounds the final error of cnrk3 on tiny (measured 7.7e-8).
		cnrk3Tol = 2e-7
		// ifrk4Tol bounds the final error of ifrk4 (measured 7e-15).
		ifrk4Tol = 1e-12
	)
	p := tinyPreset(t)

	for name, tol := range map[string]float64{solver.StepperCNRK3: cnrk3Tol, solver.StepperIFRK4: ifrk4Tol} {
		r, err := TaylorGreen(p, TaylorGreenConfig{Stepper: name})
		if err != nil {
			t.Fatal(err)
		}
		if got := r.RelativeError[len(r.RelativeError)-1]; got > tol {
			t.Errorf("%s: final Taylor–Green error %.3g exceeds %g", name, got, tol)
		}
	}
}

func TestTaylorGreenDefaults(t *testing.T) {
	t.Parallel()
	p := tinyPreset(t)
	r, err := TaylorGreen(p, TaylorGreenConfig{})
	if err != nil {
		t.Fatal(err)
	}

	// tiny: ν = 1/40, k = 2, α = 0, so the rate is 0.2 and one e-folding is 5.
	if math.Abs(r.DecayRate-0.2) > 1e-12 {
		t.Errorf("decay rate %g, want 0.2", r.DecayRate)
	}
	if got := r.Times[len(r.Times)-1]; math.Abs(got-5) > 1e-9 {
		t.Errorf("final time %g, want one e-folding time 5", got)
	}
	if len(r.Times) != 50 {
		t.Errorf("%d samples, want 50", len(r.Times))
	}
	if r.Stepper != p.Flow.Stepper {
		t.Errorf("stepper %q, want the preset's %q", r.Stepper, p.Flow.Stepper)
	}
}

func TestTaylorGreenRejectsWavenumber(t *testing.T) {
	t.Parallel()
	if _, err := TaylorGreen(tinyPreset(t), TaylorGreenConfig{Wavenumber: 40}); err == nil {
		t.Error("wavenumber 40 on a 64² grid was accepted; want an error")
	}
}
