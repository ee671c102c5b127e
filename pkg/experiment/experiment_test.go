package experiment

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/solver"
)

// quickPreset is the tiny preset cut down to seconds: three short trajectories and a few
// dozen training steps. It checks the plumbing, not the quality of the closure.
func quickPreset(t *testing.T) preset.Preset {
	t.Helper()
	p, err := preset.Get("tiny")
	if err != nil {
		t.Fatal(err)
	}
	p.Data.Trajectories, p.Data.SpinUp, p.Data.Snapshots = 3, 1, 8
	p.Data.ValidationFraction, p.Data.TestFraction = 1.0/3, 1.0/3
	p.Training.AutoencoderSteps, p.Training.FlowSteps, p.Training.BatchSize = 10, 10, 8
	p.Evaluation.Members, p.Evaluation.Snapshots = 4, 2
	return p
}

func TestGenerateWritesCompleteDataset(t *testing.T) {
	p := quickPreset(t)
	dir := filepath.Join(t.TempDir(), "data")
	if _, err := Generate(context.Background(), p, dir, GenerateOptions{}); err != nil {
		t.Fatal(err)
	}

	ds, err := dataset.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := ds.Verify(); err != nil {
		t.Fatal(err)
	}
	if ds.N() != p.LESGridSize() {
		t.Errorf("data set grid %d, expected the LES grid %d", ds.N(), p.LESGridSize())
	}
	train, err := ds.LoadSplit(dataset.SplitTrain)
	if err != nil {
		t.Fatal(err)
	}
	if train.Snapshots != p.Data.Snapshots {
		t.Errorf("train split has %d snapshots, expected one trajectory of %d", train.Snapshots, p.Data.Snapshots)
	}
	lastTime := p.Data.SpinUp + p.Data.Interval*float64(p.Data.Snapshots)
	if got := train.Time[train.Snapshots-1]; math.Abs(got-lastTime) > 1e-9 {
		t.Errorf("last snapshot at t=%g, expected spin-up plus snapshots = %g", got, lastTime)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	p := quickPreset(t)
	root := t.TempDir()
	var closures [2][]float32
	for i := range closures {
		dir := filepath.Join(root, []string{"a", "b"}[i])
		if _, err := Generate(context.Background(), p, dir, GenerateOptions{Workers: i + 1}); err != nil {
			t.Fatal(err)
		}
		ds, err := dataset.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		split, err := ds.LoadSplit(dataset.SplitTest)
		if err != nil {
			t.Fatal(err)
		}
		closures[i] = split.Closure
	}
	for k := range closures[0] {
		if closures[0][k] != closures[1][k] {
			t.Fatalf("closure value %d differs between 1 and 2 workers: %g and %g", k, closures[0][k], closures[1][k])
		}
	}
}

func TestGenerateReportsBlowUp(t *testing.T) {
	p := quickPreset(t)
	p.Flow.TimeStep = 0.05 // CFL well above the limit of 0.5 at 64² for |u| ≈ 2.5
	p.Data.Interval = 0.5
	dir := filepath.Join(t.TempDir(), "data")
	_, err := Generate(context.Background(), p, dir, GenerateOptions{})
	var blowUp *solver.BlowUpError
	if !errors.As(err, &blowUp) {
		t.Fatalf("Generate with a too large time step returned %v, expected a BlowUpError", err)
	}
	if blowUp.Quantity != "CFL" || !(blowUp.Value > blowUp.Limit) {
		t.Errorf("blow-up error reports %s = %g against limit %g, expected a CFL number above its limit",
			blowUp.Quantity, blowUp.Value, blowUp.Limit)
	}
	if !strings.Contains(err.Error(), "trajectory") {
		t.Errorf("error %q does not name the trajectory", err)
	}
	if _, err := dataset.Open(dir); err == nil {
		t.Error("a data set whose trajectories blew up opens as complete")
	}
}

func TestRunWritesFiguresAndMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model for several seconds")
	}
	p := quickPreset(t)
	root := t.TempDir()
	opts := RunOptions{DataDir: filepath.Join(root, "data"), OutDir: filepath.Join(root, "out")}
	result, err := Run(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}

	for _, name := range []string{FigureVorticity, FigureSamples, FigureSpectra, FigurePDF, MetricsFile, ModelFile, "run.json"} {
		info, err := os.Stat(filepath.Join(opts.OutDir, name))
		if err != nil {
			t.Errorf("output %s: %v", name, err)
			continue
		}
		if info.Size() == 0 {
			t.Errorf("output %s is empty", name)
		}
	}
	ev := result.Evaluation
	if len(ev.PerField) != p.Evaluation.Snapshots {
		t.Errorf("%d snapshots evaluated, expected %d", len(ev.PerField), p.Evaluation.Snapshots)
	}
	for name, v := range map[string]float64{"mean error": ev.MeanRelativeError, "spread": ev.Spread, "CRPS": ev.CRPS, "time per sample": ev.SecondsPerSample} {
		if !(v > 0) || math.IsInf(v, 0) {
			t.Errorf("%s = %v, expected a positive finite value", name, v)
		}
	}

	// A second run reuses the data set and the model.
	again, err := Run(context.Background(), p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if again.ReconstructionError != 0 {
		t.Errorf("second run retrained the model (reconstruction error %g reported)", again.ReconstructionError)
	}
	if again.Evaluation.MeanRelativeError != ev.MeanRelativeError {
		t.Errorf("second run's ensemble-mean error %g differs from the first's %g with the same seed",
			again.Evaluation.MeanRelativeError, ev.MeanRelativeError)
	}
}

func TestRunRejectsOutputFile(t *testing.T) {
	p := quickPreset(t)
	file := filepath.Join(t.TempDir(), "figures")
	if err := os.WriteFile(file, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), p, RunOptions{DataDir: filepath.Join(t.TempDir(), "data"), OutDir: file})
	if err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Fatalf("Run with a file as output returned %v, expected an error saying it is a file", err)
	}
	content, _ := os.ReadFile(file)
	if string(content) != "keep" {
		t.Errorf("the existing file was changed to %q", content)
	}
}

func TestSelectSnapshotsSpreadsEvenly(t *testing.T) {
	split := &dataset.SplitData{Snapshots: 10}
	got := SelectSnapshots(split, 4)
	want := []int{0, 2, 5, 7}
	if len(got) != len(want) {
		t.Fatalf("SelectSnapshots returned %v, expected %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("SelectSnapshots returned %v, expected %v", got, want)
			break
		}
	}
	if n := len(SelectSnapshots(split, 50)); n != 10 {
		t.Errorf("asking for more snapshots than exist returned %d, expected all 10", n)
	}
}
