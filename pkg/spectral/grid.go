package spectral

import (
	"fmt"
	"math"
)

// Grid holds the spectral operators of an N x N periodic grid of side L,
// computed once by NewGrid: physical wavenumbers, |k|², the inverse
// Laplacian and the 2/3-rule mask, all in the half-spectrum layout of the
// package doc. It also owns the FFT plan and the scratch of Advection, so a
// Grid is not safe for concurrent use.
type Grid struct {
	N  int     // grid points per side, a power of two >= 4
	L  float64 // side of the periodic square
	NK int     // N/2 + 1, the length of a half-spectrum row

	// Cutoff is the largest |kx| and |ky| index kept by the 2/3 rule,
	// floor(N/3).
	Cutoff int

	// Kx[c] and Ky[r] are the physical wavenumbers (2π/L)·kx and (2π/L)·ky of
	// half-spectrum column c and row r. The Nyquist row has ky = -N/2 and
	// the Nyquist column kx = N/2.
	Kx, Ky []float64

	// K2 is |k|² = Kx² + Ky² per half-spectrum entry; InvK2 is 1/|k|², with
	// InvK2 = 0 at k = 0 so that the inverse Laplacian drops the mean.
	K2, InvK2 []float64

	// Dealias is 1 where the 2/3 rule keeps a mode and 0 elsewhere.
	Dealias []float64

	FFT *FFT2 // the real 2D FFT of this grid

	adv advectionScratch
}

// NewGrid builds the operators of an N x N grid of side L whose transforms run
// on `workers` goroutines. It returns an error if N is not a power of two >=
// 4, L is not positive and finite, or workers < 1.
func NewGrid(n int, l float64, workers int) (*Grid, error) {
	if !(l > 0) || math.IsInf(l, 0) {
		return nil, fmt.Errorf("spectral: domain size L=%g must be positive and finite; use e.g. 2π", l)
	}
	fft, err := NewFFT2(n, workers)
	if err != nil {
		return nil, err
	}

	g := &Grid{N: n, L: l, NK: n/2 + 1, Cutoff: n / 3, FFT: fft}
	g.buildWavenumbers()
	g.buildOperators()
	g.adv = newAdvectionScratch(n)
	return g, nil
}

// KyIndex returns the integer y wavenumber of half-spectrum row r: r for
// r < N/2, r - N otherwise.
func (g *Grid) KyIndex(r int) int {
	if r < g.N/2 {
		return r
	}
	return r - g.N
}

func (g *Grid) buildWavenumbers() {
	unit := 2 * math.Pi / g.L
	g.Kx = make([]float64, g.NK)
	for c := range g.Kx {
		g.Kx[c] = unit * float64(c)
	}
	g.Ky = make([]float64, g.N)
	for r := range g.Ky {
		g.Ky[r] = unit * float64(g.KyIndex(r))
	}
}

func (g *Grid) buildOperators() {
	size := g.N * g.NK
	g.K2 = make([]float64, size)
	g.InvK2 = make([]float64, size)
	g.Dealias = make([]float64, size)

	for r := 0; r < g.N; r++ {
		ky := g.KyIndex(r)
		for c := 0; c < g.NK; c++ {
			idx := r*g.NK + c
			k2 := g.Kx[c]*g.Kx[c] + g.Ky[r]*g.Ky[r]
			g.K2[idx] = k2
			if k2 > 0 {
				g.InvK2[idx] = 1 / k2
			}
			if c <= g.Cutoff && abs(ky) <= g.Cutoff {
				g.Dealias[idx] = 1
			}
		}
	}
}

// Size returns the length N*N of a physical field on this grid.
func (g *Grid) Size() int { return g.N * g.N }

// SpectralSize returns the length N*(N/2+1) of a half spectrum on this grid.
func (g *Grid) SpectralSize() int { return g.N * g.NK }

// Forward stores the unnormalized half spectrum of the physical field src in
// dst (all columns). It panics on wrong lengths.
func (g *Grid) Forward(dst []complex128, src []float64) { g.FFT.Forward(dst, src, g.N/2) }

// Inverse stores in dst the physical field of the half spectrum src, dividing
// by N². It panics on wrong lengths.
func (g *Grid) Inverse(dst []float64, src []complex128) { g.FFT.Inverse(dst, src, g.N/2) }

// ApplyDealias zeroes the modes of the half spectrum f that the 2/3 rule
// removes.
func (g *Grid) ApplyDealias(f []complex128) {
	for i, m := range g.Dealias {
		if m == 0 {
			f[i] = 0
		}
	}
}

// ZeroNyquist zeroes the Nyquist row (ky = -N/2) and column (kx = N/2) of the
// half spectrum f, whose sign is ambiguous on an even grid.
func (g *Grid) ZeroNyquist(f []complex128) {
	nk := g.NK
	for r := 0; r < g.N; r++ {
		f[r*nk+g.N/2] = 0
	}
	clear(f[(g.N/2)*nk : (g.N/2+1)*nk])
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}
