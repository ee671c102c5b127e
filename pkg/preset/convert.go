package preset

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/solver"
	"github.com/closure-lab/closure/pkg/spectral"
)

// SolverParams returns the solver parameters of the preset's DNS. Workers is left at 0, so
// the solver chooses its FFT goroutines; a caller that runs one trajectory per core sets it
// to 1.
func (p Preset) SolverParams() (solver.Params, error) {
	f := p.Flow
	params := solver.Params{
		N: f.GridSize, L: f.Length, Nu: f.Viscosity, Alpha: f.Drag, Dt: f.TimeStep,
		Stepper: f.Stepper,
	}
	switch f.Forcing {
	case "kolmogorov":
		params.Forcing = solver.Forcing{Kind: solver.ForcingKolmogorov, Wavenumber: f.ForcingWavenumber, Amplitude: f.ForcingAmplitude}
	case "predecessor":
		params.Forcing = solver.Forcing{Kind: solver.ForcingDiagonal, Wavenumber: 1, Amplitude: f.ForcingAmplitude}
	default:
		return solver.Params{}, fmt.Errorf("preset %q: forcing %q is unknown; use \"kolmogorov\" or \"predecessor\"", p.Name, f.Forcing)
	}
	return params, params.Validate()
}

// FilterConfig returns the preset's coarse-graining from the DNS grid to the LES grid, with
// one FFT worker.
func (p Preset) FilterConfig() (filter.Config, error) {
	kinds := map[string]filter.Kind{"sharp": filter.Sharp, "box": filter.Box, "gaussian": filter.Gaussian}
	kind, ok := kinds[p.Filter.Kind]
	if !ok {
		return filter.Config{}, fmt.Errorf("preset %q: filter kind %q is unknown; use \"sharp\", \"box\" or \"gaussian\"", p.Name, p.Filter.Kind)
	}
	return filter.Config{N: p.Flow.GridSize, L: p.Flow.Length, Ratio: p.Filter.Ratio, Kind: kind, Workers: 1}, nil
}

// InitialField returns the random initial vorticity of trajectory k. Seeds of different
// trajectories and different data-set seeds never coincide for k below one million.
func (p Preset) InitialField(k int) spectral.RandomField {
	return spectral.RandomField{
		Peak:         p.Flow.InitialPeakWavenumber,
		RMSVorticity: p.Flow.InitialRMSVorticity,
		Seed:         uint64(p.Data.Seed)*1_000_003 + uint64(k),
	}
}
