package preset

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Validate checks every parameter and returns all problems found, each naming the value and
// the fix. A preset that passes can be handed to the solver, the filter and the trainer.
func (p Preset) Validate() error {
	var problems []error
	add := func(format string, args ...any) {
		problems = append(problems, fmt.Errorf("preset %q: "+format, append([]any{p.Name}, args...)...))
	}
	positive := func(name string, v float64) {
		if !(v > 0) || math.IsInf(v, 0) {
			add("%s = %v must be positive and finite; set a positive value", name, v)
		}
	}

	f := p.Flow
	switch f.Forcing {
	case "kolmogorov":
		if f.ForcingWavenumber <= 0 {
			add("forcing wavenumber k_f = %d must be positive; the usual value is 4", f.ForcingWavenumber)
		}
	case "predecessor":
	default:
		add("forcing %q is unknown; use \"kolmogorov\" or \"predecessor\"", f.Forcing)
	}
	positive("viscosity", f.Viscosity)
	positive("time step", f.TimeStep)
	positive("domain length", f.Length)
	if f.Drag < 0 {
		add("drag = %v must be zero or positive", f.Drag)
	}
	if f.GridSize < 8 {
		add("grid size %d is too small; use at least 8 points per side", f.GridSize)
	}

	if p.Filter.Ratio < 1 {
		add("filter ratio %d must be at least 1", p.Filter.Ratio)
	} else if f.GridSize%p.Filter.Ratio != 0 {
		add("grid size %d is not divisible by the filter ratio %d; choose a grid size that is a multiple of the ratio", f.GridSize, p.Filter.Ratio)
	}
	switch p.Filter.Kind {
	case "sharp", "box", "gaussian":
	default:
		add("filter kind %q is unknown; use \"sharp\", \"box\" or \"gaussian\"", p.Filter.Kind)
	}

	d := p.Data
	if d.Trajectories < 3 {
		add("%d trajectories are too few for a train/validation/test split; use at least 3", d.Trajectories)
	}
	if d.Snapshots < 1 {
		add("snapshots per trajectory = %d must be at least 1", d.Snapshots)
	}
	positive("snapshot interval", d.Interval)
	if d.SpinUp < 0 {
		add("spin-up time = %v must be zero or positive", d.SpinUp)
	}
	if d.ValidationFraction < 0 || d.TestFraction <= 0 || d.ValidationFraction+d.TestFraction >= 1 {
		add("validation fraction %v and test fraction %v must be in [0, 1) with a positive test fraction and a sum below 1",
			d.ValidationFraction, d.TestFraction)
	}

	t := p.Training
	if t.LatentDim < 1 || t.AutoencoderSteps < 1 || t.FlowSteps < 1 || t.BatchSize < 1 {
		add("training latent dim %d, steps %d/%d and batch size %d must all be at least 1",
			t.LatentDim, t.AutoencoderSteps, t.FlowSteps, t.BatchSize)
	}
	if !slices.Contains(Regularizers, t.Regularizer) && t.Regularizer != "" {
		add("training regularizer %q is not one of %s", t.Regularizer, strings.Join(Regularizers, ", "))
	}
	if t.RegularizerWeight < 0 {
		add("training regularizer weight %v must be zero (the default) or positive", t.RegularizerWeight)
	}
	if p.Filter.Ratio > 0 && p.Flow.GridSize%p.Filter.Ratio == 0 {
		if err := t.Sensors.Validate(p.LESGridSize()); err != nil {
			add("training %v", err)
		}
	}

	e := p.Evaluation
	if e.Members < 2 || e.Snapshots < 1 || e.SamplerSteps < 1 {
		add("evaluation needs at least 2 members (got %d), 1 snapshot (got %d) and 1 sampler step (got %d)",
			e.Members, e.Snapshots, e.SamplerSteps)
	}
	return errors.Join(problems...)
}
