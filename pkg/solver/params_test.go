package solver

import (
	"math"
	"math/cmplx"
	"testing"
)

// TestForcingSpectra checks the sign and normalization of the built-in
// forcings through their nonzero half-spectrum entries. With the
// unnormalized FFT a mode c·exp(i k·x) appears as N²·c. The column kx = 0
// stores both ky and −ky.
func TestForcingSpectra(t *testing.T) {
	t.Parallel()
	// forcingTol bounds round-off relative to N².
	const forcingTol = 1e-12
	const n = 16
	cases := []struct {
		name string
		p    Params
		want map[int]complex128 // Fourier coefficient per half-spectrum index
	}{
		// f = −A·4·cos(4y), A = 1: coefficient −2 at (kx, ky) = (0, ±4).
		{"kolmogorov", KolmogorovChaotic(n), map[int]complex128{4 * (n/2 + 1): -2, (n - 4) * (n/2 + 1): -2}},
		// f = 0.1[sin θ + cos θ], θ = 2π(x+y): coefficient 0.1(1 − i)/2 at
		// (kx, ky) = (1, 1); its conjugate mode (−1, −1) is not stored.
		{"predecessor", Predecessor(n), map[int]complex128{1*(n/2+1) + 1: complex(0.05, -0.05)}},
	}
	for _, c := range cases {
		s := newSolver(t, c.p)
		nk := n/2 + 1
		for i, f := range s.forcingHat {
			want := c.want[i] * n * n
			if cmplx.Abs(f-want) > forcingTol*n*n {
				t.Errorf("%s: entry (row %d, col %d) = %v, want %v", c.name, i/nk, i%nk, f, want)
			}
		}
	}
}

// TestChaoticKolmogorovStaysBounded runs the chaotic regime on 64² for 20
// time units from a random field: the run must neither blow up nor settle to
// the laminar state, whose energy is A²/(2ν²k_f⁶) = 0.0977 with no
// fluctuation.
func TestChaoticKolmogorovStaysBounded(t *testing.T) {
	t.Parallel()
	const (
		// energyMin and energyMax bracket the energies seen in this regime
		// (0.5 to 0.7 in a run of 50 time units).
		energyMin, energyMax = 0.2, 3.0
		// minRelativeSwing is the smallest (max − min)/mean of the energy
		// over the snapshots that counts as unsteady.
		minRelativeSwing = 0.02
	)
	p := KolmogorovChaotic(64)
	s := newSolver(t, p)
	if err := s.SetRandomVorticity(randomFieldForTests()); err != nil {
		t.Fatal(err)
	}

	var energies []float64
	err := s.Advance(20, 1, func(float64, []float64) error {
		energies = append(energies, s.KineticEnergy())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	lo, hi, mean := math.Inf(1), math.Inf(-1), 0.0
	for _, e := range energies[5:] {
		lo, hi = math.Min(lo, e), math.Max(hi, e)
		mean += e / float64(len(energies)-5)
	}
	if lo < energyMin || hi > energyMax {
		t.Errorf("energy range [%g, %g] leaves [%g, %g]", lo, hi, energyMin, energyMax)
	}
	if (hi-lo)/mean < minRelativeSwing {
		t.Errorf("energy swing %g of mean %g: the flow looks steady", hi-lo, mean)
	}
}
