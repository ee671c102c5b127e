package spectral

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// RandomField describes a seeded Gaussian random vorticity field whose energy
// spectrum has the shape E(k) ∝ k⁴ exp(-2 (k/Peak)²), which peaks at
// k = Peak (wavenumbers in units of 2π/L). The field is normalized either to
// the kinetic energy ½⟨u² + v²⟩ = Energy or to the rms vorticity
// sqrt⟨ω²⟩ = RMSVorticity; set exactly one of them. The field has zero mean,
// is dealiased by the 2/3 rule and has zero Nyquist modes.
type RandomField struct {
	Peak         float64 // spectral peak in units of 2π/L, > 0
	Energy       float64 // domain-averaged kinetic energy, or 0
	RMSVorticity float64 // root-mean-square vorticity, or 0
	Seed         uint64  // seed of the PCG generator; equal seeds give equal fields
}

// Generate stores in omegaHat (length N*(N/2+1)) the half spectrum of a
// random vorticity field drawn as described by RandomField: white Gaussian
// noise on the grid is transformed, shaped by sqrt(E(k)·|k|/(2π)) per mode
// (so that shells of radius |k| hold energy ∝ E(k)), masked, and rescaled to
// the requested energy or rms vorticity. It returns an error for a
// non-positive Peak, or unless exactly one of Energy and RMSVorticity is
// positive.
func (f RandomField) Generate(g *Grid, omegaHat []complex128) error {
	if !(f.Peak > 0) {
		return fmt.Errorf("spectral: random field peak wavenumber %g must be positive; use e.g. 4", f.Peak)
	}
	if (f.Energy > 0) == (f.RMSVorticity > 0) || f.Energy < 0 || f.RMSVorticity < 0 {
		return fmt.Errorf("spectral: random field needs exactly one positive normalization, got Energy=%g and RMSVorticity=%g; set the other to 0",
			f.Energy, f.RMSVorticity)
	}

	rng := rand.New(rand.NewPCG(f.Seed, 0x5eed))
	noise := make([]float64, g.Size())
	for i := range noise {
		noise[i] = rng.NormFloat64()
	}
	g.Forward(omegaHat, noise)

	nk := g.NK
	for r := 0; r < g.N; r++ {
		ky := float64(g.KyIndex(r))
		for c := 0; c < nk; c++ {
			k := math.Hypot(float64(c), ky) / f.Peak
			// |ω̂|² = |k|²·|û|² and a shell of radius |k| has ∝ |k| modes, so
			// |ω̂|² ∝ E(k)·|k| gives shell energy ∝ E(k).
			amp := math.Sqrt(math.Pow(k, 5) * math.Exp(-2*k*k))
			omegaHat[r*nk+c] *= complex(amp*g.Dealias[r*nk+c], 0)
		}
	}
	g.ZeroNyquist(omegaHat)

	e := g.KineticEnergy(omegaHat)
	if !(e > 0) {
		return fmt.Errorf("spectral: random field with peak %g has no energy on the %dx%d grid; lower the peak below N/3=%d",
			f.Peak, g.N, g.N, g.Cutoff)
	}
	scale := math.Sqrt(f.Energy / e)
	if f.RMSVorticity > 0 {
		scale = f.RMSVorticity / math.Sqrt(g.MeanSquare(omegaHat))
	}
	for i := range omegaHat {
		omegaHat[i] *= complex(scale, 0)
	}
	return nil
}
