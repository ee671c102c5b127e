package latentfm

import (
	"fmt"
	"log/slog"
	"math"

	"github.com/closure-lab/closure/pkg/autoencoder"
	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/train"
)

// TrainOptions overrides the training length and reports progress. Zero values keep the
// configuration's defaults.
type TrainOptions struct {
	// AESteps and FMSteps, when positive, replace Config.AESteps and Config.FMSteps.
	AESteps, FMSteps int
	// Progress, if not nil, is called after every step with the stage ("autoencoder" or
	// "flow matching") and the step's state.
	Progress func(stage string, progress train.Progress)
	// ProgressBar draws a progress bar per stage on stderr.
	ProgressBar bool
	// ValidationEvery is the number of steps between validation losses (0: only at the end).
	ValidationEvery int
}

// History records both training stages.
type History struct {
	Autoencoder  *train.History
	FlowMatching *train.History
	// ReconstructionError is the autoencoder's relative L2 error ‖D(E(H)) − H‖/‖H − mean‖ on the
	// validation set, or on the training set without one.
	ReconstructionError float64
}

// Train runs stage 1 (autoencoder on data.H) and stage 2 (flow matching on the latents of
// data.H conditioned on data.OmegaBar). val may be nil. Training a trained model trains both
// stages again, starting from the current weights.
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
	aeSteps, fmSteps := m.config.AESteps, m.config.FMSteps
	if opts.AESteps > 0 {
		aeSteps = opts.AESteps
	}
	if opts.FMSteps > 0 {
		fmSteps = opts.FMSteps
	}
	m.sampler = nil

	history := &History{}
	var valH []float32
	if val != nil {
		valH = val.H
	}
	history.Autoencoder, err = m.ae.Train(data.H, valH, m.stageConfig("autoencoder", aeSteps, m.config.AEBatchSize, m.config.AELearningRate, count, opts))
	if err != nil {
		return history, fmt.Errorf("latentfm: stage 1 (autoencoder): %w", err)
	}
	if val != nil {
		history.ReconstructionError, err = m.ae.ReconstructionError(val.H, valCount)
	} else {
		history.ReconstructionError, err = m.ae.ReconstructionError(data.H, count)
	}
	if err != nil {
		return history, err
	}
	slog.Info("latentfm: autoencoder trained", "relative_reconstruction_error", history.ReconstructionError)

	latents, err := m.ae.Encode(data.H, count)
	if err != nil {
		return history, err
	}
	m.latent = fitStandardization(latents, m.config.Autoencoder.Latent)
	m.condition = autoencoder.FitNormalization(data.OmegaBar)
	trainSet, err := m.latentDataset(latents, data.OmegaBar)
	if err != nil {
		return history, err
	}
	var valSet *train.Dataset
	if val != nil {
		valLatents, err := m.ae.Encode(val.H, valCount)
		if err != nil {
			return history, err
		}
		if valSet, err = m.latentDataset(valLatents, val.OmegaBar); err != nil {
			return history, err
		}
	}

	stage := m.stageConfig("flow matching", fmSteps, m.config.FMBatchSize, m.config.FMLearningRate, count, opts)
	stage.OptimizerScope = scope + "_adam"
	history.FlowMatching, err = train.Run(m.backend, m.ctx, m.flowMatchingLoss, trainSet, valSet, stage)
	if err != nil {
		return history, fmt.Errorf("latentfm: stage 2 (flow matching): %w", err)
	}
	m.trained = true
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
		ValidationEvery:         opts.ValidationEvery,
		ProgressBar:             opts.ProgressBar,
		Description:             name,
	}
	if opts.Progress != nil {
		cfg.Progress = func(p train.Progress) { opts.Progress(name, p) }
	}
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
	features, err := nn.ProjectToModes(m.backend, omegaBar, count, m.config.N, m.config.ConditionModes)
	if err != nil {
		return nil, err
	}
	m.condition.NormalizeFeatures(features, numModes)

	return &train.Dataset{Arrays: []train.Array{
		{Data: standardized, ExampleDims: []int{d}},
		{Data: features, ExampleDims: []int{numModes}},
	}}, nil
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
