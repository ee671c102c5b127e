package solver

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/spectral"
)

// Solver advances one vorticity field in time. Build it with New, set the
// initial condition with SetVorticity or SetRandomVorticity, then call Step
// or Advance. A Solver is not safe for concurrent use; run several in
// parallel with RunBatch or one goroutine each.
type Solver struct {
	params Params
	grid   *spectral.Grid

	forcingHat []complex128 // f̂, unnormalized half spectrum
	linear     []float64    // L(k) = −ν|k|² − α per half-spectrum entry

	omegaHat []complex128 // the state ω̂
	time     float64
	steps    int

	stepper stepper
	source  sourceHook

	omegaPhys []float64 // scratch for physical-space sources
}

// New builds a Solver from p after validating it. It computes the spectral
// operators, the forcing spectrum and the stepper coefficients once. The
// initial vorticity is zero.
func New(p Params) (*Solver, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p = p.withDefaults()

	grid, err := spectral.NewGrid(p.N, p.L, p.Workers)
	if err != nil {
		return nil, fmt.Errorf("solver: %w", err)
	}

	s := &Solver{params: p, grid: grid}
	s.omegaHat = make([]complex128, grid.SpectralSize())
	s.buildLinear()
	s.buildForcing()
	s.stepper = newStepper(p.Stepper, s)
	return s, nil
}

func (s *Solver) buildLinear() {
	s.linear = make([]float64, len(s.grid.K2))
	for i, k2 := range s.grid.K2 {
		s.linear[i] = -s.params.Nu*k2 - s.params.Alpha
	}
}

func (s *Solver) buildForcing() {
	g := s.grid
	s.forcingHat = make([]complex128, g.SpectralSize())
	if s.params.Forcing.Kind == ForcingNone {
		return
	}

	f := make([]float64, g.Size())
	dx := g.L / float64(g.N)
	for i := 0; i < g.N; i++ {
		for j := 0; j < g.N; j++ {
			f[i*g.N+j] = s.params.Forcing.Value(float64(j)*dx, float64(i)*dx, g.L)
		}
	}
	g.Forward(s.forcingHat, f)
}

// Params returns the parameters of s with defaults filled in.
func (s *Solver) Params() Params { return s.params }

// Grid returns the spectral grid of s. Its scratch is shared with s, so do
// not use it while s is stepping.
func (s *Solver) Grid() *spectral.Grid { return s.grid }

// Time returns the simulation time.
func (s *Solver) Time() float64 { return s.time }

// Steps returns the number of steps taken since the last state reset.
func (s *Solver) Steps() int { return s.steps }

// SetTime sets the simulation time, e.g. to align an LES with a DNS. The
// time is passed to source callbacks; the equations do not depend on it.
func (s *Solver) SetTime(t float64) { s.time = t }

// SetVorticity sets the state from the physical field omega (length N*N) and
// resets the step count and the multistep history. It returns an error on a
// wrong length or non-finite values.
func (s *Solver) SetVorticity(omega []float64) error {
	if len(omega) != s.grid.Size() {
		return fmt.Errorf("solver: vorticity has length %d, want N*N=%d", len(omega), s.grid.Size())
	}
	for i, w := range omega {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return fmt.Errorf("solver: vorticity value %g at index %d is not finite", w, i)
		}
	}
	s.grid.Forward(s.omegaHat, omega)
	s.resetHistory()
	return nil
}

// SetVorticityHat sets the state from a half spectrum (length N*(N/2+1), the
// unnormalized layout of package spectral) and resets the history.
func (s *Solver) SetVorticityHat(omegaHat []complex128) error {
	if len(omegaHat) != s.grid.SpectralSize() {
		return fmt.Errorf("solver: vorticity spectrum has length %d, want N*(N/2+1)=%d", len(omegaHat), s.grid.SpectralSize())
	}
	copy(s.omegaHat, omegaHat)
	s.resetHistory()
	return nil
}

// SetRandomVorticity sets the state to the seeded Gaussian random field rf
// (see spectral.RandomField) and resets the history.
func (s *Solver) SetRandomVorticity(rf spectral.RandomField) error {
	if err := rf.Generate(s.grid, s.omegaHat); err != nil {
		return fmt.Errorf("solver: %w", err)
	}
	s.resetHistory()
	return nil
}

func (s *Solver) resetHistory() {
	s.steps = 0
	s.stepper.reset()
}

// Vorticity stores the physical vorticity in dst (length N*N; allocated when
// nil) and returns it.
func (s *Solver) Vorticity(dst []float64) []float64 {
	if dst == nil {
		dst = make([]float64, s.grid.Size())
	}
	s.grid.Inverse(dst, s.omegaHat)
	return dst
}

// VorticityHat returns the state's half spectrum. The slice is the solver's
// own storage: read it between steps and do not modify it.
func (s *Solver) VorticityHat() []complex128 { return s.omegaHat }

// KineticEnergy returns ½⟨u² + v²⟩ of the current state.
func (s *Solver) KineticEnergy() float64 { return s.grid.KineticEnergy(s.omegaHat) }

// Enstrophy returns ½⟨ω²⟩ of the current state.
func (s *Solver) Enstrophy() float64 { return s.grid.Enstrophy(s.omegaHat) }

// EnergySpectrum returns the isotropic energy spectrum of the current state,
// indexed by shell |k| in units of 2π/L and normalized so that its sum is
// KineticEnergy (see spectral.Grid.EnergySpectrum).
func (s *Solver) EnergySpectrum() []float64 {
	return s.grid.EnergySpectrum(make([]float64, s.grid.SpectrumLen()), s.omegaHat)
}

// Velocity returns the physical velocity components u = ∂ψ/∂y and
// v = −∂ψ/∂x of the current state (each of length N*N).
func (s *Solver) Velocity() (u, v []float64) {
	u = make([]float64, s.grid.Size())
	v = make([]float64, s.grid.Size())
	s.grid.Velocity(u, v, s.omegaHat)
	return u, v
}

// CFL returns max|u|·dt/dx of the current state.
func (s *Solver) CFL() float64 { return s.grid.CFL(s.omegaHat, s.params.Dt) }

// explicit stores in dst the explicit right-hand side
// −(u·∇ω)^ + f̂ + Ŝ(t, ω) at the state w and time t, and checks the CFL
// number and finiteness.
func (s *Solver) explicit(dst, w []complex128, t float64) error {
	stats := s.grid.Advection(dst, w)
	if err := s.checkStats(stats, t); err != nil {
		return err
	}

	f := s.forcingHat
	for i := range dst {
		dst[i] = f[i] - dst[i]
	}

	return s.source.add(s, dst, w, t)
}

func (s *Solver) checkStats(stats spectral.AdvectionStats, t float64) error {
	if !stats.Finite {
		return &BlowUpError{Time: t, Step: s.steps, Quantity: quantityNonFinite, Value: math.NaN()}
	}
	cfl := stats.MaxSpeed * s.params.Dt * float64(s.grid.N) / s.grid.L
	if cfl > s.params.MaxCFL {
		return &BlowUpError{Time: t, Step: s.steps, Quantity: quantityCFL, Value: cfl, Limit: s.params.MaxCFL}
	}
	return nil
}

// Step advances the state by one time step dt. On error the state is left
// unchanged or partially advanced and should be discarded.
func (s *Solver) Step() error {
	if err := s.stepper.step(s.omegaHat, s.time); err != nil {
		return err
	}
	s.steps++
	s.time += s.params.Dt
	return nil
}
