package autoencoder

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// threeModeFields returns count fields 1 + a·cos(x) + b·sin(2y) + c·cos(x+y) on an n x n grid
// with (a, b, c) ~ N(0, I): a linear 3-dimensional manifold inside the band |k| ≤ 2.
func threeModeFields(rng *rand.Rand, count, n int) []float32 {
	fields := make([]float32, count*n*n)
	for s := range count {
		a, b, c := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		for i := range n {
			for j := range n {
				x, y := 2*math.Pi*float64(j)/float64(n), 2*math.Pi*float64(i)/float64(n)
				fields[s*n*n+i*n+j] = float32(1 + a*math.Cos(x) + b*math.Sin(2*y) + c*math.Cos(x+y))
			}
		}
	}
	return fields
}

func TestAutoencoderReconstructsThreeModeFields(t *testing.T) {
	t.Parallel()
	const (
		n = 16
		// Relative L2 error after training on a linear 3-dimensional family with a 4-dimensional
		// latent; an untrained model scores about 1.
		maxRelativeError = 0.1
	)
	steps := 600
	if testing.Short() {
		steps = 300
	}
	backend, err := nn.NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(3))
	cfg := Config{N: n, Modes: 3, Latent: 4, Hidden: []int{64}, Activation: nn.ActivationSwish}
	model, err := New(backend, ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}

	rng := rand.New(rand.NewPCG(1, 2))
	trainFields := threeModeFields(rng, 512, n)
	testFields := threeModeFields(rng, 64, n)
	history, err := model.Train(trainFields, testFields, train.Config{Steps: steps, BatchSize: 64, LearningRate: 3e-3, WarmupSteps: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}

	relativeError, err := model.ReconstructionError(testFields, 64)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("relative L2 reconstruction error %.4f, validation MSE %.2e, step time %v", relativeError, history.ValidationLoss[len(history.ValidationLoss)-1], history.StepTime)
	if relativeError > maxRelativeError {
		t.Errorf("relative reconstruction error %.4f, want below %g", relativeError, maxRelativeError)
	}

	// Resolution transfer: decoding the same latents on a 32 x 32 grid gives the same
	// functions sampled at the finer points, which include every coarse point.
	latents, err := model.Encode(testFields, 64)
	if err != nil {
		t.Fatal(err)
	}
	coarse, err := model.Decode(latents, n)
	if err != nil {
		t.Fatal(err)
	}
	fine, err := model.Decode(latents, 2*n)
	if err != nil {
		t.Fatal(err)
	}
	const transferTolerance = 1e-4
	for s := range 64 {
		for i := range n {
			for j := range n {
				coarseValue := coarse[s*n*n+i*n+j]
				fineValue := fine[s*4*n*n+(2*i)*2*n+2*j]
				if math.Abs(float64(coarseValue-fineValue)) > transferTolerance {
					t.Fatalf("field %d point (%d, %d): %g on the %d grid, %g on the %d grid", s, i, j, coarseValue, n, fineValue, 2*n)
				}
			}
		}
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	if err := DefaultConfig(32).Validate(); err != nil {
		t.Errorf("DefaultConfig(32) is invalid: %v", err)
	}
	if err := DefaultConfig(16).Validate(); err != nil {
		t.Errorf("DefaultConfig(16) is invalid: %v", err)
	}
	bad := DefaultConfig(16)
	bad.Modes = 8
	if err := bad.Validate(); err == nil {
		t.Error("Modes=8 on a 16 grid was accepted; it needs N >= 17")
	}
}
