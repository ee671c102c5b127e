package studies

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/metrics"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/solver"
)

// taylorGreenMaxSteps caps the default duration of the Taylor–Green study so
// that weakly damped presets (small ν and α) stay cheap.
const taylorGreenMaxSteps = 1000

// TaylorGreenConfig selects one Taylor–Green run on the preset's grid. The
// zero value runs the preset's stepper with wavenumber 2 for one e-folding
// time, at most 1000 steps, sampled 50 times.
type TaylorGreenConfig struct {
	// Stepper names the time stepper; "" means the preset's.
	Stepper string
	// Wavenumber is k in units of 2π/L; 0 means 2.
	Wavenumber int
	// Duration is the simulated time, a multiple of the preset's time step;
	// 0 means 1/(2ν|k|² + α) rounded to whole steps.
	Duration float64
	// Interval is the time between error samples, a multiple of the time
	// step. 0 means about Duration/50, and Duration is then rounded down to a
	// multiple of that interval.
	Interval float64
}

// TaylorGreenResult is the error history of one Taylor–Green run.
type TaylorGreenResult struct {
	Stepper string
	Dt      float64
	// DecayRate is 2ν|k|² + α with the physical wavenumber |k| = (2π/L)·Wavenumber.
	DecayRate float64
	// RelativeError[i] is ‖ω − ω_exact‖₂/‖ω_exact‖₂ at the sample time Times[i].
	Times         []float64
	RelativeError []float64
}

// TaylorGreen runs the unforced Taylor–Green vortex
//
//	ω(x, y, t) = 2k·sin(kx)·sin(ky)·exp(−(2νk² + α)t),   u = (sin kx cos ky, −cos kx sin ky)·exp(−(2νk² + α)t),
//
// with the preset's grid, ν, α and time step, and returns the relative L2
// error against this exact solution over time. The stream function is
// proportional to ω, so u·∇ω vanishes and only the linear terms act: the
// error measures the time stepper's treatment of ν∇² − α and the round-off of
// the dealiased advection. It returns an error on invalid settings or a
// solver failure.
//
// Reference: G. I. Taylor and A. E. Green, "Mechanism of the production of
// small eddies from large ones", Proc. R. Soc. Lond. A 158 (1937).
func TaylorGreen(p preset.Preset, cfg TaylorGreenConfig) (*TaylorGreenResult, error) {
	params, err := p.SolverParams()
	if err != nil {
		return nil, err
	}
	params.Forcing = solver.Forcing{Kind: solver.ForcingNone}
	if cfg.Stepper != "" {
		params.Stepper = cfg.Stepper
	}

	m := cfg.Wavenumber
	if m == 0 {
		m = 2
	}
	if m < 0 || 3*m > params.N {
		return nil, fmt.Errorf("studies: Taylor–Green wavenumber %d must lie in [1, N/3 = %d]; choose a smaller one", m, params.N/3)
	}
	k := 2 * math.Pi / params.L * float64(m)
	rate := 2*params.Nu*k*k + params.Alpha

	duration, interval, err := taylorGreenSpan(cfg, rate, params.Dt)
	if err != nil {
		return nil, err
	}

	s, err := solver.New(params)
	if err != nil {
		return nil, err
	}
	omega0 := sampleField(params.N, params.L, func(x, y float64) float64 {
		return 2 * k * math.Sin(k*x) * math.Sin(k*y)
	})
	if err := s.SetVorticity(omega0); err != nil {
		return nil, err
	}

	res := &TaylorGreenResult{Stepper: s.Params().Stepper, Dt: params.Dt, DecayRate: rate}
	exact := make([]float64, len(omega0))
	record := func(t float64, omega []float64) error {
		decay := math.Exp(-rate * t)
		for i, w := range omega0 {
			exact[i] = w * decay
		}
		rel, err := metrics.RelativeL2(omega, exact)
		if err != nil {
			return err
		}
		res.Times = append(res.Times, t)
		res.RelativeError = append(res.RelativeError, rel)
		return nil
	}
	if err := s.Advance(duration, interval, record); err != nil {
		return nil, fmt.Errorf("studies: Taylor–Green run with %s: %w", res.Stepper, err)
	}
	return res, nil
}

// taylorGreenSpan fills in the default duration and sampling interval.
func taylorGreenSpan(cfg TaylorGreenConfig, rate, dt float64) (duration, interval float64, err error) {
	duration = cfg.Duration
	if duration == 0 {
		steps := min(max(int(math.Round(1/(rate*dt))), 1), taylorGreenMaxSteps)
		duration = float64(steps) * dt
	}
	steps, err := stepsIn(duration, dt, "Taylor–Green duration")
	if err != nil {
		return 0, 0, err
	}

	interval = cfg.Interval
	if interval == 0 {
		interval = float64(max(steps/50, 1)) * dt
		duration = float64(steps/int(math.Round(interval/dt))) * interval
	}
	if _, err := stepsIn(interval, dt, "Taylor–Green sampling interval"); err != nil {
		return 0, 0, err
	}
	return duration, interval, nil
}

// sampleField evaluates f on the N x N grid of side l in the package layout.
func sampleField(n int, l float64, f func(x, y float64) float64) []float64 {
	out := make([]float64, n*n)
	dx := l / float64(n)
	for i := range n {
		for j := range n {
			out[i*n+j] = f(float64(j)*dx, float64(i)*dx)
		}
	}
	return out
}

// CrankNicolsonError returns the relative error of n Crank–Nicolson steps of
// dω/dt = −aω against the exact exp(−a·n·Δt):
//
//	|((1 − z/2)/(1 + z/2))ⁿ·e^{nz} − 1| ≈ n·z³/12,   z = a·Δt,
//
// the error that the Crank–Nicolson steppers "cnab2" and "cnrk2" make on the
// Taylor–Green vortex, whose advection vanishes.
func CrankNicolsonError(rate, dt float64, steps int) float64 {
	z := rate * dt
	n := float64(steps)
	return math.Abs(math.Pow((1-z/2)/(1+z/2), n)*math.Exp(n*z) - 1)
}
