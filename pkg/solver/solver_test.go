package solver

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/spectral"
)

func newSolver(t *testing.T, p Params) *Solver {
	t.Helper()
	s, err := New(p)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func gridField(n int, l float64, f func(x, y float64) float64) []float64 {
	out := make([]float64, n*n)
	dx := l / float64(n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			out[i*n+j] = f(float64(j)*dx, float64(i)*dx)
		}
	}
	return out
}

func maxAbsDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func maxAbs(a []float64) float64 {
	m := 0.0
	for _, v := range a {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

// TestTaylorGreenDecay checks ω = 2k sin(kx) sin(ky), an exact solution whose
// advection vanishes, against ω(t) = ω(0)·exp(−(2νk² + α)t) for each stepper.
func TestTaylorGreenDecay(t *testing.T) {
	t.Parallel()
	const (
		k     = 2
		nu    = 0.05
		alpha = 0.1
		tEnd  = 1.0
		// taylorGreenTol bounds the relative max error at tEnd with dt = 0.01.
		// Crank–Nicolson's amplification factor differs from exp(−z),
		// z = (2νk² + α)·dt = 0.005, by about z³/12 per step, 1.04e-6 after
		// 100 steps; the tolerance allows twice that.
		taylorGreenTol = 2e-6
	)
	for _, name := range StepperNames() {
		p := Params{N: 32, L: 2 * math.Pi, Nu: nu, Alpha: alpha, Dt: 0.01, Stepper: name}
		s := newSolver(t, p)
		omega0 := gridField(p.N, p.L, func(x, y float64) float64 { return 2 * k * math.Sin(k*x) * math.Sin(k*y) })
		if err := s.SetVorticity(omega0); err != nil {
			t.Fatal(err)
		}
		if err := s.Advance(tEnd, 0, nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}

		decay := math.Exp(-(2*nu*k*k + alpha) * tEnd)
		want := make([]float64, len(omega0))
		for i := range want {
			want[i] = omega0[i] * decay
		}
		got := s.Vorticity(nil)
		rel := maxAbsDiff(got, want) / maxAbs(want)
		t.Logf("%s: relative error %.3g", name, rel)
		if rel > taylorGreenTol {
			t.Errorf("%s: relative error %.3g at t=%g exceeds %g", name, rel, tEnd, taylorGreenTol)
		}
		if math.Abs(s.Time()-tEnd) > 1e-12 {
			t.Errorf("%s: Time() = %g, want %g", name, s.Time(), tEnd)
		}
	}
}

// TestLaminarKolmogorov runs a stable Kolmogorov flow from rest to its steady
// state ω_s = f/(νk² + α) = −A·k·cos(ky)/(νk² + α), which has no advection.
func TestLaminarKolmogorov(t *testing.T) {
	t.Parallel()
	const (
		nu, alpha, amp = 0.2, 0.1, 1.0
		kf             = 4
		tEnd           = 10.0 // e-folding rate νk² + α = 3.3, so exp(−33) remains
		// steadyTol bounds the relative max error at tEnd.
		steadyTol = 1e-10
	)
	p := Params{
		N: 32, L: 2 * math.Pi, Nu: nu, Alpha: alpha, Dt: 0.01,
		Forcing: Forcing{Kind: ForcingKolmogorov, Wavenumber: kf, Amplitude: amp},
	}
	s := newSolver(t, p)
	if err := s.Advance(tEnd, 0, nil); err != nil {
		t.Fatal(err)
	}

	want := gridField(p.N, p.L, func(x, y float64) float64 {
		return -amp * kf * math.Cos(kf*y) / (nu*kf*kf + alpha)
	})
	if rel := maxAbsDiff(s.Vorticity(nil), want) / maxAbs(want); rel > steadyTol {
		t.Errorf("relative distance to the steady state %.3g exceeds %g", rel, steadyTol)
	}
}

// convergenceRun integrates a forced random flow on 32² to tEnd with step dt
// and returns the final physical vorticity.
func convergenceRun(t *testing.T, name string, dt, tEnd float64) []float64 {
	t.Helper()
	p := KolmogorovChaotic(32)
	p.Nu = 0.05
	p.Dt = dt
	p.Stepper = name
	s := newSolver(t, p)
	if err := s.SetRandomVorticity(spectral.RandomField{Peak: 3, Energy: 1, Seed: 42}); err != nil {
		t.Fatal(err)
	}
	if err := s.Advance(tEnd, 0, nil); err != nil {
		t.Fatalf("%s dt=%g: %v", name, dt, err)
	}
	return s.Vorticity(nil)
}

// TestTemporalConvergence measures the order of each stepper from the errors
// at dt, dt/2, dt/4 against a dt/16 reference on a nonlinear forced flow.
func TestTemporalConvergence(t *testing.T) {
	t.Parallel()
	const (
		dt   = 0.02
		tEnd = 0.8
		// minOrder is the smallest accepted log2(e(dt)/e(dt/2)); second order
		// schemes measure about 2.0, the reference adds a few percent.
		minOrder = 1.9
	)
	wantOrder := map[string]float64{StepperCNAB2: 2, StepperCNRK2: 2, StepperCNRK3: 2, StepperIFRK4: 4}

	for _, name := range StepperNames() {
		ref := convergenceRun(t, name, dt/16, tEnd)
		var errs []float64
		for _, d := range []float64{dt, dt / 2, dt / 4} {
			errs = append(errs, maxAbsDiff(convergenceRun(t, name, d, tEnd), ref)/maxAbs(ref))
		}
		for i := 0; i+1 < len(errs); i++ {
			order := math.Log2(errs[i] / errs[i+1])
			t.Logf("%s: errors %.3g → %.3g, order %.2f", name, errs[i], errs[i+1], order)
			if order < minOrder || order < wantOrder[name]-0.3 {
				t.Errorf("%s: measured order %.2f below %.2f (errors %v)", name, order, math.Max(minOrder, wantOrder[name]-0.3), errs)
			}
		}
	}
}

// TestInviscidConservation checks that an unforced inviscid run conserves
// energy and enstrophy to the time-stepping error, which for IFRK4 at small dt
// is far below the per-step change a non-conservative term would cause.
func TestInviscidConservation(t *testing.T) {
	t.Parallel()
	const (
		// invariantTol bounds the relative drift over 50 IFRK4 steps, where
		// the measured drift is about 3e-12.
		invariantTol = 1e-10
	)
	p := Params{N: 64, L: 2 * math.Pi, Dt: 2e-3, Stepper: StepperIFRK4, Inviscid: true}
	s := newSolver(t, p)
	if err := s.SetRandomVorticity(spectral.RandomField{Peak: 6, Energy: 0.5, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	e0, z0 := s.KineticEnergy(), s.Enstrophy()
	if err := s.Advance(50*p.Dt, 0, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("energy drift %.3g, enstrophy drift %.3g", math.Abs(s.KineticEnergy()-e0)/e0, math.Abs(s.Enstrophy()-z0)/z0)
	if d := math.Abs(s.KineticEnergy()-e0) / e0; d > invariantTol {
		t.Errorf("energy drift %.3g exceeds %g", d, invariantTol)
	}
	if d := math.Abs(s.Enstrophy()-z0) / z0; d > invariantTol {
		t.Errorf("enstrophy drift %.3g exceeds %g", d, invariantTol)
	}
}

func TestBlowUpErrorNamesTimeAndStep(t *testing.T) {
	t.Parallel()
	p := KolmogorovChaotic(32)
	p.Dt = 0.5 // CFL far above the limit for a unit-energy field
	s := newSolver(t, p)
	if err := s.SetRandomVorticity(spectral.RandomField{Peak: 4, Energy: 1, Seed: 1}); err != nil {
		t.Fatal(err)
	}

	err := s.Advance(5, 0, nil)
	var blowUp *BlowUpError
	if !errors.As(err, &blowUp) {
		t.Fatalf("Advance returned %v, want a *BlowUpError", err)
	}
	if blowUp.Quantity != quantityCFL || blowUp.Value <= blowUp.Limit {
		t.Errorf("got %+v, want a CFL above its limit", blowUp)
	}
	msg := err.Error()
	for _, want := range []string{"t=0", "step 0", "CFL"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not contain %q", msg, want)
		}
	}
}

func TestNonFiniteStateError(t *testing.T) {
	t.Parallel()
	p := KolmogorovChaotic(16)
	s := newSolver(t, p)
	s.omegaHat[1] = complex(math.NaN(), 0)
	s.steps, s.time = 3, 0.03

	err := s.Step()
	var blowUp *BlowUpError
	if !errors.As(err, &blowUp) {
		t.Fatalf("Step returned %v, want a *BlowUpError", err)
	}
	if blowUp.Quantity != quantityNonFinite || blowUp.Step != 3 || blowUp.Time != 0.03 {
		t.Errorf("got %+v, want non-finite vorticity at step 3, t=0.03", blowUp)
	}
}

func TestValidateRejectsParameters(t *testing.T) {
	t.Parallel()
	base := KolmogorovChaotic(32)
	cases := []struct {
		name   string
		modify func(*Params)
		want   string
	}{
		{"negative viscosity", func(p *Params) { p.Nu = -1 }, "nu=-1"},
		{"zero viscosity", func(p *Params) { p.Nu = 0 }, "Inviscid"},
		{"zero dt", func(p *Params) { p.Dt = 0 }, "dt=0"},
		{"negative drag", func(p *Params) { p.Alpha = -0.1 }, "alpha=-0.1"},
		{"odd grid", func(p *Params) { p.N = 33 }, "N=33"},
		{"unknown stepper", func(p *Params) { p.Stepper = "euler" }, `"euler"`},
		{"custom forcing without function", func(p *Params) { p.Forcing.Kind = ForcingCustom }, "Forcing.Func"},
	}
	for _, c := range cases {
		p := base
		c.modify(&p)
		_, err := New(p)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestAdvanceRejectsSpan(t *testing.T) {
	t.Parallel()
	s := newSolver(t, KolmogorovChaotic(16))
	if err := s.Advance(0.015, 0, nil); err == nil || !strings.Contains(err.Error(), "0.015") {
		t.Errorf("duration 0.015 with dt 0.01: got %v, want an error naming 0.015", err)
	}
}

func TestAdvanceSnapshots(t *testing.T) {
	t.Parallel()
	s := newSolver(t, KolmogorovChaotic(16))
	var times []float64
	err := s.Advance(0.5, 0.1, func(tm float64, omega []float64) error {
		times = append(times, tm)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.1, 0.2, 0.3, 0.4, 0.5}
	if len(times) != len(want) {
		t.Fatalf("snapshot times %v, want %v", times, want)
	}
	for i := range want {
		if math.Abs(times[i]-want[i]) > 1e-12 {
			t.Errorf("snapshot %d at t=%g, want %g", i, times[i], want[i])
		}
	}
}

// TestRunBatchMatchesSerial checks that parallel trajectories equal the same
// runs made one after another.
func TestRunBatchMatchesSerial(t *testing.T) {
	t.Parallel()
	p := KolmogorovChaotic(32)
	initial, err := RandomInitialConditions(p, spectral.RandomField{Peak: 4, Energy: 0.5, Seed: 10}, 3)
	if err != nil {
		t.Fatal(err)
	}

	final := make([][]float64, len(initial))
	err = RunBatch(p, initial, 0.2, 0.2, func(m int, tm float64, omega []float64) error {
		final[m] = append([]float64(nil), omega...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	for m := range initial {
		s := newSolver(t, p)
		if err := s.SetVorticity(initial[m]); err != nil {
			t.Fatal(err)
		}
		if err := s.Advance(0.2, 0, nil); err != nil {
			t.Fatal(err)
		}
		// Batch members use one FFT worker, serial runs several; the
		// arithmetic is the same, so results agree to round-off.
		if d := maxAbsDiff(s.Vorticity(nil), final[m]); d > 1e-12 {
			t.Errorf("trajectory %d: batch and serial differ by %g", m, d)
		}
	}
}

func randomFieldForTests() spectral.RandomField {
	return spectral.RandomField{Peak: 4, Energy: 0.5, Seed: 1}
}
