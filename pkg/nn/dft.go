package nn

import (
	"fmt"
	"math"
	"sync"

	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// Mode is one real feature of a truncated 2D real DFT: the real or imaginary part of the
// Fourier coefficient with wavenumbers (KY, KX), KY along rows (y) and KX along columns (x).
type Mode struct {
	KY, KX int
	Imag   bool
}

// Modes lists the real features kept by a truncated DFT with maximum wavenumber m, in the
// order used by ToModes and FromModes. Only one of each conjugate pair ±k is kept:
//
//   - KX = 0, KY = 0: real part only (the mean);
//   - KX = 0, KY = 1..m: real and imaginary parts;
//   - KX = 1..m, KY = -m..m: real and imaginary parts.
//
// There are (2m+1)² features, the real dimension of the band-limited fields with
// |kx|, |ky| ≤ m. It panics if m is negative.
func Modes(m int) []Mode {
	if m < 0 {
		panic(fmt.Sprintf("nn.Modes: m=%d must be non-negative", m))
	}

	modes := []Mode{{KY: 0, KX: 0}}
	for ky := 1; ky <= m; ky++ {
		modes = append(modes, Mode{KY: ky}, Mode{KY: ky, Imag: true})
	}
	for kx := 1; kx <= m; kx++ {
		for ky := -m; ky <= m; ky++ {
			modes = append(modes, Mode{KY: ky, KX: kx}, Mode{KY: ky, KX: kx, Imag: true})
		}
	}
	return modes
}

// NumModeFeatures returns (2m+1)², the number of real features of Modes(m).
func NumModeFeatures(m int) int { return (2*m + 1) * (2*m + 1) }

// DFTMatrices holds the constant matrices of a truncated real 2D DFT on an N x N grid.
//
// Forward is [N*N, P] (P = NumModeFeatures(M)): the features of a field x are
// Re X_k = (1/N²) Σ_ij x_ij cos θ and Im X_k = -(1/N²) Σ_ij x_ij sin θ with
// θ = 2π(KY·i + KX·j)/N, i.e. the coefficients of numpy-style fft2(x)/N².
// The 1/N² normalization makes the features independent of the resolution N.
//
// Inverse is [P, N*N] and synthesizes x_ij = X_0 + Σ_{k kept, k≠0} 2(Re X_k cos θ − Im X_k sin θ),
// so Inverse∘Forward is the orthogonal projection onto the band |kx|, |ky| ≤ M, exact when
// N ≥ 2M+1 (all kept wavenumbers lie strictly below the Nyquist wavenumber N/2).
type DFTMatrices struct {
	N, M             int
	Forward, Inverse []float32
}

var dftCache sync.Map // key [2]int{n, m} -> *DFTMatrices

// NewDFTMatrices returns the truncated DFT matrices for an n x n grid keeping |k| ≤ m. The
// result is cached and shared, so callers must not modify it. It returns an error unless
// m ≥ 0 and n ≥ 2m+1.
func NewDFTMatrices(n, m int) (*DFTMatrices, error) {
	if m < 0 || n < 2*m+1 {
		return nil, fmt.Errorf("nn: a truncated DFT keeping |k| <= %d needs grid size n >= %d, got n=%d; lower the number of modes or raise n", m, 2*m+1, n)
	}
	if cached, ok := dftCache.Load([2]int{n, m}); ok {
		return cached.(*DFTMatrices), nil
	}

	modes := Modes(m)
	numModes := len(modes)
	d := &DFTMatrices{N: n, M: m, Forward: make([]float32, n*n*numModes), Inverse: make([]float32, numModes*n*n)}
	invArea := 1 / float64(n*n)
	for p, mode := range modes {
		weight := 2.0
		if mode.KX == 0 && mode.KY == 0 {
			weight = 1
		}
		for i := range n {
			for j := range n {
				phase := ((mode.KY*i+mode.KX*j)%n + n) % n // exact integer phase, avoids large angles
				theta := 2 * math.Pi * float64(phase) / float64(n)
				basis := math.Cos(theta)
				if mode.Imag {
					basis = -math.Sin(theta)
				}
				d.Forward[(i*n+j)*numModes+p] = float32(basis * invArea)
				d.Inverse[p*n*n+i*n+j] = float32(weight * basis)
			}
		}
	}

	dftCache.Store([2]int{n, m}, d)
	return d, nil
}

// ToModes returns the truncated DFT features of fields x of shape [B, N, N] as [B, P] with
// P = NumModeFeatures(m), in the order of Modes(m). N is read from x, so a layer built for
// one m evaluates at any N ≥ 2m+1. It panics (GoMLX graph-building convention) if x is not
// [B, N, N] or N < 2m+1.
func ToModes(x *Node, m int) *Node {
	if x.Rank() != 3 || x.Shape().Dimensions[1] != x.Shape().Dimensions[2] {
		panic(fmt.Sprintf("nn.ToModes: fields must have shape [B, N, N], got %s", x.Shape()))
	}
	n := x.Shape().Dimensions[1]
	d, err := NewDFTMatrices(n, m)
	if err != nil {
		panic(err)
	}

	forward := Reshape(Const(x.Graph(), d.Forward), n*n, NumModeFeatures(m))
	flat := Reshape(x, -1, n*n)
	return FastDot(flat, ConvertDType(forward, x.DType()))
}

// FromModes synthesizes fields of shape [B, n, n] from features c of shape [B, P] in the
// order of Modes(m). It inverts ToModes on band-limited fields. It panics if c's last axis is
// not NumModeFeatures(m) or n < 2m+1.
func FromModes(c *Node, m, n int) *Node {
	numModes := NumModeFeatures(m)
	if c.Rank() != 2 || c.Shape().Dimensions[1] != numModes {
		panic(fmt.Sprintf("nn.FromModes: features must have shape [B, %d] for m=%d, got %s", numModes, m, c.Shape()))
	}
	d, err := NewDFTMatrices(n, m)
	if err != nil {
		panic(err)
	}

	inverse := Reshape(Const(c.Graph(), d.Inverse), numModes, n*n)
	flat := FastDot(c, ConvertDType(inverse, c.DType()))
	return Reshape(flat, -1, n, n)
}

// ModeWeights returns the Parseval weights of Modes(m): 1 for the mean and 2 for every other
// feature, so that for a field x with features c, mean_ij x_ij² = Σ_p w_p c_p² + (energy of x
// outside |k| ≤ m). A mean squared error on the grid can thus be computed on the features.
func ModeWeights(m int) []float32 {
	weights := make([]float32, NumModeFeatures(m))
	for p := range weights {
		weights[p] = 2
	}
	weights[0] = 1
	return weights
}

// projectBatch is the number of fields per graph execution in ProjectToModes.
const projectBatch = 512

// ProjectToModes returns the truncated DFT features [count, NumModeFeatures(m)] of count
// fields [count, n, n], computed with the backend in batches (the same values as ToModes).
// It returns an error when the length does not match or n < 2m+1.
func ProjectToModes(backend backends.Backend, fields []float32, count, n, m int) ([]float32, error) {
	if count < 1 || len(fields) != count*n*n {
		return nil, fmt.Errorf("nn.ProjectToModes: %d values do not hold %d fields of %dx%d", len(fields), count, n, n)
	}
	if _, err := NewDFTMatrices(n, m); err != nil {
		return nil, err
	}
	exec, err := NewExec(backend, func(x *Node) *Node { return ToModes(x, m) })
	if err != nil {
		return nil, fmt.Errorf("nn.ProjectToModes: building the graph failed: %w", err)
	}
	defer exec.Finalize()

	features := make([]float32, 0, count*NumModeFeatures(m))
	for start := 0; start < count; start += projectBatch {
		size := min(projectBatch, count-start)
		input := tensors.FromFlatDataAndDimensions(fields[start*n*n:(start+size)*n*n], size, n, n)
		output, err := exec.Exec1(input)
		if err != nil {
			return nil, fmt.Errorf("nn.ProjectToModes: %w", err)
		}
		features = append(features, tensors.MustCopyFlatData[float32](output)...)
	}
	return features, nil
}
