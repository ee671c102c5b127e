package solver

import (
	"math"
	"testing"

	"github.com/closure-lab/closure/pkg/spectral"
)

// TestSourceMatchesForcing runs the same flow three times: with Kolmogorov
// forcing, with the forcing passed as a physical source and as a spectral
// source. All three must agree to round-off.
func TestSourceMatchesForcing(t *testing.T) {
	t.Parallel()
	// sourceTol bounds the max difference after 20 steps of a unit-energy flow.
	const sourceTol = 1e-11
	forced := KolmogorovChaotic(32)
	unforced := forced
	unforced.Forcing = Forcing{}

	rf := spectral.RandomField{Peak: 4, Energy: 1, Seed: 2}
	run := func(p Params, set func(s *Solver)) []float64 {
		s := newSolver(t, p)
		if err := s.SetRandomVorticity(rf); err != nil {
			t.Fatal(err)
		}
		set(s)
		if err := s.Advance(20*p.Dt, 0, nil); err != nil {
			t.Fatal(err)
		}
		return s.Vorticity(nil)
	}

	want := run(forced, func(*Solver) {})
	fPhys := gridField(forced.N, forced.L, func(x, y float64) float64 { return forced.Forcing.Value(x, y, forced.L) })

	viaPhysical := run(unforced, func(s *Solver) {
		s.SetSource(func(_ float64, _, dst []float64) error {
			copy(dst, fPhys)
			return nil
		})
	})
	if d := maxAbsDiff(viaPhysical, want); d > sourceTol {
		t.Errorf("physical source differs from the forcing by %g", d)
	}

	viaSpectral := run(unforced, func(s *Solver) {
		fHat := make([]complex128, s.Grid().SpectralSize())
		s.Grid().Forward(fHat, fPhys)
		s.SetSpectralSource(func(_ float64, _, dst []complex128) error {
			copy(dst, fHat)
			return nil
		})
	})
	if d := maxAbsDiff(viaSpectral, want); d > sourceTol {
		t.Errorf("spectral source differs from the forcing by %g", d)
	}
}

// TestHoldSourceCallCount checks that HoldSource with period 2·dt calls its
// function once every two steps, although cnrk3 evaluates it three times per
// step, and that SetClosure subtracts the held term.
func TestHoldSourceCallCount(t *testing.T) {
	t.Parallel()
	p := Params{N: 16, L: 2 * math.Pi, Nu: 0.1, Dt: 0.01, Stepper: StepperCNRK3}
	s := newSolver(t, p)

	var calls []float64
	s.SetClosure(HoldSource(func(tm float64, _, h []float64) error {
		calls = append(calls, tm)
		for i := range h {
			h[i] = 1 // a uniform H = 1 drives the mean vorticity as dω̄/dt = −1
		}
		return nil
	}, 2*p.Dt))
	if err := s.Advance(6*p.Dt, 0, nil); err != nil {
		t.Fatal(err)
	}

	want := []float64{0, 0.02, 0.04}
	if len(calls) != len(want) {
		t.Fatalf("closure called at t=%v, want %v", calls, want)
	}
	for i := range want {
		if math.Abs(calls[i]-want[i]) > 1e-12 {
			t.Errorf("call %d at t=%g, want %g", i, calls[i], want[i])
		}
	}

	// The mean mode has L = 0, so ω̄_mean(t) = −t exactly.
	mean := real(s.VorticityHat()[0]) / float64(p.N*p.N)
	if math.Abs(mean+0.06) > 1e-12 {
		t.Errorf("mean vorticity %g after t=0.06 with H = 1, want -0.06", mean)
	}
}
