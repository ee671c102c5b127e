package diffusion

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/sensors"
)

// SDE kinds accepted by Config.SDE.
const (
	KindVE = "ve"
	KindVP = "vp"
)

// Config holds the architecture, SDE, training and sampling settings of a score-based
// diffusion closure model. DefaultConfig documents the defaults.
type Config struct {
	// N is the grid size of ω̄ and H (N x N).
	N int `json:"n"`
	// FNO is the score network's architecture (inputs x_t and ω̄, output one channel).
	FNO fno.Config `json:"fno"`
	// Sensors, when enabled, adds the values of H at fixed points to the condition: the
	// network then also receives the measured field and the sensor mask as two channels,
	// and sampling goes through SampleMeasured. The zero value conditions on ω̄ alone.
	Sensors sensors.Layout `json:"sensors,omitzero"`

	// SDE is KindVE or KindVP.
	SDE string `json:"sde"`
	// SigmaMin and SigmaMax parameterize the VE SDE.
	SigmaMin float64 `json:"sigma_min"`
	SigmaMax float64 `json:"sigma_max"`
	// BetaMin and BetaMax parameterize the linear β schedule of the VP SDE.
	BetaMin float64 `json:"beta_min"`
	BetaMax float64 `json:"beta_max"`
	// TrainTimeMin and TrainTimeMax bound the uniform training times, 0 < min < max ≤ 1.
	TrainTimeMin float64 `json:"train_time_min"`
	TrainTimeMax float64 `json:"train_time_max"`

	// Steps, BatchSize and LearningRate configure training (Adam); WarmupFraction is the
	// fraction of steps in linear warmup before the cosine decay, in [0, 1).
	Steps          int     `json:"steps"`
	BatchSize      int     `json:"batch_size"`
	LearningRate   float64 `json:"learning_rate"`
	WarmupFraction float64 `json:"warmup_fraction"`
	// EMADecay is the decay of the moving average of the weights that sampling uses
	// (train.Config.EMADecay), in [0, 1); 0 samples with the last weights.
	EMADecay float64 `json:"ema_decay"`

	// SampleSteps and Sampler are the defaults Sample uses when given steps <= 0 or sampler "".
	SampleSteps int    `json:"sample_steps"`
	Sampler     string `json:"sampler"`
	// SampleTimeMax is the terminal time where sampling starts and SampleTimeMin the time where
	// it stops, 0 < min < max ≤ 1.
	SampleTimeMax float64 `json:"sample_time_max"`
	SampleTimeMin float64 `json:"sample_time_min"`
	// Grid is the time grid ("uniform" or "karras") and KarrasRho its exponent.
	Grid      string  `json:"grid"`
	KarrasRho float64 `json:"karras_rho"`
	// SNR and CorrectorSteps configure the Langevin corrector of the "pc" sampler.
	SNR            float64 `json:"snr"`
	CorrectorSteps int     `json:"corrector_steps"`

	// Seed seeds weight initialization, training noise and batch shuffling.
	Seed int64 `json:"seed"`
}

// DefaultConfig returns the defaults for an n x n grid:
//
//   - score network: fno.DefaultConfig(n) (4 Fourier layers, min(8, (n−1)/2) modes, width 20);
//   - VE SDE with σ_min = 0.01 and σ_max = 26; VP parameters β_min = 0.1, β_max = 20 (used
//     when SDE is "vp"); training times uniform in [1e-5, 1];
//   - 4000 Adam steps, batch 32, learning rate 1e-3, 5% warmup then cosine decay, weights averaged with decay 0.999 for sampling;
//   - sampling: Euler–Maruyama, 100 uniform steps from t = 1 to 1e-3, Karras ρ = 7,
//     corrector SNR 0.16 with 1 step; seed 1.
//
// NOTE: the predecessor study sampled from t = 0.1 down to 1e-3; set SampleTimeMax = 0.1 to
// reproduce it. At t = 0.1 the VE noise level is only σ ≈ 0.022, so sampling there starts
// from a Gaussian approximation of p_t (see SamplePrior), not from pure noise.
func DefaultConfig(n int) Config {
	return Config{
		N:              n,
		FNO:            fno.DefaultConfig(n),
		SDE:            KindVE,
		SigmaMin:       0.01,
		SigmaMax:       26,
		BetaMin:        0.1,
		BetaMax:        20,
		TrainTimeMin:   1e-5,
		TrainTimeMax:   1,
		Steps:          4000,
		BatchSize:      32,
		LearningRate:   1e-3,
		WarmupFraction: 0.05,
		EMADecay:       0.999,
		SampleSteps:    100,
		Sampler:        string(EulerMaruyama),
		SampleTimeMax:  1,
		SampleTimeMin:  1e-3,
		Grid:           string(GridUniform),
		KarrasRho:      7,
		SNR:            0.16,
		CorrectorSteps: 1,
		Seed:           1,
	}
}

// minLearningRateFraction is the final learning rate relative to its peak.
const minLearningRateFraction = 0.05

// NewSDE returns the SDE the configuration selects, or an error for an unknown kind or
// invalid parameters.
func (c Config) NewSDE() (SDE, error) {
	switch c.SDE {
	case KindVE:
		sde := VE{SigmaMin: c.SigmaMin, SigmaMax: c.SigmaMax}
		return sde, sde.Validate()
	case KindVP:
		sde := VP{BetaMin: c.BetaMin, BetaMax: c.BetaMax}
		return sde, sde.Validate()
	}
	return nil, fmt.Errorf("diffusion: SDE=%q is unknown; use %q or %q", c.SDE, KindVE, KindVP)
}

// Validate returns an error naming the first invalid field and how to fix it.
func (c Config) Validate() error {
	if err := c.FNO.Validate(c.N); err != nil {
		return fmt.Errorf("diffusion: %w", err)
	}
	if err := c.Sensors.Validate(c.N); err != nil {
		return fmt.Errorf("diffusion: %w", err)
	}
	if _, err := c.NewSDE(); err != nil {
		return err
	}
	if !(c.TrainTimeMin > 0) || !(c.TrainTimeMax > c.TrainTimeMin) || c.TrainTimeMax > 1 {
		return fmt.Errorf("diffusion: training times need 0 < TrainTimeMin < TrainTimeMax <= 1, got %g and %g", c.TrainTimeMin, c.TrainTimeMax)
	}
	if !(c.SampleTimeMin > 0) || !(c.SampleTimeMax > c.SampleTimeMin) || c.SampleTimeMax > 1 {
		return fmt.Errorf("diffusion: sampling times need 0 < SampleTimeMin < SampleTimeMax <= 1, got %g and %g", c.SampleTimeMin, c.SampleTimeMax)
	}
	if c.Steps < 1 || c.BatchSize < 1 || !(c.LearningRate > 0) {
		return fmt.Errorf("diffusion: Steps=%d and BatchSize=%d must be at least 1 and LearningRate=%g positive", c.Steps, c.BatchSize, c.LearningRate)
	}
	if c.WarmupFraction < 0 || c.WarmupFraction >= 1 {
		return fmt.Errorf("diffusion: WarmupFraction=%g must be in [0, 1)", c.WarmupFraction)
	}
	if c.EMADecay < 0 || c.EMADecay >= 1 {
		return fmt.Errorf("diffusion: EMADecay=%g must be in [0, 1); 0 turns the moving average off", c.EMADecay)
	}
	if c.SampleSteps < 1 {
		return fmt.Errorf("diffusion: SampleSteps=%d must be at least 1", c.SampleSteps)
	}
	if _, err := ParseSampler(c.Sampler); err != nil {
		return err
	}
	if _, err := ParseGrid(c.Grid); err != nil {
		return err
	}
	if !(c.KarrasRho > 0) || !(c.SNR > 0) || c.CorrectorSteps < 1 {
		return fmt.Errorf("diffusion: KarrasRho=%g and SNR=%g must be positive and CorrectorSteps=%d at least 1", c.KarrasRho, c.SNR, c.CorrectorSteps)
	}
	return nil
}
