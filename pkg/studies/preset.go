package studies

import (
	"fmt"
	"os"

	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/solver"
	"github.com/closure-lab/closure/pkg/spectral"
)

// PresetEnv is the environment variable that selects the notebooks' preset.
// Continuous integration sets it to "tiny".
const PresetEnv = "CLOSURE_PRESET"

// PresetFromEnv returns the preset named by the environment variable
// CLOSURE_PRESET, or the preset defaultName when the variable is empty or
// unset. It returns an error naming the known presets when the name is
// unknown.
func PresetFromEnv(defaultName string) (preset.Preset, error) {
	name := os.Getenv(PresetEnv)
	if name == "" {
		name = defaultName
	}

	p, err := preset.Get(name)
	if err != nil {
		return preset.Preset{}, fmt.Errorf("studies: %s=%q: %w", PresetEnv, name, err)
	}
	return p, nil
}

// NOTE: flowParams, filterConfig and initialField repeat the conversions of
// experiment.SolverParams, experiment.FilterConfig and experiment.InitialField
// (FFT workers aside), and a change to one must be made to the other. Package
// studies does not import package experiment, because experiment pulls in the
// whole learning stack, which the solver notebooks do not need.

// flowParams returns the solver parameters of the preset's DNS. The FFT
// workers are left to the solver, because the studies run one solver at a time.
func flowParams(p preset.Preset) (solver.Params, error) {
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
		return solver.Params{}, fmt.Errorf("studies: forcing %q of preset %q is unknown; use \"kolmogorov\" or \"predecessor\"", f.Forcing, p.Name)
	}
	return params, params.Validate()
}

// filterConfig returns the preset's coarse-graining from the DNS to the LES grid.
func filterConfig(p preset.Preset) (filter.Config, error) {
	kinds := map[string]filter.Kind{"sharp": filter.Sharp, "box": filter.Box, "gaussian": filter.Gaussian}
	kind, ok := kinds[p.Filter.Kind]
	if !ok {
		return filter.Config{}, fmt.Errorf("studies: filter kind %q of preset %q is unknown; use \"sharp\", \"box\" or \"gaussian\"", p.Filter.Kind, p.Name)
	}
	return filter.Config{N: p.Flow.GridSize, L: p.Flow.Length, Ratio: p.Filter.Ratio, Kind: kind, Workers: 1}, nil
}

// initialField returns the random initial vorticity of the preset's
// trajectory k, seeded as the data-set generator seeds it.
func initialField(p preset.Preset, k int) spectral.RandomField {
	return spectral.RandomField{
		Peak:         p.Flow.InitialPeakWavenumber,
		RMSVorticity: p.Flow.InitialRMSVorticity,
		Seed:         uint64(p.Data.Seed)*1_000_003 + uint64(k),
	}
}

// stepsIn returns the number of steps of length dt in duration and an error
// when duration is not a positive multiple of dt.
func stepsIn(duration, dt float64, quantity string) (int, error) {
	steps := int(duration/dt + 0.5)
	if steps < 1 || abs(float64(steps)*dt-duration) > 1e-9*duration {
		return 0, fmt.Errorf("studies: %s %g is not a positive multiple of the time step %g; choose a multiple", quantity, duration, dt)
	}
	return steps, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
