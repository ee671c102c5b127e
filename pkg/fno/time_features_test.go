package fno

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/nn"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

func TestConfigValidateTimeFeatures(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig(16)
	cfg.TimeFeatures = "fourier"
	if err := cfg.Validate(16); err == nil || !strings.Contains(err.Error(), `"fourier"`) {
		t.Errorf("TimeFeatures=%q: got error %v, want one naming the value", cfg.TimeFeatures, err)
	}
	cfg.TimeFeatures = TimeFeaturesGaussianFourier
	if err := cfg.Validate(16); err == nil || !strings.Contains(err.Error(), "TimeFourierScale") {
		t.Errorf("Gaussian Fourier features without a scale: got error %v, want one naming TimeFourierScale", err)
	}
	cfg.TimeFourierScale = 16
	if err := cfg.Validate(16); err != nil {
		t.Errorf("Gaussian Fourier features with scale 16: %v", err)
	}

	// Configurations saved before the fields existed must encode and decode as before.
	encoded, err := json.Marshal(DefaultConfig(16))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(encoded), "time_features") || strings.Contains(string(encoded), "time_fourier_scale") {
		t.Errorf("DefaultConfig encodes the new fields: %s", encoded)
	}
}

// TestGaussianFourierTimeFeaturesStayFixed takes Adam steps of an FNO with Gaussian Fourier
// time features: the trainable weights move, the frequencies do not, and the output depends
// on time. The output layer and FiLM start at zero, so the first step moves only the output
// layer; three steps reach the rest.
func TestGaussianFourierTimeFeaturesStayFixed(t *testing.T) {
	t.Parallel()
	const n, batch = 8, 4
	cfg := DefaultConfig(n)
	cfg.Width, cfg.Layers, cfg.Modes, cfg.ProjectionHidden = 6, 2, 2, 8
	cfg.TimeFeatures, cfg.TimeFourierScale = TimeFeaturesGaussianFourier, 16

	rng := rand.New(rand.NewPCG(12, 13))
	x := tensors.FromFlatDataAndDimensions(randomFloats(rng, batch*n*n*2), batch, n, n, 2)
	target := tensors.FromFlatDataAndDimensions(randomFloats(rng, batch*n*n), batch, n, n, 1)
	times := tensors.FromFlatDataAndDimensions([]float32{0.1, 0.4, 0.6, 0.9}, batch)

	ctx := context.New().Checked(false) // the training graph reuses the forward graph's variables
	ctx.SetParam(context.ParamInitialSeed, int64(14))
	forward := context.MustNewExec(testBackend(), ctx, func(ctx *context.Context, x, t *Node) *Node {
		return cfg.Apply(ctx, x, t, 1)
	})
	optimizer := optimizers.Adam().LearningRate(1e-2).Done()
	step := context.MustNewExec(testBackend(), ctx, func(ctx *context.Context, x, t, target *Node) *Node {
		loss := ReduceAllMean(Square(Sub(cfg.Apply(ctx, x, t, 1), target)))
		optimizer.UpdateGraph(ctx, x.Graph(), loss)
		return loss
	})

	values := func(scope, name string) []float32 {
		variable := ctx.GetVariableByScopeAndName(scope, name)
		if variable == nil {
			t.Fatalf("no variable %s/%s", scope, name)
		}
		return tensors.MustCopyFlatData[float32](variable.MustValue())
	}
	forward.MustExec(x, times) // creates the variables
	frequencies, weights := values("/time_features", nn.GaussianFourierFrequencies), values("/lift", "weights")
	for range 3 {
		step.MustExec(x, times, target)
	}
	if after := values("/time_features", nn.GaussianFourierFrequencies); !slices.Equal(after, frequencies) {
		t.Errorf("three Adam steps changed the frequencies from %v to %v", frequencies, after)
	}
	if slices.Equal(values("/lift", "weights"), weights) {
		t.Error("three Adam steps left the lifting weights unchanged")
	}

	early := tensors.MustCopyFlatData[float32](forward.MustExec(x, []float32{0.1, 0.1, 0.1, 0.1})[0])
	late := tensors.MustCopyFlatData[float32](forward.MustExec(x, []float32{0.9, 0.9, 0.9, 0.9})[0])
	if slices.Equal(early, late) {
		t.Error("after three Adam steps, outputs at t=0.1 and t=0.9 are identical; the time features do not reach the output")
	}
}
