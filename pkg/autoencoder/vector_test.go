package autoencoder

import (
	"math/rand/v2"
	"testing"

	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// planePoints returns count points a·u + b·v + offset in R^8 with (a, b) ~ N(0, I), for fixed
// vectors u, v and offset: a 2-dimensional affine subspace.
func planePoints(rng *rand.Rand, count int) []float32 {
	u := []float32{1, 0, 2, 0, 0, 1, 0, 0}
	v := []float32{0, 1, 0, -1, 0, 0, 3, 0}
	points := make([]float32, count*8)
	for i := range count {
		a, b := float32(rng.NormFloat64()), float32(rng.NormFloat64())
		for c := range 8 {
			points[i*8+c] = a*u[c] + b*v[c] + float32(c)
		}
	}
	return points
}

func TestVectorAutoencoderReconstructsPlane(t *testing.T) {
	t.Parallel()
	// Relative L2 error on a 2-dimensional plane with a 2-dimensional latent; an untrained
	// model scores about 1.
	const maxRelativeError = 0.1
	steps := 400
	if testing.Short() {
		steps = 200
	}
	backend, err := nn.NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(5))
	model, err := NewVector(backend, ctx, DefaultVectorConfig(8, 2))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	trainPoints, testPoints := planePoints(rng, 512), planePoints(rng, 128)
	if _, err := model.Train(trainPoints, testPoints, train.Config{Steps: steps, BatchSize: 64, LearningRate: 3e-3, WarmupSteps: 20, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	relativeError, err := model.ReconstructionError(testPoints)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("relative reconstruction error %.4f", relativeError)
	if relativeError > maxRelativeError {
		t.Errorf("relative reconstruction error %.4f, want below %g", relativeError, maxRelativeError)
	}

	if _, err := model.Encode(testPoints[:7]); err == nil {
		t.Error("Encode accepted 7 values for points of dimension 8")
	}
	if _, err := model.Decode([]float32{1, 2, 3}); err == nil {
		t.Error("Decode accepted 3 values for latents of dimension 2")
	}
}

func TestVectorConfigValidate(t *testing.T) {
	t.Parallel()
	if err := DefaultVectorConfig(32, 2).Validate(); err != nil {
		t.Errorf("DefaultVectorConfig(32, 2) is invalid: %v", err)
	}
	bad := DefaultVectorConfig(32, 2)
	bad.Dim = 0
	if err := bad.Validate(); err == nil {
		t.Error("Dim=0 was accepted")
	}
	bad = DefaultVectorConfig(32, 2)
	bad.Hidden = []int{16, 0}
	if err := bad.Validate(); err == nil {
		t.Error("a zero hidden width was accepted")
	}
}

func TestFitVectorNormalizationIsIsotropic(t *testing.T) {
	t.Parallel()
	// Two points (0, 0) and (2, 4): mean (1, 2), deviations ±(1, 2), mean square (1 + 4)/2.
	const tolerance = 1e-6
	normalization := FitVectorNormalization([]float32{0, 0, 2, 4}, 2)
	if normalization.Mean[0] != 1 || normalization.Mean[1] != 2 {
		t.Errorf("mean %v, want [1 2]", normalization.Mean)
	}
	if want := float32(1.5811388); normalization.Std-want > tolerance || want-normalization.Std > tolerance {
		t.Errorf("std %g, want sqrt(2.5) = %g", normalization.Std, want)
	}
}
