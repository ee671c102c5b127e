// Package preset names complete experiment configurations: the flow, the filter, the
// data set and the training budget, each a plain value that a user can change in one place.
//
// Presets, from cheapest to most expensive:
//
//   - tiny: a 64² DNS and a 16² LES of the low-dimensional Kolmogorov regime, for tests and
//     the notebooks' smallest setting (about a minute on 2 cores);
//   - small: a 128² DNS and a 32² LES of the same regime, the CPU default of `closure run`;
//   - paper: a 256² DNS and a 64² LES of the turbulent Kolmogorov regime (Re = 1000 in the
//     convention of Kochkov et al. 2021), for a GPU or a long CPU run;
//   - predecessor: the unit-square flow of Dong, Chen and Wu (arXiv:2408.02965), 256² DNS and
//     64² LES, for comparison with their published errors.
//
// Units: lengths in the domain's units (L = 2π for Kolmogorov flow, L = 1 for the predecessor
// flow), time in the same time units as the equation, wavenumbers in units of 2π/L.
package preset

import (
	"fmt"
	"sort"
	"strings"

	"github.com/closure-lab/closure/pkg/sensors"
)

// Flow holds the physical and numerical parameters of the DNS.
type Flow struct {
	// Forcing names the body force: "kolmogorov" or "predecessor".
	Forcing string `json:"forcing"`
	// ForcingWavenumber is k_f of Kolmogorov forcing f = −A k_f cos(k_f y), in units of 2π/L.
	ForcingWavenumber int `json:"forcing_wavenumber,omitempty"`
	// ForcingAmplitude is A, the amplitude of the velocity forcing A sin(k_f y) in x
	// (Kolmogorov) or of 0.1[sin 2π(x+y) + cos 2π(x+y)] when it equals 0.1 (predecessor).
	ForcingAmplitude float64 `json:"forcing_amplitude"`
	// Length is the side L of the periodic square.
	Length float64 `json:"length"`
	// Viscosity is the kinematic viscosity ν.
	Viscosity float64 `json:"viscosity"`
	// Drag is the linear drag coefficient α.
	Drag float64 `json:"drag"`
	// GridSize is the number of DNS grid points per side.
	GridSize int `json:"grid_size"`
	// TimeStep is the DNS time step Δt.
	TimeStep float64 `json:"time_step"`
	// Stepper names the time integration scheme.
	Stepper string `json:"stepper"`
	// InitialPeakWavenumber is the wavenumber at which the random initial vorticity spectrum peaks.
	InitialPeakWavenumber float64 `json:"initial_peak_wavenumber"`
	// InitialRMSVorticity is the root-mean-square vorticity of the random initial condition.
	InitialRMSVorticity float64 `json:"initial_rms_vorticity"`
}

// Filter holds the LES filter: its kind and the ratio of DNS to LES grid points per side.
type Filter struct {
	// Kind is "sharp" (spectral cutoff), "box" or "gaussian".
	Kind string `json:"kind"`
	// Ratio r: the LES grid has GridSize/r points per side.
	Ratio int `json:"ratio"`
}

// Data holds how snapshots are sampled from trajectories.
type Data struct {
	// Trajectories is the number of independent DNS runs, each from its own random initial field.
	Trajectories int `json:"trajectories"`
	// SpinUp is the time simulated before the first snapshot, to reach the attractor.
	SpinUp float64 `json:"spin_up"`
	// Interval is the time between two stored snapshots.
	Interval float64 `json:"interval"`
	// Snapshots is the number of snapshots stored per trajectory.
	Snapshots int `json:"snapshots"`
	// ValidationFraction and TestFraction are the shares of trajectories (not snapshots)
	// held out for validation and testing.
	ValidationFraction float64 `json:"validation_fraction"`
	TestFraction       float64 `json:"test_fraction"`
	// Seed seeds the initial conditions and the split.
	Seed int64 `json:"seed"`
}

// Regularizers are the values of Training.Regularizer, the stage-1 regularizers of package
// latentfm (a test of package experiment checks that the two lists agree).
var Regularizers = []string{"none", "joint", "mp", "ga"}

// Training holds the learning budget of the latent flow-matching closure.
type Training struct {
	// LatentDim is the dimension d of the autoencoder's latent space.
	LatentDim int `json:"latent_dim"`
	// AutoencoderSteps and FlowSteps are the optimizer steps of the two training stages.
	AutoencoderSteps int `json:"autoencoder_steps"`
	FlowSteps        int `json:"flow_steps"`
	// BatchSize is the mini-batch size of both stages.
	BatchSize int `json:"batch_size"`
	// Seed seeds weight initialization, batching and sampling.
	Seed int64 `json:"seed"`
	// Regularizer selects how the latent model's autoencoder shapes its latent space:
	// "none" (or empty, the built-in presets' choice), "joint", "mp" or "ga", the
	// regularizers of package latentfm. RegularizerWeight is the weight λ of its loss;
	// 0 keeps latentfm's default.
	Regularizer       string  `json:"regularizer,omitempty"`
	RegularizerWeight float64 `json:"regularizer_weight,omitempty"`
	// Sensors, when enabled, conditions the closure models also on the true H at these
	// points of the LES grid: the networks of diffusion and physical flow matching, and the
	// mean network of the latent model (latentfm.Config.Sensors). The built-in presets have
	// none.
	Sensors sensors.Layout `json:"sensors,omitzero"`
}

// Evaluation holds how a trained closure is sampled and judged.
type Evaluation struct {
	// Members is the number of closure samples drawn for each held-out snapshot.
	Members int `json:"members"`
	// Snapshots is the number of held-out test snapshots evaluated.
	Snapshots int `json:"snapshots"`
	// SamplerSteps is the number of ODE steps (NFE for Euler) used to sample; 1 is single-step sampling.
	SamplerSteps int `json:"sampler_steps"`
}

// Preset is a complete, named experiment configuration.
type Preset struct {
	Name        string     `json:"name"`
	Description string     `json:"description"`
	Flow        Flow       `json:"flow"`
	Filter      Filter     `json:"filter"`
	Data        Data       `json:"data"`
	Training    Training   `json:"training"`
	Evaluation  Evaluation `json:"evaluation"`
}

// LESGridSize returns the number of LES grid points per side, GridSize / Ratio.
func (p Preset) LESGridSize() int {
	return p.Flow.GridSize / p.Filter.Ratio
}

// Get returns a copy of the named preset, or an error listing the known names.
func Get(name string) (Preset, error) {
	build, ok := registry[name]
	if !ok {
		return Preset{}, fmt.Errorf("preset: unknown preset %q; use one of %s", name, strings.Join(Names(), ", "))
	}
	p := build()
	return p, p.Validate()
}

// Names returns the names of all presets in alphabetical order.
func Names() []string {
	names := make([]string, 0, len(registry))
	for name := range registry {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
