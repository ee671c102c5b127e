package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/studies"
)

// efficiencyResultFile is the name of the result of `closure efficiency` in its output folder.
const efficiencyResultFile = "data_efficiency.json"

// runEfficiency runs the data-efficiency study of notebook 7 headless, whole or one shard of
// it, or merges the results of its shards.
func runEfficiency(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("efficiency", flag.ContinueOnError)
	presetName := fs.String("preset", "small", "`name` of the preset; run closure presets to list them")
	data := fs.String("data", "", "data-set directory, generated when missing (default datasets/PRESET)")
	out := fs.String("out", "", "folder of the result and figures (default figures/PRESET; with --shard, figures/PRESET/data-efficiency-shard-I-of-N)")
	work := fs.String("work", "", "folder of the finished runs and the training state of the run in progress, where a rerun resumes (default OUT/data-efficiency)")
	shardSpec := fs.String("shard", "", "run only shard `I/N` of the study's runs (I from 0), e.g. 1/4; join the shards with --merge")
	merge := fs.Bool("merge", false, "merge the results of the shards given as arguments (their folders or "+efficiencyResultFile+" files) instead of training")
	fractions := fs.String("fractions", "", "comma-separated training-set fractions in (0, 1] (default 1/16,1/4,1; 1/4,1 at tiny)")
	regularizers := fs.String("regularizers", "", "comma-separated stage-1 regularizers (default none,joint,mp,ga)")
	seeds := fs.Int("seeds", 0, "training seeds per fraction and regularizer (default 1)")
	aeSteps := fs.Int("ae-steps", 0, "autoencoder steps per model (default the preset's)")
	fmSteps := fs.Int("fm-steps", 0, "flow-matching steps per model (default the preset's)")
	reflowSteps := fs.Int("reflow-steps", 0, "reflow steps per model; -1 skips reflow (default the preset's)")
	testSnapshots := fs.Int("test-snapshots", 0, "test snapshots evaluated (default twice the preset's evaluation snapshots, 16 at tiny)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *merge {
		return mergeEfficiency(fs.Args(), *out, *work)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("efficiency takes no positional arguments without --merge, got %q", fs.Args())
	}

	p, err := lookupPreset(*presetName)
	if err != nil {
		return err
	}
	cfg := studies.DataEfficiencyConfigFor(p)
	if *shardSpec != "" {
		if cfg.Shard, err = dataset.ParseShard(*shardSpec); err != nil {
			return fmt.Errorf("--shard: %w", err)
		}
	}
	if err := setEfficiencyConfig(&cfg, *fractions, *regularizers, *seeds, *aeSteps, *fmSteps, *reflowSteps, *testSnapshots); err != nil {
		return err
	}
	if *data == "" {
		*data = defaultDataDir(p.Name)
	}
	if *out == "" {
		*out = defaultModelDir(p.Name)
		if cfg.Shard.Count > 1 {
			*out = filepath.Join(*out, fmt.Sprintf("data-efficiency-shard-%d-of-%d", cfg.Shard.Index, cfg.Shard.Count))
		}
	}
	if *work == "" {
		*work = filepath.Join(*out, "data-efficiency")
	}
	for _, dir := range []string{*out, *work} {
		if err := checkNotFile(dir); err != nil {
			return err
		}
	}
	cfg.WorkDir = *work

	result, err := studies.DataEfficiency(ctx, p, *data, cfg)
	if err != nil {
		return err
	}
	return writeEfficiency(*out, result)
}

// setEfficiencyConfig applies the flags that were given to cfg and checks them.
func setEfficiencyConfig(cfg *studies.DataEfficiencyConfig, fractions, regularizers string, seeds, aeSteps, fmSteps, reflowSteps, testSnapshots int) error {
	if fractions != "" {
		cfg.Fractions = nil
		for _, text := range strings.Split(fractions, ",") {
			f, err := parseFraction(text)
			if err != nil {
				return fmt.Errorf("--fractions=%s: %w", fractions, err)
			}
			cfg.Fractions = append(cfg.Fractions, f)
		}
	}
	if regularizers != "" {
		cfg.Regularizers = strings.Split(regularizers, ",")
	}
	if seeds < 0 || aeSteps < 0 || fmSteps < 0 || reflowSteps < -1 || testSnapshots < 0 {
		return fmt.Errorf("--seeds=%d, --ae-steps=%d, --fm-steps=%d and --test-snapshots=%d must not be negative and --reflow-steps=%d not below -1; 0 keeps the default",
			seeds, aeSteps, fmSteps, testSnapshots, reflowSteps)
	}
	for _, set := range []struct {
		value int
		field *int
	}{{seeds, &cfg.Seeds}, {aeSteps, &cfg.AESteps}, {fmSteps, &cfg.FMSteps}, {reflowSteps, &cfg.ReflowSteps}, {testSnapshots, &cfg.TestSnapshots}} {
		if set.value != 0 {
			*set.field = set.value
		}
	}
	return nil
}

// parseFraction reads a training-set fraction written as a decimal (0.25) or a ratio (1/4).
func parseFraction(text string) (float64, error) {
	text = strings.TrimSpace(text)
	if numerator, denominator, ratio := strings.Cut(text, "/"); ratio {
		n, errN := strconv.ParseFloat(numerator, 64)
		d, errD := strconv.ParseFloat(denominator, 64)
		if errN != nil || errD != nil || d == 0 {
			return 0, fmt.Errorf("fraction %q is not a ratio such as 1/4", text)
		}
		return n / d, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fmt.Errorf("fraction %q is not a number such as 0.25 or 1/4", text)
	}
	return f, nil
}

// mergeEfficiency joins the shard results at paths into one result in out (default
// figures/PRESET) and records its runs in work (default OUT/data-efficiency), where an
// unsharded study, notebook 7's among them, reads them back instead of training.
func mergeEfficiency(paths []string, out, work string) error {
	if len(paths) == 0 {
		return fmt.Errorf("efficiency --merge needs the shard results: closure efficiency --merge SHARD_FOLDER_OR_FILE...")
	}
	var shards []*studies.DataEfficiencyResult
	for _, path := range paths {
		if info, err := os.Stat(path); err == nil && info.IsDir() {
			path = filepath.Join(path, efficiencyResultFile)
		}
		shard, err := studies.LoadDataEfficiency(path)
		if err != nil {
			return fmt.Errorf("reading shard result %s: %w", path, err)
		}
		shards = append(shards, shard)
	}
	merged, err := studies.MergeDataEfficiency(shards)
	if err != nil {
		return err
	}
	if out == "" {
		out = defaultModelDir(merged.Preset)
	}
	if work == "" {
		work = filepath.Join(out, "data-efficiency")
	}
	if err := studies.RecordDataEfficiencyRuns(work, merged); err != nil {
		return err
	}
	fmt.Printf("merged %d shards; their runs are recorded in %s\n", len(shards), work)
	return writeEfficiency(out, merged)
}

// writeEfficiency saves result into dir, and for a whole study also its figures, and prints
// its table.
func writeEfficiency(dir string, result *studies.DataEfficiencyResult) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the output folder %s failed: %w", dir, err)
	}
	path := filepath.Join(dir, efficiencyResultFile)
	if err := studies.SaveDataEfficiency(path, result); err != nil {
		return err
	}
	fmt.Print(studies.DataEfficiencyTable(result))
	fmt.Printf("\nresult in %s\n", path)
	if result.Shard != nil {
		fmt.Printf("shard %s of the study; merge all shards with closure efficiency --merge\n", result.Shard)
		return nil
	}
	fmt.Println("figures:")
	for _, metric := range studies.DataEfficiencyMetrics {
		figure, err := studies.DataEfficiencyFigure(result, metric)
		if err != nil {
			return err
		}
		file := filepath.Join(dir, "data_efficiency_"+string(metric)+".png")
		if err := figure.Save(file); err != nil {
			return err
		}
		fmt.Printf("  %s\n", file)
	}
	return nil
}
