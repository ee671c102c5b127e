package flowmatch

import (
	"fmt"
	"slices"
)

// Velocity evaluates the velocity field v(t, x) of a batch x (flat, any layout) and writes it
// into dst, which has the length of x and never aliases it. Implementations must not keep x
// or dst after returning.
type Velocity func(t float64, x, dst []float32) error

// Solver names a fixed-step explicit ODE scheme.
type Solver string

// Supported solvers, with their order of accuracy and velocity evaluations per step.
const (
	// Euler is the forward Euler method: order 1, 1 evaluation per step.
	Euler Solver = "euler"
	// Midpoint is the explicit midpoint method: order 2, 2 evaluations per step.
	Midpoint Solver = "midpoint"
	// Heun is Heun's method (explicit trapezoid): order 2, 2 evaluations per step.
	Heun Solver = "heun"
	// RK4 is the classical Runge-Kutta method: order 4, 4 evaluations per step.
	RK4 Solver = "rk4"
)

// Solvers lists every supported solver.
var Solvers = []Solver{Euler, Midpoint, Heun, RK4}

// ParseSolver returns the Solver named name, or an error listing the valid names.
func ParseSolver(name string) (Solver, error) {
	solver := Solver(name)
	if !slices.Contains(Solvers, solver) {
		return "", fmt.Errorf("flowmatch: unknown solver %q; use one of %v", name, Solvers)
	}
	return solver, nil
}

// EvaluationsPerStep returns the number of velocity evaluations (NFE) per step of s, or 0 for
// an unknown solver.
func (s Solver) EvaluationsPerStep() int {
	switch s {
	case Euler:
		return 1
	case Midpoint, Heun:
		return 2
	case RK4:
		return 4
	}
	return 0
}

// UniformGrid returns steps+1 equally spaced times from t0 to t1, both included. It panics if
// steps < 1.
func UniformGrid(t0, t1 float64, steps int) []float64 {
	if steps < 1 {
		panic(fmt.Sprintf("flowmatch.UniformGrid: steps=%d must be at least 1", steps))
	}
	grid := make([]float64, steps+1)
	for k := range grid {
		grid[k] = t0 + (t1-t0)*float64(k)/float64(steps)
	}
	grid[steps] = t1
	return grid
}

// Integrate advances x in place from t=grid[0] to t=grid[len(grid)-1] with the given solver,
// taking one step per interval of the time grid (see UniformGrid). It returns the first error
// of the velocity callback, or an error for an unknown solver or a grid with fewer than two
// points. The work memory is allocated once per call.
//
// Reference: E. Hairer, S. P. Nørsett and G. Wanner, "Solving ordinary differential
// equations I", section II.1 (explicit Runge-Kutta methods).
func Integrate(solver Solver, velocity Velocity, x []float32, grid []float64) error {
	if solver.EvaluationsPerStep() == 0 {
		return fmt.Errorf("flowmatch.Integrate: unknown solver %q; use one of %v", solver, Solvers)
	}
	if len(grid) < 2 {
		return fmt.Errorf("flowmatch.Integrate: the time grid has %d points, needs at least 2; build it with UniformGrid", len(grid))
	}

	stepper := newStepper(solver, len(x))
	for k := 0; k+1 < len(grid); k++ {
		if err := stepper.step(velocity, grid[k], grid[k+1]-grid[k], x); err != nil {
			return fmt.Errorf("flowmatch.Integrate: %s step %d at t=%g: %w", solver, k, grid[k], err)
		}
	}
	return nil
}

// stepper holds the stage buffers of one solver.
type stepper struct {
	solver     Solver
	k1, k2, k3 []float32
	k4, stage  []float32
}

func newStepper(solver Solver, n int) *stepper {
	s := &stepper{solver: solver, k1: make([]float32, n), stage: make([]float32, n)}
	if solver != Euler {
		s.k2 = make([]float32, n)
	}
	if solver == RK4 {
		s.k3, s.k4 = make([]float32, n), make([]float32, n)
	}
	return s
}

// axpy writes x + a·k into dst.
func axpy(dst, x []float32, a float64, k []float32) {
	a32 := float32(a)
	for i := range dst {
		dst[i] = x[i] + a32*k[i]
	}
}

func (s *stepper) step(velocity Velocity, t, dt float64, x []float32) error {
	if err := velocity(t, x, s.k1); err != nil {
		return err
	}

	switch s.solver {
	case Euler:
		axpy(x, x, dt, s.k1)

	case Midpoint:
		axpy(s.stage, x, dt/2, s.k1)
		if err := velocity(t+dt/2, s.stage, s.k2); err != nil {
			return err
		}
		axpy(x, x, dt, s.k2)

	case Heun:
		axpy(s.stage, x, dt, s.k1)
		if err := velocity(t+dt, s.stage, s.k2); err != nil {
			return err
		}
		half := float32(dt / 2)
		for i := range x {
			x[i] += half * (s.k1[i] + s.k2[i])
		}

	case RK4:
		axpy(s.stage, x, dt/2, s.k1)
		if err := velocity(t+dt/2, s.stage, s.k2); err != nil {
			return err
		}
		axpy(s.stage, x, dt/2, s.k2)
		if err := velocity(t+dt/2, s.stage, s.k3); err != nil {
			return err
		}
		axpy(s.stage, x, dt, s.k3)
		if err := velocity(t+dt, s.stage, s.k4); err != nil {
			return err
		}
		sixth := float32(dt / 6)
		for i := range x {
			x[i] += sixth * (s.k1[i] + 2*s.k2[i] + 2*s.k3[i] + s.k4[i])
		}
	}
	return nil
}
