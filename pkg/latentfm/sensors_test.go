package latentfm

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/closure-lab/closure/internal/sensortoy"
	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/sensors"
)

// sensorToyConfig returns the configuration of a model for the 4 x 4 problem of package sensortoy, with a small mean
// network and short stages.
func sensorToyConfig(layout sensors.Layout) Config {
	cfg := DefaultConfig(sensortoy.N)
	cfg.Autoencoder.Modes, cfg.Autoencoder.Latent, cfg.Autoencoder.Hidden = 1, 4, []int{32}
	cfg.ConditionModes, cfg.ConditionHidden, cfg.ConditionDim = 1, []int{16}, 8
	cfg.VelocityHidden, cfg.TimeEmbedding = []int{64}, 8
	cfg.AESteps, cfg.AEBatchSize = 200, 64
	cfg.FMSteps, cfg.FMBatchSize = 200, 64
	cfg.ReflowSteps = 0
	network := fno.DefaultConfig(sensortoy.N)
	network.Layers, network.Modes, network.Width = 2, 1, 8
	network.ProjectionHidden, network.TimeEmbedding = 16, 8
	cfg.MeanNetwork = &network
	cfg.MeanSteps, cfg.MeanBatchSize, cfg.MeanLearningRate = 400, 32, 3e-3
	cfg.Sensors = layout
	cfg.Seed = 3
	return cfg
}

// TestSensorsRecoverUnobservedAmplitude trains the model with sensors on the lattice of stride
// 2 on the toy problem of package sensortoy, where ω̄ carries no information about H, and
// checks that its mean network and its ensemble mean follow the exact posterior mean
// E[H | y]. The same model without sensors can only predict E[H] = 0, whose relative error is
// 1. The ensemble spread is not checked: the residual is white noise on the 4 x 4 grid, of
// which a spectral autoencoder with modes |k| ≤ 1 keeps only a part.
func TestSensorsRecoverUnobservedAmplitude(t *testing.T) {
	t.Parallel()
	const (
		count, members = 32, 32
		// Relative L2 error against E[H | y]. About 0.05 of it comes from the sampling of a
		// 32-member mean of the residual (std 0.3 against an rms posterior mean of about 0.7).
		meanTolerance = 0.25
		// Without sensors the error must stay near 1, the score of predicting 0.
		minErrorWithoutSensors = 0.8
	)
	layout := sensors.Layout{Stride: 2}
	points := layout.Points(sensortoy.N)
	omegaBar, h := sensortoy.Data(rand.New(rand.NewPCG(33, 34)), count)
	for _, withSensors := range []bool{true, false} {
		cfg := sensorToyConfig(layout)
		if !withSensors {
			cfg.Sensors = sensors.Layout{}
		}
		model, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		trainOmega, trainH := sensortoy.Data(rand.New(rand.NewPCG(31, 32)), 512)
		if _, err := model.Train(Data{OmegaBar: trainOmega, H: trainH, N: sensortoy.N}, nil, TrainOptions{}); err != nil {
			t.Fatal(err)
		}

		var mean, samples []float32
		if withSensors {
			mean, err = model.MeanMeasured(omegaBar, h)
			if err == nil {
				samples, err = model.SampleMeasured(omegaBar, h, members, 1, "euler", 5)
			}
		} else {
			mean, err = model.Mean(omegaBar)
			if err == nil {
				samples, err = model.Sample(omegaBar, members, 1, "euler", 5)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		meanError, _, _ := sensortoy.Score(mean, h, points, 1)
		sampleError, spread, wantSpread := sensortoy.Score(samples, h, points, members)
		t.Logf("sensors %v: mean network error %.3f, ensemble-mean error %.3f, spread %.3f (exact %.3f)",
			withSensors, meanError, sampleError, spread, wantSpread)
		switch {
		case withSensors && (meanError > meanTolerance || sampleError > meanTolerance):
			t.Errorf("with sensors: errors %.3f (mean network) and %.3f (ensemble mean) against E[H | y], want at most %g",
				meanError, sampleError, meanTolerance)
		case !withSensors && (meanError < minErrorWithoutSensors || sampleError < minErrorWithoutSensors):
			t.Errorf("without sensors: errors %.3f and %.3f, want at least %g: the toy problem leaks H into ω̄",
				meanError, sampleError, minErrorWithoutSensors)
		}
	}
}

func TestSensorsArgumentsAndCheckpoint(t *testing.T) {
	t.Parallel()
	cfg := sensorToyConfig(sensors.Layout{Fraction: 0.25, Seed: 3})
	cfg.MeanSteps, cfg.AESteps, cfg.FMSteps = 5, 5, 5

	noMean := cfg
	noMean.MeanNetwork = nil
	if _, err := New(noMean); err == nil || !strings.Contains(err.Error(), "MeanNetwork is nil") {
		t.Errorf("sensors without a mean network: error %v, want one naming MeanNetwork", err)
	}
	badLayout := cfg
	badLayout.Sensors = sensors.Layout{Stride: 9}
	if _, err := New(badLayout); err == nil || !strings.Contains(err.Error(), "Stride=9") {
		t.Errorf("stride 9 on a 4 x 4 grid: error %v, want one naming the stride", err)
	}

	model, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	omegaBar, h := sensortoy.Data(rand.New(rand.NewPCG(1, 2)), 16)
	if _, err := model.Train(Data{OmegaBar: omegaBar, H: h, N: sensortoy.N}, nil, TrainOptions{}); err != nil {
		t.Fatal(err)
	}
	condition, measured := omegaBar[:2*sensortoy.N*sensortoy.N], h[:2*sensortoy.N*sensortoy.N]
	if _, err := model.Sample(condition, 2, 1, "euler", 1); err == nil || !strings.Contains(err.Error(), "SampleMeasured") {
		t.Errorf("Sample of a model with sensors: error %v, want one pointing to SampleMeasured", err)
	}
	if _, err := model.Mean(condition); err == nil || !strings.Contains(err.Error(), "MeanMeasured") {
		t.Errorf("Mean of a model with sensors: error %v, want one pointing to the measured variant", err)
	}
	if _, err := model.SampleMeasured(condition, measured[:sensortoy.N*sensortoy.N], 2, 1, "euler", 1); err == nil {
		t.Error("SampleMeasured with one measured field for two conditions returned no error")
	}

	// The readings enter only at the sensors: changing H elsewhere changes no sample.
	samples, err := model.SampleMeasured(condition, measured, 2, 1, "euler", 1)
	if err != nil {
		t.Fatal(err)
	}
	mask := cfg.Sensors.Mask(sensortoy.N)
	changed := append([]float32(nil), measured...)
	for k := range changed {
		if mask[k%len(mask)] == 0 {
			changed[k] += 10
		}
	}
	again, err := model.SampleMeasured(condition, changed, 2, 1, "euler", 1)
	if err != nil {
		t.Fatal(err)
	}
	for k := range samples {
		if samples[k] != again[k] {
			t.Fatalf("sample value %d changed from %g to %g when H changed away from the sensors", k, samples[k], again[k])
		}
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
		t.Errorf("loaded sensors %v, want %v", loaded.Config().Sensors, cfg.Sensors)
	}
	fromFile, err := loaded.SampleMeasured(condition, measured, 2, 1, "euler", 1)
	if err != nil {
		t.Fatal(err)
	}
	for k := range samples {
		if samples[k] != fromFile[k] {
			t.Fatalf("sample value %d of the loaded model %g, want %g", k, fromFile[k], samples[k])
		}
	}
}
