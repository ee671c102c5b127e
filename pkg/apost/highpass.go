package apost

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/spectral"
)

// highPass removes the modes of a physical field on the LES grid whose wavenumber magnitude
// |k| = √(kx² + ky²), in units of 2π/L, is below a cutoff.
type highPass struct {
	grid *spectral.Grid
	keep []bool // per half-spectrum index
	hat  []complex128
}

// newHighPass returns the filter that removes |k| < cutoff on an n x n grid of side length,
// nil for cutoff 0, or an error naming the cutoff when it is negative, not finite, or removes
// every mode of the grid.
func newHighPass(n int, length, cutoff float64) (*highPass, error) {
	if cutoff == 0 {
		return nil, nil
	}
	largest := math.Hypot(float64(n/2), float64(n/2))
	if !(cutoff > 0) || cutoff > largest {
		return nil, fmt.Errorf("MinWavenumber=%g must be in [0, %g], the largest |k| of the %d² LES grid; use 0 to keep every mode", cutoff, largest, n)
	}
	grid, err := spectral.NewGrid(n, length, 1)
	if err != nil {
		return nil, err
	}
	f := &highPass{grid: grid, keep: make([]bool, grid.SpectralSize()), hat: make([]complex128, grid.SpectralSize())}
	for r := range grid.N {
		ky := float64(grid.KyIndex(r))
		for kx := range grid.NK {
			f.keep[r*grid.NK+kx] = math.Hypot(float64(kx), ky) >= cutoff
		}
	}
	return f, nil
}

// apply filters field in place; a nil filter leaves it unchanged.
func (f *highPass) apply(field []float64) {
	if f == nil {
		return
	}
	f.grid.Forward(f.hat, field)
	for i, keep := range f.keep {
		if !keep {
			f.hat[i] = 0
		}
	}
	f.grid.Inverse(field, f.hat)
}
