package physfm

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/flowmatch"
	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/sensors"
)

// Config holds the architecture, training and sampling settings of a physical-space
// flow-matching closure model. DefaultConfig documents the defaults.
type Config struct {
	// N is the grid size of ω̄ and H (N x N).
	N int `json:"n"`
	// FNO is the velocity network's architecture (inputs x_t and ω̄, output one channel).
	FNO fno.Config `json:"fno"`
	// Sensors, when enabled, adds the values of H at fixed points to the condition: the
	// network then also receives the measured field and the sensor mask as two channels,
	// and sampling goes through SampleMeasured. The zero value conditions on ω̄ alone.
	Sensors sensors.Layout `json:"sensors,omitzero"`

	// Steps, BatchSize and LearningRate configure training (Adam); WarmupFraction is the
	// fraction of steps in linear warmup before the cosine decay, in [0, 1).
	Steps          int     `json:"steps"`
	BatchSize      int     `json:"batch_size"`
	LearningRate   float64 `json:"learning_rate"`
	WarmupFraction float64 `json:"warmup_fraction"`
	// EMADecay is the decay of the moving average of the weights that sampling uses
	// (train.Config.EMADecay), in [0, 1); 0 samples with the last weights.
	EMADecay float64 `json:"ema_decay"`

	// SampleSteps and Solver are the defaults Sample uses when given steps <= 0 or solver "".
	SampleSteps int    `json:"sample_steps"`
	Solver      string `json:"solver"`

	// Seed seeds weight initialization, training noise and batch shuffling.
	Seed int64 `json:"seed"`
}

// DefaultConfig returns the defaults for an n x n grid: velocity network fno.DefaultConfig(n)
// (4 Fourier layers, min(8, (n−1)/2) modes, width 20); 4000 Adam steps, batch 32, learning
// rate 1e-3, 5% warmup then cosine decay, weights averaged with decay 0.999 for sampling; sampling with 8 Heun steps; seed 1.
func DefaultConfig(n int) Config {
	return Config{
		N:              n,
		FNO:            fno.DefaultConfig(n),
		Steps:          4000,
		BatchSize:      32,
		LearningRate:   1e-3,
		WarmupFraction: 0.05,
		EMADecay:       0.999,
		SampleSteps:    8,
		Solver:         string(flowmatch.Heun),
		Seed:           1,
	}
}

// minLearningRateFraction is the final learning rate relative to its peak.
const minLearningRateFraction = 0.05

// Validate returns an error naming the first invalid field and how to fix it.
func (c Config) Validate() error {
	if err := c.FNO.Validate(c.N); err != nil {
		return fmt.Errorf("physfm: %w", err)
	}
	if err := c.Sensors.Validate(c.N); err != nil {
		return fmt.Errorf("physfm: %w", err)
	}
	if c.Steps < 1 || c.BatchSize < 1 || !(c.LearningRate > 0) {
		return fmt.Errorf("physfm: Steps=%d and BatchSize=%d must be at least 1 and LearningRate=%g positive", c.Steps, c.BatchSize, c.LearningRate)
	}
	if c.WarmupFraction < 0 || c.WarmupFraction >= 1 {
		return fmt.Errorf("physfm: WarmupFraction=%g must be in [0, 1)", c.WarmupFraction)
	}
	if c.EMADecay < 0 || c.EMADecay >= 1 {
		return fmt.Errorf("physfm: EMADecay=%g must be in [0, 1); 0 turns the moving average off", c.EMADecay)
	}
	if c.SampleSteps < 1 {
		return fmt.Errorf("physfm: SampleSteps=%d must be at least 1", c.SampleSteps)
	}
	if _, err := flowmatch.ParseSolver(c.Solver); err != nil {
		return fmt.Errorf("physfm: %w", err)
	}
	return nil
}
