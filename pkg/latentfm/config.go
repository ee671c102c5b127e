package latentfm

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/autoencoder"
	"github.com/closure-lab/closure/pkg/flowmatch"
	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/regularize"
	"github.com/closure-lab/closure/pkg/sensors"
)

// Config holds the architecture and training hyperparameters of a latent flow-matching
// closure model. DefaultConfig documents the defaults.
type Config struct {
	// N is the grid size of ω̄ and H (N x N).
	N int `json:"n"`
	// Autoencoder is the architecture of the stage-1 autoencoder for H (its N must equal N).
	Autoencoder autoencoder.Config `json:"autoencoder"`

	// ConditionalDecoder makes the stage-1 decoder read the condition: fields are D(z, c) with
	// c an encoding of ω̄ by a condition encoder (ConditionModes, ConditionHidden,
	// ConditionDim) that stage 1 trains with the autoencoder, separate from the velocity
	// network's. The latent then only has to carry what ω̄ does not determine. False keeps the
	// unconditional autoencoder of H.
	ConditionalDecoder bool `json:"conditional_decoder,omitempty"`
	// ConditionalEncoder, which requires ConditionalDecoder, also gives the encoder c:
	// z = E(H, c).
	ConditionalEncoder bool `json:"conditional_encoder,omitempty"`
	// AugmentX and AugmentYPeriod augment the stage-1 training pairs of the conditional
	// autoencoder with random translations, applied alike to H and ω̄. AugmentX shifts by
	// any whole number of grid columns (x). A positive AugmentYPeriod shifts by a random
	// multiple of that many rows (y). Use them only for translations that the flow's equations
	// respect. For Kolmogorov flow with forcing sin(k_f·y) on a 2π-periodic N x N grid those are
	// every x shift and the y shifts by N/k_f rows. They need ConditionalDecoder and Regularizer
	// none or joint, and N must be a multiple of AugmentYPeriod.
	AugmentX       bool `json:"augment_x,omitempty"`
	AugmentYPeriod int  `json:"augment_y_period,omitempty"`

	// MeanNetwork, when not nil, adds a deterministic path: an FNO with this architecture
	// maps ω̄ to μ(ω̄), fitted by least squares to H in a stage 0 before the autoencoder, so it
	// estimates the conditional mean E[H | ω̄]. The autoencoder and the latent flow then
	// model the residual H − μ(ω̄), and a sample is μ(ω̄) + D(z). μ is evaluated once per
	// condition and shared by its members, so the cost per member stays that of the latent
	// flow and the decoder. Its input ω̄ is on the grid, so it represents translations exactly,
	// which the DFT-feature MLPs must learn from data.
	MeanNetwork *fno.Config `json:"mean_network,omitempty"`
	// MeanSteps, MeanBatchSize and MeanLearningRate configure stage 0 (used with MeanNetwork).
	MeanSteps        int     `json:"mean_steps,omitempty"`
	MeanBatchSize    int     `json:"mean_batch_size,omitempty"`
	MeanLearningRate float64 `json:"mean_learning_rate,omitempty"`
	// Sensors, when enabled, also gives the mean network the values of H at fixed grid
	// points, as the two input channels of fno.SensorChannels, so that μ estimates
	// E[H | ω̄, H at the sensors]. It needs MeanNetwork. The autoencoder and the latent flow
	// still read ω̄ alone: they model the residual H − μ given ω̄. A model with sensors is
	// sampled with SampleMeasured.
	Sensors sensors.Layout `json:"sensors,omitzero"`

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
	// Coupling selects how stage 2 pairs noise with latents: CouplingIndependent ("" means the
	// same) or CouplingOT (minibatch optimal transport, see the OT fields below).
	Coupling string `json:"coupling,omitempty"`
	// OTBatchSize is the number of examples coupled together by one exact assignment.
	OTBatchSize int `json:"ot_batch_size,omitempty"`
	// OTConditionWeight is λ in the OT cost ‖z0 − z1‖² + λ²·‖f̃0 − f̃1‖², where f̃ are the
	// condition features scaled so that two random conditions are as far apart on average as
	// two random standardized latents. λ = 0 couples regardless of the condition (biased for a
	// conditional model). A large λ keeps every latent with its own condition, which reduces
	// to the independent coupling when all conditions differ.
	OTConditionWeight float64 `json:"ot_condition_weight,omitempty"`
	// OTNoiseDraws is the number of noise samples drawn and coupled per training example. The
	// coupled pairs are computed before stage 2 and reused over its steps.
	OTNoiseDraws int `json:"ot_noise_draws,omitempty"`

	// ReflowSteps is the number of optimizer steps of stage 3 (reflow); 0 disables the stage.
	ReflowSteps int `json:"reflow_steps"`
	// ReflowPairs is the number of teacher-coupled pairs (z0, z1) drawn per training condition.
	ReflowPairs int `json:"reflow_pairs,omitempty"`
	// ReflowBatchSize and ReflowLearningRate configure the stage-3 optimizer.
	ReflowBatchSize    int     `json:"reflow_batch_size,omitempty"`
	ReflowLearningRate float64 `json:"reflow_learning_rate,omitempty"`
	// ReflowSolver and ReflowSolverSteps set the teacher's ODE solver that maps each z0 to z1.
	ReflowSolver      string `json:"reflow_solver,omitempty"`
	ReflowSolverSteps int    `json:"reflow_solver_steps,omitempty"`

	// Regularizer selects how stage 1 shapes the latent space: RegularizerNone ("" means the
	// same), RegularizerJoint, RegularizerMP or RegularizerGA (see Train).
	Regularizer string `json:"regularizer,omitempty"`
	// RegularizerWeight is the weight λ of the regularizer's loss in stage 1. For mp and ga the
	// distance scale and neighbour count are the defaults of package regularize.
	RegularizerWeight float64 `json:"regularizer_weight,omitempty"`

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
//   - stage 2 coupling: independent (the OT fields are set to batch 256, λ = 4 and 8 noise
//     draws, used only when Coupling is CouplingOT);
//   - stage 3 (reflow): 2000 steps, batch 64, learning rate 1e-3, 4 pairs per training
//     condition from 8 RK4 steps (32 NFE) of the teacher;
//   - stage-1 regularizer: none (weight 0.1, used only with another Regularizer);
//   - unconditional autoencoder (ConditionalDecoder and ConditionalEncoder false), no
//     translation augmentation (AugmentX false, AugmentYPeriod 0), no mean network and no
//     sensors;
//   - sampling: 8 Heun steps; seed 1.
func DefaultConfig(n int) Config {
	ae := autoencoder.DefaultConfig(n)
	return Config{
		N:                  n,
		Autoencoder:        ae,
		ConditionModes:     ae.Modes,
		ConditionHidden:    []int{256},
		ConditionDim:       64,
		VelocityHidden:     []int{256, 256, 256},
		TimeEmbedding:      32,
		Activation:         nn.ActivationSwish,
		AESteps:            2000,
		AEBatchSize:        64,
		AELearningRate:     2e-3,
		FMSteps:            4000,
		FMBatchSize:        64,
		FMLearningRate:     1e-3,
		Coupling:           CouplingIndependent,
		OTBatchSize:        256,
		OTConditionWeight:  4,
		OTNoiseDraws:       8,
		ReflowSteps:        2000,
		ReflowPairs:        4,
		ReflowBatchSize:    64,
		ReflowLearningRate: 1e-3,
		ReflowSolver:       string(flowmatch.RK4),
		ReflowSolverSteps:  8,
		Regularizer:        RegularizerNone,
		RegularizerWeight:  0.1,
		WarmupFraction:     0.05,
		SampleSteps:        8,
		Solver:             string(flowmatch.Heun),
		Seed:               1,
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
	if err := c.validateConditional(); err != nil {
		return err
	}
	if err := c.validateMean(); err != nil {
		return err
	}
	if err := c.validateCoupling(); err != nil {
		return err
	}
	if err := c.validateReflow(); err != nil {
		return err
	}
	return c.validateRegularizer()
}

// Stage-2 couplings (Config.Coupling).
const (
	CouplingIndependent = "independent"
	CouplingOT          = "ot"
)

// Stage-1 regularizers (Config.Regularizer).
const (
	// RegularizerNone trains the autoencoder alone, and stage 2 uses it frozen.
	RegularizerNone = "none"
	// RegularizerJoint trains the autoencoder together with the latent FM (see Train).
	RegularizerJoint = "joint"
	// RegularizerMP adds the metric-preserving loss of package regularize: latent distances
	// match input distances within each batch.
	RegularizerMP = string(regularize.KindMP)
	// RegularizerGA adds the geometry-aware loss of package regularize: latent distances match
	// geodesic distances on the k-nearest-neighbour graph of the training set, or of
	// regularize.MaxGeodesicPoints evenly spaced examples of a larger one.
	RegularizerGA = string(regularize.KindGA)
)

func (c Config) validateCoupling() error {
	switch c.Coupling {
	case "", CouplingIndependent:
		return nil
	case CouplingOT:
		if c.OTBatchSize < 2 || c.OTNoiseDraws < 1 || !(c.OTConditionWeight >= 0) {
			return fmt.Errorf("latentfm: with Coupling=%q, OTBatchSize=%d must be at least 2, OTNoiseDraws=%d at least 1 and OTConditionWeight=%g non-negative", c.Coupling, c.OTBatchSize, c.OTNoiseDraws, c.OTConditionWeight)
		}
		return nil
	}
	return fmt.Errorf("latentfm: Coupling=%q is unknown; use %q or %q", c.Coupling, CouplingIndependent, CouplingOT)
}

func (c Config) validateReflow() error {
	if c.ReflowSteps < 0 {
		return fmt.Errorf("latentfm: ReflowSteps=%d must be non-negative (0 disables reflow)", c.ReflowSteps)
	}
	if c.ReflowSteps == 0 {
		return nil
	}
	if c.ReflowPairs < 1 || c.ReflowBatchSize < 1 || c.ReflowSolverSteps < 1 || !(c.ReflowLearningRate > 0) {
		return fmt.Errorf("latentfm: with ReflowSteps=%d, ReflowPairs=%d, ReflowBatchSize=%d and ReflowSolverSteps=%d must be at least 1 and ReflowLearningRate=%g positive", c.ReflowSteps, c.ReflowPairs, c.ReflowBatchSize, c.ReflowSolverSteps, c.ReflowLearningRate)
	}
	if _, err := flowmatch.ParseSolver(c.ReflowSolver); err != nil {
		return fmt.Errorf("latentfm: ReflowSolver: %w", err)
	}
	return nil
}

func (c Config) validateRegularizer() error {
	switch c.Regularizer {
	case "", RegularizerNone:
		return nil
	case RegularizerJoint, RegularizerMP, RegularizerGA:
	default:
		return fmt.Errorf("latentfm: Regularizer=%q is unknown; use %q, %q, %q or %q", c.Regularizer, RegularizerNone, RegularizerJoint, RegularizerMP, RegularizerGA)
	}
	if !(c.RegularizerWeight >= 0) {
		return fmt.Errorf("latentfm: RegularizerWeight=%g must be non-negative", c.RegularizerWeight)
	}
	return nil
}

func (c Config) validateConditional() error {
	if c.ConditionalEncoder && !c.ConditionalDecoder {
		return fmt.Errorf("latentfm: ConditionalEncoder needs ConditionalDecoder; set both or neither")
	}
	if !c.AugmentX && c.AugmentYPeriod == 0 {
		return nil
	}
	if !c.ConditionalDecoder || (c.Regularizer != "" && c.Regularizer != RegularizerNone && c.Regularizer != RegularizerJoint) {
		return fmt.Errorf("latentfm: AugmentX=%v and AugmentYPeriod=%d need ConditionalDecoder and Regularizer %q or %q (got ConditionalDecoder=%v, Regularizer=%q)", c.AugmentX, c.AugmentYPeriod, RegularizerNone, RegularizerJoint, c.ConditionalDecoder, c.Regularizer)
	}
	if c.AugmentYPeriod < 0 || (c.AugmentYPeriod > 0 && c.N%c.AugmentYPeriod != 0) {
		return fmt.Errorf("latentfm: AugmentYPeriod=%d must be 0 or a positive divisor of N=%d", c.AugmentYPeriod, c.N)
	}
	return nil
}

func (c Config) validateMean() error {
	if err := c.Sensors.Validate(c.N); err != nil {
		return fmt.Errorf("latentfm: %w", err)
	}
	if c.MeanNetwork == nil {
		if c.Sensors.Enabled() {
			return fmt.Errorf("latentfm: Sensors (%s) feed the mean network, but MeanNetwork is nil; set MeanNetwork or remove the sensors", c.Sensors)
		}
		return nil
	}
	if err := c.MeanNetwork.Validate(c.N); err != nil {
		return fmt.Errorf("latentfm: MeanNetwork: %w", err)
	}
	if c.MeanSteps < 1 || c.MeanBatchSize < 1 || !(c.MeanLearningRate > 0) {
		return fmt.Errorf("latentfm: with a MeanNetwork, MeanSteps=%d and MeanBatchSize=%d must be at least 1 and MeanLearningRate=%g positive", c.MeanSteps, c.MeanBatchSize, c.MeanLearningRate)
	}
	return nil
}
