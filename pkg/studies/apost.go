package studies

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/closure-lab/closure/pkg/apost"
	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/latentfm"
	"github.com/closure-lab/closure/pkg/preset"
)

// LearnedClosureName labels the latent flow-matching closure in a-posteriori
// results and figures.
const LearnedClosureName = "latent FM"

// Defaults of APosterioriConfig.
const (
	// DefaultAPosterioriDuration is the simulated time of the LES ensembles.
	DefaultAPosterioriDuration = 10.0
	// DefaultResampleEvery is the number k of LES steps between two draws
	// of the learned closure.
	DefaultResampleEvery = 10
)

// APosterioriConfig sets up the a-posteriori study of a preset. Zero values
// select the defaults named on each field.
type APosterioriConfig struct {
	// Trajectory is the index of the random initial field of the DNS
	// (Preset.InitialField). The default, p.Data.Trajectories, is the first
	// field that the data set does not contain, so the learned closure meets
	// a flow it was not trained on.
	Trajectory int
	// Start is the spin-up time of the DNS before the LES start; 0 means
	// p.Data.SpinUp.
	Start float64
	// Duration is the simulated time of the LES; 0 means
	// DefaultAPosterioriDuration.
	Duration float64
	// OutputEvery is the time between outputs; 0 means p.Data.Interval.
	OutputEvery float64
	// ResampleEvery is the number k of LES steps between draws of the
	// learned closure; 0 means DefaultResampleEvery.
	ResampleEvery int
	// Members is the ensemble size; 0 means p.Evaluation.Members.
	Members int
	// DNSWorkers sets the FFT goroutines of the DNS; 0 means the solver
	// default.
	DNSWorkers int
	// Mean, when not nil, adds the deterministic closure MeanClosureName:
	// every member gets Mean's H (see MeanSampler), redrawn every
	// ResampleEvery steps like the learned closure.
	Mean apost.Sampler
	// Extra closures run after the others, for example an apost.Learned
	// closure of a physical-space model with sensors.
	Extra []apost.Closure
	// ScaleSelective, when positive, adds a copy of the learned closure that acts only on
	// |k| ≥ ScaleSelective (see ScaleSelective and DefaultMinWavenumber).
	ScaleSelective float64
	// ScaleSelectiveMax, when positive, also removes |k| ≥ ScaleSelectiveMax from that copy
	// (see BandLimited and DefaultMaxWavenumber); it must exceed ScaleSelective.
	ScaleSelectiveMax float64
}

// withDefaults fills the zero fields of c from preset p. A zero Trajectory
// selects p.Data.Trajectories, so trajectory 0 of the data set cannot be
// requested explicitly.
func (c APosterioriConfig) withDefaults(p preset.Preset) APosterioriConfig {
	if c.Trajectory == 0 {
		c.Trajectory = p.Data.Trajectories
	}
	if c.Start == 0 {
		c.Start = p.Data.SpinUp
	}
	if c.Duration == 0 {
		c.Duration = DefaultAPosterioriDuration
	}
	if c.OutputEvery == 0 {
		c.OutputEvery = p.Data.Interval
	}
	if c.ResampleEvery == 0 {
		c.ResampleEvery = DefaultResampleEvery
	}
	if c.Members == 0 {
		c.Members = max(p.Evaluation.Members, 1)
	}
	return c
}

// DataDir returns the preset's data-set directory as seen from the notebooks
// folder: ../datasets/<preset>, the directory of `closure run`.
func DataDir(presetName string) string {
	return filepath.Join("..", "datasets", presetName)
}

// ModelPath returns the latent flow-matching checkpoint of the preset as seen
// from the notebooks folder: ../figures/<preset>/latentfm.ckpt, the file of
// `closure run`.
func ModelPath(presetName string) string {
	return filepath.Join("..", "figures", presetName, experiment.ModelFile)
}

// PrepareLatentFM returns the latent flow-matching closure of preset p. It
// generates the data set in dataDir unless it is complete, and trains the
// model on it unless modelPath holds one trained with the same configuration
// (experiment.TrainLatentFM).
func PrepareLatentFM(ctx context.Context, p preset.Preset, dataDir, modelPath string) (*latentfm.Model, error) {
	if _, err := experiment.Generate(ctx, p, dataDir, experiment.GenerateOptions{}); err != nil {
		return nil, fmt.Errorf("studies: generating the data set of preset %q in %s: %w", p.Name, dataDir, err)
	}
	ds, err := dataset.Open(dataDir)
	if err != nil {
		return nil, fmt.Errorf("studies: opening the data set %s: %w", dataDir, err)
	}
	if err := os.MkdirAll(filepath.Dir(modelPath), 0o755); err != nil {
		return nil, fmt.Errorf("studies: creating the directory of %s: %w", modelPath, err)
	}
	model, _, err := experiment.TrainLatentFM(p, ds, modelPath, nil)
	if err != nil {
		return nil, fmt.Errorf("studies: training the latent flow-matching closure of preset %q: %w", p.Name, err)
	}
	return model, nil
}

// APosteriori runs the LES ensembles of preset p with the closures none,
// Smagorinsky and oracle, and, when sampler is not nil, the learned closure
// LearnedClosureName drawn from sampler every cfg.ResampleEvery LES steps
// with p.Evaluation.SamplerSteps sampler steps. The reference DNS starts
// from the random field cfg.Trajectory spun up to cfg.Start, and every
// output is compared with its filtered state. Spectra and PDFs are averaged
// over the second half of the run.
func APosteriori(ctx context.Context, p preset.Preset, sampler apost.Sampler, cfg APosterioriConfig) (*apost.Result, error) {
	cfg = cfg.withDefaults(p)
	initial, err := apost.SpinUp(ctx, p, cfg.Trajectory, cfg.Start, cfg.DNSWorkers)
	if err != nil {
		return nil, fmt.Errorf("studies: spinning up trajectory %d of preset %q: %w", cfg.Trajectory, p.Name, err)
	}

	run, err := apost.PresetConfig(p, initial, cfg.Start, cfg.DNSWorkers)
	if err != nil {
		return nil, err
	}
	run.Duration = cfg.Duration
	run.OutputEvery = cfg.OutputEvery
	run.Members = cfg.Members
	run.AverageWindow = cfg.Duration / 2
	run.Closures = []apost.Closure{apost.None{}, apost.Smagorinsky{}, apost.Oracle{}}
	if sampler != nil {
		learned := LatentClosure(p, sampler, cfg.ResampleEvery)
		run.Closures = append(run.Closures, learned)
		if cfg.ScaleSelective > 0 {
			selective, err := BandLimited(learned, cfg.ScaleSelective, cfg.ScaleSelectiveMax)
			if err != nil {
				return nil, err
			}
			run.Closures = append(run.Closures, selective)
		}
	}
	if cfg.Mean != nil {
		run.Closures = append(run.Closures, apost.Learned{Label: MeanClosureName, Sampler: cfg.Mean, Every: cfg.ResampleEvery})
	}
	run.Closures = append(run.Closures, cfg.Extra...)
	return apost.Run(ctx, run)
}

// LatentClosure returns the learned closure LearnedClosureName of APosteriori: sampler drawn
// every resampleEvery LES steps (0 means DefaultResampleEvery) with p.Evaluation.SamplerSteps
// sampler steps.
func LatentClosure(p preset.Preset, sampler apost.Sampler, resampleEvery int) apost.Learned {
	if resampleEvery == 0 {
		resampleEvery = DefaultResampleEvery
	}
	return apost.Learned{
		Label: LearnedClosureName, Sampler: sampler,
		Every: resampleEvery, Steps: max(p.Evaluation.SamplerSteps, 1),
	}
}

// MeanClosureName labels the deterministic closure of APosterioriConfig.Mean.
const MeanClosureName = "latent FM mean"

// meanSampler gives every member the mean network's estimate μ(ω̄) of E[H | ω̄].
type meanSampler struct{ model *latentfm.Model }

// Sample returns members copies of μ(ω̄) per condition; steps and seed are unused.
func (s meanSampler) Sample(omegaBar []float32, members, _ int, _ int64) ([]float32, error) {
	mu, err := s.model.Mean(omegaBar)
	if err != nil {
		return nil, err
	}
	size := s.model.Config().N * s.model.Config().N
	out := make([]float32, 0, len(mu)*members)
	for b := range len(mu) / size {
		for range members {
			out = append(out, mu[b*size:(b+1)*size]...)
		}
	}
	return out, nil
}

// MeanSampler returns the deterministic closure μ(ω̄) of a latent model's mean network as an
// apost.Sampler for APosterioriConfig.Mean, or nil when the model has no mean network.
func MeanSampler(model *latentfm.Model) apost.Sampler {
	if model.Config().MeanNetwork == nil {
		return nil
	}
	return meanSampler{model: model}
}

// APosterioriPath returns the scratch file of the named preset's
// a-posteriori result: os.TempDir()/closure-notebooks/<preset>-apost.gob.
func APosterioriPath(presetName string) string {
	return filepath.Join(os.TempDir(), ScratchDir, presetName+"-apost.gob")
}

// SaveAPosteriori writes res, including the final fields that its JSON form
// leaves out, to path with encoding/gob. It writes a temporary file and
// renames it, so readers never see a partial file.
func SaveAPosteriori(path string, res *apost.Result) error {
	return saveGob(path, "a-posteriori result", res)
}

// LoadAPosteriori reads a result written by SaveAPosteriori. It returns an
// error naming the path when the file is missing or not a result; run the
// cell that computes it first.
func LoadAPosteriori(path string) (*apost.Result, error) {
	res := &apost.Result{}
	if err := loadGob(path, "a-posteriori result", res); err != nil {
		return nil, err
	}
	return res, nil
}
