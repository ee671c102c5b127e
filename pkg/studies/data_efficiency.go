package studies

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/latentfm"
	"github.com/closure-lab/closure/pkg/plots"
	"github.com/closure-lab/closure/pkg/preset"
)

// DataEfficiencyConfig sets up the data-efficiency study. Zero values select
// the defaults named on each field.
type DataEfficiencyConfig struct {
	// Fractions are the shares of the training split to train on, each in
	// (0, 1]; nil means 1/16, 1/4 and 1.
	Fractions []float64 `json:"fractions"`
	// Regularizers are the latentfm stage-1 regularizers to compare; nil
	// means none, joint, mp and ga.
	Regularizers []string `json:"regularizers"`
	// RegularizerWeight is λ of the joint, mp and ga losses; 0 keeps the
	// weight of experiment.LatentFMConfig (the latentfm default, 0.1).
	RegularizerWeight float64 `json:"regularizer_weight,omitempty"`
	// AESteps, FMSteps and ReflowSteps are the optimizer steps of the three
	// training stages; 0 keeps the preset's budget (experiment.LatentFMConfig),
	// and a negative ReflowSteps skips reflow. Every subset gets the same
	// number of steps, so a smaller subset is seen in more epochs.
	AESteps     int `json:"ae_steps,omitempty"`
	FMSteps     int `json:"fm_steps,omitempty"`
	ReflowSteps int `json:"reflow_steps,omitempty"`
	// TestSnapshots is the number of test snapshots evaluated (spread evenly
	// over the test split, experiment.SelectSnapshots); 0 means
	// p.Evaluation.Snapshots.
	TestSnapshots int `json:"test_snapshots,omitempty"`
	// Seeds is the number of training seeds per (fraction, regularizer),
	// p.Training.Seed, p.Training.Seed+1, ...; 0 means 1.
	Seeds int `json:"seeds,omitempty"`
	// WorkDir, when not empty, makes a killed study resumable: the metrics of
	// each finished run go to WorkDir/runs.json, and the run in progress keeps
	// its training state there every 25 optimizer steps. A rerun with the same
	// preset, configuration and data set skips the finished runs and resumes
	// the last one. DataEfficiencyWorkDir gives the notebooks' folder.
	// NOTE: the check that a rerun matches covers the preset, this
	// configuration and the split sizes, not the code: delete the folder
	// after changing the training code.
	WorkDir string `json:"-"`
	// Shard, when its Count is above 1, restricts the call to one shard of
	// the runs, so that shards run as independent jobs, for example a Slurm
	// job array, and MergeDataEfficiency joins their results. Run r of the
	// study, counted in the nesting order of DataEfficiencyResult.Runs from
	// 0, belongs to shard r mod Count. Every shard needs its own WorkDir.
	Shard dataset.Shard `json:"-"`
}

// DefaultDataEfficiencyFractions are the training-set fractions of the study
// when DataEfficiencyConfig.Fractions is nil.
var DefaultDataEfficiencyFractions = []float64{1.0 / 16, 1.0 / 4, 1}

// DefaultDataEfficiencyRegularizers are the regularizers compared when
// DataEfficiencyConfig.Regularizers is nil.
var DefaultDataEfficiencyRegularizers = []string{
	latentfm.RegularizerNone, latentfm.RegularizerJoint, latentfm.RegularizerMP, latentfm.RegularizerGA,
}

// DataEfficiencyConfigFor returns the study sized for preset p, with every
// default filled in. At "tiny" it trains 8 models (fractions 1/4 and 1, four
// regularizers, one seed) with 200 autoencoder, 200 flow-matching and 100
// reflow steps and evaluates 16 test snapshots: 2.6 to 3.3 minutes measured
// on 2 cores shared with other jobs. Other presets use the default fractions
// 1/16, 1/4 and 1 with the preset's full training budget and
// 2·p.Evaluation.Snapshots test snapshots.
func DataEfficiencyConfigFor(p preset.Preset) DataEfficiencyConfig {
	cfg := DataEfficiencyConfig{TestSnapshots: 2 * p.Evaluation.Snapshots}
	if p.Name == "tiny" {
		cfg = DataEfficiencyConfig{
			Fractions: []float64{1.0 / 4, 1}, AESteps: 200, FMSteps: 200, ReflowSteps: 100,
			TestSnapshots: 16,
		}
	}
	return cfg.withDefaults(p)
}

// withDefaults fills the zero fields of c from preset p.
func (c DataEfficiencyConfig) withDefaults(p preset.Preset) DataEfficiencyConfig {
	if c.Fractions == nil {
		c.Fractions = slices.Clone(DefaultDataEfficiencyFractions)
	}
	if c.Regularizers == nil {
		c.Regularizers = slices.Clone(DefaultDataEfficiencyRegularizers)
	}
	if c.TestSnapshots == 0 {
		c.TestSnapshots = p.Evaluation.Snapshots
	}
	if c.Seeds == 0 {
		c.Seeds = 1
	}
	return c
}

// validate returns an error naming the first invalid field of a config
// with its defaults filled in.
func (c DataEfficiencyConfig) validate() error {
	if len(c.Fractions) == 0 || len(c.Regularizers) == 0 {
		return fmt.Errorf("studies: data efficiency needs at least one fraction and one regularizer (got %d and %d)", len(c.Fractions), len(c.Regularizers))
	}
	for _, f := range c.Fractions {
		if !(f > 0 && f <= 1) {
			return fmt.Errorf("studies: training-set fraction %g must be in (0, 1]", f)
		}
	}
	for _, r := range c.Regularizers {
		if !slices.Contains(preset.Regularizers, r) {
			return fmt.Errorf("studies: data-efficiency regularizer %q is unknown; use some of %s", r, strings.Join(preset.Regularizers, ", "))
		}
	}
	if _, err := dataset.ParseShard(c.Shard.String()); err != nil {
		return fmt.Errorf("studies: data-efficiency shard: %w", err)
	}
	if c.TestSnapshots < 1 || c.Seeds < 1 || c.AESteps < 0 || c.FMSteps < 0 || c.RegularizerWeight < 0 {
		return fmt.Errorf("studies: data efficiency needs TestSnapshots=%d and Seeds=%d at least 1 and AESteps=%d, FMSteps=%d, RegularizerWeight=%g non-negative",
			c.TestSnapshots, c.Seeds, c.AESteps, c.FMSteps, c.RegularizerWeight)
	}
	return nil
}

// DataEfficiencyRun is one trained model of the study: its training subset,
// regularizer and seed, and its a-priori metrics on the test snapshots.
type DataEfficiencyRun struct {
	Fraction    float64 `json:"fraction"`
	Regularizer string  `json:"regularizer"`
	Seed        int64   `json:"seed"`
	// Snapshots and Trajectories are the size of the training subset and the
	// number of trajectories it draws from.
	Snapshots    int `json:"snapshots"`
	Trajectories int `json:"trajectories"`
	// MeanRelativeError is ‖mean − H‖/‖H‖ of the ensemble mean, averaged over
	// the test snapshots.
	MeanRelativeError float64 `json:"mean_relative_error"`
	// SpreadRatio and CRPSRatio are the ensemble spread and the CRPS divided
	// by the RMS of the true H over the test snapshots.
	SpreadRatio float64 `json:"spread_ratio"`
	CRPSRatio   float64 `json:"crps_ratio"`
	// SpreadSkill is the spread-skill ratio, 1 for a calibrated ensemble.
	SpreadSkill float64 `json:"spread_skill"`
	// ReconstructionError is the autoencoder's relative error on the
	// validation split (on the training subset without one).
	ReconstructionError float64 `json:"reconstruction_error"`
	// TrainSeconds is the wall time of training.
	TrainSeconds float64 `json:"train_seconds"`
	// Error is the message of a failed run, whose metrics are then zero.
	Error string `json:"error,omitempty"`
}

// DataEfficiencyResult is the outcome of DataEfficiency.
type DataEfficiencyResult struct {
	Preset string `json:"preset"`
	// Config is the configuration with its defaults filled in.
	Config DataEfficiencyConfig `json:"config"`
	// TrainSnapshots and TrainTrajectories are the size of the whole
	// training split; TestSnapshots is the number of snapshots evaluated.
	TrainSnapshots    int `json:"train_snapshots"`
	TrainTrajectories int `json:"train_trajectories"`
	TestSnapshots     int `json:"test_snapshots"`
	Members           int `json:"members"`
	SamplerSteps      int `json:"sampler_steps"`
	// Runs has one entry per fraction, regularizer and seed, in that
	// nesting order (only the shard's runs for a shard).
	Runs []DataEfficiencyRun `json:"runs"`
	// Seconds is the wall time of the study, summed over the shards of a
	// merged result.
	Seconds float64 `json:"seconds"`
	// Resumed is the number of runs read back from DataEfficiencyConfig.WorkDir,
	// finished by an earlier call, instead of trained.
	Resumed int `json:"resumed,omitempty"`
	// Fingerprint identifies the preset, configuration and data set of the
	// study; the results of its shards carry the same one.
	Fingerprint string `json:"fingerprint,omitempty"`
	// FirstSeed is the training seed of the first seed of every
	// (fraction, regularizer): the preset's training seed.
	FirstSeed int64 `json:"first_seed"`
	// Shard is the shard whose runs this result contains, nil for all of them.
	Shard *dataset.Shard `json:"shard,omitempty"`
}

// TrainingSubsetSize returns the number of snapshots that fraction selects
// of a split of total snapshots: round(fraction·total), at least 1 and at
// most total.
func TrainingSubsetSize(total int, fraction float64) int {
	return min(max(int(math.Round(fraction*float64(total))), 1), total)
}

// TrainingSubset returns the first TrainingSubsetSize(split.Snapshots,
// fraction) snapshots of split in its order, trajectory by trajectory and in
// time within each. The subset is thus whole trajectories when the size
// falls on a trajectory boundary (fraction·T whole for T equal trajectories)
// and otherwise whole trajectories followed by a contiguous block of the
// next one. Subsets of one split are nested: a smaller fraction selects a
// prefix of a larger one. The result shares memory with split. It returns
// an error when fraction is not in (0, 1], the split is empty or its
// trajectories are interleaved.
func TrainingSubset(split *dataset.SplitData, fraction float64) (*dataset.SplitData, error) {
	if !(fraction > 0 && fraction <= 1) {
		return nil, fmt.Errorf("studies: training-set fraction %g must be in (0, 1]", fraction)
	}
	if split.Snapshots == 0 {
		return nil, fmt.Errorf("studies: the %s split has no snapshots; regenerate the data set with more trajectories", split.Split)
	}
	if _, err := countTrajectories(split.Trajectory); err != nil {
		return nil, err
	}

	count := TrainingSubsetSize(split.Snapshots, fraction)
	size := split.N * split.N
	return &dataset.SplitData{
		Split: split.Split, N: split.N, Snapshots: count,
		OmegaBar:   split.OmegaBar[:count*size],
		Closure:    split.Closure[:count*size],
		Trajectory: split.Trajectory[:count],
		Time:       split.Time[:count],
	}, nil
}

// countTrajectories returns the number of distinct trajectories in the
// per-snapshot trajectory indices, or an error when one trajectory's
// snapshots are not contiguous.
func countTrajectories(trajectory []int) (int, error) {
	seen := map[int]bool{}
	for s, k := range trajectory {
		if s > 0 && trajectory[s-1] == k {
			continue
		}
		if seen[k] {
			return 0, fmt.Errorf("studies: the snapshots of trajectory %d are not contiguous in the split (again at snapshot %d); load the split with dataset.LoadSplit", k, s)
		}
		seen[k] = true
	}
	return len(seen), nil
}

// DataEfficiency trains the latent flow-matching closure of preset p on
// nested subsets of the training split of the data set in dataDir, one per
// cfg.Fractions (TrainingSubset). It trains one model per subset, regularizer
// of cfg.Regularizers and seed, and evaluates each on the test split with
// experiment.Evaluate: p.Evaluation.Members members per snapshot drawn with
// p.Evaluation.SamplerSteps Euler steps.
//
// It generates the data set first unless dataDir holds it complete
// (experiment.Generate). A run that fails, or whose metrics are not finite,
// is recorded with its error and the study goes on. An invalid
// configuration, a failed data set or a canceled ctx end the study with an
// error. The model of each run is experiment.LatentFMConfig(p) with the
// regularizer, its weight, the seed and the step counts of cfg.
func DataEfficiency(ctx context.Context, p preset.Preset, dataDir string, cfg DataEfficiencyConfig) (*DataEfficiencyResult, error) {
	cfg = cfg.withDefaults(p)
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if _, err := experiment.Generate(ctx, p, dataDir, experiment.GenerateOptions{}); err != nil {
		return nil, fmt.Errorf("studies: generating the data set of preset %q in %s: %w", p.Name, dataDir, err)
	}
	splits, err := loadDataEfficiencySplits(dataDir)
	if err != nil {
		return nil, err
	}

	evaluation := p
	evaluation.Evaluation.Snapshots = cfg.TestSnapshots
	result := &DataEfficiencyResult{
		Preset: p.Name, Config: cfg, TrainSnapshots: splits.train.Snapshots,
		TestSnapshots: len(experiment.SelectSnapshots(splits.test, cfg.TestSnapshots)),
		Members:       p.Evaluation.Members, SamplerSteps: p.Evaluation.SamplerSteps,
	}
	result.TrainTrajectories, _ = countTrajectories(splits.train.Trajectory)
	fingerprint, err := dataEfficiencyFingerprint(p, cfg, splits)
	if err != nil {
		return nil, err
	}
	ledger, err := openStudyLedger(cfg.WorkDir, fingerprint)
	if err != nil {
		return nil, err
	}

	result.Fingerprint, result.FirstSeed = fingerprint, p.Training.Seed
	if cfg.Shard.Count > 1 {
		shard := cfg.Shard
		result.Shard = &shard
	}

	began := time.Now()
	index := -1 // of the run in the study's nesting order
	for _, fraction := range cfg.Fractions {
		subset, err := TrainingSubset(splits.train, fraction)
		if err != nil {
			return nil, err
		}
		for _, regularizer := range cfg.Regularizers {
			for k := range cfg.Seeds {
				index++
				if !cfg.Shard.Contains(index) {
					continue
				}
				if err := ctx.Err(); err != nil {
					return nil, fmt.Errorf("studies: data efficiency stopped after %d runs: %w", len(result.Runs), err)
				}
				seed := p.Training.Seed + int64(k)
				if run, done := ledger.finished(fraction, regularizer, seed); done {
					slog.Info("studies: data-efficiency run already finished", "regularizer", regularizer, "snapshots", run.Snapshots, "seed", seed)
					result.Runs = append(result.Runs, run)
					result.Resumed++
					continue
				}
				run := trainAndEvaluate(evaluation, cfg, subset, splits.validation, splits.test, regularizer, seed, ledger.checkpoint(fraction, regularizer, seed))
				run.Fraction = fraction
				if err := ledger.record(run); err != nil {
					return nil, err
				}
				result.Runs = append(result.Runs, run)
			}
		}
	}
	result.Seconds = time.Since(began).Seconds()
	return result, nil
}

// dataEfficiencySplits are the splits of the data set that the study reads;
// validation is nil when the data set has none.
type dataEfficiencySplits struct {
	train, validation, test *dataset.SplitData
}

func loadDataEfficiencySplits(dataDir string) (*dataEfficiencySplits, error) {
	ds, err := dataset.Open(dataDir)
	if err != nil {
		return nil, fmt.Errorf("studies: opening the data set %s: %w; delete the directory to generate it again", dataDir, err)
	}
	splits := &dataEfficiencySplits{}
	if splits.train, err = ds.LoadSplit(dataset.SplitTrain); err != nil {
		return nil, err
	}
	if splits.test, err = ds.LoadSplit(dataset.SplitTest); err != nil {
		return nil, err
	}
	if splits.test.Snapshots == 0 {
		return nil, fmt.Errorf("studies: the data set %s has no test snapshots; regenerate it with a positive test fraction", dataDir)
	}
	if len(ds.Trajectories(dataset.SplitValidation)) > 0 {
		if splits.validation, err = ds.LoadSplit(dataset.SplitValidation); err != nil {
			return nil, err
		}
	}
	return splits, nil
}

// dataEfficiencyModelConfig returns the latent flow-matching configuration
// of one run.
func dataEfficiencyModelConfig(p preset.Preset, cfg DataEfficiencyConfig, regularizer string, seed int64) latentfm.Config {
	p.Training.Regularizer = regularizer
	if cfg.RegularizerWeight > 0 {
		p.Training.RegularizerWeight = cfg.RegularizerWeight
	}
	model := experiment.LatentFMConfig(p)
	model.Seed = seed
	if regularizer == latentfm.RegularizerMP || regularizer == latentfm.RegularizerGA {
		// NOTE: latentfm allows the translation augmentation only with the none
		// and joint regularizers, so mp and ga train without it.
		model.AugmentX, model.AugmentYPeriod = false, 0
	}
	return model
}

// trainAndEvaluate trains one model on subset and returns its metrics on
// test; a failure is returned in DataEfficiencyRun.Error. A non-empty
// checkpoint keeps the training state there (latentfm.TrainOptions).
func trainAndEvaluate(p preset.Preset, cfg DataEfficiencyConfig, subset, validation, test *dataset.SplitData, regularizer string, seed int64, checkpoint string) DataEfficiencyRun {
	run := DataEfficiencyRun{Regularizer: regularizer, Seed: seed, Snapshots: subset.Snapshots}
	run.Trajectories, _ = countTrajectories(subset.Trajectory)
	fail := func(err error) DataEfficiencyRun {
		run.Error = err.Error()
		slog.Warn("studies: data-efficiency run failed", "regularizer", regularizer, "snapshots", run.Snapshots, "seed", seed, "error", err)
		return run
	}

	model, err := latentfm.New(dataEfficiencyModelConfig(p, cfg, regularizer, seed))
	if err != nil {
		return fail(err)
	}
	var val *latentfm.Data
	if validation != nil {
		val = &latentfm.Data{OmegaBar: validation.OmegaBar, H: validation.Closure, N: validation.N}
	}
	began := time.Now()
	history, err := model.Train(latentfm.Data{OmegaBar: subset.OmegaBar, H: subset.Closure, N: subset.N}, val,
		latentfm.TrainOptions{AESteps: cfg.AESteps, FMSteps: cfg.FMSteps, ReflowSteps: cfg.ReflowSteps,
			Checkpoint: checkpoint, CheckpointEvery: dataEfficiencyCheckpointEvery})
	if err != nil {
		return fail(err)
	}
	run.TrainSeconds = time.Since(began).Seconds()
	run.ReconstructionError = history.ReconstructionError

	ev, _, err := experiment.Evaluate(p, "latent flow matching ("+regularizer+")", experiment.LatentSampler(model, "euler"), test)
	if err != nil {
		return fail(err)
	}
	run.MeanRelativeError, run.SpreadSkill = ev.MeanRelativeError, ev.SpreadSkill
	run.SpreadRatio, run.CRPSRatio = ev.Spread/ev.TruthRMS, ev.CRPS/ev.TruthRMS
	for _, v := range []float64{run.MeanRelativeError, run.SpreadRatio, run.CRPSRatio, run.SpreadSkill} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			metrics := fmt.Sprintf("mean error %g, spread/RMS %g, CRPS/RMS %g, spread-skill %g", run.MeanRelativeError, run.SpreadRatio, run.CRPSRatio, run.SpreadSkill)
			run.MeanRelativeError, run.SpreadRatio, run.CRPSRatio, run.SpreadSkill = 0, 0, 0, 0
			return fail(fmt.Errorf("studies: the metrics are not finite (%s); the model diverged or collapsed", metrics))
		}
	}
	slog.Info("studies: data-efficiency run", "regularizer", regularizer, "snapshots", run.Snapshots, "seed", seed,
		"mean_relative_error", run.MeanRelativeError, "train_seconds", run.TrainSeconds)
	return run
}

// DataEfficiencyMetric names one a-priori metric of the study, as
// DataEfficiencyFigure and DataEfficiencyPoints take it.
type DataEfficiencyMetric string

// The metrics of DataEfficiencyRun that the figures and the table show.
const (
	MetricMeanRelativeError DataEfficiencyMetric = "mean_relative_error"
	MetricSpreadRatio       DataEfficiencyMetric = "spread_ratio"
	MetricCRPSRatio         DataEfficiencyMetric = "crps_ratio"
	MetricSpreadSkill       DataEfficiencyMetric = "spread_skill"
)

// DataEfficiencyMetrics lists the metrics in the order of the figures.
var DataEfficiencyMetrics = []DataEfficiencyMetric{
	MetricMeanRelativeError, MetricSpreadRatio, MetricCRPSRatio, MetricSpreadSkill,
}

// Label returns the axis label of the metric.
func (m DataEfficiencyMetric) Label() string {
	switch m {
	case MetricMeanRelativeError:
		return "relative L2 error of the ensemble mean"
	case MetricSpreadRatio:
		return "ensemble spread / RMS of H"
	case MetricCRPSRatio:
		return "CRPS / RMS of H"
	case MetricSpreadSkill:
		return "spread-skill ratio"
	}
	return string(m)
}

// value returns the metric of a run, or an error for an unknown metric.
func (m DataEfficiencyMetric) value(run DataEfficiencyRun) (float64, error) {
	switch m {
	case MetricMeanRelativeError:
		return run.MeanRelativeError, nil
	case MetricSpreadRatio:
		return run.SpreadRatio, nil
	case MetricCRPSRatio:
		return run.CRPSRatio, nil
	case MetricSpreadSkill:
		return run.SpreadSkill, nil
	}
	return 0, fmt.Errorf("studies: unknown data-efficiency metric %q; use one of %v", string(m), DataEfficiencyMetrics)
}

// DataEfficiencyPoint is one metric of one regularizer at one training-set
// size, over the seeds whose runs succeeded.
type DataEfficiencyPoint struct {
	Regularizer string
	Fraction    float64
	Snapshots   int
	// Mean and Std are the mean and the sample standard deviation over the
	// successful seeds (Std is 0 for one seed). Runs counts them; with
	// Runs = 0 Mean is NaN.
	Mean, Std float64
	Runs      int
}

// DataEfficiencyPoints returns the metric of every regularizer at every
// fraction of result, regularizers in the order of result.Config, each with
// its fractions in increasing order.
func DataEfficiencyPoints(result *DataEfficiencyResult, metric DataEfficiencyMetric) ([]DataEfficiencyPoint, error) {
	fractions := slices.Clone(result.Config.Fractions)
	slices.Sort(fractions)
	fractions = slices.Compact(fractions)

	var points []DataEfficiencyPoint
	for _, regularizer := range result.Config.Regularizers {
		for _, fraction := range fractions {
			point := DataEfficiencyPoint{Regularizer: regularizer, Fraction: fraction, Mean: math.NaN()}
			var values []float64
			for _, run := range result.Runs {
				if run.Regularizer != regularizer || run.Fraction != fraction {
					continue
				}
				point.Snapshots = run.Snapshots
				if run.Error != "" {
					continue
				}
				v, err := metric.value(run)
				if err != nil {
					return nil, err
				}
				values = append(values, v)
			}
			point.Runs = len(values)
			if len(values) > 0 {
				point.Mean, point.Std = meanStd(values)
			}
			points = append(points, point)
		}
	}
	return points, nil
}

// meanStd returns the mean and the sample standard deviation (n − 1) of
// values, with standard deviation 0 for one value.
func meanStd(values []float64) (mean, std float64) {
	for _, v := range values {
		mean += v
	}
	mean /= float64(len(values))
	if len(values) < 2 {
		return mean, 0
	}
	for _, v := range values {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(values)-1))
}

// DataEfficiencyFigure plots one metric against the number of training
// snapshots on a log x axis, one curve per regularizer, with error bars of
// one standard deviation over seeds when the study ran more than one seed.
// It returns an error for an unknown metric or a study without a
// successful run.
func DataEfficiencyFigure(result *DataEfficiencyResult, metric DataEfficiencyMetric) (*plots.Figure, error) {
	points, err := DataEfficiencyPoints(result, metric)
	if err != nil {
		return nil, err
	}
	var series []plots.Series
	for _, regularizer := range result.Config.Regularizers {
		s := plots.Series{Name: regularizer}
		for _, point := range points {
			if point.Regularizer != regularizer || point.Runs == 0 {
				continue
			}
			s.X, s.Y = append(s.X, float64(point.Snapshots)), append(s.Y, point.Mean)
			if result.Config.Seeds > 1 {
				s.YErr = append(s.YErr, point.Std)
			}
		}
		if len(s.X) > 0 {
			series = append(series, s)
		}
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("studies: the data-efficiency study of preset %q has no successful run to plot", result.Preset)
	}
	return plots.Lines(series, plots.LineOptions{
		Title:  fmt.Sprintf("data efficiency at preset %s", result.Preset),
		XLabel: "training snapshots", YLabel: metric.Label(), LogX: true, Markers: true,
	})
}

// DataEfficiencyTable returns the runs of result as a Markdown table with one
// row per regularizer and training-set size. A row shows the four metrics,
// the autoencoder's reconstruction error and the training time, each as mean
// ± standard deviation over seeds when the study ran more than one seed. A
// row whose runs all failed shows the error of the last one. The table of a
// shard's result has rows for that shard's runs only.
func DataEfficiencyTable(result *DataEfficiencyResult) string {
	var b strings.Builder
	b.WriteString("| regularizer | training snapshots (fraction) | mean rel. error | spread / RMS | CRPS / RMS | spread-skill | AE rel. error | train s |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")

	columns := []func(DataEfficiencyRun) float64{
		func(r DataEfficiencyRun) float64 { return r.MeanRelativeError },
		func(r DataEfficiencyRun) float64 { return r.SpreadRatio },
		func(r DataEfficiencyRun) float64 { return r.CRPSRatio },
		func(r DataEfficiencyRun) float64 { return r.SpreadSkill },
		func(r DataEfficiencyRun) float64 { return r.ReconstructionError },
		func(r DataEfficiencyRun) float64 { return r.TrainSeconds },
	}
	fractions := slices.Clone(result.Config.Fractions)
	slices.Sort(fractions)
	fractions = slices.Compact(fractions)
	for _, regularizer := range result.Config.Regularizers {
		for _, fraction := range fractions {
			runs, failure, snapshots := selectRuns(result.Runs, regularizer, fraction)
			if len(runs) == 0 && failure == "" {
				continue // another shard's runs
			}
			fmt.Fprintf(&b, "| %s | %d (%.3g) |", regularizer, snapshots, fraction)
			if len(runs) == 0 {
				fmt.Fprintf(&b, " failed: %s | | | | | |\n", strings.ReplaceAll(failure, "|", "/"))
				continue
			}
			for _, column := range columns {
				values := make([]float64, len(runs))
				for k, run := range runs {
					values[k] = column(run)
				}
				mean, std := meanStd(values)
				if result.Config.Seeds > 1 {
					fmt.Fprintf(&b, " %.3g ± %.2g |", mean, std)
				} else {
					fmt.Fprintf(&b, " %.3g |", mean)
				}
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// selectRuns returns the successful runs of one regularizer and fraction,
// the error of the last failed one and the subset size.
func selectRuns(all []DataEfficiencyRun, regularizer string, fraction float64) (runs []DataEfficiencyRun, failure string, snapshots int) {
	for _, run := range all {
		if run.Regularizer != regularizer || run.Fraction != fraction {
			continue
		}
		snapshots = run.Snapshots
		if run.Error != "" {
			failure = run.Error
			continue
		}
		runs = append(runs, run)
	}
	return runs, failure, snapshots
}

// DataEfficiencyPath returns the scratch file of the named preset's
// data-efficiency result:
// os.TempDir()/closure-notebooks/<preset>-data-efficiency.json.
func DataEfficiencyPath(presetName string) string {
	return filepath.Join(os.TempDir(), ScratchDir, presetName+"-data-efficiency.json")
}

// SaveDataEfficiency writes result to path as indented JSON, creating the
// directory and replacing the file atomically.
func SaveDataEfficiency(path string, result *DataEfficiencyResult) error {
	data, err := json.MarshalIndent(result, "", "  ")
	if err != nil {
		return fmt.Errorf("studies: encoding the data-efficiency result: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("studies: creating the directory of %s: %w", path, err)
	}
	return writeFileAtomic(path, data)
}

// LoadDataEfficiency reads a result written by SaveDataEfficiency. It
// returns an error naming the path when the file is missing; run the cell
// that computes the study first.
func LoadDataEfficiency(path string) (*DataEfficiencyResult, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("studies: loading the data-efficiency result: %w; run the cell that computes it first", err)
	}
	var result DataEfficiencyResult
	if err := json.Unmarshal(data, &result); err != nil {
		return nil, fmt.Errorf("studies: decoding the data-efficiency result from %s: %w", path, err)
	}
	return &result, nil
}
