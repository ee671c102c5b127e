package studies

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/preset"
)

// syntheticSplit returns a split of trajectories×perTrajectory snapshots on
// a 2×2 grid whose values encode (trajectory, snapshot), so a subset can be
// checked value by value.
func syntheticSplit(trajectories, perTrajectory int) *dataset.SplitData {
	const n = 2
	split := &dataset.SplitData{Split: dataset.SplitTrain, N: n, Snapshots: trajectories * perTrajectory}
	for k := range trajectories {
		for s := range perTrajectory {
			value := float32(100*k + s)
			for range n * n {
				split.OmegaBar = append(split.OmegaBar, value)
				split.Closure = append(split.Closure, -value)
			}
			split.Trajectory = append(split.Trajectory, 10+k)
			split.Time = append(split.Time, float64(s))
		}
	}
	return split
}

func TestTrainingSubsetSize(t *testing.T) {
	t.Parallel()
	cases := []struct {
		total    int
		fraction float64
		want     int
	}{
		{480, 1.0 / 16, 30},
		{480, 1.0 / 4, 120},
		{480, 1, 480},
		{10, 0.01, 1}, // never empty
		{10, 0.25, 3}, // 2.5 rounds up
	}
	for _, c := range cases {
		if got := TrainingSubsetSize(c.total, c.fraction); got != c.want {
			t.Errorf("TrainingSubsetSize(%d, %g) = %d, expected %d", c.total, c.fraction, got, c.want)
		}
	}
}

func TestTrainingSubsetSizeAndTrajectories(t *testing.T) {
	t.Parallel()
	const trajectories, perTrajectory = 4, 12
	split := syntheticSplit(trajectories, perTrajectory)
	cases := []struct {
		fraction         float64
		wantSnapshots    int
		wantTrajectories int
		wholeTrajectory  bool
	}{
		{1.0 / 16, 3, 1, false}, // a block of 3 snapshots of the first trajectory
		{1.0 / 4, 12, 1, true},
		{1.0 / 2, 24, 2, true},
		{0.3, 14, 2, false}, // one trajectory and 2 snapshots of the next
		{1, 48, 4, true},
	}
	for _, c := range cases {
		subset, err := TrainingSubset(split, c.fraction)
		if err != nil {
			t.Fatalf("fraction %g: %v", c.fraction, err)
		}
		if subset.Snapshots != c.wantSnapshots || len(subset.Trajectory) != c.wantSnapshots || len(subset.Time) != c.wantSnapshots {
			t.Errorf("fraction %g: %d snapshots (%d indices, %d times), expected %d", c.fraction, subset.Snapshots, len(subset.Trajectory), len(subset.Time), c.wantSnapshots)
		}
		if size := subset.N * subset.N * c.wantSnapshots; len(subset.OmegaBar) != size || len(subset.Closure) != size {
			t.Errorf("fraction %g: %d and %d field values, expected %d", c.fraction, len(subset.OmegaBar), len(subset.Closure), size)
		}
		count, err := countTrajectories(subset.Trajectory)
		if err != nil || count != c.wantTrajectories {
			t.Errorf("fraction %g: %d trajectories (%v), expected %d", c.fraction, count, err, c.wantTrajectories)
		}
		if whole := subset.Snapshots%perTrajectory == 0; whole != c.wholeTrajectory {
			t.Errorf("fraction %g: whole trajectories %v, expected %v", c.fraction, whole, c.wholeTrajectory)
		}
		// The snapshots of each trajectory in the subset are a contiguous block from its start.
		for s, k := range subset.Trajectory {
			wantTime := float64(s % perTrajectory)
			if subset.Time[s] != wantTime || k != 10+s/perTrajectory {
				t.Errorf("fraction %g: snapshot %d is (trajectory %d, t=%g), expected (%d, %g)", c.fraction, s, k, subset.Time[s], 10+s/perTrajectory, wantTime)
				break
			}
			wantValue := float32(100*(s/perTrajectory) + s%perTrajectory)
			if first := s * subset.N * subset.N; subset.OmegaBar[first] != wantValue || subset.Closure[first] != -wantValue {
				t.Errorf("fraction %g: snapshot %d has ω̄ %g and H %g, expected %g and %g", c.fraction, s, subset.OmegaBar[first], subset.Closure[first], wantValue, -wantValue)
				break
			}
		}
	}
}

func TestTrainingSubsetDeterministicAndNested(t *testing.T) {
	t.Parallel()
	split := syntheticSplit(4, 12)
	fractions := []float64{1.0 / 16, 1.0 / 4, 0.3, 1}

	var previous *dataset.SplitData
	for _, f := range fractions {
		first, err := TrainingSubset(split, f)
		if err != nil {
			t.Fatal(err)
		}
		second, err := TrainingSubset(split, f)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(first.Closure, second.Closure) || !slices.Equal(first.OmegaBar, second.OmegaBar) || !slices.Equal(first.Trajectory, second.Trajectory) {
			t.Errorf("fraction %g: two calls select different snapshots", f)
		}
		if previous != nil {
			size := len(previous.Closure)
			if !slices.Equal(first.Closure[:size], previous.Closure) || !slices.Equal(first.OmegaBar[:size], previous.OmegaBar) ||
				!slices.Equal(first.Time[:previous.Snapshots], previous.Time) {
				t.Errorf("fraction %g: the subset of the next smaller fraction is not its prefix", f)
			}
		}
		previous = first
	}
}

func TestTrainingSubsetErrors(t *testing.T) {
	t.Parallel()
	split := syntheticSplit(2, 3)
	for _, f := range []float64{0, -0.5, 1.5, math.NaN()} {
		if _, err := TrainingSubset(split, f); err == nil || !strings.Contains(err.Error(), "fraction") {
			t.Errorf("fraction %g: error %v, expected one naming the fraction", f, err)
		}
	}

	interleaved := syntheticSplit(2, 3)
	interleaved.Trajectory = []int{10, 11, 10, 11, 10, 11}
	if _, err := TrainingSubset(interleaved, 0.5); err == nil || !strings.Contains(err.Error(), "not contiguous") {
		t.Errorf("interleaved trajectories: error %v, expected one about contiguity", err)
	}

	empty := &dataset.SplitData{Split: dataset.SplitTrain, N: 2}
	if _, err := TrainingSubset(empty, 1); err == nil {
		t.Error("an empty split gives no error")
	}
}

func TestDataEfficiencyPointsMeanAndStd(t *testing.T) {
	t.Parallel()
	result := &DataEfficiencyResult{
		Preset: "synthetic",
		Config: DataEfficiencyConfig{Fractions: []float64{1, 0.5}, Regularizers: []string{"none", "mp"}, Seeds: 2},
		Runs: []DataEfficiencyRun{
			{Fraction: 0.5, Regularizer: "none", Snapshots: 5, MeanRelativeError: 0.4},
			{Fraction: 0.5, Regularizer: "none", Snapshots: 5, MeanRelativeError: 0.6},
			{Fraction: 1, Regularizer: "none", Snapshots: 10, MeanRelativeError: 0.3},
			{Fraction: 1, Regularizer: "none", Snapshots: 10, Error: "diverged"},
			{Fraction: 0.5, Regularizer: "mp", Snapshots: 5, Error: "diverged"},
			{Fraction: 0.5, Regularizer: "mp", Snapshots: 5, Error: "diverged"},
			{Fraction: 1, Regularizer: "mp", Snapshots: 10, MeanRelativeError: 0.2},
			{Fraction: 1, Regularizer: "mp", Snapshots: 10, MeanRelativeError: 0.2},
		},
	}
	points, err := DataEfficiencyPoints(result, MetricMeanRelativeError)
	if err != nil {
		t.Fatal(err)
	}

	const tolerance = 1e-12
	want := []DataEfficiencyPoint{
		{Regularizer: "none", Fraction: 0.5, Snapshots: 5, Mean: 0.5, Std: math.Sqrt(0.02), Runs: 2},
		{Regularizer: "none", Fraction: 1, Snapshots: 10, Mean: 0.3, Std: 0, Runs: 1},
		{Regularizer: "mp", Fraction: 0.5, Snapshots: 5, Mean: math.NaN(), Runs: 0},
		{Regularizer: "mp", Fraction: 1, Snapshots: 10, Mean: 0.2, Std: 0, Runs: 2},
	}
	if len(points) != len(want) {
		t.Fatalf("%d points, expected %d", len(points), len(want))
	}
	for i, w := range want {
		got := points[i]
		if got.Regularizer != w.Regularizer || got.Fraction != w.Fraction || got.Snapshots != w.Snapshots || got.Runs != w.Runs {
			t.Errorf("point %d is %+v, expected %+v", i, got, w)
		}
		sameMean := math.Abs(got.Mean-w.Mean) < tolerance || (math.IsNaN(w.Mean) && math.IsNaN(got.Mean))
		if !sameMean || math.Abs(got.Std-w.Std) > tolerance {
			t.Errorf("point %d: mean %g ± %g, expected %g ± %g", i, got.Mean, got.Std, w.Mean, w.Std)
		}
	}

	table := DataEfficiencyTable(result)
	if !strings.Contains(table, "| mp | 5 (0.5) | failed: diverged") {
		t.Errorf("the table does not show the failed runs of mp at 5 snapshots:\n%s", table)
	}
	if _, err := DataEfficiencyPoints(result, "unknown"); err == nil {
		t.Error("an unknown metric gives no error")
	}
}

func TestDataEfficiencyRejectsInvalidConfig(t *testing.T) {
	t.Parallel()
	p := tinyPreset(t)
	dir := filepath.Join(t.TempDir(), "never-written")
	for _, cfg := range []DataEfficiencyConfig{
		{Fractions: []float64{2}},
		{Fractions: []float64{}},
		{Seeds: -1},
	} {
		if _, err := DataEfficiency(context.Background(), p, dir, cfg); err == nil {
			t.Errorf("config %+v gives no error", cfg)
		}
	}
}

func TestDataEfficiencyConfigForTinyIsBounded(t *testing.T) {
	t.Parallel()
	p := tinyPreset(t)
	cfg := DataEfficiencyConfigFor(p)
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	// At most 8 models of at most the preset's budget keep the tiny study to minutes.
	const maxRuns = 8
	if runs := len(cfg.Fractions) * len(cfg.Regularizers) * cfg.Seeds; runs > maxRuns {
		t.Errorf("the tiny study trains %d models, expected at most %d", runs, maxRuns)
	}
	if cfg.AESteps > p.Training.AutoencoderSteps || cfg.FMSteps > p.Training.FlowSteps {
		t.Errorf("the tiny study trains %d+%d steps, more than the preset's %d+%d", cfg.AESteps, cfg.FMSteps, p.Training.AutoencoderSteps, p.Training.FlowSteps)
	}

	small, err := preset.Get("small")
	if err != nil {
		t.Fatal(err)
	}
	full := DataEfficiencyConfigFor(small)
	if !slices.Equal(full.Fractions, DefaultDataEfficiencyFractions) || !slices.Equal(full.Regularizers, DefaultDataEfficiencyRegularizers) {
		t.Errorf("small: fractions %v and regularizers %v, expected the defaults", full.Fractions, full.Regularizers)
	}
}

// quickDataEfficiencyPreset is the tiny preset cut down to seconds: four
// short trajectories (two of 12 snapshots for training) and a few optimizer
// steps. A subset has at least 12 snapshots, more than the k = 10 neighbours
// of the GA graph. It checks
// the plumbing, not the quality of the closure.
func quickDataEfficiencyPreset(t *testing.T) preset.Preset {
	t.Helper()
	p := tinyPreset(t)
	p.Data.Trajectories, p.Data.SpinUp, p.Data.Snapshots = 4, 1, 12
	p.Data.ValidationFraction, p.Data.TestFraction = 0.25, 0.25
	p.Training.AutoencoderSteps, p.Training.FlowSteps, p.Training.BatchSize = 10, 10, 8
	p.Evaluation.Members, p.Evaluation.Snapshots = 4, 2
	return p
}

func TestDataEfficiencyEndToEnd(t *testing.T) {
	p := quickDataEfficiencyPreset(t)
	cfg := DataEfficiencyConfig{Fractions: []float64{0.5, 1}, ReflowSteps: 5}
	if testing.Short() {
		// The cheaper run keeps one regularized latent and skips reflow.
		cfg.Regularizers = []string{"none", "mp"}
		cfg.ReflowSteps = -1
	}
	dir := filepath.Join(t.TempDir(), "data")
	result, err := DataEfficiency(context.Background(), p, dir, cfg)
	if err != nil {
		t.Fatal(err)
	}

	regularizers := cfg.Regularizers
	if regularizers == nil {
		regularizers = DefaultDataEfficiencyRegularizers
	}
	if result.TrainSnapshots != 2*p.Data.Snapshots || result.TrainTrajectories != 2 {
		t.Errorf("training split of %d snapshots in %d trajectories, expected %d in 2", result.TrainSnapshots, result.TrainTrajectories, 2*p.Data.Snapshots)
	}
	if want := len(cfg.Fractions) * len(regularizers); len(result.Runs) != want {
		t.Fatalf("%d runs, expected %d", len(result.Runs), want)
	}
	wantSnapshots := map[float64]int{0.5: 12, 1: 24}
	for _, run := range result.Runs {
		if run.Error != "" {
			t.Errorf("%s at fraction %g failed: %s", run.Regularizer, run.Fraction, run.Error)
			continue
		}
		if run.Snapshots != wantSnapshots[run.Fraction] {
			t.Errorf("%s at fraction %g trained on %d snapshots, expected %d", run.Regularizer, run.Fraction, run.Snapshots, wantSnapshots[run.Fraction])
		}
		for name, v := range map[string]float64{
			"mean relative error": run.MeanRelativeError, "spread/RMS": run.SpreadRatio,
			"CRPS/RMS": run.CRPSRatio, "spread-skill": run.SpreadSkill, "reconstruction error": run.ReconstructionError,
		} {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				t.Errorf("%s at fraction %g: %s = %g, expected a finite non-negative value", run.Regularizer, run.Fraction, name, v)
			}
		}
	}

	for _, metric := range DataEfficiencyMetrics {
		if _, err := DataEfficiencyFigure(result, metric); err != nil {
			t.Errorf("figure of %s: %v", metric, err)
		}
	}
	path := filepath.Join(t.TempDir(), "result.json")
	if err := SaveDataEfficiency(path, result); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadDataEfficiency(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(loaded.Runs, result.Runs) {
		t.Error("the runs read back from JSON differ from those written")
	}
}

// TestDataEfficiencyResumesFinishedRuns runs a two-model study with a work folder and drops
// the second run from the runs file, as if the study had been killed during it. The rerun
// reads the first run back unchanged, its training time too, so it was not trained again.
// It trains the second again to the same metrics. A study with another configuration is
// rejected in that folder.
func TestDataEfficiencyResumesFinishedRuns(t *testing.T) {
	p := quickDataEfficiencyPreset(t)
	data := filepath.Join(t.TempDir(), "data")
	cfg := DataEfficiencyConfig{Fractions: []float64{1}, Regularizers: []string{"none", "mp"}, ReflowSteps: -1, WorkDir: filepath.Join(t.TempDir(), "work")}
	first, err := DataEfficiency(context.Background(), p, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if leftover, _ := filepath.Glob(filepath.Join(cfg.WorkDir, "training-*")); len(leftover) > 0 {
		t.Errorf("training states %v left after the study finished", leftover)
	}

	runsPath := filepath.Join(cfg.WorkDir, dataEfficiencyRunsFile)
	var saved dataEfficiencyProgress
	content, err := os.ReadFile(runsPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(content, &saved); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(saved.Runs, first.Runs) {
		t.Fatalf("runs file holds %+v, the study returned %+v", saved.Runs, first.Runs)
	}
	saved.Runs = saved.Runs[:1]
	content, _ = json.Marshal(saved)
	if err := os.WriteFile(runsPath, content, 0o644); err != nil {
		t.Fatal(err)
	}

	second, err := DataEfficiency(context.Background(), p, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Runs) != 2 {
		t.Fatalf("rerun returned %d runs, want 2", len(second.Runs))
	}
	if second.Runs[0] != first.Runs[0] {
		t.Errorf("finished run not reused: %+v, first study %+v", second.Runs[0], first.Runs[0])
	}
	retrained, original := second.Runs[1], first.Runs[1]
	if retrained.MeanRelativeError != original.MeanRelativeError || retrained.CRPSRatio != original.CRPSRatio {
		t.Errorf("the run trained again has error %g and CRPS/RMS %g, the first study %g and %g",
			retrained.MeanRelativeError, retrained.CRPSRatio, original.MeanRelativeError, original.CRPSRatio)
	}

	changed := cfg
	changed.FMSteps = 20
	if _, err := DataEfficiency(context.Background(), p, data, changed); err == nil || !strings.Contains(err.Error(), "delete the folder") {
		t.Errorf("a study with other steps in the same folder: error %v, want one that says to delete the folder", err)
	}
}
