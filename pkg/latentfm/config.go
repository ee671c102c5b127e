package latentfm

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/autoencoder"
	"github.com/closure-lab/closure/pkg/flowmatch"
	"github.com/closure-lab/closure/pkg/nn"
)

// Config holds the architecture and training hyperparameters of a latent flow-matching
// closure model. DefaultConfig documents the defaults.
type Config struct {
	// N is the grid size of ω̄ and H (N x N).
	N int `json:"n"`
	// Autoencoder is the architecture of the stage-1 autoencoder for H (its N must equal N).
	Autoencoder autoencoder.Config `json:"autoencoder"`

	// ConditionModes is the maximum wavenumber of ω̄ kept by the condition encoder's DFT.
	ConditionModes int `json:"condition_modes"`
	// ConditionHidden are the hidden widths of the condition encoder MLP.
	ConditionHidden []int `json:"condition_hidden"`
	// ConditionDim is the dimension of the condition encoding c.
	ConditionDim int `json:"condition_dim"`
	// VelocityHidden are the hidden widths of the velocity MLP, whose input is
	// [z_t, time embedding, c] and whose output has the latent dimension.
	VelocityHidden []int `json:"velocity_hidden"`
	// TimeEmbedding is the (even) number of sinusoidal time features.
	TimeEmbedding int `json:"time_embedding"`
	// Activation is the nonlinearity of the condition and velocity MLPs.
	Activation nn.Activation `json:"activation"`

	// AESteps, AEBatchSize and AELearningRate configure stage 1 (autoencoder).
	AESteps        int     `json:"ae_steps"`
	AEBatchSize    int     `json:"ae_batch_size"`
	AELearningRate float64 `json:"ae_learning_rate"`
	// FMSteps, FMBatchSize and FMLearningRate configure stage 2 (flow matching).
	FMSteps        int     `json:"fm_steps"`
	FMBatchSize    int     `json:"fm_batch_size"`
	FMLearningRate float64 `json:"fm_learning_rate"`
	// WarmupFraction is the fraction of each stage's steps spent in linear learning-rate
	// warmup before the cosine decay, in [0, 1).
	WarmupFraction float64 `json:"warmup_fraction"`

	// SampleSteps and Solver are the defaults Sample uses when given steps <= 0 or solver "".
	SampleSteps int    `json:"sample_steps"`
	Solver      string `json:"solver"`

	// Seed seeds weight initialization, training noise and batch shuffling.
	Seed int64 `json:"seed"`
}

// DefaultConfig returns the defaults for an n x n grid:
//
//   - autoencoder: autoencoder.DefaultConfig(n) with latent dimension 16, min(8, (n−1)/2) modes
//     and hidden widths [256, 256];
//   - condition encoder: the same number of modes, hidden [256], encoding dimension 64;
//   - velocity network: hidden [256, 256, 256], 32 time features, swish activations;
//   - stage 1: 2000 steps, batch 64, learning rate 2e-3; stage 2: 4000 steps, batch 64,
//     learning rate 1e-3; 5% warmup then cosine decay to 5% of the peak;
//   - sampling: 8 Heun steps; seed 1.
func DefaultConfig(n int) Config {
	ae := autoencoder.DefaultConfig(n)
	return Config{
		N:               n,
		Autoencoder:     ae,
		ConditionModes:  ae.Modes,
		ConditionHidden: []int{256},
		ConditionDim:    64,
		VelocityHidden:  []int{256, 256, 256},
		TimeEmbedding:   32,
		Activation:      nn.ActivationSwish,
		AESteps:         2000,
		AEBatchSize:     64,
		AELearningRate:  2e-3,
		FMSteps:         4000,
		FMBatchSize:     64,
		FMLearningRate:  1e-3,
		WarmupFraction:  0.05,
		SampleSteps:     8,
		Solver:          string(flowmatch.Heun),
		Seed:            1,
	}
}

// minLearningRateFraction is the final learning rate of each stage relative to its peak.
const minLearningRateFraction = 0.05

// Validate returns an error naming the first invalid field and how to fix it.
func (c Config) Validate() error {
	if c.Autoencoder.N != c.N {
		return fmt.Errorf("latentfm: Autoencoder.N=%d differs from N=%d; set both to the grid size", c.Autoencoder.N, c.N)
	}

	if err := c.Autoencoder.Validate(); err != nil {
		return fmt.Errorf("latentfm: %w", err)
	}

	if c.ConditionModes < 1 || c.N < 2*c.ConditionModes+1 {
		return fmt.Errorf("latentfm: ConditionModes=%d must be in [1, (N-1)/2=%d]", c.ConditionModes, (c.N-1)/2)
	}

	if c.ConditionDim < 1 {
		return fmt.Errorf("latentfm: ConditionDim=%d must be at least 1", c.ConditionDim)
	}

	for name, widths := range map[string][]int{"ConditionHidden": c.ConditionHidden, "VelocityHidden": c.VelocityHidden} {
		for k, width := range widths {
			if width < 1 {
				return fmt.Errorf("latentfm: %s[%d]=%d must be at least 1", name, k, width)
			}
		}
	}

	if c.TimeEmbedding < 2 || c.TimeEmbedding%2 != 0 {
		return fmt.Errorf("latentfm: TimeEmbedding=%d must be a positive even number", c.TimeEmbedding)
	}

	if err := c.Activation.Validate(); err != nil {
		return fmt.Errorf("latentfm: %w", err)
	}

	if c.AESteps < 1 || c.FMSteps < 1 || c.AEBatchSize < 1 || c.FMBatchSize < 1 {
		return fmt.Errorf("latentfm: AESteps=%d, FMSteps=%d, AEBatchSize=%d and FMBatchSize=%d must all be at least 1", c.AESteps, c.FMSteps, c.AEBatchSize, c.FMBatchSize)
	}

	if !(c.AELearningRate > 0) || !(c.FMLearningRate > 0) {
		return fmt.Errorf("latentfm: AELearningRate=%g and FMLearningRate=%g must be positive", c.AELearningRate, c.FMLearningRate)
	}

	if c.WarmupFraction < 0 || c.WarmupFraction >= 1 {
		return fmt.Errorf("latentfm: WarmupFraction=%g must be in [0, 1)", c.WarmupFraction)
	}

	if c.SampleSteps < 1 {
		return fmt.Errorf("latentfm: SampleSteps=%d must be at least 1", c.SampleSteps)
	}

	if _, err := flowmatch.ParseSolver(c.Solver); err != nil {
		return fmt.Errorf("latentfm: %w", err)
	}
	return nil
}
