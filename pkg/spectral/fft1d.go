package spectral

import (
	"math"
	"math/bits"
)

// complexFFT is a precomputed plan for the in-place complex FFT of length n,
// a power of two. It holds no scratch, so one plan serves many goroutines.
//
// The transform is the iterative decimation-in-time Cooley–Tukey algorithm
// (J. W. Cooley, J. W. Tukey, "An algorithm for the machine calculation of
// complex Fourier series", Math. Comp. 19, 1965) after a bit-reversal
// permutation. Consecutive radix-2 stages of half-sizes h and 2h are fused
// into one radix-4 pass with three twiddle multiplications per four points.
// The first pass (h = 1, 2) needs no multiplications, and a final radix-2
// stage is added when log2(n) is odd.
type complexFFT struct {
	n     int
	swaps []int32 // pairs (a, b) of the bit-reversal permutation, a < b

	// forward4 stores, for each fused pass h = 4, 16, ... with 4h <= n, the
	// triplets (W_2h^j, W_4h^j, W_4h^3j), j < h, with W_m = exp(-2πi/m);
	// inverse4 stores their complex conjugates.
	forward4, inverse4 []complex128

	// forward2 and inverse2 store the twiddles W_n^j, j < n/2, of the final
	// radix-2 stage (empty when log2(n) is even).
	forward2, inverse2 []complex128
}

func newComplexFFT(n int) *complexFFT {
	p := &complexFFT{n: n}
	logn := bits.TrailingZeros(uint(n))

	for i := 0; i < n; i++ {
		r := int(bits.Reverse(uint(i)) >> (bits.UintSize - logn))
		if i < r {
			p.swaps = append(p.swaps, int32(i), int32(r))
		}
	}

	h := 4
	for ; 4*h <= n; h *= 4 {
		for j := 0; j < h; j++ {
			for _, m := range [3]struct{ num, den int }{{j, 2 * h}, {j, 4 * h}, {3 * j, 4 * h}} {
				w := twiddle(m.num, m.den)
				p.forward4 = append(p.forward4, w)
				p.inverse4 = append(p.inverse4, complex(real(w), -imag(w)))
			}
		}
	}
	if n >= 4 && 2*h == n {
		for j := 0; j < h; j++ {
			w := twiddle(j, n)
			p.forward2 = append(p.forward2, w)
			p.inverse2 = append(p.inverse2, complex(real(w), -imag(w)))
		}
	}
	return p
}

// twiddle returns exp(-2πi num/den).
func twiddle(num, den int) complex128 {
	s, c := math.Sincos(-2 * math.Pi * float64(num) / float64(den))
	return complex(c, s)
}

// transform replaces x (length n) by its unnormalized DFT,
// X(k) = Σ_j x(j) exp(∓2πi jk/n), with the minus sign unless inverse is set.
func (p *complexFFT) transform(x []complex128, inverse bool) {
	n := p.n
	x = x[:n]
	if n == 1 {
		return
	}

	swaps := p.swaps
	for s := 0; s+1 < len(swaps); s += 2 {
		a, b := swaps[s], swaps[s+1]
		x[a], x[b] = x[b], x[a]
	}

	if n == 2 {
		x[0], x[1] = x[0]+x[1], x[0]-x[1]
		return
	}

	radix4First(x, inverse)

	tw4, tw2 := p.forward4, p.forward2
	if inverse {
		tw4, tw2 = p.inverse4, p.inverse2
	}
	h := 4
	for off := 0; 4*h <= n; h *= 4 {
		radix4Pass(x, tw4[off:off+3*h], h, inverse)
		off += 3 * h
	}
	if len(tw2) > 0 {
		radix2Pass(x, tw2, h)
	}
}

// radix4Pass applies the radix-2 stages of half-sizes h and 2h in one pass.
// With T1 = W_2h^j·b, T2 = W_4h^j·c, T3 = W_4h^3j·d for the four points
// a, b, c, d at offsets j, j+h, j+2h, j+3h of each block of 4h:
//
//	a ← (a + T1) + (T2 + T3)    c ← (a + T1) − (T2 + T3)
//	b ← (a − T1) ∓ i(T2 − T3)   d ← (a − T1) ± i(T2 − T3)
//
// with the upper signs for the forward transform.
func radix4Pass(x, tw []complex128, h int, inverse bool) {
	n := len(x)
	for s := 0; s < n; s += 4 * h {
		qa := x[s : s+h]
		qb := x[s+h : s+2*h]
		qc := x[s+2*h : s+3*h]
		qd := x[s+3*h : s+4*h]
		for j := range qa {
			w := tw[3*j : 3*j+3 : 3*j+3]
			a := qa[j]
			t1 := w[0] * qb[j]
			t2 := w[1] * qc[j]
			t3 := w[2] * qd[j]

			s01, d01 := a+t1, a-t1
			s23, d23 := t2+t3, t2-t3
			// r = ∓i·(T2 − T3)
			r := complex(imag(d23), -real(d23))
			if inverse {
				r = -r
			}

			qa[j] = s01 + s23
			qc[j] = s01 - s23
			qb[j] = d01 + r
			qd[j] = d01 - r
		}
	}
}

// radix2Pass applies the radix-2 stage of half-size h with twiddles tw.
func radix2Pass(x, tw []complex128, h int) {
	n := len(x)
	for s := 0; s < n; s += 2 * h {
		a := x[s : s+h]
		b := x[s+h : s+2*h]
		for j := range a {
			t := tw[j] * b[j]
			b[j] = a[j] - t
			a[j] += t
		}
	}
}

// radix4First applies the radix-2 stages of half-size 1 and 2 to bit-reversed
// data in one pass over blocks of four.
func radix4First(x []complex128, inverse bool) {
	for s := 0; s+3 < len(x); s += 4 {
		q := x[s : s+4 : s+4]
		a0, a1 := q[0]+q[1], q[0]-q[1]
		b0, b1 := q[2]+q[3], q[2]-q[3]

		// The stage of half-size 2 multiplies b1 by exp(∓iπ/2) = ∓i.
		var tb1 complex128
		if inverse {
			tb1 = complex(-imag(b1), real(b1))
		} else {
			tb1 = complex(imag(b1), -real(b1))
		}

		q[0], q[2] = a0+b0, a0-b0
		q[1], q[3] = a1+tb1, a1-tb1
	}
}
