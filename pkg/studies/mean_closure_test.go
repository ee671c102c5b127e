package studies

import (
	"math"
	"testing"

	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/latentfm"
)

// TestMeanSamplerRepeatsTheMean trains a latent model with a mean network for a few steps on
// random fields and checks that MeanSampler gives every member exactly the model's Mean.
func TestMeanSamplerRepeatsTheMean(t *testing.T) {
	t.Parallel()
	const n = 8
	cfg := latentfm.DefaultConfig(n)
	cfg.Autoencoder.Latent, cfg.Autoencoder.Hidden = 2, []int{8}
	cfg.ConditionHidden, cfg.ConditionDim, cfg.VelocityHidden = []int{8}, 4, []int{8}
	cfg.AESteps, cfg.FMSteps, cfg.ReflowSteps = 2, 2, 0
	cfg.AEBatchSize, cfg.FMBatchSize = 4, 4
	if MeanSampler(mustModel(t, cfg)) != nil {
		t.Error("MeanSampler of a model without a mean network is not nil")
	}

	network := fno.DefaultConfig(n)
	network.Layers, network.Width, network.ProjectionHidden = 1, 4, 4
	cfg.MeanNetwork, cfg.MeanSteps, cfg.MeanBatchSize, cfg.MeanLearningRate = &network, 2, 4, 1e-3
	model := mustModel(t, cfg)
	data := latentfm.Data{N: n}
	for k := range 8 * n * n {
		data.OmegaBar = append(data.OmegaBar, float32(math.Sin(float64(k))))
		data.H = append(data.H, float32(math.Cos(float64(3*k))))
	}
	if _, err := model.Train(data, nil, latentfm.TrainOptions{}); err != nil {
		t.Fatal(err)
	}

	conditions := data.OmegaBar[:2*n*n]
	mu, err := model.Mean(conditions)
	if err != nil {
		t.Fatal(err)
	}
	const members = 3
	samples, err := MeanSampler(model).Sample(conditions, members, 1, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 2*members*n*n {
		t.Fatalf("MeanSampler returned %d values, want %d", len(samples), 2*members*n*n)
	}
	for b := range 2 {
		for m := range members {
			for i := range n * n {
				if got, want := samples[(b*members+m)*n*n+i], mu[b*n*n+i]; got != want {
					t.Fatalf("condition %d, member %d, value %d: %g, want the mean %g", b, m, i, got, want)
				}
			}
		}
	}
}

func mustModel(t *testing.T, cfg latentfm.Config) *latentfm.Model {
	t.Helper()
	model, err := latentfm.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return model
}
