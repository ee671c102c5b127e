package solver

import (
	"fmt"
	"math"
	"runtime"
	"slices"
)

// ForcingKind selects the spatial form of the forcing f(x, y).
type ForcingKind int

const (
	// ForcingNone is f = 0.
	ForcingNone ForcingKind = iota
	// ForcingKolmogorov is the curl of the velocity forcing A·sin(k y) in x:
	// f = −A·k·cos(k y), with k = (2π/L)·Wavenumber.
	ForcingKolmogorov
	// ForcingDiagonal is f = A·[sin(k(x+y)) + cos(k(x+y))], with
	// k = (2π/L)·Wavenumber. With A = 0.1, Wavenumber = 1 and L = 1 it is the
	// forcing of X. Dong, Y. Chen and J.-L. Wu, arXiv:2408.02965 (2024).
	ForcingDiagonal
	// ForcingCustom is f = Forcing.Func(x, y).
	ForcingCustom
)

// Forcing selects and parameterizes the vorticity forcing f(x, y). The
// forcing is constant in time; its sign is as written in the ForcingKind
// constants.
type Forcing struct {
	Kind       ForcingKind
	Wavenumber int     // forcing wavenumber in units of 2π/L (Kolmogorov, diagonal)
	Amplitude  float64 // A
	// Func gives f at (x, y) for ForcingCustom; other kinds ignore it.
	Func func(x, y float64) float64
}

// Value returns f(x, y) for a domain of side l.
func (f Forcing) Value(x, y, l float64) float64 {
	k := 2 * math.Pi / l * float64(f.Wavenumber)
	switch f.Kind {
	case ForcingKolmogorov:
		return -f.Amplitude * k * math.Cos(k*y)
	case ForcingDiagonal:
		return f.Amplitude * (math.Sin(k*(x+y)) + math.Cos(k*(x+y)))
	case ForcingCustom:
		return f.Func(x, y)
	default:
		return 0
	}
}

// Stepper names accepted by Params.Stepper.
const (
	StepperCNAB2 = "cnab2"
	StepperCNRK2 = "cnrk2"
	StepperCNRK3 = "cnrk3"
	StepperIFRK4 = "ifrk4"
)

// DefaultMaxCFL is the CFL limit max|u|·dt/dx of each stepper used when
// Params.MaxCFL is zero. The values are guards against blow-up, set below
// the explicit schemes' stability bounds for spectral advection (whose
// largest eigenvalue is about (2π/3)·CFL after 2/3 dealiasing), not sharp
// stability limits.
var DefaultMaxCFL = map[string]float64{
	StepperCNAB2: 0.5,
	StepperCNRK2: 0.5,
	StepperCNRK3: 0.8,
	StepperIFRK4: 1.2,
}

// Params are the physical and numerical parameters of a Solver.
type Params struct {
	N     int     // grid points per side, a power of two >= 4
	L     float64 // side of the periodic square
	Nu    float64 // kinematic viscosity ν > 0 (0 only with Inviscid)
	Alpha float64 // linear drag α >= 0
	Dt    float64 // time step > 0

	Forcing Forcing

	Stepper string  // one of the Stepper* names; "" means StepperCNAB2
	MaxCFL  float64 // CFL limit; 0 means DefaultMaxCFL[Stepper]

	// Workers is the number of goroutines of each FFT. 0 means
	// runtime.GOMAXPROCS(0) for N >= 128 and 1 below, where starting
	// goroutines costs more than it saves. RunBatch uses 1 per trajectory.
	Workers int

	// Inviscid allows Nu = 0 for tests of the Euler equations.
	Inviscid bool
}

// KolmogorovChaotic returns the low-dimensional chaotic Kolmogorov regime on
// n² points: L = 2π, k_f = 4, A = 1, ν = 1/40, α = 0, dt = 0.01, "cnab2".
func KolmogorovChaotic(n int) Params {
	return Params{
		N: n, L: 2 * math.Pi, Nu: 1.0 / 40, Alpha: 0, Dt: 0.01,
		Forcing: Forcing{Kind: ForcingKolmogorov, Wavenumber: 4, Amplitude: 1},
		Stepper: StepperCNAB2,
	}
}

// KolmogorovTurbulent returns the turbulent Kolmogorov regime (Re = 1000) on
// n² points: L = 2π, k_f = 4, A = 1, ν = 1e-3, α = 0.1, dt = 1e-3, "cnab2".
// It needs n >= 256 for a resolved DNS.
func KolmogorovTurbulent(n int) Params {
	return Params{
		N: n, L: 2 * math.Pi, Nu: 1e-3, Alpha: 0.1, Dt: 1e-3,
		Forcing: Forcing{Kind: ForcingKolmogorov, Wavenumber: 4, Amplitude: 1},
		Stepper: StepperCNAB2,
	}
}

// Predecessor returns the setup of Dong, Chen and Wu, arXiv:2408.02965, on
// n² points:
// L = 1, f = 0.1[sin 2π(x+y) + cos 2π(x+y)], ν = 1e-3, α = 0, dt = 1e-3,
// "cnab2".
func Predecessor(n int) Params {
	return Params{
		N: n, L: 1, Nu: 1e-3, Alpha: 0, Dt: 1e-3,
		Forcing: Forcing{Kind: ForcingDiagonal, Wavenumber: 1, Amplitude: 0.1},
		Stepper: StepperCNAB2,
	}
}

// minParallelN is the smallest grid whose FFTs run on several goroutines by
// default; at 64² a step on one goroutine was faster than on two.
const minParallelN = 128

// withDefaults fills the zero-valued optional fields.
func (p Params) withDefaults() Params {
	if p.Stepper == "" {
		p.Stepper = StepperCNAB2
	}
	if p.MaxCFL == 0 {
		p.MaxCFL = DefaultMaxCFL[p.Stepper]
	}
	if p.Workers == 0 {
		p.Workers = 1
		if p.N >= minParallelN {
			p.Workers = runtime.GOMAXPROCS(0)
		}
	}
	return p
}

// Validate returns an error naming the first invalid parameter and how to fix
// it. Grid size checks are left to spectral.NewGrid.
func (p Params) Validate() error {
	p = p.withDefaults()
	switch {
	case !(p.L > 0) || math.IsInf(p.L, 0):
		return fmt.Errorf("solver: domain size L=%g must be positive and finite; use e.g. 2π", p.L)
	case p.Nu == 0 && !p.Inviscid:
		return fmt.Errorf("solver: viscosity nu=0 is allowed only with Inviscid=true; set a positive value")
	case p.Nu < 0 || math.IsNaN(p.Nu) || math.IsInf(p.Nu, 0):
		return fmt.Errorf("solver: viscosity nu=%g must be positive and finite; set a positive value", p.Nu)
	case p.Alpha < 0 || math.IsNaN(p.Alpha) || math.IsInf(p.Alpha, 0):
		return fmt.Errorf("solver: drag alpha=%g must be non-negative and finite; use 0 for no drag", p.Alpha)
	case !(p.Dt > 0) || math.IsInf(p.Dt, 0):
		return fmt.Errorf("solver: time step dt=%g must be positive and finite; use e.g. 1e-3", p.Dt)
	case !slices.Contains(StepperNames(), p.Stepper):
		return fmt.Errorf("solver: unknown stepper %q; use one of %q", p.Stepper, StepperNames())
	case !(p.MaxCFL > 0):
		return fmt.Errorf("solver: CFL limit MaxCFL=%g must be positive; use 0 for the stepper default", p.MaxCFL)
	case p.Workers < 1:
		return fmt.Errorf("solver: Workers=%d must be at least 1; use 0 for GOMAXPROCS", p.Workers)
	case p.Forcing.Kind == ForcingCustom && p.Forcing.Func == nil:
		return fmt.Errorf("solver: ForcingCustom needs Forcing.Func; set it or choose another kind")
	case p.Forcing.Kind < ForcingNone || p.Forcing.Kind > ForcingCustom:
		return fmt.Errorf("solver: unknown forcing kind %d; use one of the Forcing* constants", p.Forcing.Kind)
	}
	return nil
}

// StepperNames returns the names accepted by Params.Stepper.
func StepperNames() []string {
	return []string{StepperCNAB2, StepperCNRK2, StepperCNRK3, StepperIFRK4}
}
