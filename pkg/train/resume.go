package train

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/pkg/ml/context"
)

// progressModel and progressVersion are the Header of training-state checkpoints.
const (
	progressModel   = "train.Run"
	progressVersion = 1
)

// fingerprint describes everything that decides the course of a run besides the initial
// variables: the configuration and the number and shape of the examples.
func fingerprint(cfg Config, data *Dataset) string {
	length, _ := data.Len()
	shapes := make([]string, len(data.Arrays))
	for k, array := range data.Arrays {
		shapes[k] = fmt.Sprint(array.ExampleDims)
	}
	return fmt.Sprintf("steps=%d batch=%d lr=%g warmup=%d min_lr_fraction=%g seed=%d optimizer=%s ema=%g validation_every=%d examples=%d shapes=%s",
		cfg.Steps, cfg.BatchSize, cfg.LearningRate, cfg.WarmupSteps, cfg.MinLearningRateFraction, cfg.Seed, cfg.OptimizerScope,
		cfg.EMADecay, cfg.ValidationEvery, length, strings.Join(shapes, ","))
}

// resume restores ctx and history from cfg.Checkpoint when that file exists and returns the
// number of steps already done (0 without a checkpoint).
func resume(ctx *context.Context, cfg Config, data *Dataset, history *History) (int, error) {
	if cfg.Checkpoint == "" {
		return 0, nil
	}
	if _, err := os.Stat(cfg.Checkpoint); errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	checkpoint, err := Load(cfg.Checkpoint, progressModel, progressVersion)
	if err != nil {
		return 0, fmt.Errorf("train: cannot resume %q: %w; delete the file to start over", cfg.Description, err)
	}
	state := checkpoint.Training
	if state == nil {
		return 0, fmt.Errorf("train: %s contains no training state; delete it to start over", cfg.Checkpoint)
	}
	if want := fingerprint(cfg, data); state.Fingerprint != want {
		return 0, fmt.Errorf("train: %s was written by a run with another configuration or data (%s), this run has (%s); delete the file to start over or use another checkpoint path",
			cfg.Checkpoint, state.Fingerprint, want)
	}
	if state.Step < 0 || state.Step > cfg.Steps || len(state.Loss) != state.Step {
		return 0, fmt.Errorf("train: %s is inconsistent: step %d with %d losses for a run of %d steps; delete it to start over", cfg.Checkpoint, state.Step, len(state.Loss), cfg.Steps)
	}
	if err := checkpoint.Restore(ctx); err != nil {
		return 0, err
	}
	history.Loss = append(history.Loss, state.Loss...)
	history.ValidationSteps = slices.Clone(state.ValidationSteps)
	history.ValidationLoss = slices.Clone(state.ValidationLoss)
	slog.Info("training resumed", "run", cfg.Description, "checkpoint", cfg.Checkpoint, "step", state.Step, "steps", cfg.Steps)
	return state.Step, nil
}

// saveProgress writes the variables of ctx and the state after step steps to cfg.Checkpoint.
func saveProgress(ctx *context.Context, cfg Config, data *Dataset, history *History, step int) error {
	state := &TrainingState{
		Step:            step,
		Fingerprint:     fingerprint(cfg, data),
		Loss:            history.Loss,
		ValidationSteps: history.ValidationSteps,
		ValidationLoss:  history.ValidationLoss,
	}
	if err := save(cfg.Checkpoint, ctx, Header{Model: progressModel, Version: progressVersion}, state); err != nil {
		return fmt.Errorf("train: writing the training state of %q at step %d: %w", cfg.Description, step, err)
	}
	return nil
}
