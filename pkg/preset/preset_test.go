package preset

import (
	"strings"
	"testing"
)

func TestPresetsAreValid(t *testing.T) {
	for _, name := range Names() {
		p, err := Get(name)
		if err != nil {
			t.Errorf("preset %q: %v", name, err)
			continue
		}
		if p.Name != name {
			t.Errorf("preset %q reports name %q", name, p.Name)
		}
	}
}

func TestGetUnknownPreset(t *testing.T) {
	_, err := Get("huge")
	if err == nil {
		t.Fatal("Get(\"huge\") returned no error")
	}
	for _, want := range []string{"huge", "small", "tiny"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestValidateRejectsBadValues(t *testing.T) {
	cases := []struct {
		name   string
		modify func(*Preset)
		want   string
	}{
		{"ratio does not divide grid", func(p *Preset) { p.Filter.Ratio = 3 }, "not divisible"},
		{"negative viscosity", func(p *Preset) { p.Flow.Viscosity = -1 }, "viscosity = -1"},
		{"zero time step", func(p *Preset) { p.Flow.TimeStep = 0 }, "time step = 0"},
		{"unknown forcing", func(p *Preset) { p.Flow.Forcing = "shear" }, "\"shear\""},
		{"unknown filter", func(p *Preset) { p.Filter.Kind = "wavelet" }, "\"wavelet\""},
		{"too few trajectories", func(p *Preset) { p.Data.Trajectories = 2 }, "2 trajectories"},
		{"sensor stride beyond the LES grid", func(p *Preset) { p.Training.Sensors.Stride = 64 }, "Stride=64"},
	}
	for _, c := range cases {
		p, err := Get("tiny")
		if err != nil {
			t.Fatal(err)
		}
		c.modify(&p)
		err = p.Validate()
		if err == nil {
			t.Errorf("%s: Validate returned no error", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not contain %q", c.name, err, c.want)
		}
	}
}

func TestGetReturnsCopy(t *testing.T) {
	a, _ := Get("small")
	a.Flow.Viscosity = 99
	b, _ := Get("small")
	if b.Flow.Viscosity == 99 {
		t.Error("changing a preset returned by Get changed the registry")
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv(EnvName, "tiny")
	p, err := FromEnv("small")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "tiny" {
		t.Errorf("FromEnv with %s=tiny returned preset %q", EnvName, p.Name)
	}

	t.Setenv(EnvName, "")
	p, err = FromEnv("small")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "small" {
		t.Errorf("FromEnv with %s unset returned preset %q, expected the default small", EnvName, p.Name)
	}
}

func TestMaxStepsFromEnv(t *testing.T) {
	for _, c := range []struct {
		value string
		steps int
	}{{"", 1024}, {"128", 128}} {
		t.Setenv(EnvMaxSteps, c.value)
		steps, err := MaxStepsFromEnv(1024)
		if err != nil {
			t.Fatalf("MaxStepsFromEnv(1024) with %s=%q: %v", EnvMaxSteps, c.value, err)
		}
		if steps != c.steps {
			t.Errorf("MaxStepsFromEnv(1024) with %s=%q = %d, expected %d", EnvMaxSteps, c.value, steps, c.steps)
		}
	}

	for _, invalid := range []string{"0", "-4", "many", "1.5"} {
		t.Setenv(EnvMaxSteps, invalid)
		_, err := MaxStepsFromEnv(1024)
		if err == nil || !strings.Contains(err.Error(), invalid) {
			t.Errorf("MaxStepsFromEnv with %s=%q: error %v, expected one naming the value", EnvMaxSteps, invalid, err)
		}
	}
}
