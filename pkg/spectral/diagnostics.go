package spectral

import "math"

// halfWeight returns how many modes of the full spectrum half-spectrum column
// c stands for: 1 for kx = 0 and kx = N/2, 2 for the others (their mirror
// images -kx are implied by Hermitian symmetry).
func (g *Grid) halfWeight(c int) float64 {
	if c == 0 || c == g.N/2 {
		return 1
	}
	return 2
}

// MeanSquare returns the domain average ⟨f²⟩ of the real field with half
// spectrum fHat, by Parseval: ⟨f²⟩ = Σ_k |f̂(k)|² / N⁴ over the full spectrum.
func (g *Grid) MeanSquare(fHat []complex128) float64 {
	nk := g.NK
	sum := 0.0
	for r := 0; r < g.N; r++ {
		for c := 0; c < nk; c++ {
			f := fHat[r*nk+c]
			sum += g.halfWeight(c) * (real(f)*real(f) + imag(f)*imag(f))
		}
	}
	n2 := float64(g.N * g.N)
	return sum / (n2 * n2)
}

// KineticEnergy returns ½⟨u² + v²⟩, the domain-averaged kinetic energy of
// the velocity induced by the vorticity with half spectrum omegaHat. Since
// |û|² + |v̂|² = |ω̂|²/|k|², it equals ½ Σ_k |ω̂|²/(|k|² N⁴).
func (g *Grid) KineticEnergy(omegaHat []complex128) float64 {
	nk := g.NK
	sum := 0.0
	for r := 0; r < g.N; r++ {
		for c := 0; c < nk; c++ {
			idx := r*nk + c
			w := omegaHat[idx]
			sum += g.halfWeight(c) * (real(w)*real(w) + imag(w)*imag(w)) * g.InvK2[idx]
		}
	}
	n2 := float64(g.N * g.N)
	return 0.5 * sum / (n2 * n2)
}

// Enstrophy returns ½⟨ω²⟩, the domain-averaged enstrophy of the vorticity
// with half spectrum omegaHat.
func (g *Grid) Enstrophy(omegaHat []complex128) float64 {
	return 0.5 * g.MeanSquare(omegaHat)
}

// SpectrumLen returns the number of shells of EnergySpectrum,
// floor(√2·N/2) + 2, enough for the corner mode (N/2, N/2).
func (g *Grid) SpectrumLen() int {
	return int(math.Sqrt2*float64(g.N/2)) + 2
}

// EnergySpectrum stores in dst (length SpectrumLen) the isotropic energy
// spectrum of the vorticity with half spectrum omegaHat. Shell dst[s] is the
// sum of ½(|û(k)|² + |v̂(k)|²)/N⁴ over the modes of the full spectrum whose
// wavenumber magnitude sqrt(kx² + ky²), in units of 2π/L, rounds to s. The
// shells partition all modes, so Σ_s dst[s] equals KineticEnergy (Parseval).
// It returns dst and panics if dst is too short.
func (g *Grid) EnergySpectrum(dst []float64, omegaHat []complex128) []float64 {
	return g.shellSums(dst, 0.5, func(idx int) float64 {
		w := omegaHat[idx]
		return (real(w)*real(w) + imag(w)*imag(w)) * g.InvK2[idx]
	})
}

// CrossSpectrum stores in dst (length SpectrumLen) the co-spectrum of two real fields with
// half spectra aHat and bHat, summed over the shells of EnergySpectrum. Shell dst[s] is the
// sum of Re(conj(â(k))·b̂(k))/N⁴ over the modes of the full spectrum in shell s, so by
// Parseval Σ_s dst[s] equals the domain average ⟨ab⟩. It returns dst and panics if dst is too
// short.
func (g *Grid) CrossSpectrum(dst []float64, aHat, bHat []complex128) []float64 {
	return g.shellSums(dst, 1, func(idx int) float64 {
		a, b := aHat[idx], bHat[idx]
		return real(a)*real(b) + imag(a)*imag(b)
	})
}

// shellSums stores in dst (length SpectrumLen) the sums of scale·mode(idx)/N⁴ over the
// modes of the full spectrum in each shell, where mode gives the value of half-spectrum
// index idx and its mirror image counts as well. It returns dst and panics if dst is too short.
func (g *Grid) shellSums(dst []float64, scale float64, mode func(idx int) float64) []float64 {
	dst = dst[:g.SpectrumLen()]
	clear(dst)

	nk := g.NK
	n2 := float64(g.N * g.N)
	norm := scale / (n2 * n2)
	for r := 0; r < g.N; r++ {
		ky := float64(g.KyIndex(r))
		for c := 0; c < nk; c++ {
			shell := int(math.Round(math.Hypot(float64(c), ky)))
			dst[shell] += norm * g.halfWeight(c) * mode(r*nk+c)
		}
	}
	return dst
}

// Velocity stores in u and v (length N*N) the velocity u = ∂ψ/∂y,
// v = -∂ψ/∂x of the vorticity with half spectrum omegaHat, with -∇²ψ = ω.
// All modes are used (no dealiasing). It panics on wrong lengths.
func (g *Grid) Velocity(u, v []float64, omegaHat []complex128) {
	uHat := make([]complex128, len(omegaHat))
	vHat := make([]complex128, len(omegaHat))
	nk := g.NK
	for r := 0; r < g.N; r++ {
		ky := g.Ky[r]
		for c := 0; c < nk; c++ {
			idx := r*nk + c
			psi := omegaHat[idx] * complex(g.InvK2[idx], 0)
			uHat[idx] = complex(-ky*imag(psi), ky*real(psi))
			vHat[idx] = complex(g.Kx[c]*imag(psi), -g.Kx[c]*real(psi))
		}
	}
	g.Inverse(u, uHat)
	g.Inverse(v, vHat)
}

// CFL returns the CFL number max|u|·dt/dx of the vorticity with half spectrum
// omegaHat, with |u| = sqrt(u² + v²) and dx = L/N.
func (g *Grid) CFL(omegaHat []complex128, dt float64) float64 {
	u := make([]float64, g.Size())
	v := make([]float64, g.Size())
	g.Velocity(u, v, omegaHat)

	maxSpeed2 := 0.0
	for i := range u {
		maxSpeed2 = max(maxSpeed2, u[i]*u[i]+v[i]*v[i])
	}
	return math.Sqrt(maxSpeed2) * dt * float64(g.N) / g.L
}
