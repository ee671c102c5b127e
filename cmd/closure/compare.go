package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/plots"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/studies"
)

// compareMetrics are the metrics that `closure compare` plots against the number of steps.
var compareMetrics = []experiment.CompareMetric{
	experiment.MetricMeanError, experiment.MetricSpread, experiment.MetricCRPS, experiment.MetricSeconds,
}

// comparisonFile is the JSON file of `closure compare`, in its output folder.
const comparisonFile = "comparison.json"

// runCompare samples held-out snapshots with trained models at several step counts and
// tabulates the a-priori metrics and wall times, the comparison of notebooks 03 and 05
// without training anything.
func runCompare(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	presetName := fs.String("preset", "small", "`name` of the preset; run closure presets to list them")
	data := fs.String("data", "", "data-set directory (default datasets/PRESET)")
	models := fs.String("models", "", "folder of the trained models (default figures/PRESET, or figures/PRESET/sensors-TAG with sensors, as for closure train)")
	out := fs.String("out", "", "folder of comparison.json and the figures (default MODELS/compare)")
	kinds := fs.String("model", "latent-fm,flow-matching,diffusion", "comma-separated `kinds` to compare (latent-fm, flow-matching, diffusion), each trained by closure train")
	stepList := fs.String("steps", "1,2,4,8,16", "comma-separated sampler step counts, each a positive integer")
	members := fs.Int("members", 0, "samples per snapshot (default the preset's evaluation members)")
	snapshots := fs.Int("snapshots", 0, "held-out snapshots, spread over the test split (default the preset's evaluation snapshots)")
	regularizers := fs.String("regularizers", "", "also compare the latent models trained with these stage-1 regularizers (closure train --model latent-fm --regularizer NAME): a list from joint,mp,ga")
	sensorOptions := addSensorFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("compare takes no positional arguments, got %q; use --model KIND,KIND", fs.Args())
	case *members < 0 || *snapshots < 0:
		return fmt.Errorf("--members=%d and --snapshots=%d must not be negative; 0 selects the preset's", *members, *snapshots)
	}
	steps, err := parseSteps(*stepList)
	if err != nil {
		return err
	}
	var modelKinds []experiment.ModelKind
	for _, name := range strings.Split(*kinds, ",") {
		kind, err := experiment.ParseModelKind(name)
		if err != nil {
			return err
		}
		modelKinds = append(modelKinds, kind)
	}

	p, err := lookupPreset(*presetName)
	if err != nil {
		return err
	}
	modelDir, err := sensorOptions.apply(&p)
	if err != nil {
		return err
	}
	if *models == "" {
		*models = modelDir
	}
	if *out == "" {
		*out = filepath.Join(*models, "compare")
	}
	if err := checkNotFile(*out); err != nil {
		return err
	}
	var candidates []experiment.Candidate
	type source struct {
		preset preset.Preset
		kind   experiment.ModelKind
		dir    string
	}
	var sources []source
	for _, kind := range modelKinds {
		sources = append(sources, source{p, kind, *models})
	}
	if *regularizers != "" {
		list := strings.Split(*regularizers, ",")
		if err := studies.CheckRegularizedClosures(list); err != nil {
			return err
		}
		for _, r := range list {
			q := p
			if err := applyRegularizer(&q, experiment.KindLatentFM, r); err != nil {
				return err
			}
			sources = append(sources, source{q, experiment.KindLatentFM, experiment.LatentModelDir(*models, r)})
		}
	}
	for _, s := range sources {
		model, err := experiment.LoadModelTrainedOn(s.preset, s.kind, s.dir, *data)
		if err != nil {
			return err
		}
		candidate, err := model.Candidate("", steps)
		if err != nil {
			return err
		}
		candidates = append(candidates, candidate)
	}
	ds, err := openDataset(p, *data)
	if err != nil {
		return err
	}
	test, err := ds.LoadSplit(dataset.SplitTest)
	if err != nil {
		return err
	}

	progress := func(label string, steps int) { fmt.Fprintf(os.Stderr, "sampling %s with %d steps\n", label, steps) }
	comparison, err := experiment.Compare(p, test, candidates, experiment.CompareOptions{
		Members: *members, Snapshots: *snapshots, Progress: progress,
	})
	if err != nil {
		return err
	}
	return writeComparison(*out, comparison)
}

// parseSteps reads a comma-separated list of positive step counts.
func parseSteps(list string) ([]int, error) {
	var steps []int
	for _, field := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("--steps=%q: %q is not a positive integer; give counts such as 1,2,4,8", list, field)
		}
		steps = append(steps, n)
	}
	return steps, nil
}

// writeComparison saves the comparison and its figures into dir and prints its table, with
// the speed-up of one-step latent flow matching over diffusion when both were compared.
func writeComparison(dir string, c *experiment.Comparison) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the output folder %s failed: %w", dir, err)
	}
	path := filepath.Join(dir, comparisonFile)
	if err := experiment.WriteComparison(path, c); err != nil {
		return err
	}
	files := []string{path}
	for _, metric := range compareMetrics {
		figure := filepath.Join(dir, "compare_"+string(metric)+".png")
		if err := saveFigure(figure)(experiment.CompareFigure(c, metric)); err != nil {
			return err
		}
		files = append(files, figure)
	}

	fmt.Print(c.Markdown())
	latent := fmt.Sprintf("%s (%s)", experiment.KindLatentFM.Label(), experiment.KindLatentFM.DefaultSampler())
	diffusion := fmt.Sprintf("%s (%s)", experiment.KindDiffusion.Label(), experiment.KindDiffusion.DefaultSampler())
	if slices.Contains(c.Labels(), latent) && slices.Contains(c.Labels(), diffusion) {
		if headline, err := c.Headline(latent, diffusion); err == nil {
			fmt.Println("\n" + headline.Markdown())
		} else {
			fmt.Printf("\nno speed-up reported: %v\n", err)
		}
	}
	fmt.Println("\nwritten:")
	for _, f := range files {
		fmt.Printf("  %s\n", f)
	}
	return nil
}

// saveFigure returns a function that saves a figure built by a plotting function to path.
func saveFigure(path string) func(*plots.Figure, error) error {
	return func(fig *plots.Figure, err error) error {
		if err != nil {
			return fmt.Errorf("figure %s: %w", path, err)
		}
		if err := fig.Save(path); err != nil {
			return fmt.Errorf("saving figure %s failed: %w", path, err)
		}
		return nil
	}
}
