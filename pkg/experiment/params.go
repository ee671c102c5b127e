package experiment

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/solver"
	"github.com/closure-lab/closure/pkg/spectral"
)

// SolverParams converts the flow of a preset to solver parameters with one FFT worker,
// because the generator runs one trajectory per core.
func SolverParams(p preset.Preset) (solver.Params, error) {
	f := p.Flow
	params := solver.Params{
		N: f.GridSize, L: f.Length, Nu: f.Viscosity, Alpha: f.Drag, Dt: f.TimeStep,
		Stepper: f.Stepper, Workers: 1,
	}
	switch f.Forcing {
	case "kolmogorov":
		params.Forcing = solver.Forcing{Kind: solver.ForcingKolmogorov, Wavenumber: f.ForcingWavenumber, Amplitude: f.ForcingAmplitude}
	case "predecessor":
		params.Forcing = solver.Forcing{Kind: solver.ForcingDiagonal, Wavenumber: 1, Amplitude: f.ForcingAmplitude}
	default:
		return solver.Params{}, fmt.Errorf("experiment: forcing %q is unknown; use \"kolmogorov\" or \"predecessor\"", f.Forcing)
	}
	return params, params.Validate()
}

// FilterConfig converts the filter of a preset to a coarse-graining configuration.
func FilterConfig(p preset.Preset) (filter.Config, error) {
	kinds := map[string]filter.Kind{"sharp": filter.Sharp, "box": filter.Box, "gaussian": filter.Gaussian}
	kind, ok := kinds[p.Filter.Kind]
	if !ok {
		return filter.Config{}, fmt.Errorf("experiment: filter kind %q is unknown; use \"sharp\", \"box\" or \"gaussian\"", p.Filter.Kind)
	}
	return filter.Config{N: p.Flow.GridSize, L: p.Flow.Length, Ratio: p.Filter.Ratio, Kind: kind, Workers: 1}, nil
}

// InitialField returns the random initial vorticity of trajectory k. Seeds of different
// trajectories and different data-set seeds never coincide for k below one million.
func InitialField(p preset.Preset, k int) spectral.RandomField {
	return spectral.RandomField{
		Peak:         p.Flow.InitialPeakWavenumber,
		RMSVorticity: p.Flow.InitialRMSVorticity,
		Seed:         uint64(p.Data.Seed)*1_000_003 + uint64(k),
	}
}

// generationParams is what the data-set manifest records: every parameter that changes
// the data. Training and evaluation settings are left out, so that changing them reuses
// the data set.
type generationParams struct {
	Preset string        `json:"preset"`
	Flow   preset.Flow   `json:"flow"`
	Filter preset.Filter `json:"filter"`
	Data   preset.Data   `json:"data"`
}

// DatasetConfig returns the data-set configuration of a preset for the given shard.
func DatasetConfig(p preset.Preset, shard dataset.Shard) dataset.Config {
	d := p.Data
	return dataset.Config{
		Params:          generationParams{Preset: p.Name, Flow: p.Flow, Filter: p.Filter, Data: d},
		N:               p.LESGridSize(),
		NumTrajectories: d.Trajectories,
		Split: dataset.SplitConfig{
			Seed:       uint64(d.Seed),
			Train:      1 - d.ValidationFraction - d.TestFraction,
			Validation: d.ValidationFraction,
			Test:       d.TestFraction,
		},
		Shard: shard,
	}
}
