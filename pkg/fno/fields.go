package fno

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// FieldPairs is a set of S training pairs of a conditional field model: OmegaBar and H are
// flat float32 slices of shape [S, N, N] holding the filtered vorticity (the condition) and
// the closure field.
type FieldPairs struct {
	OmegaBar, H []float32
	N           int
}

// Count returns S, or an error prefixed by model when the grid size is not n or the slices
// do not hold whole N x N fields of equal count.
func (d FieldPairs) Count(model string, n int) (int, error) {
	if d.N != n {
		return 0, fmt.Errorf("%s: data grid size N=%d differs from the model's N=%d", model, d.N, n)
	}
	fieldSize := n * n
	if len(d.H) == 0 || len(d.H)%fieldSize != 0 || len(d.OmegaBar) != len(d.H) {
		return 0, fmt.Errorf("%s: data must hold S fields of %d values in both OmegaBar and H, got %d and %d values", model, fieldSize, len(d.OmegaBar), len(d.H))
	}
	return len(d.H) / fieldSize, nil
}

// FieldTraining is the training setup of a conditional field model for TrainFields.
type FieldTraining struct {
	// Model prefixes error messages; Stage names the stage in progress reports.
	Model, Stage string
	// N is the model's grid size.
	N int
	// Steps, BatchSize, LearningRate, WarmupFraction, MinLearningRateFraction, EMADecay,
	// Seed and OptimizerScope set up train.Config; Steps is replaced by a positive
	// train.Options.Steps, and BatchSize is capped at the data set size.
	Steps, BatchSize                                                int
	LearningRate, WarmupFraction, MinLearningRateFraction, EMADecay float64
	Seed                                                            int64
	OptimizerScope                                                  string
}

// TrainFields checks data and val (which may be nil), fits the normalizations of H and ω̄ on
// data, and trains the variables of ctx with loss on the normalized pairs. The loss receives
// normalized H [B, N, N] and normalized ω̄ [B, N, N], in this order. It returns the history
// and the normalizations, which the model applies when sampling.
func TrainFields(backend backends.Backend, ctx *context.Context, loss train.LossFn, data FieldPairs, val *FieldPairs, setup FieldTraining,
	opts train.Options) (history *train.History, h, omega Normalization, err error) {
	count, err := data.Count(setup.Model, setup.N)
	if err != nil {
		return nil, h, omega, err
	}
	if val != nil {
		if _, err := val.Count(setup.Model, setup.N); err != nil {
			return nil, h, omega, fmt.Errorf("validation set: %w", err)
		}
	}

	h, omega = FitNormalization(data.H), FitNormalization(data.OmegaBar)
	dataset := func(d FieldPairs) *train.Dataset {
		return &train.Dataset{Arrays: []train.Array{
			{Data: h.Normalize(d.H), ExampleDims: []int{setup.N, setup.N}},
			{Data: omega.Normalize(d.OmegaBar), ExampleDims: []int{setup.N, setup.N}},
		}}
	}
	var valSet *train.Dataset
	if val != nil {
		valSet = dataset(*val)
	}

	steps := opts.StepsOr(setup.Steps)
	cfg := train.Config{
		Steps:                   steps,
		BatchSize:               min(setup.BatchSize, count),
		LearningRate:            setup.LearningRate,
		WarmupSteps:             int(setup.WarmupFraction * float64(steps)),
		MinLearningRateFraction: setup.MinLearningRateFraction,
		Seed:                    uint64(setup.Seed),
		OptimizerScope:          setup.OptimizerScope,
		EMADecay:                setup.EMADecay,
	}
	opts.Apply(&cfg, setup.Stage, "")
	history, err = train.Run(backend, ctx, loss, dataset(data), valSet, cfg)
	if err != nil {
		return history, h, omega, fmt.Errorf("%s: training: %w", setup.Model, err)
	}
	return history, h, omega, nil
}
