package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/closure-lab/closure/pkg/apost"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/studies"
)

// runAPosteriori runs the a-posteriori study of notebook 6 headless: LES ensembles coupled to
// no closure, Smagorinsky, the oracle and the latent closure (with its mean network and its
// scale-selective copy), optionally also the physical-space closures.
func runAPosteriori(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("apost", flag.ContinueOnError)
	presetName := fs.String("preset", "small", "`name` of the preset; run closure presets to list them")
	data := fs.String("data", "", "data-set directory, generated when missing (default datasets/PRESET)")
	models := fs.String("models", "", "folder of the trained models, which are trained there when missing (default figures/PRESET)")
	out := fs.String("out", "", "folder of apost_result.json and the figures (default figures/PRESET/apost)")
	duration := fs.Float64("duration", 0, "simulated time of the LES (default 10)")
	members := fs.Int("members", 0, "ensemble size per closure (default the preset's)")
	trajectory := fs.Int("trajectory", 0, "random initial field of the DNS (default the first one the data set does not contain)")
	minWavenumber := fs.Float64("min-wavenumber", studies.DefaultMinWavenumber, "cutoff |k| of the scale-selective copy of the latent closure; 0 leaves the copy out")
	maxWavenumber := fs.Float64("max-wavenumber", 0, fmt.Sprintf("upper cutoff |k| of that copy, for example %g; 0 keeps every |k| above --min-wavenumber", studies.DefaultMaxWavenumber))
	regularizers := fs.String("regularizers", "", "also couple the latent closures trained with these stage-1 regularizers, trained when missing: a list from joint,mp,ga")
	var physical physicalFlag
	fs.Var(&physical, "physical", "also couple the physical-space models and the closures with sensors, trained when missing: --physical couples all of them, --physical=LIST some, from "+
		strings.Join(studies.ExtraClosureKeys(), ","))
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("apost takes no positional arguments, got %q; give a list to --physical with '=', as in --physical=flow-matching,diffusion", fs.Args())
	case *minWavenumber < 0:
		return fmt.Errorf("--min-wavenumber=%g must be 0 (no scale-selective copy) or positive", *minWavenumber)
	case *maxWavenumber != 0 && !(*maxWavenumber > *minWavenumber && *minWavenumber > 0):
		return fmt.Errorf("--max-wavenumber=%g must be 0 or above a positive --min-wavenumber (%g)", *maxWavenumber, *minWavenumber)
	case *members < 0 || *duration < 0 || *trajectory < 0:
		return fmt.Errorf("--members=%d, --duration=%g and --trajectory=%d must not be negative; 0 selects the default", *members, *duration, *trajectory)
	}
	var regularized []string
	if *regularizers != "" {
		regularized = strings.Split(*regularizers, ",")
	}
	if err := studies.CheckRegularizedClosures(regularized); err != nil {
		return err
	}

	p, err := lookupPreset(*presetName)
	if err != nil {
		return err
	}
	if *data == "" {
		*data = defaultDataDir(p.Name)
	}
	if *models == "" {
		*models = defaultModelDir(p.Name)
	}
	if *out == "" {
		*out = filepath.Join(defaultModelDir(p.Name), "apost")
	}
	if err := checkNotFile(*out); err != nil {
		return err
	}

	model, err := studies.PrepareLatentFM(ctx, p, *data, filepath.Join(*models, experiment.ModelFile))
	if err != nil {
		return err
	}
	cfg := studies.APosterioriConfig{
		Trajectory: *trajectory, Duration: *duration, Members: *members,
		Mean: studies.MeanSampler(model), ScaleSelective: *minWavenumber, ScaleSelectiveMax: *maxWavenumber,
	}
	if len(regularized) > 0 {
		closures, err := studies.PrepareRegularizedClosures(ctx, p, *data, *models, regularized, 0)
		if err != nil {
			return err
		}
		cfg.Extra = append(cfg.Extra, closures...)
	}
	if len(physical.keys) > 0 {
		sensorDir := filepath.Join(*models, "sensors-"+studies.DefaultSensors.Tag())
		extra, err := studies.PrepareSelectedClosures(p, *data, *models, sensorDir, physical.keys)
		if err != nil {
			return err
		}
		cfg.Extra = append(cfg.Extra, extra...)
	}
	res, err := studies.APosteriori(ctx, p, experiment.LatentSampler(model, "euler"), cfg)
	if err != nil {
		return err
	}
	return writeAPosteriori(*out, res)
}

// physicalFlag is --physical, a boolean flag that also takes a list: --physical selects every
// extra closure of studies.ExtraClosureKeys, and --physical=flow-matching,diffusion some.
type physicalFlag struct{ keys []string }

func (f *physicalFlag) String() string {
	if f == nil {
		return ""
	}
	return strings.Join(f.keys, ",")
}

// IsBoolFlag lets the flag package accept --physical without a value, which it passes as "true".
func (f *physicalFlag) IsBoolFlag() bool { return true }

func (f *physicalFlag) Set(value string) error {
	switch value {
	case "true":
		f.keys = studies.ExtraClosureKeys()
		return nil
	case "false":
		f.keys = nil
		return nil
	}
	keys := strings.Split(value, ",")
	if err := studies.CheckExtraClosureKeys(keys); err != nil {
		return err
	}
	f.keys = keys
	return nil
}

// writeAPosteriori saves the result and its figures into dir and prints the error table.
func writeAPosteriori(dir string, res *apost.Result) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating the output folder %s failed: %w", dir, err)
	}
	path := filepath.Join(dir, apost.ResultFile)
	if err := apost.WriteJSON(path, res); err != nil {
		return err
	}
	figures, err := apost.WriteFigures(dir, res)
	if err != nil {
		return err
	}

	t0, span := res.StartTime, res.Duration
	fmt.Print(studies.APosterioriTable(res, []float64{t0 + span/4, t0 + span/2, t0 + span}))
	fmt.Printf("\nresult in %s, figures:\n", path)
	for _, f := range figures {
		fmt.Printf("  %s\n", f)
	}
	return nil
}
