package spectral

import "math"

// advectionScratch holds the buffers of one Advection call.
type advectionScratch struct {
	uHat, vHat, wxHat, wyHat []complex128 // written only inside the 2/3 mask
	u, v, wx, wy, prod       []float64
}

func newAdvectionScratch(n int) advectionScratch {
	spec := n * (n/2 + 1)
	phys := n * n
	return advectionScratch{
		uHat: make([]complex128, spec), vHat: make([]complex128, spec),
		wxHat: make([]complex128, spec), wyHat: make([]complex128, spec),
		u: make([]float64, phys), v: make([]float64, phys),
		wx: make([]float64, phys), wy: make([]float64, phys),
		prod: make([]float64, phys),
	}
}

// AdvectionStats summarizes the physical fields met in one Advection call.
type AdvectionStats struct {
	// MaxSpeed is max over grid points of |u| = sqrt(u² + v²) of the dealiased
	// velocity.
	MaxSpeed float64
	// Finite is false when the velocity or the vorticity gradient contains NaN
	// or ±Inf.
	Finite bool
}

// Advection stores in dst the half spectrum of the dealiased advection term
// u·∇ω of the vorticity with half spectrum omegaHat, which is not modified.
// With P the 2/3-rule mask it computes
//
//	ψ̂ = ω̂/|k|²,  û = i·Ky·ψ̂,  v̂ = −i·Kx·ψ̂,
//	dst = P[ (Pu)·∂x(Pω) + (Pv)·∂y(Pω) ],
//
// so dst is zero outside the mask. The product is formed on the grid after
// four inverse transforms pruned to the kept columns, followed by one forward
// transform. The product of two masked fields has no alias inside the mask,
// so the semi-discrete term conserves energy and enstrophy:
// Σ conj(ψ̂)·dst = 0 and Σ conj(ω̂)·dst = 0 to round-off.
// Reference: S. A. Orszag, "On the elimination of aliasing in
// finite-difference schemes by filtering high-wavenumber components",
// J. Atmos. Sci. 28, 1971. It panics on wrong lengths.
func (g *Grid) Advection(dst, omegaHat []complex128) AdvectionStats {
	s := &g.adv
	g.maskedDerivatives(omegaHat)

	kc := g.Cutoff
	g.FFT.Inverse(s.u, s.uHat, kc)
	g.FFT.Inverse(s.v, s.vHat, kc)
	g.FFT.Inverse(s.wx, s.wxHat, kc)
	g.FFT.Inverse(s.wy, s.wyHat, kc)

	stats := g.product()

	g.FFT.Forward(dst, s.prod, kc)
	g.ApplyDealias(dst)
	return stats
}

// maskedDerivatives fills û, v̂, ∂x ω̂, ∂y ω̂ on the modes kept by the 2/3 rule.
// The entries outside the mask are never written, so they stay zero.
func (g *Grid) maskedDerivatives(omegaHat []complex128) {
	s := &g.adv
	nk, kc := g.NK, g.Cutoff
	for r := 0; r < g.N; r++ {
		if abs(g.KyIndex(r)) > kc {
			continue
		}
		ky := g.Ky[r]
		for c := 0; c <= kc; c++ {
			idx := r*nk + c
			kx := g.Kx[c]
			w := omegaHat[idx]
			psi := w * complex(g.InvK2[idx], 0)

			s.uHat[idx] = complex(-ky*imag(psi), ky*real(psi)) // i·ky·ψ̂
			s.vHat[idx] = complex(kx*imag(psi), -kx*real(psi)) // -i·kx·ψ̂
			s.wxHat[idx] = complex(-kx*imag(w), kx*real(w))    // i·kx·ω̂
			s.wyHat[idx] = complex(-ky*imag(w), ky*real(w))    // i·ky·ω̂
		}
	}
}

// product forms u·∂xω + v·∂yω on the grid and tracks the maximum speed.
func (g *Grid) product() AdvectionStats {
	s := &g.adv
	u, v, wx, wy, prod := s.u, s.v, s.wx, s.wy, s.prod
	v, wx, wy, prod = v[:len(u)], wx[:len(u)], wy[:len(u)], prod[:len(u)]

	maxSpeed2 := 0.0
	sum := 0.0
	for i := range u {
		speed2 := u[i]*u[i] + v[i]*v[i]
		if speed2 > maxSpeed2 {
			maxSpeed2 = speed2
		}
		p := u[i]*wx[i] + v[i]*wy[i]
		prod[i] = p
		sum += speed2 + p
	}

	finite := !math.IsNaN(sum) && !math.IsInf(sum, 0)
	return AdvectionStats{MaxSpeed: math.Sqrt(maxSpeed2), Finite: finite}
}
