package physfm

import (
	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/train"
)

// stage is the name of the only training stage, passed to TrainOptions.Progress.
const stage = "flow matching"

// TrainOptions overrides the training length, reports progress and names the training-state
// file that makes a killed Train call resumable (see train.Options). The stage is
// "flow matching".
type TrainOptions = train.Options

// Train fits the field normalizations on data and trains the velocity network with
// conditional flow matching on (data.H, data.OmegaBar). val may be nil. Training a trained model
// continues from the current weights but refits the normalizations.
func (m *Model) Train(data Data, val *Data, opts TrainOptions) (*train.History, error) {
	m.velocityExec = nil
	setup := fno.FieldTraining{
		Model: "physfm", Stage: stage, N: m.config.N,
		Steps: m.config.Steps, BatchSize: m.config.BatchSize,
		LearningRate: m.config.LearningRate, WarmupFraction: m.config.WarmupFraction,
		MinLearningRateFraction: minLearningRateFraction, EMADecay: m.config.EMADecay,
		Seed: m.config.Seed, OptimizerScope: scope + "_adam",
	}
	history, field, condition, err := fno.TrainFields(m.backend, m.ctx, m.flowMatchingLoss, data, val, setup, opts)
	if err != nil {
		return history, err
	}
	m.field, m.condition, m.trained = field, condition, true
	return history, nil
}
