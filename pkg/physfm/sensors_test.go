package physfm

import (
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/closure-lab/closure/internal/sensortoy"
	"github.com/closure-lab/closure/pkg/flowmatch"
	"github.com/closure-lab/closure/pkg/sensors"
)

func sensorData(rng *rand.Rand, count int) Data {
	omegaBar, h := sensortoy.Data(rng, count)
	return Data{N: sensortoy.N, OmegaBar: omegaBar, H: h}
}

// TestSensorsRecoverUnobservedAmplitude trains a model with sensors on the lattice of stride 2
// (φ = ±1 at its four points) on the toy problem of package sensortoy, in which ω̄ carries no
// information about H, and checks that the ensemble mean follows the exact posterior mean E[H | y].
// Without the readings the best estimate is H = 0, whose relative error is 1.
func TestSensorsRecoverUnobservedAmplitude(t *testing.T) {
	t.Parallel()
	const (
		count, members = 32, 64
		// Relative L2 error of the ensemble mean against E[H | y]. The sampling error of a
		// 64-member mean alone is about 0.3/8/0.7 ≈ 0.05 of the rms posterior mean.
		meanTolerance = 0.2
		// Relative error of the rms ensemble spread away from the sensors.
		spreadTolerance = 0.3
	)
	cfg := toyConfig()
	cfg.Sensors = sensors.Layout{Stride: 2}
	model, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := model.Train(sensorData(rand.New(rand.NewPCG(31, 32)), 512), nil, TrainOptions{}); err != nil {
		t.Fatal(err)
	}

	omegaBar, h := sensortoy.Data(rand.New(rand.NewPCG(33, 34)), count)
	samples, err := model.SampleMeasured(omegaBar, h, members, 8, string(flowmatch.Heun), 5)
	if err != nil {
		t.Fatal(err)
	}
	sensortoy.Check(t, samples, h, cfg.Sensors.Points(sensortoy.N), members, meanTolerance, spreadTolerance)
}

func TestSensorsSampleArgumentsAndCheckpoint(t *testing.T) {
	t.Parallel()
	cfg := toyConfig()
	cfg.Sensors = sensors.Layout{Fraction: 0.25, Seed: 3}
	model, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data := sensorData(rand.New(rand.NewPCG(1, 2)), 16)
	if _, err := model.Train(data, nil, TrainOptions{Steps: 2}); err != nil {
		t.Fatal(err)
	}

	if _, err := model.Sample(data.OmegaBar, 1, 1, "", 1); err == nil || !strings.Contains(err.Error(), "SampleMeasured") {
		t.Errorf("Sample of a model with sensors returned %v, want an error pointing to SampleMeasured", err)
	}
	if _, err := model.SampleMeasured(data.OmegaBar, data.H[:toyN*toyN], 1, 1, "", 1); err == nil || !strings.Contains(err.Error(), "measured") {
		t.Errorf("SampleMeasured with one measured field for 16 conditions returned %v, want an error", err)
	}
	first, err := model.SampleMeasured(data.OmegaBar, data.H, 2, 1, "", 9)
	if err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "sensors.ckpt")
	if err := model.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Config().Sensors != cfg.Sensors {
		t.Errorf("loaded sensors %+v, want %+v", loaded.Config().Sensors, cfg.Sensors)
	}
	restored, err := loaded.SampleMeasured(data.OmegaBar, data.H, 2, 1, "", 9)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first, restored) {
		t.Error("samples of the loaded model with sensors differ from those of the saved model")
	}

	plain, err := New(toyConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.SampleMeasured(data.OmegaBar, data.H, 1, 1, "", 1); err == nil || !strings.Contains(err.Error(), "no sensors") {
		t.Errorf("SampleMeasured of a model without sensors returned %v, want an error", err)
	}
	cfg.Sensors = sensors.Layout{Stride: 2, Fraction: 0.5}
	if _, err := New(cfg); err == nil {
		t.Error("New accepted sensors with both Stride and Fraction set")
	}
}
