package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
	"github.com/closure-lab/closure/pkg/apost"
	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/studies"
)

// quickTiny is the tiny preset cut down to seconds: three short trajectories and a few
// training steps. It checks the plumbing, not the quality of the closure.
func quickTiny(name string) (preset.Preset, error) {
	p, err := preset.Get(name)
	if err != nil || name != "tiny" {
		return p, err
	}
	p.Data.Trajectories, p.Data.SpinUp, p.Data.Snapshots = 3, 1, 8
	p.Data.ValidationFraction, p.Data.TestFraction = 1.0/3, 1.0/3
	p.Training.AutoencoderSteps, p.Training.FlowSteps, p.Training.BatchSize = 10, 12, 8
	p.Evaluation.Members, p.Evaluation.Snapshots = 3, 2
	return p, nil
}

func TestTrainAndSampleRejectBadInput(t *testing.T) {
	empty := t.TempDir()
	missing := filepath.Join(t.TempDir(), "missing")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"train"}, "needs --model"},
		{[]string{"train", "--model", "gan"}, `unknown model "gan"`},
		{[]string{"train", "--model", "diffusion", "--preset", "huge"}, `unknown preset "huge"`},
		{[]string{"train", "--model", "diffusion", "--preset", "tiny", "--data", missing}, "closure generate --preset tiny --out " + missing},
		{[]string{"train", "--model", "diffusion", "extra"}, "no positional arguments"},
		{[]string{"train", "--model", "diffusion", "--preset", "tiny", "--sensor-stride", "99"}, "Stride=99"},
		{[]string{"train", "--model", "diffusion", "--preset", "tiny", "--sensor-stride", "2", "--sensor-fraction", "0.5"}, "set one of them"},
		{[]string{"sample", "--steps", "1"}, "needs --model"},
		{[]string{"sample", "--model", "diffusion"}, "--steps at least 1"},
		{[]string{"sample", "--model", "diffusion", "--steps", "4", "--sampler", "euler"}, `sampler "euler" does not apply to the diffusion model`},
		{[]string{"sample", "--model", "flow-matching", "--steps", "4", "--sampler", "pc"}, "euler, midpoint, heun, rk4"},
		{[]string{"sample", "--model", "latent-fm", "--steps", "1", "--members", "-2"}, "--members at least 1"},
		{[]string{"sample", "--model", "latent-fm", "--steps", "1", "--out", filepath.Join(empty, "s.txt")}, "must end in .npz"},
		{[]string{"sample", "--model", "latent-fm", "--steps", "1", "--preset", "tiny", "--data", missing}, "closure generate --preset tiny"},
	}
	for _, c := range cases {
		err := dispatch(context.Background(), c.args)
		if err == nil {
			t.Errorf("closure %s: no error", strings.Join(c.args, " "))
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("closure %s: error %q does not contain %q", strings.Join(c.args, " "), err, c.want)
		}
	}
}

// TestTrainSampleAndCompare runs `closure train`, `closure sample` and `closure compare` on a
// cut-down tiny preset and reads the sample file and the comparison back.
func TestTrainSampleAndCompare(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a data set and trains a model for several seconds")
	}
	lookupPreset = quickTiny
	t.Cleanup(func() { lookupPreset = preset.Get })
	p, _ := quickTiny("tiny")
	root := t.TempDir()
	data, models := filepath.Join(root, "data"), filepath.Join(root, "models")
	if _, err := experiment.Generate(context.Background(), p, data, experiment.GenerateOptions{}); err != nil {
		t.Fatal(err)
	}

	sample := []string{"sample", "--model", "flow-matching", "--preset", "tiny", "--data", data, "--models", models,
		"--steps", "3", "--sampler", "heun", "--seed", "5"}
	err := dispatch(context.Background(), sample)
	if err == nil || !strings.Contains(err.Error(), "closure train --model flow-matching --preset tiny --out "+models) {
		t.Fatalf("sampling before training returned %v, expected the `closure train` command to run", err)
	}
	if err := dispatch(context.Background(), []string{"train", "--model", "flow-matching", "--preset", "tiny", "--data", data, "--out", models}); err != nil {
		t.Fatal(err)
	}
	if err := dispatch(context.Background(), sample); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(models, "samples-flow-matching-heun-3.npz")
	archive, err := npz.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer archive.Close()
	n, s, m := p.LESGridSize(), p.Evaluation.Snapshots, p.Evaluation.Members
	shapes := map[string][]int{"omega_bar": {s, n, n}, "closure": {s, n, n}, "samples": {s, m, n, n}, "time": {s}, "trajectory": {s}}
	for name, shape := range shapes {
		header := archive.Header(name + ".npy")
		if header == nil {
			t.Errorf("array %s missing from %v", name, archive.Keys())
			continue
		}
		if !slices.Equal(header.Descr.Shape, shape) || header.Descr.Fortran {
			t.Errorf("array %s has shape %v (fortran %v), expected %v in C order", name, header.Descr.Shape, header.Descr.Fortran, shape)
		}
	}

	var closure []float32
	if err := archive.Read("closure.npy", &closure); err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	test, err := ds.LoadSplit(dataset.SplitTest)
	if err != nil {
		t.Fatal(err)
	}
	picks := experiment.SelectSnapshots(test, s)
	size := n * n
	for i, pick := range picks {
		if !slices.Equal(closure[i*size:(i+1)*size], test.Closure[pick*size:(pick+1)*size]) {
			t.Errorf("closure of snapshot %d differs from test snapshot %d of the data set", i, pick)
		}
	}

	var settings sampleSettings
	raw, err := os.ReadFile(strings.TrimSuffix(path, ".npz") + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &settings); err != nil {
		t.Fatal(err)
	}
	if settings.Model != "flow-matching" || settings.Sampler != "heun" || settings.Steps != 3 || settings.NFE != 6 || settings.Seed != 5 {
		t.Errorf("settings %+v, expected flow-matching, heun, 3 steps, 6 NFE, seed 5", settings)
	}
	leftovers, _ := filepath.Glob(filepath.Join(models, ".tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}

	// A model with sensors: trained and sampled with the same flag, refused without it.
	sensorModels := filepath.Join(root, "sensor-models")
	train := []string{"train", "--model", "flow-matching", "--preset", "tiny", "--data", data, "--out", sensorModels, "--sensor-stride", "2"}
	if err := dispatch(context.Background(), train); err != nil {
		t.Fatal(err)
	}
	sampleSensors := []string{"sample", "--model", "flow-matching", "--preset", "tiny", "--data", data, "--models", sensorModels, "--steps", "1", "--sensor-stride", "2"}
	if err := dispatch(context.Background(), sampleSensors); err != nil {
		t.Fatal(err)
	}
	raw, err = os.ReadFile(filepath.Join(sensorModels, "samples-flow-matching-euler-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	settings = sampleSettings{}
	if err := json.Unmarshal(raw, &settings); err != nil {
		t.Fatal(err)
	}
	if settings.Sensors.Stride != 2 {
		t.Errorf("settings record sensors %+v, expected stride 2", settings.Sensors)
	}
	err = dispatch(context.Background(), sampleSensors[:len(sampleSensors)-2])
	if err == nil || !strings.Contains(err.Error(), "--sensor-stride 2") {
		t.Errorf("sampling a model with sensors without --sensor-stride returned %v, expected the train command with sensors", err)
	}
	// The latent model reads the sensors through its mean network.
	latent := []string{"train", "--model", "latent-fm", "--preset", "tiny", "--data", data, "--out", sensorModels, "--sensor-stride", "2"}
	if err := dispatch(context.Background(), latent); err != nil {
		t.Fatal(err)
	}
	sampleLatent := []string{"sample", "--model", "latent-fm", "--preset", "tiny", "--data", data, "--models", sensorModels, "--steps", "1", "--sensor-stride", "2"}
	if err := dispatch(context.Background(), sampleLatent); err != nil {
		t.Fatal(err)
	}
	raw, err = os.ReadFile(filepath.Join(sensorModels, "samples-latent-fm-euler-1.json"))
	if err != nil {
		t.Fatal(err)
	}
	settings = sampleSettings{}
	if err := json.Unmarshal(raw, &settings); err != nil {
		t.Fatal(err)
	}
	if settings.Model != "latent-fm" || settings.Sensors.Stride != 2 {
		t.Errorf("settings %+v, expected the latent-fm model with sensors of stride 2", settings)
	}
	compareSensors := []string{"compare", "--preset", "tiny", "--data", data, "--models", sensorModels, "--model", "latent-fm,flow-matching",
		"--steps", "1", "--members", "2", "--snapshots", "1", "--sensor-stride", "2"}
	if err := dispatch(context.Background(), compareSensors); err != nil {
		t.Fatal(err)
	}
	withSensors, err := experiment.ReadComparison(filepath.Join(sensorModels, "compare", comparisonFile))
	if err != nil {
		t.Fatal(err)
	}
	if labels := withSensors.Labels(); len(labels) != 2 || !strings.Contains(labels[0], "sensors") || !strings.Contains(labels[1], "sensors") {
		t.Errorf("comparison with sensors has the labels %q, want two models with sensors", labels)
	}

	out := filepath.Join(root, "compare")
	args := []string{"compare", "--preset", "tiny", "--data", data, "--models", models, "--out", out,
		"--model", "flow-matching", "--steps", "1,2", "--members", "2", "--snapshots", "1"}
	if err := dispatch(context.Background(), args); err != nil {
		t.Fatal(err)
	}

	c, err := experiment.ReadComparison(filepath.Join(out, comparisonFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Entries) != 2 || c.Entries[0].Steps != 1 || c.Entries[1].Steps != 2 {
		t.Fatalf("entries %+v, want flow matching at 1 and 2 steps", c.Entries)
	}
	for _, e := range c.Entries {
		if !(e.MeanRelativeError > 0) || !(e.SecondsPerSample > 0) {
			t.Errorf("%d steps: mean error %g and %g s per sample, want both positive", e.Steps, e.MeanRelativeError, e.SecondsPerSample)
		}
	}
	if c.Members != 2 || len(c.Snapshots) != 1 {
		t.Errorf("%d members and snapshots %v, want 2 members of 1 snapshot", c.Members, c.Snapshots)
	}
	for _, metric := range compareMetrics {
		if _, err := os.Stat(filepath.Join(out, "compare_"+string(metric)+".png")); err != nil {
			t.Errorf("figure of %s missing: %v", metric, err)
		}
	}

	// A latent model with the mp regularizer, trained into its own folder and compared at one
	// step count, which puts every point of the figures at one x value.
	if err := dispatch(context.Background(), []string{"train", "--model", "latent-fm", "--regularizer", "mp", "--preset", "tiny", "--data", data, "--out", filepath.Join(models, "regularizer-mp")}); err != nil {
		t.Fatal(err)
	}
	regularized := filepath.Join(root, "compare-mp")
	args = []string{"compare", "--preset", "tiny", "--data", data, "--models", models, "--out", regularized,
		"--model", "flow-matching", "--regularizers", "mp", "--steps", "1", "--members", "2", "--snapshots", "1"}
	if err := dispatch(context.Background(), args); err != nil {
		t.Fatal(err)
	}
	c, err = experiment.ReadComparison(filepath.Join(regularized, comparisonFile))
	if err != nil {
		t.Fatal(err)
	}
	if labels := c.Labels(); len(labels) != 2 || !strings.HasSuffix(labels[1], ", mp regularizer") {
		t.Errorf("labels %q, want flow matching and the latent model with the mp regularizer", labels)
	}
}

// TestAPosterioriWritesResult runs `closure apost` with a band-limited latent copy and physical
// flow matching on a cut-down tiny preset for half a time unit and reads the result back.
func TestAPosterioriWritesResult(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a data set, trains a latent model and runs LES ensembles for several seconds")
	}
	lookupPreset = quickTiny
	t.Cleanup(func() { lookupPreset = preset.Get })
	root := t.TempDir()
	out := filepath.Join(root, "apost")
	args := []string{"apost", "--preset", "tiny", "--data", filepath.Join(root, "data"), "--models", filepath.Join(root, "models"),
		"--out", out, "--duration", "0.5", "--members", "2", "--physical=flow-matching", "--max-wavenumber", "6.5", "--regularizers", "mp"}
	if err := dispatch(context.Background(), args); err != nil {
		t.Fatal(err)
	}

	content, err := os.ReadFile(filepath.Join(out, apost.ResultFile))
	if err != nil {
		t.Fatal(err)
	}
	var res apost.Result
	if err := json.Unmarshal(content, &res); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range res.Closures {
		names = append(names, c.Name)
	}
	physical := studies.DefaultPhysicalClosures[0].Label
	want := []string{"none", "smagorinsky", "oracle", studies.LearnedClosureName,
		studies.BandName(studies.LearnedClosureName, studies.DefaultMinWavenumber, 6.5), studies.MeanClosureName,
		studies.RegularizedClosureName("mp"), physical, studies.ScaleSelectiveName(physical, studies.DefaultMinWavenumber)}
	if !slices.Equal(names, want) {
		t.Errorf("closures %v, want %v", names, want)
	}
	for _, figure := range []string{apost.FigureTransfer, apost.FigureShells} {
		if _, err := os.Stat(filepath.Join(out, figure)); err != nil {
			t.Errorf("figure %s missing: %v", figure, err)
		}
	}
}
