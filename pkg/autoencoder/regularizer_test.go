package autoencoder

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/closure-lab/closure/pkg/geometry"
	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/regularize"
	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// fieldDistances returns the RMS grid distances sqrt(mean_ij (h_a − h_b)²) between count
// fields of size n x n.
func fieldDistances(h []float32, count, n int) [][]float64 {
	size := n * n
	dist := make([][]float64, count)
	for a := range dist {
		dist[a] = make([]float64, count)
	}
	for a := range count {
		for b := a + 1; b < count; b++ {
			var squared float64
			for k := range size {
				difference := float64(h[a*size+k] - h[b*size+k])
				squared += difference * difference
			}
			dist[a][b] = math.Sqrt(squared / float64(size))
			dist[b][a] = dist[a][b]
		}
	}
	return dist
}

// trainFieldModel trains a small field autoencoder on threeModeFields with the regularizer
// spec and returns the quality of the test latents against the RMS field distances, and the
// relative reconstruction error.
func trainFieldModel(t *testing.T, spec regularize.Spec) (geometry.Quality, float64) {
	t.Helper()
	const (
		n         = 16
		testCount = 128
	)
	// Each run takes about a second, so -short keeps the full length: at 300 steps GA has not
	// yet separated from the unregularized model by the margins below.
	const steps = 600
	backend, err := nn.NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(3))
	model, err := New(backend, ctx, Config{N: n, Modes: 3, Latent: 4, Hidden: []int{64}, Activation: nn.ActivationSwish})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	trainFields := threeModeFields(rng, 512, n)
	testFields := threeModeFields(rng, testCount, n)
	cfg := train.Config{Steps: steps, BatchSize: 64, LearningRate: 3e-3, WarmupSteps: 20, Seed: 1}
	if _, err := model.Train(trainFields, testFields, cfg, WithRegularizer(spec)); err != nil {
		t.Fatal(err)
	}

	relativeError, err := model.ReconstructionError(testFields, testCount)
	if err != nil {
		t.Fatal(err)
	}
	latents, err := model.Encode(testFields, testCount)
	if err != nil {
		t.Fatal(err)
	}
	points, err := geometry.FromFloat32(latents, testCount, model.Config.Latent)
	if err != nil {
		t.Fatal(err)
	}
	latentDistances, err := geometry.PairwiseDistances(points)
	if err != nil {
		t.Fatal(err)
	}
	quality, err := geometry.Evaluate(fieldDistances(testFields, testCount, n), latentDistances, 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%q weight %g: %+v, relative reconstruction error %.4f", spec.Kind, spec.Weight, quality, relativeError)
	return quality, relativeError
}

func TestRegularizedAutoencoderKeepsFieldDistances(t *testing.T) {
	t.Parallel()
	const (
		weight = 10.0
		// The fields span a linear 3-dimensional family, which a 4-dimensional latent holds
		// isometrically; the distortion is against the RMS grid distances of the fields. After
		// 600 steps MP and GA reached 0.010 and 0.011, the unregularized model 0.096.
		maxRegularizedDistortion = 0.05
		maxDistortionRatio       = 0.3
		// The penalty costs some reconstruction accuracy; the unregularized model reaches
		// about 0.05.
		maxRelativeError = 0.2
	)
	none, _ := trainFieldModel(t, regularize.Spec{})
	for _, spec := range []regularize.Spec{
		{Kind: regularize.KindMP, Weight: weight},
		{Kind: regularize.KindGA, Weight: weight},
	} {
		quality, relativeError := trainFieldModel(t, spec)
		if quality.Distortion > maxRegularizedDistortion {
			t.Errorf("%s distortion %.4f, want below %g", spec.Kind, quality.Distortion, maxRegularizedDistortion)
		}
		if quality.Distortion > maxDistortionRatio*none.Distortion {
			t.Errorf("%s distortion %.4f is not below %g x the unregularized %.4f", spec.Kind, quality.Distortion, maxDistortionRatio, none.Distortion)
		}
		if relativeError > maxRelativeError {
			t.Errorf("%s relative reconstruction error %.4f, want below %g", spec.Kind, relativeError, maxRelativeError)
		}
	}
}

func TestTrainRejectsInvalidRegularizer(t *testing.T) {
	t.Parallel()
	backend, err := nn.NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	model, err := New(backend, context.New(), Config{N: 8, Modes: 2, Latent: 2, Hidden: []int{8}, Activation: nn.ActivationSwish})
	if err != nil {
		t.Fatal(err)
	}
	fields := threeModeFields(rand.New(rand.NewPCG(1, 1)), 8, 8)
	cfg := train.Config{Steps: 1, BatchSize: 4, LearningRate: 1e-3}
	if _, err := model.Train(fields, nil, cfg, WithRegularizer(regularize.Spec{Kind: "isometry", Weight: 1})); err == nil {
		t.Error("an unknown regularizer kind was accepted")
	}
}
