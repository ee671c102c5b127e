package experiment

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/latentfm"
	"github.com/closure-lab/closure/pkg/preset"
)

func TestParseModelKindRejectsUnknown(t *testing.T) {
	t.Parallel()
	for _, kind := range ModelKinds {
		if got, err := ParseModelKind(string(kind)); err != nil || got != kind {
			t.Errorf("ParseModelKind(%q) = %q, %v; expected the kind itself", kind, got, err)
		}
	}
	_, err := ParseModelKind("gan")
	if err == nil {
		t.Fatal("ParseModelKind accepted \"gan\"")
	}
	for _, want := range []string{`"gan"`, "latent-fm", "diffusion", "flow-matching"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %s", err, want)
		}
	}
}

func TestSamplerRejectsOtherKindsSampler(t *testing.T) {
	t.Parallel()
	cases := []struct {
		kind    ModelKind
		sampler string
	}{
		{KindDiffusion, "rk4"},
		{KindFlowMatching, "pc"},
		{KindLatentFM, "euler-maruyama"},
		{KindFlowMatching, "runge-kutta"},
	}
	for _, c := range cases {
		_, err := (&ClosureModel{Kind: c.kind}).Sampler(c.sampler)
		if err == nil {
			t.Errorf("%s model accepted sampler %q", c.kind, c.sampler)
			continue
		}
		if !strings.Contains(err.Error(), `"`+c.sampler+`"`) || !strings.Contains(err.Error(), c.kind.DefaultSampler()) {
			t.Errorf("error %q does not name the sampler %q and the valid ones", err, c.sampler)
		}
	}
}

func TestEvaluationsPerStepOfSamplers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		kind    ModelKind
		sampler string
		want    int
	}{
		{KindLatentFM, "euler", 1},
		{KindFlowMatching, "heun", 2},
		{KindFlowMatching, "rk4", 4},
		{KindDiffusion, "euler-maruyama", 1},
		{KindDiffusion, "pc", 2},
		{KindDiffusion, "ode", 2},
	}
	for _, c := range cases {
		got, err := c.kind.EvaluationsPerStep(c.sampler)
		if err != nil || got != c.want {
			t.Errorf("%s %s: %d NFE per step (%v), expected %d", c.kind, c.sampler, got, err, c.want)
		}
	}
	if _, err := KindDiffusion.EvaluationsPerStep("euler"); err == nil {
		t.Error("diffusion accepted the flow-matching solver \"euler\"")
	}
}

func TestLoadModelMissingNamesTrainCommand(t *testing.T) {
	t.Parallel()
	p := quickPreset(t)
	dir := t.TempDir()
	_, err := LoadModel(p, KindDiffusion, dir)
	if err == nil {
		t.Fatal("LoadModel found a model in an empty directory")
	}
	want := "closure train --model diffusion --preset tiny --out " + dir
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain the command %q", err, want)
	}
}

// TestTrainModelEachKind trains every kind for a few steps on a cut-down data set, samples
// from it, and checks that a second call loads the saved model and that a changed preset
// is detected. It checks the plumbing, not the quality of the closure.
func TestTrainModelEachKind(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three models for several seconds each")
	}
	p := quickPreset(t)
	root := t.TempDir()
	if _, err := Generate(context.Background(), p, filepath.Join(root, "data"), GenerateOptions{}); err != nil {
		t.Fatal(err)
	}
	ds, err := dataset.Open(filepath.Join(root, "data"))
	if err != nil {
		t.Fatal(err)
	}
	test, err := ds.LoadSplit(dataset.SplitTest)
	if err != nil {
		t.Fatal(err)
	}
	n := test.N
	const conditions, members, steps = 2, 3, 2
	omegaBar := test.OmegaBar[:conditions*n*n]

	for _, kind := range ModelKinds {
		t.Run(string(kind), func(t *testing.T) {
			out := filepath.Join(root, "out")
			result, err := TrainModel(p, kind, ds, out, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !result.Trained || !(result.FinalLoss > 0) {
				t.Errorf("first call: trained %v with final loss %g, expected a fresh model with a positive loss", result.Trained, result.FinalLoss)
			}
			if n := len(result.Stages); n == 0 || result.Stages[n-1].Loss != result.FinalLoss || result.Stages[0].Stage == "" {
				t.Errorf("stage losses %+v do not end with the final loss %g", result.Stages, result.FinalLoss)
			}
			if _, err := os.Stat(ModelPath(out, kind)); err != nil {
				t.Fatalf("no checkpoint saved: %v", err)
			}
			if leftover, _ := filepath.Glob(ModelPath(out, kind) + ".progress-*"); len(leftover) > 0 {
				t.Errorf("training-state files %v left after the model was saved", leftover)
			}

			sampler, err := result.Model.Sampler("")
			if err != nil {
				t.Fatal(err)
			}
			samples, err := sampler.Sample(omegaBar, members, steps, 7)
			if err != nil {
				t.Fatal(err)
			}
			if len(samples) != conditions*members*n*n {
				t.Fatalf("%d sample values, expected %d×%d×%d²", len(samples), conditions, members, n)
			}
			for k, v := range samples {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					t.Fatalf("sample value %d is %g", k, v)
				}
			}

			again, err := TrainModel(p, kind, ds, out, nil)
			if err != nil {
				t.Fatal(err)
			}
			if again.Trained {
				t.Error("second call trained again instead of loading the saved model")
			}
			reloaded, err := again.Model.Sampler("")
			if err != nil {
				t.Fatal(err)
			}
			replay, err := reloaded.Sample(omegaBar, members, steps, 7)
			if err != nil {
				t.Fatal(err)
			}
			for k := range samples {
				if replay[k] != samples[k] {
					t.Fatalf("loaded model's sample value %d is %g, the trained model's %g with the same seed", k, replay[k], samples[k])
				}
			}

			changed := p
			changed.Training.Seed++
			if _, err := LoadModel(changed, kind, out); err == nil || !strings.Contains(err.Error(), "another configuration") {
				t.Errorf("LoadModel with another seed returned %v, expected an error about the configuration", err)
			}
		})
	}
}

// TestPresetRegularizersAreLatentfms checks that the regularizers a preset accepts are those
// of package latentfm, that LatentFMConfig passes the choice and its weight on, and that
// LatentModelDir keeps the default model in place and gives each other one a folder.
func TestPresetRegularizersAreLatentfms(t *testing.T) {
	want := []string{latentfm.RegularizerNone, latentfm.RegularizerJoint, latentfm.RegularizerMP, latentfm.RegularizerGA}
	if !slices.Equal(preset.Regularizers, want) {
		t.Errorf("preset.Regularizers = %v, latentfm has %v", preset.Regularizers, want)
	}
	p, err := preset.Get("tiny")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range preset.Regularizers {
		q := p
		q.Training.Regularizer, q.Training.RegularizerWeight = name, 0.25
		if err := q.Validate(); err != nil {
			t.Errorf("preset with regularizer %q: %v", name, err)
		}
		cfg := LatentFMConfig(q)
		if cfg.Regularizer != name || cfg.RegularizerWeight != 0.25 {
			t.Errorf("LatentFMConfig with %q and weight 0.25: got %q and %g", name, cfg.Regularizer, cfg.RegularizerWeight)
		}
		if err := cfg.Validate(); err != nil {
			t.Errorf("latentfm rejects the configuration with regularizer %q: %v", name, err)
		}
	}
	q := p
	q.Training.Regularizer = "pca"
	if err := q.Validate(); err == nil || !strings.Contains(err.Error(), `"pca"`) {
		t.Errorf("preset with regularizer pca: error %v, want one naming the value", err)
	}
	if got := LatentModelDir("figures/tiny", "none"); got != "figures/tiny" {
		t.Errorf("LatentModelDir of none = %q, want figures/tiny", got)
	}
	if got := LatentModelDir("figures/tiny", "mp"); got != filepath.Join("figures/tiny", "regularizer-mp") {
		t.Errorf("LatentModelDir of mp = %q", got)
	}
}
