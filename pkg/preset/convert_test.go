package preset

import (
	"math"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/solver"
)

func tinyPreset(t *testing.T) Preset {
	t.Helper()
	p, err := Get("tiny")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFlowParamsOfTiny(t *testing.T) {
	t.Parallel()
	params, err := tinyPreset(t).SolverParams()
	if err != nil {
		t.Fatal(err)
	}

	want := solver.Params{
		N: 64, L: 2 * math.Pi, Nu: 1.0 / 40, Alpha: 0, Dt: 0.01, Stepper: "cnab2",
		Forcing: solver.Forcing{Kind: solver.ForcingKolmogorov, Wavenumber: 4, Amplitude: 1},
	}
	if params.N != want.N || params.L != want.L || params.Nu != want.Nu || params.Alpha != want.Alpha ||
		params.Dt != want.Dt || params.Stepper != want.Stepper {
		t.Errorf("flow parameters %+v, want %+v", params, want)
	}
	if params.Forcing.Kind != want.Forcing.Kind || params.Forcing.Wavenumber != 4 || params.Forcing.Amplitude != 1 {
		t.Errorf("forcing %+v, want Kolmogorov k_f = 4, A = 1", params.Forcing)
	}
}

func TestFlowParamsOfPredecessor(t *testing.T) {
	t.Parallel()
	p := tinyPreset(t)
	p.Flow.Forcing, p.Flow.Length, p.Flow.ForcingAmplitude = "predecessor", 1, 0.1
	params, err := p.SolverParams()
	if err != nil {
		t.Fatal(err)
	}
	if params.Forcing.Kind != solver.ForcingDiagonal || params.Forcing.Wavenumber != 1 || params.Forcing.Amplitude != 0.1 {
		t.Errorf("forcing %+v, want the diagonal forcing with wavenumber 1 and A = 0.1", params.Forcing)
	}

	p.Flow.Forcing = "shear"
	if _, err := p.SolverParams(); err == nil || !strings.Contains(err.Error(), "shear") {
		t.Errorf("error %v, want one naming the unknown forcing \"shear\"", err)
	}
}

func TestFilterConfigKinds(t *testing.T) {
	t.Parallel()
	p := tinyPreset(t)
	for name, kind := range map[string]filter.Kind{"sharp": filter.Sharp, "box": filter.Box, "gaussian": filter.Gaussian} {
		p.Filter.Kind = name
		cfg, err := p.FilterConfig()
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Kind != kind || cfg.N != 64 || cfg.Ratio != 4 || cfg.L != p.Flow.Length {
			t.Errorf("%s: config %+v, want kind %v on 64² with ratio 4", name, cfg, kind)
		}
	}

	p.Filter.Kind = "wavelet"
	if _, err := p.FilterConfig(); err == nil {
		t.Error("filter kind \"wavelet\" was accepted; want an error")
	}
}

func TestInitialFieldSeeds(t *testing.T) {
	t.Parallel()
	p := tinyPreset(t)
	a, b := p.InitialField(0), p.InitialField(1)
	if a.Seed == b.Seed {
		t.Errorf("trajectories 0 and 1 share the seed %d", a.Seed)
	}
	if a.Peak != p.Flow.InitialPeakWavenumber || a.RMSVorticity != p.Flow.InitialRMSVorticity || a.Energy != 0 {
		t.Errorf("initial field %+v, want peak %g and rms vorticity %g", a, p.Flow.InitialPeakWavenumber, p.Flow.InitialRMSVorticity)
	}
}
