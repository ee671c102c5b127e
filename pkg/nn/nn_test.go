package nn

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"gonum.org/v1/gonum/dsp/fourier"
)

var testBackend = sync.OnceValue(func() backends.Backend {
	backend, err := NewBackend()
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
func fft2(field []float32, n int) []complex128 {
	plan := fourier.NewCmplxFFT(n)
	out := make([]complex128, n*n)
	row := make([]complex128, n)
	for i := range n {
		for j := range n {
			row[j] = complex(float64(field[i*n+j]), 0)
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

func TestToModesMatchesGonumFFT(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-5 // float32 sums of N² terms of size 1/N²
	for _, tc := range []struct{ n, m int }{{16, 5}, {11, 5}, {32, 8}} {
		rng := rand.New(rand.NewPCG(1, uint64(tc.n)))
		batch := 3
		fields := randomFloats(rng, batch*tc.n*tc.n)

		got := MustExecOnce(testBackend(), func(x *Node) *Node { return ToModes(x, tc.m) },
			tensors.FromFlatDataAndDimensions(fields, batch, tc.n, tc.n))
		features := tensors.MustCopyFlatData[float32](got)

		modes := Modes(tc.m)
		for b := range batch {
			spectrum := fft2(fields[b*tc.n*tc.n:(b+1)*tc.n*tc.n], tc.n)
			for p, mode := range modes {
				ky := (mode.KY + tc.n) % tc.n
				coefficient := spectrum[ky*tc.n+mode.KX] / complex(float64(tc.n*tc.n), 0)
				want := real(coefficient)
				if mode.Imag {
					want = imag(coefficient)
				}
				if diff := math.Abs(float64(features[b*len(modes)+p]) - want); diff > tolerance {
					t.Fatalf("n=%d m=%d batch %d mode %+v: got %g, gonum FFT gives %g", tc.n, tc.m, b, mode, features[b*len(modes)+p], want)
				}
			}
		}
	}
}

// bandLimitedField evaluates a fixed sum of Fourier modes with |k| <= 3 on an n x n grid.
func bandLimitedField(n int) []float32 {
	field := make([]float32, n*n)
	for i := range n {
		for j := range n {
			x, y := 2*math.Pi*float64(j)/float64(n), 2*math.Pi*float64(i)/float64(n)
			value := 0.7 + math.Cos(x) - 0.5*math.Sin(2*y) + 0.3*math.Cos(3*x-2*y) + 0.2*math.Sin(x+3*y)
			field[i*n+j] = float32(value)
		}
	}
	return field
}

func TestFromModesRoundTripAndResolution(t *testing.T) {
	t.Parallel()
	const (
		m         = 3
		tolerance = 2e-5
	)
	var reference []float32
	for _, n := range []int{7, 16, 32} {
		field := bandLimitedField(n)
		outputs := MustExecOnceN(testBackend(), func(x *Node) (*Node, *Node) {
			features := ToModes(x, m)
			return features, FromModes(features, m, n)
		}, tensors.FromFlatDataAndDimensions(field, 1, n, n))
		features := tensors.MustCopyFlatData[float32](outputs[0])
		roundTrip := tensors.MustCopyFlatData[float32](outputs[1])

		for k := range field {
			if diff := math.Abs(float64(roundTrip[k] - field[k])); diff > tolerance {
				t.Fatalf("n=%d: FromModes(ToModes(x))[%d]=%g, want %g", n, k, roundTrip[k], field[k])
			}
		}
		if reference == nil {
			reference = features
			continue
		}
		for p := range features {
			if diff := math.Abs(float64(features[p] - reference[p])); diff > tolerance {
				t.Fatalf("n=%d: feature %d = %g differs from the n=7 value %g", n, p, features[p], reference[p])
			}
		}
	}
}

func TestNewDFTMatricesRejectsCoarseGrid(t *testing.T) {
	t.Parallel()
	if _, err := NewDFTMatrices(8, 4); err == nil {
		t.Fatal("NewDFTMatrices(8, 4) returned no error; n=8 < 2*4+1 must be rejected")
	}
}

func TestFastDotEqualsDot(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-4
	rng := rand.New(rand.NewPCG(2, 3))
	x := tensors.FromFlatDataAndDimensions(randomFloats(rng, 5*2*7), 5, 2, 7)
	w := tensors.FromFlatDataAndDimensions(randomFloats(rng, 7*4), 7, 4)
	weights := tensors.FromFlatDataAndDimensions(randomFloats(rng, 5*2*4), 5, 2, 4)

	run := func(dot func(x, w *Node) *Node) [][]float32 {
		outputs := MustExecOnceN(testBackend(), func(x, w, weights *Node) []*Node {
			y := dot(x, w)
			loss := ReduceAllSum(Mul(Tanh(y), weights))
			grads := Gradient(loss, x, w)
			return []*Node{y, grads[0], grads[1]}
		}, x, w, weights)
		values := make([][]float32, len(outputs))
		for k, output := range outputs {
			values[k] = tensors.MustCopyFlatData[float32](output)
		}
		return values
	}
	fast := run(FastDot)
	plain := run(func(x, w *Node) *Node { return Einsum("abk,km->abm", x, w) })

	for k, name := range []string{"value", "dL/dx", "dL/dw"} {
		for i := range fast[k] {
			if diff := math.Abs(float64(fast[k][i] - plain[k][i])); diff > tolerance {
				t.Fatalf("%s[%d]: FastDot gives %g, Einsum gives %g", name, i, fast[k][i], plain[k][i])
			}
		}
	}
}

func TestFastEinsumEqualsEinsum(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-4
	rng := rand.New(rand.NewPCG(8, 9))
	x := tensors.FromFlatDataAndDimensions(randomFloats(rng, 3*2*4*5), 3, 2, 4, 5)
	w := tensors.FromFlatDataAndDimensions(randomFloats(rng, 4*2*5*3*6), 4, 2, 5, 3, 6)
	const equation = "brmi,mriso->bsmo"
	run := func(fast bool) [][]float32 {
		outputs := MustExecOnceN(testBackend(), func(x, w *Node) []*Node {
			var y *Node
			if fast {
				y = FastEinsum(equation, x, w, true)
			} else {
				y = Einsum(equation, x, w)
			}
			loss := ReduceAllSum(Square(Sin(y)))
			return append([]*Node{y}, Gradient(loss, x, w)...)
		}, x, w)
		values := make([][]float32, len(outputs))
		for k, output := range outputs {
			values[k] = tensors.MustCopyFlatData[float32](output)
		}
		return values
	}
	fast, plain := run(true), run(false)

	for k, name := range []string{"value", "dL/dx", "dL/dw"} {
		for i := range fast[k] {
			if diff := math.Abs(float64(fast[k][i] - plain[k][i])); diff > tolerance*math.Max(1, math.Abs(float64(plain[k][i]))) {
				t.Fatalf("%s[%d]: FastEinsum returns %g, Einsum %g", name, i, fast[k][i], plain[k][i])
			}
		}
	}
}

func TestDenseGradientFiniteDifferences(t *testing.T) {
	t.Parallel()
	const (
		step      = 1e-2 // float32: central differences with h=1e-2 have error O(h²) ≈ 1e-4
		tolerance = 2e-3 // relative to max(1, |gradient|)
	)
	rng := rand.New(rand.NewPCG(4, 5))
	inputs := randomFloats(rng, 6*3)
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(7))

	lossFn := func(ctx *context.Context, x *Node) *Node {
		y := MLP(ctx, x, []int{5, 2}, ActivationGELU)
		return ReduceAllSum(Square(y))
	}
	exec := context.MustNewExec(testBackend(), ctx, func(ctx *context.Context, x *Node) []*Node {
		loss := lossFn(ctx, x)
		return append([]*Node{loss}, Gradient(loss, x)...)
	})
	evaluate := func(values []float32) (float64, []float32) {
		outputs := exec.MustExec(tensors.FromFlatDataAndDimensions(values, 6, 3))
		return float64(tensors.MustCopyFlatData[float32](outputs[0])[0]), tensors.MustCopyFlatData[float32](outputs[1])
	}

	_, gradient := evaluate(inputs)
	for k := range inputs {
		plus := append([]float32{}, inputs...)
		minus := append([]float32{}, inputs...)
		plus[k] += step
		minus[k] -= step
		lossPlus, _ := evaluate(plus)
		lossMinus, _ := evaluate(minus)
		numeric := (lossPlus - lossMinus) / (2 * step)
		scale := math.Max(1, math.Abs(numeric))
		if diff := math.Abs(numeric - float64(gradient[k])); diff > tolerance*scale {
			t.Errorf("input %d: autodiff gradient %g, finite difference %g", k, gradient[k], numeric)
		}
	}
}

func TestTimeEmbeddingValues(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-5
	got := tensors.MustCopyFlatData[float32](MustExecOnce(testBackend(),
		func(t *Node) *Node { return TimeEmbedding(t, 4, 10) }, []float32{0.25}))
	want := []float64{math.Sin(2 * math.Pi * 0.25), math.Sin(2 * math.Pi * 2.5), math.Cos(2 * math.Pi * 0.25), math.Cos(2 * math.Pi * 2.5)}
	for k := range want {
		if math.Abs(float64(got[k])-want[k]) > tolerance {
			t.Errorf("feature %d: got %g, want %g", k, got[k], want[k])
		}
	}
}

// gaussianFourierRun evaluates GaussianFourierEmbedding of dim features at the times ts in a
// new context seeded with seed, and returns the features and the frequencies it drew.
func gaussianFourierRun(t *testing.T, seed int64, dim int, scale float64, ts []float32) (features, frequencies []float32) {
	t.Helper()
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, seed)
	output := context.MustExecOnce(testBackend(), ctx, func(ctx *context.Context, times *Node) *Node {
		return GaussianFourierEmbedding(ctx.In("time"), times, dim, scale)
	}, ts)
	variable := ctx.GetVariableByScopeAndName("/time", GaussianFourierFrequencies)
	if variable == nil {
		t.Fatalf("no variable %q in scope /time", GaussianFourierFrequencies)
	}
	if variable.Trainable {
		t.Errorf("variable %q is trainable; the frequencies must stay fixed", GaussianFourierFrequencies)
	}
	return tensors.MustCopyFlatData[float32](output), tensors.MustCopyFlatData[float32](variable.MustValue())
}

func TestGaussianFourierEmbeddingValues(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-4 // float32 phases up to about 2π·50 (3 standard deviations of f, t < 1)
	times := []float32{0, 0.25, 0.9}
	features, frequencies := gaussianFourierRun(t, 3, 6, 16, times)
	if len(frequencies) != 3 || len(features) != len(times)*6 {
		t.Fatalf("got %d frequencies and %d features, want 3 and %d", len(frequencies), len(features), len(times)*6)
	}
	for i, time := range times {
		for k, f := range frequencies {
			phase := 2 * math.Pi * float64(f) * float64(time)
			for j, want := range []float64{math.Sin(phase), math.Cos(phase)} {
				got := float64(features[i*6+j*3+k])
				if math.Abs(got-want) > tolerance {
					t.Errorf("t=%g, frequency %d (%g), %s: got %g, want %g", time, k, f, []string{"sin", "cos"}[j], got, want)
				}
			}
		}
	}
}

func TestGaussianFourierEmbeddingFrequencies(t *testing.T) {
	t.Parallel()
	const count, scale = 2000, 16.0
	_, frequencies := gaussianFourierRun(t, 5, 2*count, scale, []float32{0.5})
	var sum, squares float64
	for _, f := range frequencies {
		sum += float64(f)
		squares += float64(f) * float64(f)
	}
	mean := sum / count
	std := math.Sqrt(squares/count - mean*mean)
	// Standard errors: scale/√count = 0.36 for the mean and about scale/√(2·count) = 0.25 for
	// the standard deviation; the bounds are 4 and 6 standard errors.
	if math.Abs(mean) > 1.43 {
		t.Errorf("%d frequencies have mean %.3f, want 0 within 1.43", count, mean)
	}
	if math.Abs(std-scale) > 1.6 {
		t.Errorf("%d frequencies have standard deviation %.3f, want %g within 1.6", count, std, scale)
	}

	_, again := gaussianFourierRun(t, 5, 2*count, scale, []float32{0.5})
	_, other := gaussianFourierRun(t, 6, 2*count, scale, []float32{0.5})
	if !slices.Equal(again, frequencies) {
		t.Error("two contexts with seed 5 draw different frequencies")
	}
	if slices.Equal(other, frequencies) {
		t.Error("contexts with seeds 5 and 6 draw the same frequencies")
	}
}

func TestModeWeightsParseval(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-4
	n, m := 16, 3
	field := bandLimitedField(n)
	features, err := ProjectToModes(testBackend(), field, 1, n, m)
	if err != nil {
		t.Fatal(err)
	}
	var gridEnergy, modeEnergy float64
	for _, value := range field {
		gridEnergy += float64(value) * float64(value) / float64(n*n)
	}
	for p, weight := range ModeWeights(m) {
		modeEnergy += float64(weight) * float64(features[p]) * float64(features[p])
	}
	if math.Abs(gridEnergy-modeEnergy) > tolerance {
		t.Errorf("mean square on the grid %g, weighted mode energy %g: Parseval fails", gridEnergy, modeEnergy)
	}
}
