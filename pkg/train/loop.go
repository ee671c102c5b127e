package train

import (
	"fmt"
	"log/slog"
	"math"
	"os"
	"time"

	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
	"github.com/schollz/progressbar/v3"
)

// LossFn builds the scalar training loss of one batch: inputs holds one node per
// Dataset.Arrays entry, each of shape [batch, ExampleDims...]. It may create variables in ctx
// and draw graph random numbers (ctx.RandomNormal and friends).
type LossFn func(ctx *context.Context, inputs []*Node) *Node

// Config sets up one call of Run. The zero value is invalid: set Steps, BatchSize and
// LearningRate at least.
type Config struct {
	// Steps is the number of optimizer steps (mini-batches).
	Steps int
	// BatchSize is the number of examples per step; it must not exceed the data set size.
	BatchSize int
	// LearningRate is the peak Adam learning rate.
	LearningRate float64
	// WarmupSteps is the length of the linear warmup; 0 disables it.
	WarmupSteps int
	// MinLearningRateFraction is the final learning rate of the cosine decay as a fraction of
	// LearningRate, in [0, 1].
	MinLearningRateFraction float64
	// Seed seeds the batch shuffler. Weight initialization and graph random numbers are seeded
	// separately, by the context parameter context.ParamInitialSeed.
	Seed uint64
	// OptimizerScope is the context scope of the Adam moments, so two stages trained in the same
	// context keep separate optimizer state. Empty means "adam".
	OptimizerScope string
	// ValidationEvery is the number of steps between validation losses; 0 evaluates only after
	// the last step. Ignored without a validation set.
	ValidationEvery int
	// Progress, if not nil, is called after every step.
	Progress func(Progress)
	// ProgressBar draws a terminal progress bar on stderr.
	ProgressBar bool
	// Description labels the progress bar and log lines.
	Description string

	// EMADecay, when positive, is the decay of an exponential moving average of the trained
	// weights, typically 0.999 (emaDecayAt gives the decay of the first steps). Run leaves the
	// averages in the variables when it returns, for sampling. It must be below 1.
	EMADecay float64

	// Checkpoint, when not empty, is the file of the training state: Run writes it atomically
	// every CheckpointEvery steps and after the last step, and a Run with the same
	// configuration, data shape and freshly built context resumes from it. A run killed at
	// any moment and started again reaches bit for bit the result of an uninterrupted run on
	// the same machine and backend.
	Checkpoint string
	// CheckpointEvery is the number of steps between training-state checkpoints; 0 writes
	// one only after the last step.
	CheckpointEvery int
}

// Progress reports the state after one optimizer step.
type Progress struct {
	Step, Steps    int
	Loss           float64
	ValidationLoss float64 // NaN until the first validation
	LearningRate   float64
	Elapsed        time.Duration
}

// History is the record of one Run: the training loss of every step and the validation loss
// at ValidationSteps (empty without a validation set).
type History struct {
	Loss            []float64
	ValidationSteps []int
	ValidationLoss  []float64
	// StepTime is the mean wall time per step, excluding the first step (graph compilation)
	// and validation.
	StepTime time.Duration
}

// validate checks the configuration against the data set size.
func (c *Config) validate(length int) error {
	switch {
	case c.Steps < 1:
		return fmt.Errorf("train: Steps=%d must be at least 1", c.Steps)
	case c.BatchSize < 1 || c.BatchSize > length:
		return fmt.Errorf("train: BatchSize=%d must be between 1 and the data set size %d; lower the batch size or add data", c.BatchSize, length)
	case !(c.LearningRate > 0):
		return fmt.Errorf("train: LearningRate=%g must be positive", c.LearningRate)
	case c.WarmupSteps < 0 || c.WarmupSteps >= c.Steps:
		return fmt.Errorf("train: WarmupSteps=%d must be in [0, Steps=%d)", c.WarmupSteps, c.Steps)
	case c.MinLearningRateFraction < 0 || c.MinLearningRateFraction > 1:
		return fmt.Errorf("train: MinLearningRateFraction=%g must be in [0, 1]", c.MinLearningRateFraction)
	case c.ValidationEvery < 0:
		return fmt.Errorf("train: ValidationEvery=%d must be non-negative", c.ValidationEvery)
	case c.EMADecay < 0 || c.EMADecay >= 1:
		return fmt.Errorf("train: EMADecay=%g must be in [0, 1); 0 turns the moving average off", c.EMADecay)
	case c.CheckpointEvery < 0:
		return fmt.Errorf("train: CheckpointEvery=%d must be non-negative", c.CheckpointEvery)
	}
	return nil
}

// Run trains the variables of ctx used by loss for cfg.Steps Adam steps on batches of data,
// and evaluates the same loss on validation (which may be nil). A non-finite training loss
// stops the run with an error. The returned History is filled up to the failing step when
// the error is not nil. With cfg.Checkpoint set, Run first resumes from that file when it
// exists.
func Run(backend backends.Backend, ctx *context.Context, loss LossFn, data *Dataset, validation *Dataset, cfg Config) (*History, error) {
	length, err := data.Len()
	if err != nil {
		return nil, err
	}
	if err := cfg.validate(length); err != nil {
		return nil, err
	}
	if cfg.OptimizerScope == "" {
		cfg.OptimizerScope = "adam"
	}
	// The training and validation graphs share variables, and a restored checkpoint creates
	// them before any graph does, so variable creation is unchecked.
	ctx = ctx.Checked(false)

	history := &History{Loss: make([]float64, 0, cfg.Steps)}
	first, err := resume(ctx, cfg, data, history)
	if err != nil {
		return nil, err
	}

	trainExec, err := newTrainExec(backend, ctx, loss, cfg)
	if err != nil {
		return nil, err
	}
	defer trainExec.Finalize()

	var validator *evaluator
	if validation != nil {
		if validator, err = newEvaluator(backend, ctx, loss, validation, cfg.BatchSize); err != nil {
			return nil, err
		}
		defer validator.exec.Finalize()
	}

	var bar *progressbar.ProgressBar
	if cfg.ProgressBar {
		bar = progressbar.NewOptions(cfg.Steps, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription(cfg.Description),
			progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionThrottle(200*time.Millisecond))
		_ = bar.Set(first)
	}

	batches := newShuffler(cfg.Seed, length, cfg.BatchSize)
	for range first {
		batches.next()
	}
	validationLoss := math.NaN()
	if n := len(history.ValidationLoss); n > 0 {
		validationLoss = history.ValidationLoss[n-1]
	}
	start := time.Now()
	var steadyStart time.Time
	var validationTime time.Duration
	for step := first; step < cfg.Steps; step++ {
		if step == first+1 {
			steadyStart = time.Now()
		}

		learningRate := LearningRate(step, cfg.Steps, cfg.WarmupSteps, cfg.LearningRate, cfg.MinLearningRateFraction)
		inputs := []any{float32(learningRate)}
		if cfg.EMADecay > 0 {
			inputs = append(inputs, float32(emaDecayAt(cfg.EMADecay, step)))
		}
		for _, tensor := range data.batch(batches.next()) {
			inputs = append(inputs, tensor)
		}
		outputs, err := trainExec.Exec(inputs...)
		if err != nil {
			return history, fmt.Errorf("train: step %d of %q failed: %w", step, cfg.Description, err)
		}
		value := scalar(outputs[0])
		history.Loss = append(history.Loss, value)
		if math.IsNaN(value) || math.IsInf(value, 0) {
			return history, fmt.Errorf("train: loss is %g at step %d of %q; lower the learning rate (now %g) or check the data normalization", value, step, cfg.Description, learningRate)
		}

		last := step == cfg.Steps-1
		if validator != nil && (last || (cfg.ValidationEvery > 0 && (step+1)%cfg.ValidationEvery == 0)) {
			validationStart := time.Now()
			if validationLoss, err = validator.loss(); err != nil {
				return history, err
			}
			validationTime += time.Since(validationStart)
			history.ValidationSteps = append(history.ValidationSteps, step+1)
			history.ValidationLoss = append(history.ValidationLoss, validationLoss)
			slog.Debug("validation", "run", cfg.Description, "step", step+1, "loss", validationLoss)
		}
		if cfg.Checkpoint != "" && (last || (cfg.CheckpointEvery > 0 && (step+1)%cfg.CheckpointEvery == 0)) {
			if err := saveProgress(ctx, cfg, data, history, step+1); err != nil {
				return history, err
			}
		}

		if cfg.Progress != nil {
			cfg.Progress(Progress{Step: step + 1, Steps: cfg.Steps, Loss: value, ValidationLoss: validationLoss, LearningRate: learningRate, Elapsed: time.Since(start)})
		}
		if bar != nil {
			_ = bar.Add(1)
		}
	}
	if bar != nil {
		_ = bar.Finish()
	}

	if done := cfg.Steps - first; done > 1 {
		history.StepTime = (time.Since(steadyStart) - validationTime) / time.Duration(done-1)
	}
	if cfg.EMADecay > 0 {
		if err := CopyAverages(ctx, cfg.OptimizerScope); err != nil {
			return history, err
		}
	}
	attrs := []any{"run", cfg.Description, "steps", cfg.Steps, "resumed_at", first, "final_loss", history.Loss[len(history.Loss)-1]}
	// A run without validation data has no validation loss to report.
	if !math.IsNaN(validationLoss) {
		attrs = append(attrs, "validation_loss", validationLoss)
	}
	slog.Info("training finished", append(attrs, "step_time", history.StepTime, "elapsed", time.Since(start))...)
	return history, nil
}

// newTrainExec builds the graph of one optimizer step. Its inputs are the learning rate, the
// moving-average decay when cfg.EMADecay > 0, and one batch per data array.
func newTrainExec(backend backends.Backend, ctx *context.Context, loss LossFn, cfg Config) (*context.Exec, error) {
	optimizer := optimizers.Adam().LearningRate(cfg.LearningRate).Scope(cfg.OptimizerScope).Done()
	exec, err := context.NewExec(backend, ctx, func(ctx *context.Context, inputs []*Node) *Node {
		data := inputs[1:]
		if cfg.EMADecay > 0 {
			data = inputs[2:]
		}
		value := loss(ctx, data)
		learningRate := ConvertDType(inputs[0], value.DType())
		optimizers.LearningRateVar(ctx, value.DType(), cfg.LearningRate).SetValueGraph(learningRate)
		optimizer.UpdateGraph(ctx, value.Graph(), value)
		if cfg.EMADecay > 0 {
			updateAverages(ctx, value.Graph(), inputs[1], cfg.OptimizerScope)
		}
		return value
	})
	if err != nil {
		return nil, fmt.Errorf("train: building the training graph failed: %w", err)
	}
	return exec, nil
}

func scalar(tensor *tensors.Tensor) float64 {
	switch value := tensor.Value().(type) {
	case float32:
		return float64(value)
	case float64:
		return value
	}
	panic(fmt.Sprintf("train: the loss must be a float scalar, got %s", tensor.Shape()))
}

// evaluator computes the mean loss over a data set in fixed-size batches.
type evaluator struct {
	exec      *context.Exec
	data      *Dataset
	length    int
	batchSize int
}

func newEvaluator(backend backends.Backend, ctx *context.Context, loss LossFn, data *Dataset, batchSize int) (*evaluator, error) {
	length, err := data.Len()
	if err != nil {
		return nil, fmt.Errorf("train: validation set: %w", err)
	}
	exec, err := context.NewExec(backend, ctx, func(ctx *context.Context, inputs []*Node) *Node {
		return loss(ctx, inputs)
	})
	if err != nil {
		return nil, fmt.Errorf("train: building the validation graph failed: %w", err)
	}
	return &evaluator{exec: exec, data: data, length: length, batchSize: min(batchSize, length)}, nil
}

// loss returns the mean loss over the complete batches of the data set, in data order.
func (e *evaluator) loss() (float64, error) {
	var total float64
	numBatches := e.length / e.batchSize
	for b := range numBatches {
		indices := make([]int, e.batchSize)
		for k := range indices {
			indices[k] = b*e.batchSize + k
		}
		inputs := make([]any, 0, len(e.data.Arrays))
		for _, tensor := range e.data.batch(indices) {
			inputs = append(inputs, tensor)
		}
		outputs, err := e.exec.Exec(inputs...)
		if err != nil {
			return 0, fmt.Errorf("train: validation batch %d failed: %w", b, err)
		}
		total += scalar(outputs[0])
	}
	return total / float64(numBatches), nil
}
