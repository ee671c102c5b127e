package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/train"
)

// lookupPreset returns the named preset for train and sample. Tests replace it to run the
// commands on a cut-down preset.
var lookupPreset = preset.Get

// defaultModelDir returns the directory of trained models when --out is not given: the
// output directory of `closure run`, so that both commands reuse each other's latent model.
func defaultModelDir(name string) string {
	return filepath.Join("figures", name)
}

func runTrain(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	model := fs.String("model", "", "model to train: latent-fm, diffusion or flow-matching")
	presetName := fs.String("preset", "small", "`name` of the preset; run closure presets to list them")
	data := fs.String("data", "", "data-set directory (default datasets/PRESET); create it with closure generate")
	out := fs.String("out", "", "directory of the trained model (default figures/PRESET, figures/PRESET/sensors-TAG with sensors, figures/PRESET/regularizer-NAME with a regularizer)")
	regularizer := fs.String("regularizer", "", "stage-1 regularizer of the latent model's autoencoder: none (default), joint, mp or ga")
	sensorOptions := addSensorFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("train takes no positional arguments, got %q; use --model KIND", fs.Args())
	}
	if *model == "" {
		return fmt.Errorf("train needs --model; use one of latent-fm, diffusion, flow-matching")
	}

	kind, err := experiment.ParseModelKind(*model)
	if err != nil {
		return err
	}
	p, err := lookupPreset(*presetName)
	if err != nil {
		return err
	}
	if err := applyRegularizer(&p, kind, *regularizer); err != nil {
		return err
	}
	dir, err := sensorOptions.apply(&p)
	if err != nil {
		return err
	}
	dir = experiment.LatentModelDir(dir, *regularizer)
	if *out != "" {
		dir = *out
	}
	ds, err := openDataset(p, *data)
	if err != nil {
		return err
	}

	var training *bar
	var stage string
	progress := func(name string, pr train.Progress) {
		if name != stage {
			if training != nil {
				training.finish()
			}
			training, stage = newBar("training "+name, pr.Steps), name
		}
		training.fraction(float64(pr.Step), float64(pr.Steps), trainingAttrs(pr)...)
	}
	result, err := experiment.TrainModel(p, kind, ds, dir, progress)
	if training != nil {
		training.finish()
	}
	if err != nil {
		return err
	}

	if !result.Trained {
		fmt.Printf("%s model of preset %s already trained with this configuration: %s\n", kind, p.Name, result.Model.Path)
		return ctx.Err()
	}
	fmt.Printf("trained the %s model of preset %s in %.0f s\n", kind, p.Name, result.Seconds)
	for _, stage := range result.Stages {
		fmt.Printf("final training loss of the %s stage: %.4g\n", stage.Stage, stage.Loss)
	}
	if result.ReconstructionError > 0 {
		fmt.Printf("autoencoder relative reconstruction error (validation): %.3f\n", result.ReconstructionError)
	}
	fmt.Printf("saved to %s\n", result.Model.Path)
	return nil
}

// openDataset opens the data set of a preset in dir (default datasets/PRESET), with an error
// that names the `closure generate` command when it is missing.
func openDataset(p preset.Preset, dir string) (*dataset.Dataset, error) {
	if dir == "" {
		dir = defaultDataDir(p.Name)
	}
	if _, err := os.Stat(filepath.Join(dir, dataset.ManifestName)); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no data set at %s; generate it with `closure generate --preset %s --out %s`", dir, p.Name, dir)
	}
	ds, err := dataset.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("%w; to finish or regenerate it run `closure generate --preset %s --out %s`", err, p.Name, dir)
	}
	return ds, nil
}

// applyRegularizer sets the stage-1 regularizer of the latent model of p, checking that the
// model is the latent one and the name is known.
func applyRegularizer(p *preset.Preset, kind experiment.ModelKind, regularizer string) error {
	if regularizer == "" {
		return nil
	}
	if kind != experiment.KindLatentFM {
		return fmt.Errorf("--regularizer=%s shapes the latent space of the latent-fm model; the %s model has none, so leave the flag out", regularizer, kind)
	}
	p.Training.Regularizer = regularizer
	return p.Validate()
}
