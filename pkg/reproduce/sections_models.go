package reproduce

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/studies"
)

// comparisonSteps are the sampler step counts compared, doubling from 1: the latent model
// up to 8, physical flow matching up to 32 and diffusion up to 64 (16 and 32 on tiny).
func comparisonSteps(presetName string) (latent, flow, diffusion []int) {
	doubling := func(last int) []int {
		var steps []int
		for s := 1; s <= last; s *= 2 {
			steps = append(steps, s)
		}
		return steps
	}
	if presetName == "tiny" {
		return doubling(8), doubling(16), doubling(32)
	}
	return doubling(8), doubling(32), doubling(64)
}

func comparisonSection(_ context.Context, env *Env) (string, error) {
	p := env.Preset
	ds, err := dataset.Open(env.DataDir)
	if err != nil {
		return "", fmt.Errorf("%w; the main-job section generates it", err)
	}
	test, err := ds.LoadSplit(dataset.SplitTest)
	if err != nil {
		return "", err
	}

	// The latent model of the main-job section is reused; the physical models are trained
	// here once and loaded by later runs.
	models := filepath.Join(env.OutDir, "00_main_job")
	latentSteps, flowSteps, diffusionSteps := comparisonSteps(p.Name)
	runs := []struct {
		kind    experiment.ModelKind
		sampler string
		steps   []int
	}{
		{experiment.KindLatentFM, "euler", latentSteps},
		{experiment.KindFlowMatching, "euler", flowSteps},
		{experiment.KindDiffusion, "euler-maruyama", diffusionSteps},
	}
	var candidates []experiment.Candidate
	for _, run := range runs {
		result, err := experiment.TrainModel(p, run.kind, ds, models, nil)
		if err != nil {
			return "", err
		}
		candidate, err := result.Model.Candidate(run.sampler, run.steps)
		if err != nil {
			return "", err
		}
		candidates = append(candidates, candidate)
	}

	comparison, err := experiment.Compare(p, test, candidates, experiment.CompareOptions{})
	if err != nil {
		return "", err
	}
	dir, err := env.SectionDir()
	if err != nil {
		return "", err
	}
	if err := experiment.WriteComparison(filepath.Join(dir, "comparison.json"), comparison); err != nil {
		return "", err
	}
	for _, metric := range []experiment.CompareMetric{experiment.MetricMeanError, experiment.MetricSpread, experiment.MetricCRPS, experiment.MetricSeconds} {
		if err := env.Save(string(metric))(experiment.CompareFigure(comparison, metric)); err != nil {
			return "", err
		}
	}

	var b strings.Builder
	b.WriteString("Physical-space diffusion, physical-space flow matching and latent flow matching on the same held-out snapshots, ")
	b.WriteString("sampled and timed in one run on one machine:\n\n")
	b.WriteString(comparison.Markdown())
	if headline, err := comparison.Headline("latent flow matching (euler)", "physical diffusion (euler-maruyama)"); err == nil {
		b.WriteString("\n" + headline.Markdown() + "\n")
	}
	fmt.Fprintf(&b, "\nCommand: `%s`.\n", env.Command)
	return b.String(), nil
}

func dataEfficiencySection(ctx context.Context, env *Env) (string, error) {
	cfg := studies.DataEfficiencyConfigFor(env.Preset)
	cfg.WorkDir = filepath.Join(env.OutDir, env.section, "runs")
	result, err := studies.DataEfficiency(ctx, env.Preset, env.DataDir, cfg)
	if err != nil {
		return "", err
	}
	for _, metric := range studies.DataEfficiencyMetrics {
		if err := env.Save("data_efficiency_" + string(metric))(studies.DataEfficiencyFigure(result, metric)); err != nil {
			return "", err
		}
	}
	return studies.DataEfficiencyTable(result) + fmt.Sprintf("\nCommand: `%s`.\n", env.Command), nil
}
