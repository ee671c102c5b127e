package spectral

import (
	"math"
	"math/cmplx"
	"testing"
)

// roundoffTol bounds relative round-off in sums over a 64² grid.
const roundoffTol = 1e-12

func newTestGrid(t *testing.T, n int, l float64) *Grid {
	t.Helper()
	g, err := NewGrid(n, l, 2)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func randomOmegaHat(t *testing.T, g *Grid, peak float64, seed uint64) []complex128 {
	t.Helper()
	w := make([]complex128, g.SpectralSize())
	if err := (RandomField{Peak: peak, Energy: 0.5, Seed: seed}).Generate(g, w); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestEnergySpectrumParseval(t *testing.T) {
	t.Parallel()
	g := newTestGrid(t, 64, 2*math.Pi)
	w := randomOmegaHat(t, g, 8, 1)

	spectrum := g.EnergySpectrum(make([]float64, g.SpectrumLen()), w)
	sum := 0.0
	for _, e := range spectrum {
		sum += e
	}

	// Kinetic energy straight from the velocity on the grid.
	u := make([]float64, g.Size())
	v := make([]float64, g.Size())
	g.Velocity(u, v, w)
	direct := 0.0
	for i := range u {
		direct += 0.5 * (u[i]*u[i] + v[i]*v[i])
	}
	direct /= float64(g.Size())

	if math.Abs(sum-direct) > roundoffTol*direct {
		t.Errorf("Σ E(k) = %.15g, grid kinetic energy = %.15g", sum, direct)
	}
	if e := g.KineticEnergy(w); math.Abs(e-0.5) > roundoffTol {
		t.Errorf("KineticEnergy = %.15g, want the requested 0.5", e)
	}
}

func TestCrossSpectrumSumsToMeanProduct(t *testing.T) {
	t.Parallel()
	g := newTestGrid(t, 32, 2*math.Pi)
	aHat, bHat := randomOmegaHat(t, g, 4, 1), randomOmegaHat(t, g, 6, 2)
	a, b := make([]float64, g.Size()), make([]float64, g.Size())
	g.Inverse(a, aHat)
	g.Inverse(b, bHat)
	direct := 0.0
	for i := range a {
		direct += a[i] * b[i]
	}
	direct /= float64(g.Size())

	spectrum := g.CrossSpectrum(make([]float64, g.SpectrumLen()), aHat, bHat)
	sum := 0.0
	for _, v := range spectrum {
		sum += v
	}
	if math.Abs(sum-direct) > roundoffTol*math.Abs(direct) {
		t.Errorf("Σ_k C(k) = %.15g, grid mean of ab = %.15g", sum, direct)
	}
}

func TestCrossSpectrumOfSingleModes(t *testing.T) {
	t.Parallel()
	g := newTestGrid(t, 32, 2*math.Pi)
	// a = cos(3x + 4y) and b = 2cos(3x + 4y) + sin(x): ⟨ab⟩ = 1, all in shell 5; the sin(x)
	// part is orthogonal to a and adds nothing to shell 1.
	a, b := make([]float64, g.Size()), make([]float64, g.Size())
	h := 2 * math.Pi / float64(g.N)
	for j := range g.N {
		for i := range g.N {
			x, y := float64(i)*h, float64(j)*h
			a[j*g.N+i] = math.Cos(3*x + 4*y)
			b[j*g.N+i] = 2*math.Cos(3*x+4*y) + math.Sin(x)
		}
	}
	aHat, bHat := make([]complex128, g.SpectralSize()), make([]complex128, g.SpectralSize())
	g.Forward(aHat, a)
	g.Forward(bHat, b)
	spectrum := g.CrossSpectrum(make([]float64, g.SpectrumLen()), aHat, bHat)
	for s, v := range spectrum {
		want := 0.0
		if s == 5 {
			want = 1
		}
		if math.Abs(v-want) > 1e-12 {
			t.Errorf("shell %d: C = %.15g, want %g", s, v, want)
		}
	}
}

func TestRandomFieldRMSVorticity(t *testing.T) {
	t.Parallel()
	g := newTestGrid(t, 32, 1)
	w := make([]complex128, g.SpectralSize())
	if err := (RandomField{Peak: 3, RMSVorticity: 2, Seed: 1}).Generate(g, w); err != nil {
		t.Fatal(err)
	}
	if rms := math.Sqrt(g.MeanSquare(w)); math.Abs(rms-2) > roundoffTol {
		t.Errorf("rms vorticity %.15g, want 2", rms)
	}

	both := RandomField{Peak: 3, Energy: 1, RMSVorticity: 2}
	if err := both.Generate(g, w); err == nil {
		t.Error("Generate accepted both Energy and RMSVorticity")
	}
}

func TestRandomFieldPeakAndSeed(t *testing.T) {
	t.Parallel()
	const peak = 6
	// peakShellTol is how far (in shells) the largest shell of a single
	// random draw may sit from the prescribed peak.
	const peakShellTol = 2
	g := newTestGrid(t, 64, 2*math.Pi)
	w := randomOmegaHat(t, g, peak, 3)

	spectrum := g.EnergySpectrum(make([]float64, g.SpectrumLen()), w)
	argmax := 0
	for s, e := range spectrum {
		if e > spectrum[argmax] {
			argmax = s
		}
	}
	if abs(argmax-peak) > peakShellTol {
		t.Errorf("spectrum peaks at shell %d, want %d ± %d", argmax, peak, peakShellTol)
	}

	again := randomOmegaHat(t, g, peak, 3)
	other := randomOmegaHat(t, g, peak, 4)
	if again[5] != w[5] {
		t.Errorf("equal seeds gave different fields: %v vs %v", again[5], w[5])
	}
	if other[5*g.NK+5] == w[5*g.NK+5] {
		t.Errorf("different seeds gave the same mode %v", w[5*g.NK+5])
	}
}

// TestAdvectionConservation checks the semi-discrete invariants of the
// dealiased term: ∫ψ N dx = 0 (energy) and ∫ω N dx = 0 (enstrophy).
func TestAdvectionConservation(t *testing.T) {
	t.Parallel()
	g := newTestGrid(t, 64, 2*math.Pi)
	w := randomOmegaHat(t, g, 12, 5)
	nHat := make([]complex128, g.SpectralSize())
	g.Advection(nHat, w)

	var psiN, omegaN, scalePsi, scaleOmega float64
	for r := 0; r < g.N; r++ {
		for c := 0; c < g.NK; c++ {
			idx := r*g.NK + c
			weight := g.halfWeight(c)
			psi := w[idx] * complex(g.InvK2[idx], 0)
			psiN += weight * real(cmplx.Conj(psi)*nHat[idx])
			omegaN += weight * real(cmplx.Conj(w[idx])*nHat[idx])
			scalePsi += weight * cmplx.Abs(psi) * cmplx.Abs(nHat[idx])
			scaleOmega += weight * cmplx.Abs(w[idx]) * cmplx.Abs(nHat[idx])
		}
	}
	if math.Abs(psiN) > roundoffTol*scalePsi {
		t.Errorf("∫ψN = %g, relative %g", psiN, psiN/scalePsi)
	}
	if math.Abs(omegaN) > roundoffTol*scaleOmega {
		t.Errorf("∫ωN = %g, relative %g", omegaN, omegaN/scaleOmega)
	}
}

func TestAdvectionDealiased(t *testing.T) {
	t.Parallel()
	g := newTestGrid(t, 32, 2*math.Pi)
	// A field with energy up to the Nyquist modes, not only inside the mask.
	w := make([]complex128, g.SpectralSize())
	g.Forward(w, randomField(g.N, 9))
	nHat := make([]complex128, g.SpectralSize())
	g.Advection(nHat, w)

	for i, m := range g.Dealias {
		if m == 0 && nHat[i] != 0 {
			t.Fatalf("mode %d outside the 2/3 mask has value %v", i, nHat[i])
		}
	}
}

// TestAdvectionAnalytic compares with u·∇ω formed from closed-form fields:
// ω = cos(x) + sin(2y) on [0,2π)² gives ψ = cos(x) + sin(2y)/4, u = cos(2y)/2,
// v = sin(x), so u·∇ω = -sin(x)cos(2y)/2 + 2 sin(x)cos(2y) = 1.5 sin(x)cos(2y).
func TestAdvectionAnalytic(t *testing.T) {
	t.Parallel()
	const n = 16
	g := newTestGrid(t, n, 2*math.Pi)
	omega := make([]float64, n*n)
	want := make([]float64, n*n)
	for i := 0; i < n; i++ {
		y := 2 * math.Pi * float64(i) / n
		for j := 0; j < n; j++ {
			x := 2 * math.Pi * float64(j) / n
			omega[i*n+j] = math.Cos(x) + math.Sin(2*y)
			want[i*n+j] = 1.5 * math.Sin(x) * math.Cos(2*y)
		}
	}

	w := make([]complex128, g.SpectralSize())
	nHat := make([]complex128, g.SpectralSize())
	got := make([]float64, n*n)
	g.Forward(w, omega)
	stats := g.Advection(nHat, w)
	g.Inverse(got, nHat)

	for i := range got {
		if math.Abs(got[i]-want[i]) > roundoffTol*10 {
			t.Fatalf("point %d: u·∇ω = %g, want %g", i, got[i], want[i])
		}
	}
	// max sqrt(cos²(2y)/4 + sin²x) = sqrt(1/4 + 1)
	if math.Abs(stats.MaxSpeed-math.Sqrt(1.25)) > roundoffTol*10 {
		t.Errorf("MaxSpeed = %g, want %g", stats.MaxSpeed, math.Sqrt(1.25))
	}
	if !stats.Finite {
		t.Error("Finite = false for a smooth field")
	}
}

func TestNewGridRejectsParameters(t *testing.T) {
	t.Parallel()
	if _, err := NewGrid(48, 1, 1); err == nil {
		t.Error("NewGrid(48): no error for a size that is not a power of two")
	}
	if _, err := NewGrid(64, -1, 1); err == nil {
		t.Error("NewGrid(L=-1): no error for a negative domain size")
	}
}
