package experiment

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/diffusion"
	"github.com/closure-lab/closure/pkg/flowmatch"
	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/latentfm"
	"github.com/closure-lab/closure/pkg/physfm"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/sensors"
	"github.com/closure-lab/closure/pkg/train"
)

// ModelKind names a family of closure models that TrainModel can train.
type ModelKind string

// Model kinds, as the command line spells them.
const (
	// KindLatentFM is flow matching in the latent space of an autoencoder of H (package latentfm).
	KindLatentFM ModelKind = "latent-fm"
	// KindDiffusion is score-based diffusion on the LES grid with an FNO score network
	// (package diffusion).
	KindDiffusion ModelKind = "diffusion"
	// KindFlowMatching is flow matching on the LES grid with an FNO velocity network
	// (package physfm).
	KindFlowMatching ModelKind = "flow-matching"
)

// ModelKinds lists every model kind.
var ModelKinds = []ModelKind{KindLatentFM, KindDiffusion, KindFlowMatching}

// ParseModelKind returns the kind named name, or an error listing the valid names.
func ParseModelKind(name string) (ModelKind, error) {
	kind := ModelKind(name)
	if !slices.Contains(ModelKinds, kind) {
		return "", fmt.Errorf("experiment: unknown model %q; use one of %s", name, joinKinds(ModelKinds))
	}
	return kind, nil
}

func joinKinds(kinds []ModelKind) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// Label returns the human-readable name of the kind, for tables and figure legends.
func (k ModelKind) Label() string {
	switch k {
	case KindLatentFM:
		return "latent flow matching"
	case KindDiffusion:
		return "physical diffusion"
	case KindFlowMatching:
		return "physical flow matching"
	}
	return string(k)
}

// FileName returns the checkpoint file name of the kind inside an output directory. The
// latent model shares ModelFile with Run, so `closure run` and `closure train --model
// latent-fm` reuse each other's model.
func (k ModelKind) FileName() string {
	if k == KindLatentFM {
		return ModelFile
	}
	return string(k) + ".ckpt"
}

// Samplers returns the sampler names the kind accepts: the ODE solvers of package flowmatch
// for the flow-matching kinds and the reverse-time samplers of package diffusion for
// KindDiffusion. The first name is the default.
func (k ModelKind) Samplers() []string {
	var names []string
	if k == KindDiffusion {
		for _, s := range diffusion.Samplers {
			names = append(names, string(s))
		}
		return names
	}
	for _, s := range flowmatch.Solvers {
		names = append(names, string(s))
	}
	return names
}

// DefaultSampler returns the sampler used when none is named: "euler" for the flow-matching
// kinds and "euler-maruyama" for diffusion.
func (k ModelKind) DefaultSampler() string { return k.Samplers()[0] }

// EvaluationsPerStep returns the network evaluations (NFE) per sampler step of the named
// sampler, or an error when the kind does not accept it.
func (k ModelKind) EvaluationsPerStep(sampler string) (int, error) {
	if err := k.checkSampler(sampler); err != nil {
		return 0, err
	}
	switch diffusion.Sampler(sampler) {
	case diffusion.EulerMaruyama:
		return 1, nil
	case diffusion.PredictorCorrector:
		return 1 + diffusion.DefaultConfig(2).CorrectorSteps, nil
	case diffusion.ProbabilityFlow:
		return 2, nil
	}
	return flowmatch.Solver(sampler).EvaluationsPerStep(), nil
}

func (k ModelKind) checkSampler(sampler string) error {
	if !slices.Contains(k.Samplers(), sampler) {
		return fmt.Errorf("experiment: sampler %q does not apply to the %s model; use one of %s",
			sampler, k, strings.Join(k.Samplers(), ", "))
	}
	return nil
}

// physicalStepDivisor divides the preset's flow-matching steps to give the optimizer steps
// of a physical-space model. On a busy 2-core machine with the pure-Go backend, one FNO step
// took 0.13 s at 16² with batch 8 and 3 s at 32² with batch 32. That is 10 to 100 times a
// step of the latent MLP, so the full budget would take hours at the small preset.
//
// NOTE: at the tiny preset this leaves 100 steps, after which both FNO models have an
// ensemble-mean error of 0.86 to 0.93 on the test split, barely better than predicting H = 0.
const physicalStepDivisor = 4

// physicalSteps returns the optimizer steps of a physical-space model of a preset.
func physicalSteps(t preset.Training) int { return max(t.FlowSteps/physicalStepDivisor, 1) }

// DiffusionConfig returns the diffusion configuration of a preset: the package defaults for
// the LES grid size (VE SDE, FNO score network) with a quarter of the preset's flow-matching
// steps (see physicalStepDivisor), its batch size and seed. Sampling runs from t = 1 to 1e-3
// on the uniform grid.
func DiffusionConfig(p preset.Preset) diffusion.Config {
	cfg := diffusion.DefaultConfig(p.LESGridSize())
	cfg.Steps, cfg.BatchSize, cfg.Seed = physicalSteps(p.Training), p.Training.BatchSize, p.Training.Seed
	cfg.Sensors = p.Training.Sensors
	return cfg
}

// FlowMatchingConfig returns the physical-space flow-matching configuration of a preset. It
// takes the package defaults for the LES grid size (FNO velocity network) with a quarter of
// the preset's flow-matching steps (see physicalStepDivisor), its batch size and seed. Its
// default sampling is Euler with the preset's sampler steps.
func FlowMatchingConfig(p preset.Preset) physfm.Config {
	cfg := physfm.DefaultConfig(p.LESGridSize())
	cfg.Steps, cfg.BatchSize, cfg.Seed = physicalSteps(p.Training), p.Training.BatchSize, p.Training.Seed
	cfg.Sensors = p.Training.Sensors
	cfg.SampleSteps, cfg.Solver = max(p.Evaluation.SamplerSteps, 1), string(flowmatch.Euler)
	return cfg
}

// ClosureModel is a trained closure model of one kind, loaded or freshly trained. Exactly
// one of its model pointers is set, the one of Kind. It is not safe for concurrent use.
type ClosureModel struct {
	Kind ModelKind
	// Path is the checkpoint file the model was saved to or loaded from.
	Path string

	latent *latentfm.Model
	score  *diffusion.Model
	flow   *physfm.Model
}

// Latent returns the latent flow-matching model, or nil for another kind.
func (m *ClosureModel) Latent() *latentfm.Model { return m.latent }

// Diffusion returns the diffusion model, or nil for another kind.
func (m *ClosureModel) Diffusion() *diffusion.Model { return m.score }

// FlowMatching returns the physical flow-matching model, or nil for another kind.
func (m *ClosureModel) FlowMatching() *physfm.Model { return m.flow }

// Sample draws members closure samples per condition, as the Sampler interface describes,
// with the named sampler ("" selects the kind's default).
func (m *ClosureModel) Sample(sampler string, omegaBar []float32, members, steps int, seed int64) ([]float32, error) {
	switch m.Kind {
	case KindLatentFM:
		return m.latent.Sample(omegaBar, members, steps, sampler, seed)
	case KindDiffusion:
		return m.score.Sample(omegaBar, members, steps, sampler, seed)
	case KindFlowMatching:
		return m.flow.Sample(omegaBar, members, steps, sampler, seed)
	}
	return nil, fmt.Errorf("experiment: model kind %q has no sampler", m.Kind)
}

// Sensors returns the sensor layout the model reads; the zero value for a model without
// sensors.
func (m *ClosureModel) Sensors() sensors.Layout {
	switch m.Kind {
	case KindLatentFM:
		return m.latent.Config().Sensors
	case KindDiffusion:
		return m.score.Config().Sensors
	case KindFlowMatching:
		return m.flow.Config().Sensors
	}
	return sensors.Layout{}
}

// SampleMeasured is Sample for a model with sensors: measured holds one field per
// condition, [B, n, n], of which the model reads the values at its sensors.
func (m *ClosureModel) SampleMeasured(sampler string, omegaBar, measured []float32, members, steps int, seed int64) ([]float32, error) {
	switch m.Kind {
	case KindLatentFM:
		return m.latent.SampleMeasured(omegaBar, measured, members, steps, sampler, seed)
	case KindDiffusion:
		return m.score.SampleMeasured(omegaBar, measured, members, steps, sampler, seed)
	case KindFlowMatching:
		return m.flow.SampleMeasured(omegaBar, measured, members, steps, sampler, seed)
	}
	return nil, fmt.Errorf("experiment: the %s model has no sampler", m.Kind)
}

// modelSampler adapts a ClosureModel to the Sampler interface with a fixed sampler name.
type modelSampler struct {
	model   *ClosureModel
	sampler string
}

func (s modelSampler) Sample(omegaBar []float32, members, steps int, seed int64) ([]float32, error) {
	return s.model.Sample(s.sampler, omegaBar, members, steps, seed)
}

// measuredModelSampler adapts a ClosureModel with sensors to the MeasuredSampler interface.
type measuredModelSampler struct{ modelSampler }

func (s measuredModelSampler) SampleMeasured(omegaBar, measured []float32, members, steps int, seed int64) ([]float32, error) {
	return s.model.SampleMeasured(s.sampler, omegaBar, measured, members, steps, seed)
}

// Sampler returns a Sampler that draws from the model with the named sampler; "" selects
// Kind.DefaultSampler. For a model with sensors the Sampler is a MeasuredSampler. It returns
// an error naming the valid samplers when the kind does not accept name.
func (m *ClosureModel) Sampler(name string) (Sampler, error) {
	if name == "" {
		name = m.Kind.DefaultSampler()
	}
	if err := m.Kind.checkSampler(name); err != nil {
		return nil, err
	}
	if m.Sensors().Enabled() {
		return measuredModelSampler{modelSampler{model: m, sampler: name}}, nil
	}
	return modelSampler{model: m, sampler: name}, nil
}

// ModelPath returns the checkpoint path of a kind in the output directory dir.
func ModelPath(dir string, kind ModelKind) string {
	return filepath.Join(dir, kind.FileName())
}

// TrainResult is the outcome of TrainModel: the model, whether it was trained or loaded, and
// the training wall time.
type TrainResult struct {
	Model *ClosureModel
	// Trained is false when a saved model with the same configuration was loaded.
	Trained bool
	// Seconds is the training wall time, 0 when the model was loaded.
	Seconds float64
	// FinalLoss is the mean training loss of the last tenth of the last stage's steps, 0
	// when the model was loaded.
	FinalLoss float64
	// Stages holds the final loss of each training stage in order, ending with FinalLoss. A
	// latent model has the flow-matching stage and, when enabled, reflow. The reflow loss
	// measures another target (the teacher's ODE endpoints), so the two do not compare.
	Stages []StageLoss
	// ReconstructionError is the autoencoder's relative validation error of a latent model,
	// 0 for the other kinds and when the model was loaded.
	ReconstructionError float64
}

// StageLoss is the mean training loss of the last tenth of one training stage's steps.
type StageLoss struct {
	Stage string
	Loss  float64
}

// TrainModel trains a closure model of the given kind on the training split of ds (the
// validation split, when present, gives validation losses) with the configuration the
// preset implies (LatentFMConfig, DiffusionConfig or FlowMatchingConfig) and saves it to
// ModelPath(dir, kind). A saved model with the same configuration is loaded instead, so a
// rerun skips training. progress may be nil.
func TrainModel(p preset.Preset, kind ModelKind, ds *dataset.Dataset, dir string, progress func(stage string, pr train.Progress)) (*TrainResult, error) {
	if _, err := ParseModelKind(string(kind)); err != nil {
		return nil, err
	}
	if err := checkDirectory(dir); err != nil {
		return nil, err
	}
	if ds.N() != p.LESGridSize() {
		return nil, fmt.Errorf("experiment: the data set %s has a %d² grid but preset %q has a %d² LES grid; pass the data set of that preset",
			ds.Dir(), ds.N(), p.Name, p.LESGridSize())
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("experiment: creating the model directory %s: %w", dir, err)
	}
	path := ModelPath(dir, kind)
	start := time.Now()

	if kind == KindLatentFM {
		model, history, err := TrainLatentFM(p, ds, path, progress)
		if err != nil {
			return nil, err
		}
		result := &TrainResult{Model: &ClosureModel{Kind: kind, Path: path, latent: model}}
		if history != nil {
			result.Trained, result.Seconds = true, time.Since(start).Seconds()
			result.ReconstructionError = history.ReconstructionError
			result.Stages = []StageLoss{{"flow matching", finalLoss(history.FlowMatching)}}
			if history.Reflow != nil {
				result.Stages = append(result.Stages, StageLoss{"reflow", finalLoss(history.Reflow)})
			}
			result.FinalLoss = result.Stages[len(result.Stages)-1].Loss
		}
		return result, nil
	}

	model, err := loadPhysical(p, kind, path)
	if err != nil || model != nil {
		return &TrainResult{Model: model}, err
	}
	trainSplit, validation, err := loadTrainingSplits(ds)
	if err != nil {
		return nil, err
	}
	history, model, err := trainPhysical(p, kind, path, trainSplit, validation, progress)
	if err != nil {
		return nil, err
	}
	loss := finalLoss(history)
	return &TrainResult{Model: model, Trained: true, Seconds: time.Since(start).Seconds(), FinalLoss: loss,
		Stages: []StageLoss{{string(kind), loss}}}, nil
}

// LoadModel loads the model of a kind saved in dir for preset p. It returns an error that
// names the `closure train` command to run when there is no saved model, and one that asks
// to train again when the saved model was trained with another configuration.
func LoadModel(p preset.Preset, kind ModelKind, dir string) (*ClosureModel, error) {
	return LoadModelTrainedOn(p, kind, dir, "")
}

// LoadModelTrainedOn is LoadModel for a model trained on the data set in dataDir instead of
// the preset's default folder: the `closure train` command its errors name gets --data dataDir.
func LoadModelTrainedOn(p preset.Preset, kind ModelKind, dir, dataDir string) (*ClosureModel, error) {
	if _, err := ParseModelKind(string(kind)); err != nil {
		return nil, err
	}
	path := ModelPath(dir, kind)
	retrain := fmt.Sprintf("closure train --model %s --preset %s%s --out %s", kind, p.Name, sensorArgs(p.Training.Sensors), dir)
	if dataDir != "" {
		retrain += " --data " + dataDir
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("experiment: no trained %s model at %s; train it first with `%s`", kind, path, retrain)
	}

	var saved, expected any
	model := &ClosureModel{Kind: kind, Path: path}
	var err error
	switch kind {
	case KindLatentFM:
		if model.latent, err = latentfm.Load(path); err == nil {
			saved, expected = model.latent.Config(), LatentFMConfig(p)
		}
	case KindDiffusion:
		if model.score, err = diffusion.Load(path); err == nil {
			saved, expected = model.score.Config(), DiffusionConfig(p)
		}
	case KindFlowMatching:
		if model.flow, err = physfm.Load(path); err == nil {
			saved, expected = model.flow.Config(), FlowMatchingConfig(p)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("experiment: the saved model %s cannot be loaded (%w); train it again with `%s`", path, err, retrain)
	}
	if err := checkSensors(model.Sensors(), p.Training.Sensors); err != nil {
		return nil, fmt.Errorf("experiment: the %s model at %s %w, or train it again with `%s`", kind, path, err, retrain)
	}
	if !sameJSON(saved, expected) {
		return nil, fmt.Errorf("experiment: the %s model at %s was trained with another configuration than preset %q implies; train it again with `%s`",
			kind, path, p.Name, retrain)
	}
	return model, nil
}

// checkSensors returns an error phrase when a model trained with the sensors saved is loaded
// for a preset that places expected.
func checkSensors(saved, expected sensors.Layout) error {
	switch {
	case saved == expected:
		return nil
	case !saved.Enabled():
		return fmt.Errorf("has no sensors, but the preset places %s; load it without sensor flags", expected)
	}
	return fmt.Errorf("reads sensors on %s, but the preset places %s; load it with the flags%s", saved, expected, sensorArgs(saved))
}

// sensorArgs returns the flags of `closure train` that place the sensors of layout, with a
// leading space, or "" without sensors.
func sensorArgs(layout sensors.Layout) string {
	switch {
	case layout.Stride > 0:
		return fmt.Sprintf(" --sensor-stride %d", layout.Stride)
	case layout.Fraction > 0:
		return fmt.Sprintf(" --sensor-fraction %g --sensor-seed %d", layout.Fraction, layout.Seed)
	}
	return ""
}

// loadPhysical loads the diffusion or physical flow-matching model at path when it exists
// and has the configuration of the preset. It returns (nil, nil) when the caller should train.
func loadPhysical(p preset.Preset, kind ModelKind, path string) (*ClosureModel, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	model, err := LoadModel(p, kind, filepath.Dir(path))
	if err != nil {
		slog.Info("saved model differs or cannot be loaded; training anew", "path", path, "err", err)
		return nil, nil
	}
	slog.Info("loaded trained model", "path", path)
	return model, nil
}

// trainPhysical trains a diffusion or physical flow-matching model and saves it to path.
func trainPhysical(p preset.Preset, kind ModelKind, path string, trainSplit, validation *dataset.SplitData, progress func(string, train.Progress)) (*train.History, *ClosureModel, error) {
	data := fno.FieldPairs{OmegaBar: trainSplit.OmegaBar, H: trainSplit.Closure, N: trainSplit.N}
	var val *fno.FieldPairs
	if validation != nil {
		val = &fno.FieldPairs{OmegaBar: validation.OmegaBar, H: validation.Closure, N: validation.N}
	}
	options := func(steps int, cfg any) train.Options {
		return train.Options{Progress: progress, ValidationEvery: max(steps/10, 1), Checkpoint: progressPath(path, cfg), CheckpointEvery: progressEvery}
	}

	model := &ClosureModel{Kind: kind, Path: path}
	var history *train.History
	var err error
	switch kind {
	case KindDiffusion:
		cfg := DiffusionConfig(p)
		if model.score, err = diffusion.New(cfg); err != nil {
			return nil, nil, err
		}
		slog.Info("training physical diffusion", "preset", p.Name, "snapshots", trainSplit.Snapshots, "steps", cfg.Steps)
		if history, err = model.score.Train(data, val, options(cfg.Steps, cfg)); err == nil {
			err = model.score.Save(path)
		}
	case KindFlowMatching:
		cfg := FlowMatchingConfig(p)
		if model.flow, err = physfm.New(cfg); err != nil {
			return nil, nil, err
		}
		slog.Info("training physical flow matching", "preset", p.Name, "snapshots", trainSplit.Snapshots, "steps", cfg.Steps)
		if history, err = model.flow.Train(data, val, options(cfg.Steps, cfg)); err == nil {
			err = model.flow.Save(path)
		}
	default:
		return nil, nil, fmt.Errorf("experiment: %q is not a physical-space model kind", kind)
	}
	if err != nil {
		return nil, nil, err
	}
	removeProgress(path)
	return history, model, nil
}

// loadTrainingSplits loads the training split of ds and its validation split, which is nil
// when the data set has no validation trajectories.
func loadTrainingSplits(ds *dataset.Dataset) (trainSplit, validation *dataset.SplitData, err error) {
	if trainSplit, err = ds.LoadSplit(dataset.SplitTrain); err != nil {
		return nil, nil, err
	}
	if len(ds.Trajectories(dataset.SplitValidation)) > 0 {
		if validation, err = ds.LoadSplit(dataset.SplitValidation); err != nil {
			return nil, nil, err
		}
	}
	return trainSplit, validation, nil
}

// finalLoss returns the mean training loss over the last tenth of the steps of h.
func finalLoss(h *train.History) float64 {
	if h == nil || len(h.Loss) == 0 {
		return 0
	}
	tail := h.Loss[len(h.Loss)-max(len(h.Loss)/10, 1):]
	var sum float64
	for _, v := range tail {
		sum += v
	}
	return sum / float64(len(tail))
}

// sameJSON reports whether a and b encode to the same JSON, the test a saved configuration
// passes when it matches the one requested.
func sameJSON(a, b any) bool {
	encodedA, errA := json.Marshal(a)
	encodedB, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(encodedA) == string(encodedB)
}
