package studies

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/metrics"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/solver"
)

// RoundoffFloor is the relative error below which a convergence point is
// left out of the order fit, because round-off of the FFTs (about 1e-14 per
// step) rather than the truncation error of the stepper sets it.
const RoundoffFloor = 1e-11

// ConvergenceConfig selects a temporal convergence study. The zero value runs
// every stepper for one time unit at Δt₀ = 2·(preset time step) and Δt₀/2,
// Δt₀/4, Δt₀/8, against "ifrk4" at Δt₀/64.
type ConvergenceConfig struct {
	// Steppers lists the steppers to measure; nil means all of them.
	Steppers []string
	// Dt0 is the largest time step; 0 means twice the preset's.
	Dt0 float64
	// Levels is the number of time steps Δt₀, Δt₀/2, …; 0 means 4.
	Levels int
	// Duration is the simulated time, a multiple of Dt0; 0 means 1.
	Duration float64
	// ReferenceRefinement sets the reference step to the finest step divided
	// by this factor; 0 means 8.
	ReferenceRefinement int
}

// StepperConvergence is the convergence of one stepper.
type StepperConvergence struct {
	Stepper string
	// Errors[i] is the relative L2 error at time Duration with step Dts[i].
	Errors []float64
	// Order is the least-squares slope of log(error) against log(Δt) over
	// the points above RoundoffFloor, or NaN when fewer than two remain.
	Order float64
}

// ConvergenceResult is the outcome of Convergence.
type ConvergenceResult struct {
	Dts         []float64
	Duration    float64
	ReferenceDt float64
	Steppers    []StepperConvergence
}

// Convergence measures the temporal order of accuracy of each stepper on the
// preset's forced flow. From the preset's random initial field (trajectory 0)
// it integrates for Duration with steps Δt₀·2⁻ⁱ. It compares the final
// vorticity with a reference run of the fourth-order "ifrk4" stepper at a much
// smaller step. A scheme of order q has error ∝ Δt^q, so the fitted slope
// estimates q. It returns an error on invalid settings or a solver failure
// (a CFL blow-up at Δt₀ means Dt0 is too large).
func Convergence(p preset.Preset, cfg ConvergenceConfig) (*ConvergenceResult, error) {
	cfg, err := convergenceDefaults(p, cfg)
	if err != nil {
		return nil, err
	}

	res := &ConvergenceResult{Duration: cfg.Duration}
	for i := range cfg.Levels {
		res.Dts = append(res.Dts, cfg.Dt0/math.Exp2(float64(i)))
	}
	res.ReferenceDt = res.Dts[len(res.Dts)-1] / float64(cfg.ReferenceRefinement)

	reference, err := finalVorticity(p, solver.StepperIFRK4, res.ReferenceDt, cfg.Duration)
	if err != nil {
		return nil, err
	}

	for _, name := range cfg.Steppers {
		sc := StepperConvergence{Stepper: name}
		for _, dt := range res.Dts {
			omega, err := finalVorticity(p, name, dt, cfg.Duration)
			if err != nil {
				return nil, err
			}
			rel, err := metrics.RelativeL2(omega, reference)
			if err != nil {
				return nil, err
			}
			sc.Errors = append(sc.Errors, rel)
		}
		sc.Order = FitOrder(res.Dts, sc.Errors)
		res.Steppers = append(res.Steppers, sc)
	}
	return res, nil
}

func convergenceDefaults(p preset.Preset, cfg ConvergenceConfig) (ConvergenceConfig, error) {
	if cfg.Steppers == nil {
		cfg.Steppers = solver.StepperNames()
	}
	if cfg.Dt0 == 0 {
		cfg.Dt0 = 2 * p.Flow.TimeStep
	}
	if cfg.Levels == 0 {
		cfg.Levels = 4
	}
	if cfg.Duration == 0 {
		cfg.Duration = 1
	}
	if cfg.ReferenceRefinement == 0 {
		cfg.ReferenceRefinement = 8
	}

	if cfg.Levels < 2 || cfg.ReferenceRefinement < 1 {
		return cfg, fmt.Errorf("studies: convergence needs Levels >= 2 (got %d) and ReferenceRefinement >= 1 (got %d)", cfg.Levels, cfg.ReferenceRefinement)
	}
	if _, err := stepsIn(cfg.Duration, cfg.Dt0, "convergence duration"); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// finalVorticity integrates the preset's flow from its first initial field
// with the given stepper and step and returns the vorticity at duration.
func finalVorticity(p preset.Preset, stepper string, dt, duration float64) ([]float64, error) {
	params, err := p.SolverParams()
	if err != nil {
		return nil, err
	}
	params.Stepper = stepper
	params.Dt = dt

	s, err := solver.New(params)
	if err != nil {
		return nil, err
	}
	if err := s.SetRandomVorticity(p.InitialField(0)); err != nil {
		return nil, err
	}
	if err := s.Advance(duration, 0, nil); err != nil {
		return nil, fmt.Errorf("studies: convergence run %s at dt=%g: %w", stepper, dt, err)
	}
	return s.Vorticity(nil), nil
}

// FitOrder returns the least-squares slope of log(errors) against log(dts)
// over the points whose error is finite and above RoundoffFloor, or NaN when
// fewer than two such points remain. It panics when the slices differ in
// length.
func FitOrder(dts, errors []float64) float64 {
	if len(dts) != len(errors) {
		panic(fmt.Sprintf("studies: FitOrder got %d time steps and %d errors", len(dts), len(errors)))
	}

	var xs, ys []float64
	for i, e := range errors {
		if e > RoundoffFloor && !math.IsInf(e, 0) && dts[i] > 0 {
			xs = append(xs, math.Log(dts[i]))
			ys = append(ys, math.Log(e))
		}
	}
	if len(xs) < 2 {
		return math.NaN()
	}

	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(len(xs))
	my /= float64(len(ys))

	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	return sxy / sxx
}
