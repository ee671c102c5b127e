package apost

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/spectral"
)

// DefaultSmagorinskyCoefficient is the Smagorinsky constant C_s used when
// Smagorinsky.Coefficient is zero, the value D. K. Lilly derived for
// three-dimensional isotropic turbulence ("The representation of small-scale
// turbulence in numerical simulation experiments", IBM Scientific Computing
// Symposium, 1967).
const DefaultSmagorinskyCoefficient = 0.17

// Smagorinsky is the eddy-viscosity closure for the vorticity equation,
//
//	H = −∇·(ν_t ∇ω̄),   ν_t = (C_s Δ)² |S̄|,   |S̄| = sqrt(2 S̄ij S̄ij),
//
// with S̄ the strain-rate tensor of ū and Δ = L/n the LES grid spacing. The
// LES subtracts H, so the model adds the diffusion +∇·(ν_t ∇ω̄) and
// ∑ ω̄·H = ∑ ν_t |∇ω̄|² ≥ 0. Derivatives are spectral on the LES grid with the
// Nyquist modes set to zero, which makes the discrete gradient and divergence
// adjoint, so that identity holds on the grid too. The product ν_t∇ω̄ is not
// dealiased, for the same reason.
//
// Reference: J. Smagorinsky, "General circulation experiments with the
// primitive equations", Mon. Weather Rev. 91 (1963).
type Smagorinsky struct {
	// Coefficient is C_s; 0 means DefaultSmagorinskyCoefficient.
	Coefficient float64
}

// Name returns "smagorinsky".
func (Smagorinsky) Name() string { return "smagorinsky" }

// UsesDNS returns false.
func (Smagorinsky) UsesDNS() bool { return false }

// Bind validates the coefficient and allocates one scratch grid per member.
func (s Smagorinsky) Bind(env Env) (Binding, error) {
	cs := s.coefficient()
	if !(cs >= 0) || math.IsInf(cs, 0) {
		return nil, fmt.Errorf("apost: Smagorinsky coefficient %g must be non-negative and finite; use 0 for the default %g",
			s.Coefficient, DefaultSmagorinskyCoefficient)
	}

	b := &smagorinskyBinding{models: make([]*SmagorinskyModel, env.Members)}
	for m := range b.models {
		model, err := NewSmagorinskyModel(env.LES.N, env.LES.L, cs)
		if err != nil {
			return nil, err
		}
		b.models[m] = model
	}
	return b, nil
}

func (s Smagorinsky) coefficient() float64 {
	if s.Coefficient == 0 {
		return DefaultSmagorinskyCoefficient
	}
	return s.Coefficient
}

type smagorinskyBinding struct {
	models []*SmagorinskyModel
}

func (b *smagorinskyBinding) Prepare(StepInfo) error { return nil }

func (b *smagorinskyBinding) Term(member, _ int, _ float64, omega, h []float64) error {
	b.models[member].Term(h, omega)
	return nil
}

// SmagorinskyModel evaluates the Smagorinsky term on one n x n grid. It owns
// FFT scratch, so it is not safe for concurrent use.
type SmagorinskyModel struct {
	grid        *spectral.Grid
	coefficient float64
	delta       float64

	omegaHat, aHat, bHat []complex128
	s11, s12, gx, gy     []float64
}

// NewSmagorinskyModel builds the model for an n x n grid of side l with
// coefficient cs (C_s) and filter width Δ = l/n. It returns an error for an
// invalid grid.
func NewSmagorinskyModel(n int, l, cs float64) (*SmagorinskyModel, error) {
	g, err := spectral.NewGrid(n, l, 1)
	if err != nil {
		return nil, fmt.Errorf("apost: Smagorinsky grid: %w", err)
	}
	size := g.Size()
	return &SmagorinskyModel{
		grid: g, coefficient: cs, delta: l / float64(n),
		omegaHat: make([]complex128, g.SpectralSize()),
		aHat:     make([]complex128, g.SpectralSize()),
		bHat:     make([]complex128, g.SpectralSize()),
		s11:      make([]float64, size), s12: make([]float64, size),
		gx: make([]float64, size), gy: make([]float64, size),
	}, nil
}

// Term stores H = −∇·(ν_t ∇ω̄) of the vorticity omega in h (both length
// n*n). It panics on wrong lengths.
func (s *SmagorinskyModel) Term(h, omega []float64) {
	g := s.grid
	g.Forward(s.omegaHat, omega)
	g.ZeroNyquist(s.omegaHat)

	s.strain()
	s.gradient()

	// Flux q = ν_t ∇ω̄ on the grid, with |S̄| = sqrt(2 S̄ij S̄ij) = 2 sqrt(S̄11² + S̄12²)
	// because S̄22 = −S̄11 in incompressible 2D flow.
	scale := math.Pow(s.coefficient*s.delta, 2)
	for i := range s.gx {
		nuT := scale * 2 * math.Hypot(s.s11[i], s.s12[i])
		s.gx[i] *= nuT
		s.gy[i] *= nuT
	}

	s.negativeDivergence(h)
}

// strain stores S̄11 = ∂u/∂x and S̄12 = ½(∂u/∂y + ∂v/∂x) on the grid. With
// ψ̂ = ω̂/|k|², u = ∂ψ/∂y and v = −∂ψ/∂x: Ŝ11 = −kx ky ψ̂ and
// Ŝ12 = ½(kx² − ky²) ψ̂.
func (s *SmagorinskyModel) strain() {
	g := s.grid
	for r := 0; r < g.N; r++ {
		ky := g.Ky[r]
		for c := 0; c < g.NK; c++ {
			idx := r*g.NK + c
			kx := g.Kx[c]
			psi := s.omegaHat[idx] * complex(g.InvK2[idx], 0)
			s.aHat[idx] = complex(-kx*ky, 0) * psi
			s.bHat[idx] = complex(0.5*(kx*kx-ky*ky), 0) * psi
		}
	}
	g.Inverse(s.s11, s.aHat)
	g.Inverse(s.s12, s.bHat)
}

// gradient stores ∂ω̄/∂x and ∂ω̄/∂y on the grid.
func (s *SmagorinskyModel) gradient() {
	g := s.grid
	for r := 0; r < g.N; r++ {
		ky := g.Ky[r]
		for c := 0; c < g.NK; c++ {
			idx := r*g.NK + c
			w := s.omegaHat[idx]
			s.aHat[idx] = complex(0, g.Kx[c]) * w
			s.bHat[idx] = complex(0, ky) * w
		}
	}
	g.Inverse(s.gx, s.aHat)
	g.Inverse(s.gy, s.bHat)
}

// negativeDivergence stores −(∂qx/∂x + ∂qy/∂y) of the flux (gx, gy) in h.
func (s *SmagorinskyModel) negativeDivergence(h []float64) {
	g := s.grid
	g.Forward(s.aHat, s.gx)
	g.Forward(s.bHat, s.gy)
	for r := 0; r < g.N; r++ {
		ky := g.Ky[r]
		for c := 0; c < g.NK; c++ {
			idx := r*g.NK + c
			div := complex(0, g.Kx[c])*s.aHat[idx] + complex(0, ky)*s.bHat[idx]
			s.aHat[idx] = -div
		}
	}
	g.ZeroNyquist(s.aHat)
	g.Inverse(h, s.aHat)
}
