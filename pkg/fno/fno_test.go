package fno

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/closure-lab/closure/pkg/nn"
	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"gonum.org/v1/gonum/dsp/fourier"
)

var testBackend = sync.OnceValue(func() backends.Backend {
	backend, err := nn.NewBackend()
	if err != nil {
		panic(err)
	}
	return backend
})

func randomFloats(rng *rand.Rand, n int) []float32 {
	values := make([]float32, n)
	for i := range values {
		values[i] = float32(rng.NormFloat64())
	}
	return values
}

// fft2 returns the unnormalized 2D DFT of a real n x n row-major field, computed with gonum.
func fft2(field []float64, n int) []complex128 {
	plan := fourier.NewCmplxFFT(n)
	out := make([]complex128, n*n)
	row := make([]complex128, n)
	for i := range n {
		for j := range n {
			row[j] = complex(field[i*n+j], 0)
		}
		copy(out[i*n:], plan.Coefficients(nil, row))
	}
	column := make([]complex128, n)
	for j := range n {
		for i := range n {
			column[i] = out[i*n+j]
		}
		coefficients := plan.Coefficients(nil, column)
		for i := range n {
			out[i*n+j] = coefficients[i]
		}
	}
	return out
}

// channel extracts channel c of example b of a [B, n, n, C] array as float64.
func channel(values []float32, b, c, n, channels int) []float64 {
	field := make([]float64, n*n)
	for p := range field {
		field[p] = float64(values[(b*n*n+p)*channels+c])
	}
	return field
}

// directSpectralConvolution computes the SpectralConvolution formula with gonum's FFT and an
// explicit synthesis sum.
func directSpectralConvolution(x, wReal, wImag []float32, batch, n, cin, cout, m int) []float32 {
	out := make([]float32, batch*n*n*cout)
	for b := range batch {
		spectra := make([][]complex128, cin)
		for c := range cin {
			spectra[c] = fft2(channel(x, b, c, n, cin), n)
		}
		for o := range cout {
			for ky := -m; ky <= m; ky++ {
				for kx := 0; kx <= m; kx++ {
					mode := (ky+m)*(m+1) + kx
					var y complex128
					for c := range cin {
						w := complex(float64(wReal[(mode*cin+c)*cout+o]), float64(wImag[(mode*cin+c)*cout+o]))
						y += spectra[c][((ky+n)%n)*n+kx] / complex(float64(n*n), 0) * w
					}
					weight := 2.0
					if kx == 0 {
						weight = 1
					}
					for i := range n {
						for j := range n {
							theta := 2 * math.Pi * float64(ky*i+kx*j) / float64(n)
							out[((b*n+i)*n+j)*cout+o] += float32(weight * real(y*cmplx.Exp(complex(0, theta))))
						}
					}
				}
			}
		}
	}
	return out
}

func TestSpectralConvolutionMatchesGonumFFT(t *testing.T) {
	t.Parallel()
	const tolerance = 2e-4 // float32 sums; outputs are of order 1
	const batch, n, cin, cout, m = 2, 12, 3, 2, 4
	rng := rand.New(rand.NewPCG(1, 2))
	x := randomFloats(rng, batch*n*n*cin)
	wReal := randomFloats(rng, NumSpectralModes(m)*cin*cout)
	wImag := randomFloats(rng, NumSpectralModes(m)*cin*cout)

	got := tensors.MustCopyFlatData[float32](MustExecOnce(testBackend(), func(x, wReal, wImag *Node) *Node {
		return SpectralConvolution(x, wReal, wImag, m)
	}, tensors.FromFlatDataAndDimensions(x, batch, n, n, cin),
		tensors.FromFlatDataAndDimensions(wReal, NumSpectralModes(m), cin, cout),
		tensors.FromFlatDataAndDimensions(wImag, NumSpectralModes(m), cin, cout)))
	want := directSpectralConvolution(x, wReal, wImag, batch, n, cin, cout, m)

	for k := range want {
		if diff := math.Abs(float64(got[k] - want[k])); diff > tolerance {
			t.Fatalf("output %d: SpectralConvolution gives %g, gonum FFT gives %g", k, got[k], want[k])
		}
	}
}

// bandLimited evaluates a fixed trigonometric polynomial with |k| ≤ 3 in channel c on an
// n x n grid, as [1, n, n, channels].
func bandLimited(n, channels int) []float32 {
	values := make([]float32, n*n*channels)
	for i := range n {
		for j := range n {
			x, y := 2*math.Pi*float64(j)/float64(n), 2*math.Pi*float64(i)/float64(n)
			for c := range channels {
				phase := float64(c)
				value := 0.3 + math.Cos(x+phase) - 0.5*math.Sin(2*y) + 0.4*math.Cos(3*x-2*y+phase) + 0.2*math.Sin(x+3*y)
				values[(i*n+j)*channels+c] = float32(value)
			}
		}
	}
	return values
}

// spectralInterpolation evaluates the trigonometric interpolant of the n x n field at the
// points of a fine x fine grid, from gonum FFT coefficients (all wavenumbers |k| < n/2; the
// Nyquist row and column must be zero, as for band-limited fields).
func spectralInterpolation(field []float64, n, fine int) []float64 {
	spectrum := fft2(field, n)
	out := make([]float64, fine*fine)
	for i := range fine {
		for j := range fine {
			var sum complex128
			for a := range n {
				for b := range n {
					ky, kx := a, b
					if ky > n/2 {
						ky -= n
					}
					if kx > n/2 {
						kx -= n
					}
					theta := 2 * math.Pi * float64(ky*i+kx*j) / float64(fine)
					sum += spectrum[a*n+b] * cmplx.Exp(complex(0, theta))
				}
			}
			out[i*fine+j] = real(sum) / float64(n*n)
		}
	}
	return out
}

func TestSpectralConvolutionResolutionTransfer(t *testing.T) {
	t.Parallel()
	const tolerance = 2e-4
	const coarse, fine, cin, cout, m = 32, 64, 2, 2, 5
	rng := rand.New(rand.NewPCG(3, 4))
	wReal := tensors.FromFlatDataAndDimensions(randomFloats(rng, NumSpectralModes(m)*cin*cout), NumSpectralModes(m), cin, cout)
	wImag := tensors.FromFlatDataAndDimensions(randomFloats(rng, NumSpectralModes(m)*cin*cout), NumSpectralModes(m), cin, cout)
	convolve := func(n int) []float32 {
		return tensors.MustCopyFlatData[float32](MustExecOnce(testBackend(), func(x, wReal, wImag *Node) *Node {
			return SpectralConvolution(x, wReal, wImag, m)
		}, tensors.FromFlatDataAndDimensions(bandLimited(n, cin), 1, n, n, cin), wReal, wImag))
	}
	coarseOut, fineOut := convolve(coarse), convolve(fine)

	for o := range cout {
		want := spectralInterpolation(channel(coarseOut, 0, o, coarse, cout), coarse, fine)
		got := channel(fineOut, 0, o, fine, cout)
		for k := range want {
			if diff := math.Abs(got[k] - want[k]); diff > tolerance {
				t.Fatalf("channel %d point %d: %dx%d output %g, spectral interpolation of the %dx%d output %g", o, k, fine, fine, got[k], coarse, coarse, want[k])
			}
		}
	}
}

func TestFourierLayerResolutionTransfer(t *testing.T) {
	t.Parallel()
	const tolerance = 2e-4
	const coarse, fine, m = 32, 64, 4
	cfg := DefaultConfig(coarse)
	cfg.Modes, cfg.Width, cfg.Layers, cfg.ProjectionHidden = m, 4, 1, 8
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(5))
	exec := context.MustNewExec(testBackend(), ctx, func(ctx *context.Context, x, t *Node) *Node {
		return cfg.Apply(ctx, x, t, 2)
	})
	evaluate := func(n int) []float32 {
		return tensors.MustCopyFlatData[float32](exec.MustExec(tensors.FromFlatDataAndDimensions(bandLimited(n, 2), 1, n, n, 2), []float32{0.3})[0])
	}
	evaluate(coarse) // creates the variables
	randomizeVariables(t, ctx, 5)
	coarseOut, fineOut := evaluate(coarse), evaluate(fine)
	if largest := slices.Max(coarseOut); !(largest > 0.1) {
		t.Fatalf("largest output %g: the randomized layer should give outputs of order one", largest)
	}

	// One Fourier layer maps a band-limited input to a band-limited spectral part, and the
	// pointwise steps commute with sampling, so the fine output at even indices equals the
	// coarse output.
	for i := range coarse {
		for j := range coarse {
			for c := range 2 {
				got := fineOut[((2*i)*fine+2*j)*2+c]
				want := coarseOut[(i*coarse+j)*2+c]
				if diff := math.Abs(float64(got - want)); diff > tolerance {
					t.Fatalf("point (%d, %d) channel %d: %dx%d output %g, %dx%d output %g", i, j, c, fine, fine, got, coarse, coarse, want)
				}
			}
		}
	}
}

func TestSpectralConvolutionGradientFiniteDifferences(t *testing.T) {
	t.Parallel()
	const (
		step      = 1e-2 // central differences in float32 with h=1e-2 have error O(h²) ≈ 1e-4
		tolerance = 3e-3 // relative to max(1, |gradient|)
	)
	const n, cin, cout, m = 5, 2, 2, 1
	rng := rand.New(rand.NewPCG(6, 7))
	x := randomFloats(rng, n*n*cin)
	wReal := randomFloats(rng, NumSpectralModes(m)*cin*cout)
	wImag := randomFloats(rng, NumSpectralModes(m)*cin*cout)
	probe := randomFloats(rng, n*n*cout)

	exec := MustNewExec(testBackend(), func(x, wReal, wImag, probe *Node) []*Node {
		y := SpectralConvolution(x, wReal, wImag, m)
		loss := ReduceAllSum(Mul(Tanh(y), probe))
		return append([]*Node{loss}, Gradient(loss, x, wReal, wImag)...)
	})
	inputs := [][]float32{x, wReal, wImag}
	dims := [][]int{{1, n, n, cin}, {NumSpectralModes(m), cin, cout}, {NumSpectralModes(m), cin, cout}}
	evaluate := func(values [][]float32) []*tensors.Tensor {
		return exec.MustExec(tensors.FromFlatDataAndDimensions(values[0], dims[0]...),
			tensors.FromFlatDataAndDimensions(values[1], dims[1]...),
			tensors.FromFlatDataAndDimensions(values[2], dims[2]...),
			tensors.FromFlatDataAndDimensions(probe, 1, n, n, cout))
	}
	outputs := evaluate(inputs)

	for which, name := range []string{"x", "weights_real", "weights_imag"} {
		gradient := tensors.MustCopyFlatData[float32](outputs[which+1])
		for k := range inputs[which] {
			shifted := func(delta float32) float64 {
				values := [][]float32{x, wReal, wImag}
				values[which] = append([]float32{}, inputs[which]...)
				values[which][k] += delta
				return float64(tensors.MustCopyFlatData[float32](evaluate(values)[0])[0])
			}
			numeric := (shifted(step) - shifted(-step)) / (2 * step)
			if diff := math.Abs(numeric - float64(gradient[k])); diff > tolerance*math.Max(1, math.Abs(numeric)) {
				t.Errorf("d loss/d %s[%d]: autodiff %g, finite difference %g", name, k, gradient[k], numeric)
			}
		}
	}
}

func TestApplyShapeAndTimeDependence(t *testing.T) {
	t.Parallel()
	const n = 12
	cfg := DefaultConfig(n)
	cfg.Width, cfg.Layers = 6, 2
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(11))
	exec := context.MustNewExec(testBackend(), ctx, func(ctx *context.Context, x, t *Node) *Node {
		return cfg.Apply(ctx, x, t, 1)
	})
	x := tensors.FromFlatDataAndDimensions(bandLimited(n, 2), 1, n, n, 2)
	exec.MustExec(x, []float32{0.1}) // creates the variables
	randomizeVariables(t, ctx, 11)
	early := exec.MustExec(x, []float32{0.1})[0]
	late := tensors.MustCopyFlatData[float32](exec.MustExec(x, []float32{0.9})[0])

	if dims := early.Shape().Dimensions; len(dims) != 4 || dims[0] != 1 || dims[1] != n || dims[2] != n || dims[3] != 1 {
		t.Fatalf("output shape %v, want [1, %d, %d, 1]", dims, n, n)
	}
	var difference float64
	for k, value := range tensors.MustCopyFlatData[float32](early) {
		difference += math.Abs(float64(value - late[k]))
	}
	if difference == 0 {
		t.Error("outputs at t=0.1 and t=0.9 are identical; the time embedding does not reach the output")
	}
}

func TestConfigValidateRejectsTooManyModes(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig(32)
	if err := cfg.Validate(16); err == nil {
		t.Errorf("Validate(16) accepted Modes=%d; N=16 supports at most 7", cfg.Modes)
	}
	if err := cfg.Validate(32); err != nil {
		t.Errorf("DefaultConfig(32) is invalid: %v", err)
	}
}

func TestNormalizationRoundTrip(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-5
	fields := []float32{1, 3, 5, 7}
	normalization := FitNormalization(fields)
	if normalization.Mean != 4 || math.Abs(float64(normalization.Std)-math.Sqrt(5)) > tolerance {
		t.Fatalf("FitNormalization gives %+v, want mean 4 and std √5", normalization)
	}
	normalized := normalization.Normalize(fields)
	normalization.Denormalize(normalized)
	for k := range fields {
		if math.Abs(float64(normalized[k]-fields[k])) > tolerance {
			t.Errorf("value %d: round trip gives %g, want %g", k, normalized[k], fields[k])
		}
	}
}

func TestApplyGradientFiniteDifferences(t *testing.T) {
	t.Parallel()
	const (
		step      = 1e-2 // central differences in float32 with h=1e-2 have error O(h²) ≈ 1e-4
		tolerance = 5e-3 // relative to max(1, |gradient|)
	)
	const n = 5
	cfg := DefaultConfig(n)
	cfg.Modes, cfg.Width, cfg.Layers, cfg.ProjectionHidden, cfg.TimeEmbedding = 1, 3, 2, 4, 4
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(12))
	rng := rand.New(rand.NewPCG(13, 14))
	x := randomFloats(rng, n*n*2)
	probe := tensors.FromFlatDataAndDimensions(randomFloats(rng, n*n), 1, n, n, 1)

	exec := context.MustNewExec(testBackend(), ctx, func(ctx *context.Context, x, t, probe *Node) []*Node {
		loss := ReduceAllSum(Mul(cfg.Apply(ctx, x, t, 1), probe))
		return append([]*Node{loss}, Gradient(loss, x)...)
	})
	evaluate := func(values []float32) []*tensors.Tensor {
		return exec.MustExec(tensors.FromFlatDataAndDimensions(values, 1, n, n, 2), []float32{0.4}, probe)
	}
	evaluate(x) // creates the variables
	randomizeVariables(t, ctx, 12)
	gradient := tensors.MustCopyFlatData[float32](evaluate(x)[1])

	for k := range x {
		shifted := func(delta float32) float64 {
			values := append([]float32{}, x...)
			values[k] += delta
			return float64(tensors.MustCopyFlatData[float32](evaluate(values)[0])[0])
		}
		numeric := (shifted(step) - shifted(-step)) / (2 * step)
		if diff := math.Abs(numeric - float64(gradient[k])); diff > tolerance*math.Max(1, math.Abs(numeric)) {
			t.Errorf("d loss/d input[%d]: autodiff %g, finite difference %g", k, gradient[k], numeric)
		}
	}
}

// randomizeVariables sets every variable of ctx to values from N(0, 0.5²), so tests see a
// network whose zero-initialized layers (FiLM, output) are active.
func randomizeVariables(t *testing.T, ctx *context.Context, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	for v := range ctx.IterVariables() {
		values := randomFloats(rng, v.Shape().Size())
		for k := range values {
			values[k] *= 0.5
		}
		if err := v.SetValue(tensors.FromFlatDataAndDimensions(values, v.Shape().Dimensions...)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestApplyStartsAtZero(t *testing.T) {
	t.Parallel()
	const n = 8
	cfg := DefaultConfig(n)
	cfg.Width, cfg.Layers = 4, 1
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(15))
	output := tensors.MustCopyFlatData[float32](context.MustExecOnce(testBackend(), ctx, func(ctx *context.Context, x, t *Node) *Node {
		return cfg.Apply(ctx, x, t, 1)
	}, tensors.FromFlatDataAndDimensions(bandLimited(n, 2), 1, n, n, 2), []float32{0.5}))
	for k, value := range output {
		if value != 0 {
			t.Fatalf("untrained output[%d] = %g, want 0 (zero-initialized output layer)", k, value)
		}
	}
}

// TestInferenceGraphMatchesTrainingGraph checks that SetInference changes how the network is
// computed, not what it computes: the output is the same, a gradient taken through an
// inference graph is still correct, and the graph has fewer nodes (no gradient identities).
func TestInferenceGraphMatchesTrainingGraph(t *testing.T) {
	t.Parallel()
	const (
		n         = 9
		tolerance = 1e-4 // relative to max(1, |value|); the gradients sum in another order
	)
	cfg := DefaultConfig(n)
	cfg.Modes, cfg.Width, cfg.Layers, cfg.ProjectionHidden = 3, 5, 2, 8
	rng := rand.New(rand.NewPCG(16, 17))
	x := tensors.FromFlatDataAndDimensions(randomFloats(rng, 2*n*n*2), 2, n, n, 2)
	probe := tensors.FromFlatDataAndDimensions(randomFloats(rng, 2*n*n), 2, n, n, 1)
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(18))

	nodes := map[bool]int{}
	execs := map[bool]*context.Exec{}
	for _, inference := range []bool{false, true} {
		scope := ctx
		if inference {
			scope = ctx.Reuse()
		}
		execs[inference] = context.MustNewExec(testBackend(), scope, func(ctx *context.Context, x, t, probe *Node) []*Node {
			if inference {
				SetInference(ctx, x.Graph())
			}
			y := cfg.Apply(ctx, x, t, 1)
			loss := ReduceAllSum(Mul(y, probe))
			nodes[inference] = len(x.Graph().Nodes())
			return append([]*Node{y}, Gradient(loss, x)...)
		})
	}
	run := func(inference bool) [][]float32 {
		outputs := execs[inference].MustExec(x, []float32{0.3, 0.8}, probe)
		values := make([][]float32, len(outputs))
		for k, output := range outputs {
			values[k] = tensors.MustCopyFlatData[float32](output)
		}
		return values
	}
	run(false) // creates the variables
	randomizeVariables(t, ctx, 19)
	training, inference := run(false), run(true)

	for k, name := range []string{"output", "d loss/d input"} {
		for i := range training[k] {
			want, got := float64(training[k][i]), float64(inference[k][i])
			if math.Abs(got-want) > tolerance*math.Max(1, math.Abs(want)) {
				t.Fatalf("%s[%d]: inference graph gives %g, training graph %g", name, i, got, want)
			}
		}
	}
	if nodes[true] >= nodes[false] {
		t.Errorf("inference graph has %d nodes, training graph %d; SetInference should drop the identities of nn.FastEinsum", nodes[true], nodes[false])
	}
}
