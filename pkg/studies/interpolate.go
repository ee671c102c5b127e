package studies

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/spectral"
)

// Interpolate returns the trigonometric interpolant of the n x n periodic
// field on an m x m grid (m >= n, both powers of two), by zero-padding its
// Fourier coefficients. The Nyquist row and column of the n grid are
// dropped, which leaves fields filtered to the LES grid unchanged because
// package filter already sets them to zero. It returns an error on invalid
// sizes.
func Interpolate(field []float64, n, m int) ([]float64, error) {
	if len(field) != n*n || m < n {
		return nil, fmt.Errorf("studies: cannot interpolate a field of length %d as %d x %d onto %d x %d; need length n*n and m >= n", len(field), n, n, m, m)
	}
	coarse, err := spectral.NewGrid(n, 2*math.Pi, 1)
	if err != nil {
		return nil, err
	}
	fine, err := spectral.NewGrid(m, 2*math.Pi, 1)
	if err != nil {
		return nil, err
	}

	coarseHat := make([]complex128, coarse.SpectralSize())
	coarse.Forward(coarseHat, field)
	coarse.ZeroNyquist(coarseHat)

	scale := complex(float64(m*m)/float64(n*n), 0)
	fineHat := make([]complex128, fine.SpectralSize())
	for r := range n {
		ky := coarse.KyIndex(r)
		rf := (ky + m) % m
		for c := range coarse.NK {
			fineHat[rf*fine.NK+c] = scale * coarseHat[r*coarse.NK+c]
		}
	}

	out := make([]float64, m*m)
	fine.Inverse(out, fineHat)
	return out, nil
}
