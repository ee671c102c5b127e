package apost

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/spectral"
)

// bandPass keeps the modes of a physical field on the LES grid whose wavenumber magnitude
// |k| = √(kx² + ky²), in units of 2π/L, lies in [low, high), and removes the others.
type bandPass struct {
	grid *spectral.Grid
	keep []bool // per half-spectrum index
	hat  []complex128
}

// newBandPass returns the filter that keeps low ≤ |k| < high on an n x n grid of side length;
// high = 0 means no upper bound, and it is nil for low = high = 0. It returns an error naming
// the bounds of Learned (MinWavenumber, MaxWavenumber) when one is negative or not finite,
// when low is above every mode of the grid, or when high is not above low.
func newBandPass(n int, length, low, high float64) (*bandPass, error) {
	if low == 0 && high == 0 {
		return nil, nil
	}
	largest := math.Hypot(float64(n/2), float64(n/2))
	switch {
	case !(low >= 0) || low > largest:
		return nil, fmt.Errorf("MinWavenumber=%g must be in [0, %g], the largest |k| of the %d² LES grid; use 0 to keep every mode", low, largest, n)
	case high != 0 && !(high > low):
		return nil, fmt.Errorf("MaxWavenumber=%g must be above MinWavenumber=%g, or 0 for no upper bound", high, low)
	}
	grid, err := spectral.NewGrid(n, length, 1)
	if err != nil {
		return nil, err
	}
	if high == 0 {
		high = math.Inf(1)
	}
	f := &bandPass{grid: grid, keep: make([]bool, grid.SpectralSize()), hat: make([]complex128, grid.SpectralSize())}
	for r := range grid.N {
		ky := float64(grid.KyIndex(r))
		for kx := range grid.NK {
			k := math.Hypot(float64(kx), ky)
			f.keep[r*grid.NK+kx] = k >= low && k < high
		}
	}
	return f, nil
}

// apply filters field in place; a nil filter leaves it unchanged.
func (f *bandPass) apply(field []float64) {
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
