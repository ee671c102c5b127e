package latentfm

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// conditionalToyConfig is toyConfig with the conditional decoder and a one-dimensional
// latent. The toy closure has two random coefficients, s (fixed by ω̄) and ε (independent of
// ω̄), so a one-dimensional unconditional code of H cannot hold both, while a conditional
// decoder needs the latent only for ε.
func conditionalToyConfig() Config {
	cfg := toyConfig()
	cfg.ConditionalDecoder = true
	cfg.Autoencoder.Latent = 1
	return cfg
}

// trainedConditionalToyModel trains one conditional model shared by the tests of this file.
var trainedConditionalToyModel = sync.OnceValues(func() (*Model, error) {
	cfg := conditionalToyConfig()
	if testing.Short() {
		cfg.FMSteps = 800
		cfg.ReflowSteps = 400
	}
	model, err := New(cfg)
	if err != nil {
		return nil, err
	}
	validation := toyData(256, 2)
	_, err = model.Train(toyData(2048, 1), &validation, TrainOptions{})
	return model, err
})

func TestConditionalDecoderMatchesToyConditional(t *testing.T) {
	t.Parallel()
	const (
		members = 400
		// The tolerances of the unconditional model's toy tests (see
		// TestSampleMatchesToyConditional): sampling error of 400 members plus model error.
		meanTolerance   = 0.15
		spreadTolerance = 0.12
		maxSinSpread    = 0.15
	)
	model, err := trainedConditionalToyModel()
	if err != nil {
		t.Fatal(err)
	}

	conditions := []float64{-0.8, 0, 0.6}
	for _, run := range []struct {
		flow   Flow
		steps  int
		solver string
	}{{FlowTeacher, 10, "rk4"}, {FlowStudent, 1, "euler"}} {
		sinMean, sinStd, cosMean, cosStd := toyStatistics(t, model, run.flow, conditions, members, run.steps, run.solver)
		for b, s := range conditions {
			t.Logf("%s, %d %s steps, s=%+.1f: sin(y) %.3f ± %.3f (want %.3f ± 0), cos(x+y) %.3f ± %.3f (want 0 ± %.2f)", run.flow, run.steps, run.solver, s, sinMean[b], sinStd[b], 2*s, cosMean[b], cosStd[b], toyNoise)
			if math.Abs(sinMean[b]-2*s) > meanTolerance {
				t.Errorf("%s, s=%g: mean sin(y) coefficient %.3f, want %.3f ± %g", run.flow, s, sinMean[b], 2*s, meanTolerance)
			}
			if sinStd[b] > maxSinSpread {
				t.Errorf("%s, s=%g: sin(y) coefficient spread %.3f, want below %g", run.flow, s, sinStd[b], maxSinSpread)
			}
			if math.Abs(cosMean[b]) > meanTolerance {
				t.Errorf("%s, s=%g: mean cos(x+y) coefficient %.3f, want 0 ± %g", run.flow, s, cosMean[b], meanTolerance)
			}
			if math.Abs(cosStd[b]-toyNoise) > spreadTolerance {
				t.Errorf("%s, s=%g: cos(x+y) coefficient spread %.3f, want %g ± %g", run.flow, s, cosStd[b], toyNoise, spreadTolerance)
			}
		}
	}
}

// TestConditionalDecoderReconstructs compares the stage-1 reconstruction error of the
// unconditional, conditional-decoder and conditional encoder-and-decoder autoencoders with a
// one-dimensional latent on the toy problem.
func TestConditionalDecoderReconstructs(t *testing.T) {
	t.Parallel()
	const (
		// A conditional decoder reconstructs both coefficients from (z, ω̄).
		maxConditionalError = 0.15
		// An unconditional one-dimensional code loses one of the two coefficients: if it keeps
		// the larger one, 2s with variance 4/3, the error is at least
		// sqrt(0.25/(4/3 + 0.25)) ≈ 0.40 of the fluctuation norm.
		minUnconditionalError = 0.3
	)
	errors := map[string]float64{}
	for _, variant := range []struct {
		name             string
		decoder, encoder bool
	}{{"unconditional", false, false}, {"conditional decoder", true, false}, {"conditional encoder and decoder", true, true}} {
		cfg := smallToyConfig()
		cfg.Autoencoder.Latent = 1
		cfg.FMSteps = 20
		cfg.ConditionalDecoder, cfg.ConditionalEncoder = variant.decoder, variant.encoder
		model, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		validation := toyData(256, 2)
		history, err := model.Train(toyData(1024, 1), &validation, TrainOptions{})
		if err != nil {
			t.Fatalf("%s: %v", variant.name, err)
		}
		errors[variant.name] = history.ReconstructionError
		t.Logf("%s: relative reconstruction error %.3f", variant.name, history.ReconstructionError)
	}

	if got := errors["unconditional"]; got < minUnconditionalError {
		t.Errorf("unconditional 1-d autoencoder: reconstruction error %.3f, want at least %g (the toy check cannot tell the variants apart)", got, minUnconditionalError)
	}
	for _, name := range []string{"conditional decoder", "conditional encoder and decoder"} {
		if got := errors[name]; got > maxConditionalError {
			t.Errorf("%s: reconstruction error %.3f, want below %g", name, got, maxConditionalError)
		}
	}
}

func TestConditionalSaveLoadSamplesIdentically(t *testing.T) {
	t.Parallel()
	model, err := trainedConditionalToyModel()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "conditional.ckpt")
	if err := model.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !loaded.Config().ConditionalDecoder {
		t.Fatal("the loaded model lost Config.ConditionalDecoder")
	}

	omegaBar := toyCondition(0.3, -1)
	want, err := model.Sample(omegaBar, 4, 1, "euler", 11)
	if err != nil {
		t.Fatal(err)
	}
	got, err := loaded.Sample(omegaBar, 4, 1, "euler", 11)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Error("the loaded conditional model samples differently from the saved one")
	}
}

func TestLoadReadsVersionTwo(t *testing.T) {
	t.Parallel()
	model, err := trainedToyModel()
	if err != nil {
		t.Fatal(err)
	}
	encoded, err := json.Marshal(state{Config: model.config, HNormalization: model.ae.Normalization, OmegaNormalization: model.condition, Latent: model.latent, Trained: model.trained, Student: model.student})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "v2.ckpt")
	if err := train.Save(path, model.ctx, train.Header{Model: checkpointModel, Version: checkpointVersionUnconditional, Config: encoded}); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatalf("Load of a version-2 (unconditional) checkpoint: %v", err)
	}

	omegaBar := toyCondition(-0.4, 0.2)
	want, err := model.Sample(omegaBar, 3, 1, "euler", 5)
	if err != nil {
		t.Fatal(err)
	}
	got, err := loaded.Sample(omegaBar, 3, 1, "euler", 5)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Error("the model loaded from a version-2 checkpoint samples differently")
	}
}

func TestShiftFeaturesMatchesGridShift(t *testing.T) {
	t.Parallel()
	const (
		n, modes = 8, 3
		// float32 rounding of the DFT and of the rotation.
		tolerance = 1e-5
		dy, dx    = 3, 5
	)
	backend, err := nn.NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 4))
	field := make([]float32, n*n)
	for k := range field {
		field[k] = float32(rng.NormFloat64())
	}
	shifted := make([]float32, n*n) // shifted(i, j) = field(i − dy, j − dx), periodic
	for i := range n {
		for j := range n {
			shifted[i*n+j] = field[((i-dy+n)%n)*n+(j-dx+n)%n]
		}
	}
	want, err := nn.ProjectToModes(backend, shifted, 1, n, modes)
	if err != nil {
		t.Fatal(err)
	}
	features, err := nn.ProjectToModes(backend, field, 1, n, modes)
	if err != nil {
		t.Fatal(err)
	}

	got := graph.MustExecOnce(backend, func(features, dyNode, dxNode *graph.Node) *graph.Node {
		return shiftFeatures(features, dyNode, dxNode, modes, n)
	}, tensors.FromFlatDataAndDimensions(features, 1, len(features)), [][]float32{{dy}}, [][]float32{{dx}})
	values := tensors.MustCopyFlatData[float32](got)
	for p := range want {
		if math.Abs(float64(values[p]-want[p])) > tolerance {
			t.Errorf("feature %d (%+v): shiftFeatures %.6f, DFT of the shifted field %.6f", p, nn.Modes(modes)[p], values[p], want[p])
		}
	}
}
