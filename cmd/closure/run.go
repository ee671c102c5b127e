package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/train"
)

func runMain(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	presetName := fs.String("preset", "small", "`name` of the preset; run closure presets to list them")
	out := fs.String("out", "", "directory for figures, metrics and the trained model (default figures/PRESET)")
	data := fs.String("data", "", "data-set directory, generated when missing (default datasets/PRESET)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("run takes no positional arguments, got %q; use --preset NAME", fs.Args())
	}

	p, err := preset.Get(*presetName)
	if err != nil {
		return err
	}
	start := time.Now()

	simulation := newBar("simulating DNS ", 1000)
	var training *bar
	var stage string
	trainProgress := func(name string, pr train.Progress) {
		if name != stage {
			if training != nil {
				training.finish()
			}
			training, stage = newBar("training "+name, pr.Steps), name
		}
		training.fraction(float64(pr.Step), float64(pr.Steps), trainingAttrs(pr)...)
	}

	result, err := experiment.Run(ctx, p, experiment.RunOptions{
		DataDir: *data, OutDir: *out,
		GenerateProgress: func(done, total float64) { simulation.fraction(done, total) },
		TrainProgress:    trainProgress,
	})
	simulation.finish()
	if training != nil {
		training.finish()
	}
	if err != nil {
		return err
	}

	printRunSummary(p, result, time.Since(start))
	return nil
}

func printRunSummary(p preset.Preset, r *experiment.RunResult, total time.Duration) {
	ev := r.Evaluation
	fmt.Printf("preset %s: %d² DNS → %d² LES, data set %s\n", p.Name, p.Flow.GridSize, p.LESGridSize(), r.DataDir)
	fmt.Printf("time: generate %.0f s, train %.0f s, evaluate %.0f s, total %.0f s\n",
		r.GenerateSeconds, r.TrainSeconds, r.EvaluateSeconds, total.Seconds())
	if r.ReconstructionError > 0 {
		fmt.Printf("autoencoder relative reconstruction error (validation): %.3f\n", r.ReconstructionError)
	}
	fmt.Printf("latent flow matching, %d Euler step(s), %d members, %d test snapshots:\n", ev.Steps, ev.Members, len(ev.PerField))
	fmt.Printf("  relative L2 error of the ensemble mean  %.3f\n", ev.MeanRelativeError)
	fmt.Printf("  relative L2 error of a single sample    %.3f\n", ev.SampleRelativeError)
	fmt.Printf("  ensemble spread (RMS std) / RMS of H    %.3f\n", ev.Spread/ev.TruthRMS)
	fmt.Printf("  spread-skill ratio                      %.2f\n", ev.SpreadSkill)
	fmt.Printf("  CRPS / RMS of H                         %.3f\n", ev.CRPS/ev.TruthRMS)
	fmt.Printf("  time per closure sample: %.3g ms in a batch of %d, %.3g ms alone\n",
		1e3*ev.SecondsPerSample, ev.Members*len(ev.PerField), 1e3*ev.SecondsPerSampleBatch1)
	fmt.Printf("outputs in %s:\n", r.OutDir)
	for _, f := range r.Files {
		fmt.Printf("  %s\n", filepath.Base(f))
	}
}
