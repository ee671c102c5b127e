package physfm

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/closure-lab/closure/pkg/flowmatch"
	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// Toy problem: H = c·φ + s·ξ with φ(x, y) = cos(2πx/L), ξ white noise and c = ±1 given by
// the constant condition ω̄ ≡ c. Given ω̄, H is Gaussian, so the exact velocity is known.
const (
	toyN     = 4
	toyNoise = 0.3
)

func toyMode(j int) float64 { return math.Cos(2 * math.Pi * float64(j) / toyN) }

// toyData returns count pairs (ω̄, H) of the toy problem, alternating c = +1 and c = −1.
func toyData(rng *rand.Rand, count int) Data {
	data := Data{N: toyN, OmegaBar: make([]float32, count*toyN*toyN), H: make([]float32, count*toyN*toyN)}
	for s := range count {
		condition := 1.0
		if s%2 == 1 {
			condition = -1
		}
		for i := range toyN {
			for j := range toyN {
				k := s*toyN*toyN + i*toyN + j
				data.OmegaBar[k] = float32(condition)
				data.H[k] = float32(condition*toyMode(j) + toyNoise*rng.NormFloat64())
			}
		}
	}
	return data
}

func toyConfig() Config {
	cfg := DefaultConfig(toyN)
	cfg.FNO.Layers, cfg.FNO.Modes, cfg.FNO.Width = 2, 1, 8
	cfg.FNO.ProjectionHidden, cfg.FNO.TimeEmbedding = 16, 8
	cfg.Steps, cfg.BatchSize, cfg.LearningRate = 400, 32, 3e-3
	return cfg
}

var (
	toyModel   *Model
	toyModelMu sync.Mutex
)

// trainedToy trains the toy model once and caches it for the tests below.
func trainedToy(t *testing.T) *Model {
	t.Helper()
	toyModelMu.Lock()
	defer toyModelMu.Unlock()
	if toyModel != nil {
		return toyModel
	}
	model, err := New(toyConfig())
	if err != nil {
		t.Fatal(err)
	}
	history, err := model.Train(toyData(rand.New(rand.NewPCG(3, 4)), 512), nil, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loss %.3f after 1 step, %.3f after %d steps, %v per step", history.Loss[0], history.Loss[len(history.Loss)-1], len(history.Loss), history.StepTime)
	toyModel = model
	return model
}

// TestTrainedVelocityApproachesExactVelocity compares the learned velocity with the exact
// marginal velocity E[x1 − x0 | x_t] of the normalized toy data. Per value, x1 ~ N(μ, v) and
// x0 ~ N(0, 1), so E[x1 − x0 | x_t] = μ + (t·v − (1 − t))/((1 − t)² + t²·v)·(x_t − t·μ).
func TestTrainedVelocityApproachesExactVelocity(t *testing.T) {
	t.Parallel()
	const (
		count = 256
		// Relative L2 error ‖v − v*‖/‖v*‖; an untrained network gives 1.
		velocityTolerance = 0.2
	)
	model := trainedToy(t)
	exec, err := model.newVelocityExec()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, 10))
	data := toyData(rng, count)
	conditions := model.condition.Normalize(data.OmegaBar)
	mean, std := float64(model.field.Mean), float64(model.field.Std)
	variance := toyNoise * toyNoise / (std * std)

	for _, time := range []float64{0.2, 0.5, 0.8} {
		spread := math.Sqrt((1-time)*(1-time) + time*time*variance)
		gain := (time*variance - (1 - time)) / (spread * spread)
		x := make([]float32, len(data.H))
		want := make([]float64, len(data.H))
		for k := range x {
			mu := (float64(data.OmegaBar[k])*toyMode(k%toyN) - mean) / std
			x[k] = float32(time*mu + spread*rng.NormFloat64())
			want[k] = mu + gain*(float64(x[k])-time*mu)
		}
		outputs, err := exec.Exec(tensors.FromFlatDataAndDimensions(x, count, toyN, toyN), float32(time), tensors.FromFlatDataAndDimensions(conditions, count, toyN, toyN))
		if err != nil {
			t.Fatal(err)
		}
		got := tensors.MustCopyFlatData[float32](outputs[0])

		var errorSquare, normSquare float64
		for k := range want {
			errorSquare += (float64(got[k]) - want[k]) * (float64(got[k]) - want[k])
			normSquare += want[k] * want[k]
		}
		relative := math.Sqrt(errorSquare / normSquare)
		t.Logf("t=%.1f: relative error of the velocity %.3f", time, relative)
		if relative > velocityTolerance {
			t.Errorf("t=%g: relative error of the learned velocity is %.3f, want at most %.2f", time, relative, velocityTolerance)
		}
	}
}

// TestTrainedModelSampleMoments samples the toy model for c = ±1 with every solver and checks
// the amplitude of φ in the samples (want c) and the residual standard deviation (want
// toyNoise).
func TestTrainedModelSampleMoments(t *testing.T) {
	t.Parallel()
	const (
		members = 64
		// Statistical standard errors are 0.02 (amplitude) and 0.005 (residual); the rest
		// covers the error of a model trained for 400 steps and of the few solver steps.
		amplitudeTolerance = 0.15
		residualTolerance  = 0.25 // relative
	)
	conditions := make([]float32, 2*toyN*toyN)
	for k := range toyN * toyN {
		conditions[k], conditions[toyN*toyN+k] = 1, -1
	}
	model := trainedToy(t)
	for _, solver := range flowmatch.Solvers {
		samples, err := model.Sample(conditions, members, 8, string(solver), 7)
		if err != nil {
			t.Fatal(err)
		}
		for b, want := range []float64{1, -1} {
			amplitude, residual := toyMoments(samples[b*members*toyN*toyN : (b+1)*members*toyN*toyN])
			t.Logf("%s c=%+.0f: amplitude %.3f, residual std %.3f", solver, want, amplitude, residual)
			if math.Abs(amplitude-want) > amplitudeTolerance {
				t.Errorf("%s c=%g: mean amplitude of φ is %.3f", solver, want, amplitude)
			}
			if math.Abs(residual-toyNoise) > residualTolerance*toyNoise {
				t.Errorf("%s c=%g: residual standard deviation %.3f, want %.2f", solver, want, residual, toyNoise)
			}
		}
	}
}

// toyMoments returns the mean amplitude of φ over the fields and the standard deviation of
// what remains after subtracting amplitude·φ from each field.
func toyMoments(fields []float32) (amplitude, residual float64) {
	count := len(fields) / (toyN * toyN)
	var norm float64
	for j := range toyN {
		norm += toyN * toyMode(j) * toyMode(j)
	}
	var square float64
	for s := range count {
		field := fields[s*toyN*toyN : (s+1)*toyN*toyN]
		var projection float64
		for k, value := range field {
			projection += float64(value) * toyMode(k%toyN)
		}
		projection /= norm
		amplitude += projection
		for k, value := range field {
			difference := float64(value) - projection*toyMode(k%toyN)
			square += difference * difference
		}
	}
	return amplitude / float64(count), math.Sqrt(square / float64(len(fields)))
}

func TestSampleDeterministicAndCheckpointRoundTrip(t *testing.T) {
	t.Parallel()
	model := trainedToy(t)
	conditions := toyData(rand.New(rand.NewPCG(5, 6)), 2).OmegaBar
	first, err := model.Sample(conditions, 3, 1, string(flowmatch.Euler), 11)
	if err != nil {
		t.Fatal(err)
	}
	second, _ := model.Sample(conditions, 3, 1, string(flowmatch.Euler), 11)
	other, _ := model.Sample(conditions, 3, 1, string(flowmatch.Euler), 12)
	if !slices.Equal(first, second) {
		t.Error("two Sample calls with seed 11 differ")
	}
	if slices.Equal(first, other) {
		t.Error("Sample with seeds 11 and 12 gives identical samples")
	}
	if len(first) != 2*3*toyN*toyN {
		t.Errorf("Sample returned %d values, want [2, 3, %d, %d]", len(first), toyN, toyN)
	}

	path := filepath.Join(t.TempDir(), "physfm.ckpt")
	if err := model.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	restored, err := loaded.Sample(conditions, 3, 1, string(flowmatch.Euler), 11)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first, restored) {
		t.Error("samples of the loaded model differ from those of the saved model")
	}
}

func TestLoadRejectsOtherModel(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "other.ckpt")
	model, err := New(toyConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := train.Save(path, model.ctx, train.Header{Model: "diffusion", Version: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "diffusion") {
		t.Errorf("Load of a diffusion checkpoint returned %v, want an error naming the stored model", err)
	}
	if err := os.WriteFile(path, []byte("not a checkpoint"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil {
		t.Error("Load accepted a file that is not a checkpoint")
	}
}

func TestSampleRejectsInvalidArguments(t *testing.T) {
	t.Parallel()
	model, err := New(toyConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := model.Sample(make([]float32, toyN*toyN), 1, 1, "", 1); err == nil {
		t.Error("an untrained model sampled without error")
	}
	model.trained = true
	for _, tc := range []struct {
		name     string
		length   int
		members  int
		solver   string
		contains string
	}{
		{"partial field", toyN*toyN + 1, 1, "", "whole number"},
		{"no members", toyN * toyN, 0, "", "members"},
		{"unknown solver", toyN * toyN, 1, "dopri5", "solver"},
	} {
		_, err := model.Sample(make([]float32, tc.length), tc.members, 2, tc.solver, 1)
		if err == nil || !strings.Contains(err.Error(), tc.contains) {
			t.Errorf("%s: Sample returned %v, want an error about %q", tc.name, err, tc.contains)
		}
	}
}

func TestTrainRejectsMismatchedData(t *testing.T) {
	t.Parallel()
	model, err := New(toyConfig())
	if err != nil {
		t.Fatal(err)
	}
	data := toyData(rand.New(rand.NewPCG(1, 1)), 4)
	data.OmegaBar = data.OmegaBar[:len(data.OmegaBar)-1]
	if _, err := model.Train(data, nil, TrainOptions{Steps: 1}); err == nil {
		t.Error("Train accepted OmegaBar shorter than H")
	}
	wrongGrid := toyData(rand.New(rand.NewPCG(1, 1)), 4)
	wrongGrid.N = 8
	if _, err := model.Train(wrongGrid, nil, TrainOptions{Steps: 1}); err == nil {
		t.Error("Train accepted data with N=8 for a model with N=4")
	}
}

func TestTrainReportsValidationAndProgress(t *testing.T) {
	t.Parallel()
	model, err := New(toyConfig())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(21, 22))
	data, validation := toyData(rng, 64), toyData(rng, 32)
	var stages []string
	history, err := model.Train(data, &validation, TrainOptions{Steps: 2, ValidationEvery: 1, Progress: func(stage string, _ train.Progress) {
		stages = append(stages, stage)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(history.ValidationLoss) != 2 {
		t.Errorf("%d validation losses after 2 steps with ValidationEvery=1, want 2", len(history.ValidationLoss))
	}
	if !slices.Equal(stages, []string{"flow matching", "flow matching"}) {
		t.Errorf("Progress saw stages %q, want two calls with \"flow matching\"", stages)
	}
}
