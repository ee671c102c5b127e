package studies

import (
	"math"
	"testing"

	"github.com/closure-lab/closure/pkg/solver"
)

// TestConvergenceOrders measures each stepper's order on the tiny preset's
// forced flow.
func TestConvergenceOrders(t *testing.T) {
	t.Parallel()
	// orderTol is the allowed distance from the design order. Measured on
	// tiny: 2.00, 2.00, 2.09, 4.00 for cnab2, cnrk2, cnrk3, ifrk4.
	const orderTol = 0.15
	want := map[string]float64{solver.StepperCNAB2: 2, solver.StepperCNRK2: 2, solver.StepperCNRK3: 2, solver.StepperIFRK4: 4}

	cfg := ConvergenceConfig{}
	if testing.Short() {
		cfg.Levels = 3
	}
	c, err := Convergence(tinyPreset(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Steppers) != len(want) {
		t.Fatalf("%d steppers measured, want %d", len(c.Steppers), len(want))
	}
	for _, s := range c.Steppers {
		t.Logf("%s: errors %.3g, order %.3f", s.Stepper, s.Errors, s.Order)
		if math.Abs(s.Order-want[s.Stepper]) > orderTol {
			t.Errorf("%s: fitted order %.3f, want %g ± %g", s.Stepper, s.Order, want[s.Stepper], orderTol)
		}
	}
}

func TestFitOrderExactPowerLaw(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	dts := []float64{0.1, 0.05, 0.025, 0.0125}
	errs := make([]float64, len(dts))
	for i, dt := range dts {
		errs[i] = 3 * math.Pow(dt, 2.5)
	}
	if got := FitOrder(dts, errs); math.Abs(got-2.5) > tol {
		t.Errorf("FitOrder of 3·Δt^2.5 = %.15g, want 2.5", got)
	}
}

func TestFitOrderSkipsRoundoff(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	dts := []float64{0.1, 0.05, 0.025}
	errs := []float64{1e-4, 2.5e-5, RoundoffFloor / 2}
	if got := FitOrder(dts, errs); math.Abs(got-2) > tol {
		t.Errorf("FitOrder with a point below the floor = %g, want 2 from the two points above it", got)
	}
	if got := FitOrder(dts[:1], errs[:1]); !math.IsNaN(got) {
		t.Errorf("FitOrder of one point = %g, want NaN", got)
	}
}

func TestConvergenceRejectsDuration(t *testing.T) {
	t.Parallel()
	if _, err := Convergence(tinyPreset(t), ConvergenceConfig{Duration: 0.015}); err == nil {
		t.Error("duration 0.015 with Δt₀ = 0.02 was accepted; want an error")
	}
}
