package apost

import (
	"context"
	"fmt"

	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/solver"
)

// SpinUp runs the DNS of preset p from the random initial field of
// trajectory k (Preset.InitialField) to time `until` and returns the
// vorticity (length N², N = p.Flow.GridSize). It is the initial state of an
// a-posteriori run starting at `until`. dnsWorkers sets the FFT goroutines
// (0: the solver default). It returns ctx's error when cancelled.
func SpinUp(ctx context.Context, p preset.Preset, k int, until float64, dnsWorkers int) ([]float64, error) {
	params, err := p.SolverParams()
	if err != nil {
		return nil, err
	}
	params.Workers = dnsWorkers
	s, err := solver.New(params)
	if err != nil {
		return nil, err
	}
	if err := s.SetRandomVorticity(p.InitialField(k)); err != nil {
		return nil, err
	}
	if until == 0 {
		return s.Vorticity(nil), nil
	}

	// Advance in chunks of at most one time unit, checking for cancellation.
	chunk := min(until, 1.0)
	steps, err := stepCount(until, params.Dt, "spin-up time")
	if err != nil {
		return nil, err
	}
	for s.Steps() < steps {
		span := min(chunk, float64(steps-s.Steps())*params.Dt)
		if err := s.Advance(span, 0, nil); err != nil {
			return nil, fmt.Errorf("apost: spin-up of preset %q to t=%g: %w", p.Name, until, err)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return s.Vorticity(nil), nil
}

// PresetConfig returns the Config of preset p from the DNS state initial at
// time start: the preset's DNS parameters with dnsWorkers FFT goroutines,
// its filter, and p.Evaluation.Members members. Duration, OutputEvery and
// Closures are left for the caller.
func PresetConfig(p preset.Preset, initial []float64, start float64, dnsWorkers int) (Config, error) {
	params, err := p.SolverParams()
	if err != nil {
		return Config{}, err
	}
	params.Workers = dnsWorkers
	fc, err := p.FilterConfig()
	if err != nil {
		return Config{}, err
	}
	return Config{
		DNS: params, Filter: fc, Initial: initial, StartTime: start,
		Members: max(p.Evaluation.Members, 1), Seed: p.Training.Seed,
	}, nil
}
