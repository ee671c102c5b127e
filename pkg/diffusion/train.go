package diffusion

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/train"
)

// stage is the name of the only training stage, passed to TrainOptions.Progress.
const stage = "score matching"

// TrainOptions overrides the training length, reports progress and names the file of the
// training state that makes a killed Train call resumable (see train.Options); the stage is
// "score matching".
type TrainOptions = train.Options

// Train fits the field normalizations on data and trains the score network with denoising
// score matching on (data.H, data.OmegaBar). val may be nil. Training a trained model
// continues from the current weights but refits the normalizations.
func (m *Model) Train(data Data, val *Data, opts TrainOptions) (*train.History, error) {
	count, err := data.count(m.config.N)
	if err != nil {
		return nil, err
	}
	if val != nil {
		if _, err := val.count(m.config.N); err != nil {
			return nil, fmt.Errorf("validation set: %w", err)
		}
	}
	steps := opts.StepsOr(m.config.Steps)
	m.scoreExec = nil

	m.field = fno.FitNormalization(data.H)
	m.condition = fno.FitNormalization(data.OmegaBar)
	trainSet := m.dataset(data)
	var valSet *train.Dataset
	if val != nil {
		valSet = m.dataset(*val)
	}

	cfg := train.Config{
		Steps:                   steps,
		BatchSize:               min(m.config.BatchSize, count),
		LearningRate:            m.config.LearningRate,
		WarmupSteps:             int(m.config.WarmupFraction * float64(steps)),
		MinLearningRateFraction: minLearningRateFraction,
		Seed:                    uint64(m.config.Seed),
		OptimizerScope:          scope + "_adam",
		EMADecay:                m.config.EMADecay,
	}
	opts.Apply(&cfg, stage, "")
	history, err := train.Run(m.backend, m.ctx, m.scoreMatchingLoss, trainSet, valSet, cfg)
	if err != nil {
		return history, fmt.Errorf("diffusion: training: %w", err)
	}
	m.trained = true
	return history, nil
}

// dataset returns the normalized fields and conditions as a train.Dataset.
func (m *Model) dataset(data Data) *train.Dataset {
	n := m.config.N
	return &train.Dataset{Arrays: []train.Array{
		{Data: m.field.Normalize(data.H), ExampleDims: []int{n, n}},
		{Data: m.condition.Normalize(data.OmegaBar), ExampleDims: []int{n, n}},
	}}
}
