package latentfm

import (
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/closure-lab/closure/pkg/autoencoder"
	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/regularize"
	"github.com/closure-lab/closure/pkg/train"
)

// TrainOptions overrides the training length and reports progress. Zero values keep the
// configuration's defaults.
type TrainOptions struct {
	// AESteps and FMSteps, when positive, replace Config.AESteps and Config.FMSteps.
	AESteps, FMSteps int
	// ReflowSteps, when positive, replaces Config.ReflowSteps; a negative value skips stage 3.
	ReflowSteps int
	// Progress, if not nil, is called after every step with the stage ("autoencoder", "joint"
	// or the regularizer's name, "flow matching", "reflow") and the step's state.
	Progress func(stage string, progress train.Progress)
	// ProgressBar draws a progress bar per stage on stderr.
	ProgressBar bool
	// ValidationEvery is the number of steps between validation losses (0: only at the end).
	ValidationEvery int
	// Checkpoint, when not empty, makes a killed Train call resumable. Each stage keeps its
	// training state in Checkpoint + ".mean", ".autoencoder", ".flow-matching" or ".reflow"
	// (see train.Options), and a stage whose state records its last step is not trained again.
	Checkpoint string
	// CheckpointEvery is the number of steps between training-state checkpoints (0: only
	// after the last step of each stage).
	CheckpointEvery int
}

// History records the training stages.
type History struct {
	// Autoencoder is stage 1: the autoencoder alone, or with the regularizer of
	// Config.Regularizer (then its losses include the weighted regularizer).
	Autoencoder  *train.History
	FlowMatching *train.History
	// Mean is stage 0, the mean network, nil without Config.MeanNetwork. MeanError is its
	// relative error ‖μ(ω̄) − H‖/‖H − mean(H)‖ on the validation set, or on the training set
	// without one. With a mean network, the other stages and ReconstructionError concern the
	// residual r = H − μ(ω̄), so ReconstructionError is relative to ‖r − mean(r)‖.
	Mean      *train.History
	MeanError float64
	// Reflow is stage 3, nil when it did not run; ReflowPairTime is the wall time spent
	// integrating the teacher ODE for its pairs.
	Reflow         *train.History
	ReflowPairTime time.Duration
	// ReconstructionError is the autoencoder's relative L2 error ‖D(E(H)) − H‖/‖H − mean‖ on the
	// validation set, or on the training set without one.
	ReconstructionError float64
}

// Train runs the stages of the model on data; val may be nil. Training a trained model trains
// every stage again, starting from the current weights.
//
//   - Stage 0, with Config.MeanNetwork, fits the mean network μ(ω̄) to H by least squares;
//     the following stages then see H − μ(ω̄) in place of H.
//   - Stage 1 trains the autoencoder on data.H for AESteps steps. With Regularizer "none" it
//     trains alone. With "joint" it trains together with the teacher's flow matching on the
//     batch-standardized latents (loss = reconstruction + RegularizerWeight·FM, see
//     regularizedLoss), so the FM loss shapes the latent space. With "mp" or "ga" it adds the
//     weighted latent-geometry loss of package regularize to the reconstruction.
//   - Stage 2 fixes the encoder, standardizes the latents of data.H and trains the teacher's
//     flow matching conditioned on data.OmegaBar for FMSteps steps, with independent or
//     minibatch-OT coupling (Config.Coupling).
//   - Stage 3 (reflow), when ReflowSteps > 0, trains the student on teacher-coupled pairs.
func (m *Model) Train(data Data, val *Data, opts TrainOptions) (*History, error) {
	count, err := data.count(m.config.N)
	if err != nil {
		return nil, err
	}
	var valCount int
	if val != nil {
		if valCount, err = val.count(m.config.N); err != nil {
			return nil, fmt.Errorf("validation set: %w", err)
		}
	}
	aeSteps, fmSteps, reflowSteps := m.config.AESteps, m.config.FMSteps, m.config.ReflowSteps
	if opts.AESteps > 0 {
		aeSteps = opts.AESteps
	}
	if opts.FMSteps > 0 {
		fmSteps = opts.FMSteps
	}
	if opts.ReflowSteps != 0 {
		reflowSteps = max(opts.ReflowSteps, 0)
	}
	m.samplers = map[string]*sampler{}
	m.student = false
	m.coderGraphs = nil
	m.regularizer = nil

	history := &History{}
	m.mean = nil
	if m.config.MeanNetwork != nil {
		if history.Mean, err = m.trainMean(data, val, count, opts); err != nil {
			return history, err
		}
		if data, val, err = m.residuals(data, val, count, valCount, history); err != nil {
			return history, err
		}
	}
	m.condition = autoencoder.FitNormalization(data.OmegaBar)
	if history.Autoencoder, err = m.trainStage1(data, val, count, aeSteps, opts); err != nil {
		return history, err
	}
	m.coderGraphs = nil // built with the normalizations of stage 1 from here on
	if val != nil {
		history.ReconstructionError, err = m.reconstructionError(*val, valCount)
	} else {
		history.ReconstructionError, err = m.reconstructionError(data, count)
	}
	if err != nil {
		return history, err
	}
	slog.Info("latentfm: autoencoder trained", "regularizer", m.config.Regularizer, "conditional_decoder", m.config.ConditionalDecoder, "relative_reconstruction_error", history.ReconstructionError)

	latents, err := m.encodeFields(data.H, data.OmegaBar, count)
	if err != nil {
		return history, err
	}
	m.latent = fitStandardization(latents, m.config.Autoencoder.Latent)
	latentSet, err := m.latentDataset(latents, data.OmegaBar)
	if err != nil {
		return history, err
	}
	var valSet *train.Dataset
	if val != nil {
		valLatents, err := m.encodeFields(val.H, val.OmegaBar, valCount)
		if err != nil {
			return history, err
		}
		if valSet, err = m.latentDataset(valLatents, val.OmegaBar); err != nil {
			return history, err
		}
	}

	if history.FlowMatching, err = m.trainStage2(latentSet, valSet, count, fmSteps, opts); err != nil {
		return history, err
	}
	m.trained = true

	if reflowSteps > 0 {
		history.Reflow, history.ReflowPairTime, err = m.reflow(latentSet, reflowSteps, opts)
		if err != nil {
			return history, err
		}
		slog.Info("latentfm: reflow trained", "pairs", count*m.config.ReflowPairs, "pair_time", history.ReflowPairTime)
	}
	return history, nil
}

// trainStage1 trains the autoencoder, alone or with the configured regularizer.
func (m *Model) trainStage1(data Data, val *Data, count, steps int, opts TrainOptions) (*train.History, error) {
	stage := m.stageConfig("autoencoder", steps, m.config.AEBatchSize, m.config.AELearningRate, count, opts)
	unregularized := m.config.Regularizer == "" || m.config.Regularizer == RegularizerNone
	if unregularized && !m.config.conditional() {
		var valH []float32
		if val != nil {
			valH = val.H
		}
		history, err := m.ae.Train(data.H, valH, stage)
		if err != nil {
			return history, fmt.Errorf("latentfm: stage 1 (autoencoder): %w", err)
		}
		return history, nil
	}

	// NOTE: autoencoder.Model caches its Encode and Decode graphs with the normalization of
	// their first use, so a second Train call on data with another normalization of H would
	// encode with the old one. Train a new Model for new data.
	m.ae.Normalization = autoencoder.FitNormalization(data.H)
	trainSet, err := m.stage1Dataset(data)
	if err != nil {
		return nil, err
	}
	var valSet *train.Dataset
	if val != nil {
		if valSet, err = m.stage1Dataset(*val); err != nil {
			return nil, err
		}
	}
	if m.config.Regularizer == RegularizerMP || m.config.Regularizer == RegularizerGA {
		spec := regularize.Spec{Kind: regularize.Kind(m.config.Regularizer), Weight: m.config.RegularizerWeight}
		inputs := trainSet.Arrays[2]
		if m.regularizer, err = regularize.New(spec, inputs.Data, inputs.ExampleDims[0]); err != nil {
			return nil, fmt.Errorf("latentfm: stage 1 regularizer %q: %w", m.config.Regularizer, err)
		}
		valSet = nil // the ga table holds only training inputs
	}
	if !unregularized {
		stage.Description = m.config.Regularizer
		if opts.Progress != nil {
			stage.Progress = func(p train.Progress) { opts.Progress(m.config.Regularizer, p) }
		}
	}
	stage.OptimizerScope = scope + "_stage1_adam"
	history, err := train.Run(m.backend, m.ctx, m.regularizedLoss, trainSet, valSet, stage)
	if err != nil {
		return history, fmt.Errorf("latentfm: stage 1 (autoencoder with regularizer %q): %w", m.config.Regularizer, err)
	}
	return history, nil
}

// stage1Dataset returns the DFT features of normalized H and of normalized ω̄ of data, and
// the H features scaled by √w_p (nn.ModeWeights), whose Euclidean distance is the RMS
// distance of the band-limited fields (Parseval).
func (m *Model) stage1Dataset(data Data) (*train.Dataset, error) {
	count := len(data.H) / (m.config.N * m.config.N)
	modes := m.config.Autoencoder.Modes
	hFeatures, err := nn.ProjectToModes(m.backend, data.H, count, m.config.N, modes)
	if err != nil {
		return nil, err
	}
	m.ae.Normalization.NormalizeFeatures(hFeatures, nn.NumModeFeatures(modes))

	conditionFeatures, err := m.conditionFeatures(data.OmegaBar, count)
	if err != nil {
		return nil, err
	}
	numModes := nn.NumModeFeatures(modes)
	weights := nn.ModeWeights(modes)
	scaled := make([]float32, len(hFeatures))
	for k, value := range hFeatures {
		scaled[k] = value * float32(math.Sqrt(float64(weights[k%numModes])))
	}
	return &train.Dataset{Arrays: []train.Array{
		{Data: hFeatures, ExampleDims: []int{numModes}},
		{Data: conditionFeatures, ExampleDims: []int{nn.NumModeFeatures(m.config.ConditionModes)}},
		{Data: scaled, ExampleDims: []int{numModes}},
	}}, nil
}

// trainStage2 trains the teacher's flow matching on the latent data set.
func (m *Model) trainStage2(latentSet, valSet *train.Dataset, count, steps int, opts TrainOptions) (*train.History, error) {
	loss, trainSet := m.flowMatchingLoss, latentSet
	if m.config.Coupling == CouplingOT {
		coupled, err := m.otDataset(latentSet)
		if err != nil {
			return nil, err
		}
		loss, trainSet = m.coupledLoss(scope, 0), coupled
		valSet = nil // the validation set holds no coupled pairs
	}

	stage := m.stageConfig("flow matching", steps, m.config.FMBatchSize, m.config.FMLearningRate, count, opts)
	stage.OptimizerScope = scope + "_adam"
	history, err := train.Run(m.backend, m.ctx, loss, trainSet, valSet, stage)
	if err != nil {
		return history, fmt.Errorf("latentfm: stage 2 (flow matching): %w", err)
	}
	return history, nil
}

// stageConfig returns the train.Config of one stage; the batch size is capped at the data set
// size so small data sets still train.
func (m *Model) stageConfig(name string, steps, batchSize int, learningRate float64, count int, opts TrainOptions) train.Config {
	cfg := train.Config{
		Steps:                   steps,
		BatchSize:               min(batchSize, count),
		LearningRate:            learningRate,
		WarmupSteps:             int(m.config.WarmupFraction * float64(steps)),
		MinLearningRateFraction: minLearningRateFraction,
		Seed:                    uint64(m.config.Seed),
	}
	options := train.Options{Progress: opts.Progress, ProgressBar: opts.ProgressBar, ValidationEvery: opts.ValidationEvery,
		Checkpoint: opts.Checkpoint, CheckpointEvery: opts.CheckpointEvery}
	options.Apply(&cfg, name, strings.ReplaceAll(name, " ", "-"))
	return cfg
}

// latentDataset standardizes latents and pairs them with the DFT features of the normalized
// conditions, computed once here so that training steps contain no N x N operation.
func (m *Model) latentDataset(latents, omegaBar []float32) (*train.Dataset, error) {
	d := m.config.Autoencoder.Latent
	standardized := make([]float32, len(latents))
	for k, value := range latents {
		standardized[k] = (value - m.latent.Mean[k%d]) / m.latent.Std[k%d]
	}

	count := len(latents) / d
	numModes := nn.NumModeFeatures(m.config.ConditionModes)
	features, err := m.conditionFeatures(omegaBar, count)
	if err != nil {
		return nil, err
	}

	return &train.Dataset{Arrays: []train.Array{
		{Data: standardized, ExampleDims: []int{d}},
		{Data: features, ExampleDims: []int{numModes}},
	}}, nil
}

// conditionFeatures returns the DFT features [count, P] of the normalized conditions.
func (m *Model) conditionFeatures(omegaBar []float32, count int) ([]float32, error) {
	features, err := nn.ProjectToModes(m.backend, omegaBar, count, m.config.N, m.config.ConditionModes)
	if err != nil {
		return nil, err
	}
	m.condition.NormalizeFeatures(features, nn.NumModeFeatures(m.config.ConditionModes))
	return features, nil
}

// fitStandardization returns the per-coordinate mean and standard deviation of latents
// [S, d]; a constant coordinate gets Std = 1.
func fitStandardization(latents []float32, d int) standardization {
	count := len(latents) / d
	s := standardization{Mean: make([]float32, d), Std: make([]float32, d)}
	for k := range d {
		var mean, variance float64
		for n := range count {
			mean += float64(latents[n*d+k])
		}
		mean /= float64(count)
		for n := range count {
			difference := float64(latents[n*d+k]) - mean
			variance += difference * difference
		}
		variance /= float64(count)
		s.Mean[k] = float32(mean)
		s.Std[k] = 1
		if variance > 0 {
			s.Std[k] = float32(math.Sqrt(variance))
		}
	}
	return s
}

// residuals replaces H by H − μ(ω̄) in data and val (when not nil) after stage 0, and records
// the mean network's relative error in history.
func (m *Model) residuals(data Data, val *Data, count, valCount int, history *History) (Data, *Data, error) {
	residual, trainError, err := m.residual(data, count)
	if err != nil {
		return data, val, err
	}
	history.MeanError = trainError
	if val == nil {
		return residual, nil, nil
	}
	valResidual, valError, err := m.residual(*val, valCount)
	if err != nil {
		return data, val, err
	}
	history.MeanError = valError
	return residual, &valResidual, nil
}
