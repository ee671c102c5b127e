package spectral

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"
)

// fftTol bounds the error relative to the field's largest value for the
// round trip and for the comparison with the naive DFT (float64 round-off
// grows like log N).
const fftTol = 1e-12

func randomField(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	f := make([]float64, n*n)
	for i := range f {
		f[i] = rng.NormFloat64()
	}
	return f
}

// naiveHalfSpectrum evaluates the 2D DFT sum directly on the half spectrum.
func naiveHalfSpectrum(f []float64, n int) []complex128 {
	nk := n/2 + 1
	out := make([]complex128, n*nk)
	for r := 0; r < n; r++ {
		for c := 0; c < nk; c++ {
			var s complex128
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					phase := -2 * math.Pi * float64(r*i+c*j) / float64(n)
					s += complex(f[i*n+j], 0) * cmplx.Exp(complex(0, phase))
				}
			}
			out[r*nk+c] = s
		}
	}
	return out
}

func TestFFT2AgainstNaiveDFT(t *testing.T) {
	t.Parallel()
	for _, n := range []int{4, 8, 16} {
		for _, workers := range []int{1, 3} {
			f := randomField(n, 7)
			p, err := NewFFT2(n, workers)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]complex128, n*(n/2+1))
			p.Forward(got, f, n/2)
			want := naiveHalfSpectrum(f, n)

			scale := float64(n * n)
			for i := range want {
				if d := cmplx.Abs(got[i] - want[i]); d > fftTol*scale {
					t.Fatalf("N=%d workers=%d entry %d: got %v, want %v", n, workers, i, got[i], want[i])
				}
			}
		}
	}
}

func TestFFT2RoundTrip(t *testing.T) {
	t.Parallel()
	for _, n := range []int{4, 8, 32, 128} {
		f := randomField(n, 11)
		p, err := NewFFT2(n, 2)
		if err != nil {
			t.Fatal(err)
		}
		spec := make([]complex128, n*(n/2+1))
		back := make([]float64, n*n)
		p.Forward(spec, f, n/2)
		p.Inverse(back, spec, n/2)

		for i := range f {
			if d := math.Abs(back[i] - f[i]); d > fftTol*8 {
				t.Fatalf("N=%d point %d: round trip %g, want %g", n, i, back[i], f[i])
			}
		}
	}
}

// TestFFT2PrunedColumns checks that restricting the transforms to kx <= kxMax
// equals the full transform followed by zeroing the other columns.
func TestFFT2PrunedColumns(t *testing.T) {
	t.Parallel()
	const n, kxMax = 32, 10
	nk := n/2 + 1
	f := randomField(n, 3)
	p, err := NewFFT2(n, 2)
	if err != nil {
		t.Fatal(err)
	}

	full := make([]complex128, n*nk)
	pruned := make([]complex128, n*nk)
	p.Forward(full, f, n/2)
	p.Forward(pruned, f, kxMax)
	for r := 0; r < n; r++ {
		for c := 0; c < nk; c++ {
			want := full[r*nk+c]
			if c > kxMax {
				want = 0
			}
			if cmplx.Abs(pruned[r*nk+c]-want) > fftTol*n*n {
				t.Fatalf("forward (%d,%d): got %v, want %v", r, c, pruned[r*nk+c], want)
			}
		}
	}

	viaPruned := make([]float64, n*n)
	viaFull := make([]float64, n*n)
	p.Inverse(viaPruned, full, kxMax)
	p.Inverse(viaFull, pruned, n/2)
	for i := range viaFull {
		if math.Abs(viaPruned[i]-viaFull[i]) > fftTol*8 {
			t.Fatalf("inverse point %d: pruned %g, full %g", i, viaPruned[i], viaFull[i])
		}
	}
}

func TestNewFFT2RejectsSize(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 2, 6, 100} {
		if _, err := NewFFT2(n, 1); err == nil {
			t.Errorf("NewFFT2(%d): no error for an unsupported size", n)
		}
	}
}

// TestComplexFFTAgainstNaiveDFT covers every pass structure of the 1D
// transform: radix-4 passes only (n = 4, 16, 64, 256) and with a final
// radix-2 stage (n = 2, 8, 32, 128).
func TestComplexFFTAgainstNaiveDFT(t *testing.T) {
	t.Parallel()
	for n := 2; n <= 256; n *= 2 {
		for _, inverse := range []bool{false, true} {
			f := randomField(n, uint64(n))
			x := make([]complex128, n)
			for j := range x {
				x[j] = complex(f[j], f[n+j])
			}
			want := make([]complex128, n)
			sign := -1.0
			if inverse {
				sign = 1
			}
			for k := range want {
				for j, v := range x {
					want[k] += v * cmplx.Exp(complex(0, sign*2*math.Pi*float64(j*k)/float64(n)))
				}
			}

			got := append([]complex128(nil), x...)
			newComplexFFT(n).transform(got, inverse)
			for k := range want {
				if cmplx.Abs(got[k]-want[k]) > fftTol*float64(n) {
					t.Fatalf("n=%d inverse=%v bin %d: got %v, want %v", n, inverse, k, got[k], want[k])
				}
			}
		}
	}
}
