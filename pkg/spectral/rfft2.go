package spectral

import (
	"fmt"
	"math/bits"
)

// FFT2 is a plan for the real 2D FFT of an N x N field on up to Workers
// goroutines. Layout and normalization are those of the package doc: the
// forward transform is unnormalized and returns the half spectrum of
// N*(N/2+1) entries, the inverse divides by N².
//
// Rows are transformed two at a time as the real and imaginary parts of one
// complex FFT and then separated by Hermitian symmetry. Columns are gathered
// into contiguous scratch. Both passes can be restricted to the columns kx <=
// kxMax, which the 2/3 rule uses to skip the columns that it zeroes.
// Reference for the two-real-transforms trick: W. H. Press et al.,
// "Numerical Recipes", section "FFT of real functions".
//
// An FFT2 owns scratch and is not safe for concurrent use.
type FFT2 struct {
	N       int // grid points per side, a power of two >= 4
	Workers int // goroutines per transform, >= 1

	nk      int // N/2 + 1, the length of a half-spectrum row
	plan    *complexFFT
	scratch [][]complex128 // one buffer of columnGroup*N values per worker
	work    []complex128   // half-spectrum intermediate of Inverse
}

// NewFFT2 returns a plan for N x N real fields. It returns an error if N is
// not a power of two >= 4 or workers < 1.
func NewFFT2(n, workers int) (*FFT2, error) {
	if n < 4 || bits.OnesCount(uint(n)) != 1 {
		return nil, fmt.Errorf("spectral: grid size N=%d is not supported; use a power of two >= 4 (e.g. %d)", n, nextPow2(n))
	}
	if workers < 1 {
		return nil, fmt.Errorf("spectral: workers=%d must be at least 1; use 1 or runtime.GOMAXPROCS(0)", workers)
	}

	p := &FFT2{N: n, Workers: workers, nk: n/2 + 1, plan: newComplexFFT(n)}
	p.scratch = make([][]complex128, workers)
	for w := range p.scratch {
		p.scratch[w] = make([]complex128, columnGroup*n)
	}
	p.work = make([]complex128, n*p.nk)
	return p, nil
}

func nextPow2(n int) int {
	p := 4
	for p < n {
		p <<= 1
	}
	return p
}

// Forward stores in dst (length N*(N/2+1)) the half spectrum of the real field
// src (length N*N). Only columns kx <= kxMax are computed; the others are set
// to zero. kxMax = N/2 gives the full transform. It panics on wrong lengths.
func (p *FFT2) Forward(dst []complex128, src []float64, kxMax int) {
	n, nk := p.N, p.nk
	checkLengths(len(dst), n*nk, len(src), n*n)
	kxMax = min(kxMax, n/2)

	parallelFor(n/2, p.Workers, func(w, lo, hi int) {
		buf := p.scratch[w][:n]
		for pair := lo; pair < hi; pair++ {
			p.forwardRowPair(dst, src, 2*pair, kxMax, buf)
		}
	})

	p.columns(dst, dst, kxMax, false)

	if kxMax < n/2 {
		for r := 0; r < n; r++ {
			clear(dst[r*nk+kxMax+1 : (r+1)*nk])
		}
	}
}

// forwardRowPair transforms rows i and i+1 of src as z = a + i·b and splits
// A(k) = (Z(k) + conj Z(n-k))/2, B(k) = (Z(k) - conj Z(n-k))/(2i).
func (p *FFT2) forwardRowPair(dst []complex128, src []float64, i, kxMax int, buf []complex128) {
	n, nk := p.N, p.nk
	rowA := src[i*n : (i+1)*n]
	rowB := src[(i+1)*n : (i+2)*n]
	for j := range buf {
		buf[j] = complex(rowA[j], rowB[j])
	}

	p.plan.transform(buf, false)

	outA := dst[i*nk : i*nk+kxMax+1]
	outB := dst[(i+1)*nk : (i+1)*nk+kxMax+1]
	for k := range outA {
		z := buf[k]
		zc := buf[(n-k)&(n-1)]
		sr, si := real(z)+real(zc), imag(z)-imag(zc) // z + conj(zc)
		dr, di := real(z)-real(zc), imag(z)+imag(zc) // z - conj(zc)
		outA[k] = complex(0.5*sr, 0.5*si)
		outB[k] = complex(0.5*di, -0.5*dr)
	}
}

// columnGroup is the number of adjacent columns gathered together, so that
// each cache line of 64 bytes read from a row is used in full.
const columnGroup = 4

// columns transforms columns 0..kxMax of src along y into dst (which may be
// src), in groups of columnGroup adjacent columns per worker.
func (p *FFT2) columns(dst, src []complex128, kxMax int, inverse bool) {
	groups := (kxMax + columnGroup) / columnGroup
	parallelFor(groups, p.Workers, func(w, lo, hi int) {
		bufs := p.scratch[w]
		for gi := lo; gi < hi; gi++ {
			c0 := gi * columnGroup
			width := min(columnGroup, kxMax+1-c0)
			p.columnGroupInPlace(dst, src, c0, width, inverse, bufs)
		}
	})
}

// columnGroupInPlace gathers columns c0..c0+width-1 of src (half-spectrum
// layout), transforms each along y and scatters them into dst.
func (p *FFT2) columnGroupInPlace(dst, src []complex128, c0, width int, inverse bool, bufs []complex128) {
	n, nk := p.N, p.nk
	for r := 0; r < n; r++ {
		row := src[r*nk+c0 : r*nk+c0+width]
		for q, v := range row {
			bufs[q*n+r] = v
		}
	}

	for q := 0; q < width; q++ {
		p.plan.transform(bufs[q*n:(q+1)*n], inverse)
	}

	for r := 0; r < n; r++ {
		row := dst[r*nk+c0 : r*nk+c0+width]
		for q := range row {
			row[q] = bufs[q*n+r]
		}
	}
}

// Inverse stores in dst (length N*N) the real field whose half spectrum is src
// (length N*(N/2+1)), dividing by N². Columns kx > kxMax of src are treated as
// zero and not read; kxMax = N/2 gives the full transform. src is not
// modified. The columns kx = 0 and kx = N/2 must be Hermitian in ky, as the
// half spectrum of a real field is, because only the real part of their
// y-transform is used. It panics on wrong lengths.
func (p *FFT2) Inverse(dst []float64, src []complex128, kxMax int) {
	n := p.N
	checkLengths(len(src), n*p.nk, len(dst), n*n)
	kxMax = min(kxMax, n/2)

	p.columns(p.work, src, kxMax, true)

	scale := 1 / float64(n*n)
	parallelFor(n/2, p.Workers, func(w, lo, hi int) {
		buf := p.scratch[w][:n]
		for pair := lo; pair < hi; pair++ {
			p.inverseRowPair(dst, 2*pair, kxMax, scale, buf)
		}
	})
}

// inverseRowPair rebuilds the full spectra of rows i and i+1 from their half
// spectra A, B as Z = A + i·B, with Z(n-k) = conj A(k) + i·conj B(k), and
// inverse-transforms Z, whose real and imaginary parts are the two rows.
func (p *FFT2) inverseRowPair(dst []float64, i, kxMax int, scale float64, buf []complex128) {
	n, nk := p.N, p.nk
	inA := p.work[i*nk : i*nk+kxMax+1]
	inB := p.work[(i+1)*nk : (i+1)*nk+kxMax+1]
	clear(buf)

	for k := range inA {
		a, b := inA[k], inB[k]
		buf[k] = complex(real(a)-imag(b), imag(a)+real(b))
		if k == 0 || k == n/2 {
			buf[k] = complex(real(a), real(b))
			continue
		}
		buf[n-k] = complex(real(a)+imag(b), real(b)-imag(a))
	}

	p.plan.transform(buf, true)

	rowA := dst[i*n : (i+1)*n]
	rowB := dst[(i+1)*n : (i+2)*n]
	for j, z := range buf {
		rowA[j] = real(z) * scale
		rowB[j] = imag(z) * scale
	}
}

func checkLengths(specLen, wantSpec, physLen, wantPhys int) {
	if specLen != wantSpec || physLen != wantPhys {
		panic(fmt.Sprintf("spectral: FFT2 got spectral length %d and physical length %d; want %d and %d",
			specLen, physLen, wantSpec, wantPhys))
	}
}
