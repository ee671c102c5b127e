package spectral

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// gonumRealFFT2 is the 2D real FFT built from gonum's 1D transforms (rows by
// fourier.FFT, columns by fourier.CmplxFFT), the baseline of BenchmarkFFT2.
type gonumRealFFT2 struct {
	n    int
	row  *fourier.FFT
	col  *fourier.CmplxFFT
	colB []complex128
}

func (g *gonumRealFFT2) forward(dst []complex128, src []float64) {
	n, nk := g.n, g.n/2+1
	for i := 0; i < n; i++ {
		g.row.Coefficients(dst[i*nk:(i+1)*nk], src[i*n:(i+1)*n])
	}
	for c := 0; c < nk; c++ {
		for r := 0; r < n; r++ {
			g.colB[r] = dst[r*nk+c]
		}
		g.col.Coefficients(g.colB, g.colB)
		for r := 0; r < n; r++ {
			dst[r*nk+c] = g.colB[r]
		}
	}
}

// BenchmarkFFT2 compares one forward real 2D transform: this package's FFT2
// (full, and pruned to the 2/3-rule columns, on 1 and 2 workers) against
// gonum v0.17.0 dsp/fourier applied by rows and columns.
func BenchmarkFFT2(b *testing.B) {
	for _, n := range []int{64, 128, 256} {
		src := randomField(n, 1)
		dst := make([]complex128, n*(n/2+1))

		for _, workers := range []int{1, 2} {
			p, _ := NewFFT2(n, workers)
			b.Run(fmt.Sprintf("own/N=%d/workers=%d", n, workers), func(b *testing.B) {
				for b.Loop() {
					p.Forward(dst, src, n/2)
				}
			})
			b.Run(fmt.Sprintf("own-dealiased/N=%d/workers=%d", n, workers), func(b *testing.B) {
				for b.Loop() {
					p.Forward(dst, src, n/3)
				}
			})
		}

		g := &gonumRealFFT2{n: n, row: fourier.NewFFT(n), col: fourier.NewCmplxFFT(n), colB: make([]complex128, n)}
		b.Run(fmt.Sprintf("gonum/N=%d", n), func(b *testing.B) {
			for b.Loop() {
				g.forward(dst, src)
			}
		})
	}
}
