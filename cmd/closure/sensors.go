package main

import (
	"flag"
	"path/filepath"

	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/sensors"
)

// sensorFlags are the flags of train, sample and compare that condition the closure models on the true
// closure term at fixed points of the LES grid.
type sensorFlags struct {
	stride   *int
	fraction *float64
	seed     *int64
}

func addSensorFlags(fs *flag.FlagSet) sensorFlags {
	return sensorFlags{
		stride:   fs.Int("sensor-stride", 0, "measure H on the lattice of every Nth LES grid point in x and y and condition the model on it (0: no sensors)"),
		fraction: fs.Float64("sensor-fraction", 0, "measure H at this fraction of the LES grid points, drawn at random, instead of a lattice (0: no sensors)"),
		seed:     fs.Int64("sensor-seed", 1, "seed of the random sensor points of --sensor-fraction"),
	}
}

// apply sets the sensors of p and returns the model directory to use when --out or --models is
// not given: figures/PRESET, or figures/PRESET/sensors-TAG with sensors, so that models with
// and without sensors do not overwrite each other.
func (f sensorFlags) apply(p *preset.Preset) (defaultDir string, err error) {
	layout := sensors.Layout{Stride: *f.stride, Fraction: *f.fraction}
	if layout.Fraction != 0 {
		layout.Seed = *f.seed
	}
	p.Training.Sensors = layout
	if err := p.Validate(); err != nil {
		return "", err
	}
	if !layout.Enabled() {
		return defaultModelDir(p.Name), nil
	}
	return filepath.Join(defaultModelDir(p.Name), "sensors-"+layout.Tag()), nil
}
