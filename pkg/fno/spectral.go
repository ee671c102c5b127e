package fno

import (
	"fmt"
	"math"
	"sync"

	"github.com/closure-lab/closure/pkg/nn"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/initializers"
)

// NumSpectralModes returns (2m+1)(m+1), the number of complex Fourier modes a spectral
// convolution with maximum wavenumber m keeps: kx = 0..m along x (columns) and ky = −m..m
// along y (rows).
func NumSpectralModes(m int) int { return (2*m + 1) * (m + 1) }

// spectralMatrices holds the constant factors of the separable truncated real DFT on an n x n
// grid keeping |kx|, |ky| ≤ m. Axis r or s is 0 for the real and 1 for the imaginary part,
// q = ky + m indexes ky = −m..m and k indexes kx = 0..m.
type spectralMatrices struct {
	forwardX []float32 // [n (x), 2 (r), m+1 (k)]: cos(θx)/n and −sin(θx)/n
	forwardY []float32 // [n (y), 2 (r), 2 (s), 2m+1 (q)]: multiplication by e^{−iθy}/n
	inverseY []float32 // [2 (s), 2m+1 (q), 2 (r), n (y)]: multiplication by e^{+iθy}
	inverseX []float32 // [2 (r), m+1 (k), n (x)]: c_k·cos(θx) and −c_k·sin(θx), c_0 = 1, c_k = 2
}

var spectralCache sync.Map // key [2]int{n, m} -> *spectralMatrices

// newSpectralMatrices returns the cached matrices for an n x n grid, or an error unless
// m ≥ 1 and n ≥ 2m+1.
func newSpectralMatrices(n, m int) (*spectralMatrices, error) {
	if m < 1 || n < 2*m+1 {
		return nil, fmt.Errorf("fno: a spectral convolution keeping |k| <= %d needs grid size n >= %d, got n=%d; lower Modes or raise n", m, 2*m+1, n)
	}
	if cached, ok := spectralCache.Load([2]int{n, m}); ok {
		return cached.(*spectralMatrices), nil
	}

	q := 2*m + 1
	s := &spectralMatrices{
		forwardX: make([]float32, n*2*(m+1)),
		forwardY: make([]float32, n*4*q),
		inverseY: make([]float32, 4*q*n),
		inverseX: make([]float32, 2*(m+1)*n),
	}
	invN := 1 / float64(n)
	angle := func(k, index int) (float64, float64) {
		phase := ((k*index)%n + n) % n // exact integer phase avoids large angles
		theta := 2 * math.Pi * float64(phase) / float64(n)
		return math.Cos(theta), math.Sin(theta)
	}

	for j := range n {
		for k := 0; k <= m; k++ {
			cos, sin := angle(k, j)
			weight := 2.0
			if k == 0 {
				weight = 1
			}
			s.forwardX[(j*2+0)*(m+1)+k] = float32(cos * invN)
			s.forwardX[(j*2+1)*(m+1)+k] = float32(-sin * invN)
			s.inverseX[(0*(m+1)+k)*n+j] = float32(weight * cos)
			s.inverseX[(1*(m+1)+k)*n+j] = float32(-weight * sin)
		}
	}

	// forwardY maps A (index r) to X = A·e^{−iθ}/n (index s); inverseY maps Y (index s) to
	// A' = Y·e^{+iθ} (index r).
	for i := range n {
		for index := range q {
			cos, sin := angle(index-m, i)
			forward := [2][2]float64{{cos, -sin}, {sin, cos}} // [r][s]
			inverse := [2][2]float64{{cos, sin}, {-sin, cos}} // [s][r]
			for a := range 2 {
				for b := range 2 {
					s.forwardY[((i*2+a)*2+b)*q+index] = float32(forward[a][b] * invN)
					s.inverseY[((a*q+index)*2+b)*n+i] = float32(inverse[a][b])
				}
			}
		}
	}

	spectralCache.Store([2]int{n, m}, s)
	return s, nil
}

// SpectralConvolution applies the Fourier integral operator of Li et al. to x [B, N, N, Cin]
// (channels last) with complex weights given as real and imaginary parts wReal, wImag, each
// of shape [NumSpectralModes(m), Cin, Cout], mode index (ky+m)·(m+1) + kx. It returns
// [B, N, N, Cout]:
//
//	X_c(ky, kx)  = (1/N²) Σ_ij x_ijc e^{−2πi(ky·i + kx·j)/N}
//	Y_o(ky, kx)  = Σ_c X_c(ky, kx) W_{(ky,kx),c,o}
//	y_ijo        = Σ_{kx=0..m} Σ_{ky=−m..m} c_kx Re(Y_o(ky, kx) e^{+2πi(ky·i + kx·j)/N})
//
// with c_0 = 1 and c_kx = 2 otherwise. With W the identity it is the orthogonal projection
// onto |kx|, |ky| ≤ m. The transforms are separable: a real DFT along x, then a complex DFT
// along y, each a product with a constant cos/sin matrix (Einsum), so no FFT operation is
// needed. Because of the 1/N² normalization, the same weights give the same continuous
// operator at every resolution N ≥ 2m+1.
//
// Reference: Z. Li et al., "Fourier neural operator for parametric partial differential
// equations" (ICLR 2021).
//
// It panics (GoMLX graph-building convention) on mismatched shapes or N < 2m+1.
func SpectralConvolution(x, wReal, wImag *Node, m int) *Node {
	return spectralConvolution(x, wReal, wImag, m, nn.FastEinsum)
}

// spectralConvolution is SpectralConvolution with its products computed by einsum.
func spectralConvolution(x, wReal, wImag *Node, m int, einsum einsumFunc) *Node {
	if x.Rank() != 4 || x.Shape().Dimensions[1] != x.Shape().Dimensions[2] {
		panic(fmt.Sprintf("fno.SpectralConvolution: x must have shape [B, N, N, C], got %s", x.Shape()))
	}
	n, cin := x.Shape().Dimensions[1], x.Shape().Dimensions[3]
	modes := NumSpectralModes(m)
	if wReal.Rank() != 3 || wReal.Shape().Dimensions[0] != modes || wReal.Shape().Dimensions[1] != cin || !wReal.Shape().Equal(wImag.Shape()) {
		panic(fmt.Sprintf("fno.SpectralConvolution: weights must both have shape [%d, %d, Cout] for m=%d and %d input channels, got %s and %s", modes, cin, m, cin, wReal.Shape(), wImag.Shape()))
	}
	matrices, err := newSpectralMatrices(n, m)
	if err != nil {
		panic(err)
	}
	g, dtype := x.Graph(), x.DType()
	constant := func(values []float32, dims ...int) *Node {
		return ConvertDType(Reshape(Const(g, values), dims...), dtype)
	}
	q, kx := 2*m+1, m+1
	cout := wReal.Shape().Dimensions[2]

	// Forward transform: real DFT along x, then complex DFT along y.
	a := einsum("byxc,xrk->byrkc", x, constant(matrices.forwardX, n, 2, kx), false)
	spectrum := einsum("byrkc,yrsq->bsqkc", a, constant(matrices.forwardY, n, 2, 2, q), false)

	// Complex multiplication as one real Einsum with the 2x2 block [[Re, Im], [−Im, Re]].
	rowReal := Stack([]*Node{wReal, wImag}, 2)      // r = real: [modes, Cin, s, Cout]
	rowImag := Stack([]*Node{Neg(wImag), wReal}, 2) // r = imaginary
	block := Stack([]*Node{rowReal, rowImag}, 1)    // [modes, r, Cin, s, Cout]
	spectrum = Reshape(spectrum, -1, 2, modes, cin) // [B, r, modes, Cin]
	mixed := einsum("brmi,mriso->bsmo", spectrum, block, true)
	mixed = Reshape(mixed, -1, 2, q, kx, cout)

	// Inverse transform: complex synthesis along y, then real synthesis along x.
	a = einsum("bsqkc,sqry->byrkc", mixed, constant(matrices.inverseY, 2, q, 2, n), false)
	return einsum("byrkc,rkx->byxc", a, constant(matrices.inverseX, 2, kx, n), false)
}

// spectralLayer applies SpectralConvolution with weights "weights_real" and "weights_imag"
// created in ctx. Each is initialized from N(0, 1/(2·Cin)), so a complex weight has mean
// square 1/Cin and the layer roughly preserves the variance of band-limited inputs.
func spectralLayer(ctx *context.Context, x *Node, m, cout int) *Node {
	cin := x.Shape().Dimensions[3]
	shape := shapes.Make(x.DType(), NumSpectralModes(m), cin, cout)
	init := ctx.WithInitializer(initializers.RandomNormalFn(ctx, math.Sqrt(1/(2*float64(cin)))))
	wReal := init.VariableWithShape("weights_real", shape).ValueGraph(x.Graph())
	wImag := init.VariableWithShape("weights_imag", shape).ValueGraph(x.Graph())
	return spectralConvolution(x, wReal, wImag, m, einsumFor(ctx, x.Graph()))
}
