package latentfm

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/train"
)

// smallToyConfig is toyConfig with short stages for tests of the training paths.
func smallToyConfig() Config {
	cfg := toyConfig()
	cfg.AESteps, cfg.AEBatchSize = 300, 64
	cfg.FMSteps, cfg.FMBatchSize = 100, 64
	cfg.ReflowSteps = 0
	return cfg
}

func TestJointTrainingKeepsLatentScale(t *testing.T) {
	t.Parallel()
	const (
		// Every raw latent coordinate must keep a standard deviation above minLatentStd. Without
		// the batch standardization of the FM term, the FM loss falls toward 0 as the latents
		// shrink to a point (measured: stds 0.04 to 0.26). The variance penalty pins each
		// coordinate near 1.
		minLatentStd = 0.3
		// The FM term must not ruin reconstruction: relative L2 error on the training set.
		maxReconstructionError = 0.15
	)
	cfg := smallToyConfig()
	cfg.Regularizer, cfg.RegularizerWeight = RegularizerJoint, 1
	model, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data := toyData(512, 21)
	var stages []string
	history, err := model.Train(data, nil, TrainOptions{Progress: func(stage string, p train.Progress) {
		if p.Step == 1 {
			stages = append(stages, stage)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(stages, ",") != "joint,flow matching" {
		t.Errorf("stages %v, want [joint flow matching]", stages)
	}

	latents, err := model.Autoencoder().Encode(data.H, 512)
	if err != nil {
		t.Fatal(err)
	}
	scale := fitStandardization(latents, cfg.Autoencoder.Latent)
	t.Logf("joint training: raw latent std %v, relative reconstruction error %.3f, first/last stage-1 loss %.3f/%.3f",
		scale.Std, history.ReconstructionError, history.Autoencoder.Loss[0], history.Autoencoder.Loss[len(history.Autoencoder.Loss)-1])
	for k, std := range scale.Std {
		if float64(std) < minLatentStd {
			t.Errorf("latent coordinate %d has std %.3g after joint training, want above %g", k, std, minLatentStd)
		}
	}
	if history.ReconstructionError > maxReconstructionError {
		t.Errorf("relative reconstruction error %.3f, want below %g", history.ReconstructionError, maxReconstructionError)
	}
	if _, err := model.Sample(toyCondition(0.2, 0), 4, 2, "heun", 1); err != nil {
		t.Errorf("Sample after joint training: %v", err)
	}
}

// groupedLatentSet returns a latent data set of groups conditions, perGroup examples each: the
// condition features of group g are the unit vector e_g and its latents are N(μ_g, 0.3²·I)
// with μ_g alternating ±1.5.
func groupedLatentSet(groups, perGroup, d int) (*train.Dataset, []float32) {
	rng := rand.New(rand.NewPCG(8, 9))
	var z1, features []float32
	means := make([]float32, groups)
	for g := range groups {
		means[g] = 1.5
		if g%2 == 1 {
			means[g] = -1.5
		}
		for range perGroup {
			for range d {
				z1 = append(z1, means[g]+float32(0.3*rng.NormFloat64()))
			}
			feature := make([]float32, groups)
			feature[g] = 1
			features = append(features, feature...)
		}
	}
	return &train.Dataset{Arrays: []train.Array{{Data: z1, ExampleDims: []int{d}}, {Data: features, ExampleDims: []int{groups}}}}, means
}

func TestOTCouplingKeepsNoiseUnbiasedPerCondition(t *testing.T) {
	t.Parallel()
	const (
		groups, perGroup = 4, 256
		// With the condition in the cost, the noises paired with a condition are the noises drawn
		// for its examples: N(0, 1), whose mean over 256·4·2 values has standard error 0.011.
		maxUnbiasedMean = 0.06
		// Without it, the assignment hands positive noise to the +1.5 groups.
		minBiasedMean = 0.3
	)
	cfg := smallToyConfig()
	cfg.Coupling, cfg.OTBatchSize, cfg.OTNoiseDraws = CouplingOT, 128, 2
	d := cfg.Autoencoder.Latent
	latentSet, means := groupedLatentSet(groups, perGroup, d)

	for _, weight := range []float64{0, 4} {
		cfg.OTConditionWeight = weight
		model, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		coupled, err := model.otDataset(latentSet)
		if err != nil {
			t.Fatal(err)
		}
		z0, z1, features := coupled.Arrays[0].Data, coupled.Arrays[1].Data, coupled.Arrays[2].Data
		if rows := len(z0) / d; rows != cfg.OTNoiseDraws*groups*perGroup {
			t.Fatalf("λ=%g: %d coupled rows, want %d", weight, rows, cfg.OTNoiseDraws*groups*perGroup)
		}

		// Mean noise per condition, signed by the condition's latent mean.
		noiseMean := make([]float64, groups)
		var coupledDistance, independentDistance float64
		rng := rand.New(rand.NewPCG(1, 2))
		for row := range len(z0) / d {
			g := 0
			for features[row*groups+g] != 1 {
				g++
			}
			for k := range d {
				noiseMean[g] += float64(z0[row*d+k]) / float64(cfg.OTNoiseDraws*perGroup*d)
				coupledDistance += math.Pow(float64(z1[row*d+k]-z0[row*d+k]), 2)
				independentDistance += math.Pow(float64(z1[row*d+k])-rng.NormFloat64(), 2)
			}
		}
		worst := 0.0
		for g := range groups {
			worst = math.Max(worst, math.Abs(noiseMean[g]))
			if weight == 0 && noiseMean[g]*float64(means[g]) < minBiasedMean {
				t.Errorf("λ=0, condition %d: noise mean %.3f, want |mean| above %g with the sign of %g", g, noiseMean[g], minBiasedMean, means[g])
			}
		}
		t.Logf("λ=%g: max |noise mean per condition| %.3f; mean squared pair distance %.3f (independent %.3f)", weight, worst, coupledDistance/float64(len(z0)/d), independentDistance/float64(len(z0)/d))
		if weight > 0 && worst > maxUnbiasedMean {
			t.Errorf("λ=%g: noise mean per condition up to %.3f, want below %g", weight, worst, maxUnbiasedMean)
		}
		if coupledDistance >= independentDistance {
			t.Errorf("λ=%g: coupled squared distance %.1f, not below the independent pairing's %.1f", weight, coupledDistance, independentDistance)
		}
	}
}

func TestTrainWithOTCoupling(t *testing.T) {
	t.Parallel()
	cfg := smallToyConfig()
	cfg.Coupling, cfg.OTBatchSize, cfg.OTNoiseDraws = CouplingOT, 64, 2
	cfg.AESteps, cfg.FMSteps = 50, 50
	model, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	history, err := model.Train(toyData(256, 4), nil, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(history.FlowMatching.Loss) != 50 || history.Reflow != nil {
		t.Errorf("history: %d FM losses (want 50), reflow %v (want nil)", len(history.FlowMatching.Loss), history.Reflow)
	}
	if model.HasStudent() {
		t.Error("a model trained with ReflowSteps=0 reports a student")
	}
	if _, err := model.SampleFlow(FlowStudent, toyCondition(0, 0), 1, 1, "euler", 1); err == nil {
		t.Error("SampleFlow(FlowStudent) succeeded on a model without a student")
	}
	if _, err := model.Sample(toyCondition(0, 0), 2, 1, "euler", 1); err != nil {
		t.Errorf("Sample: %v", err)
	}
}

func TestLoadRejectsVersionOne(t *testing.T) {
	t.Parallel()
	model, err := New(toyConfig())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "old.ckpt")
	if err := train.Save(path, model.ctx, train.Header{Model: checkpointModel, Version: 1, Config: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	_, err = Load(path)
	if err == nil || !strings.Contains(err.Error(), "version-1") || !strings.Contains(err.Error(), "retrain") {
		t.Errorf("Load of a version-1 checkpoint: error %v, want one naming version 1 and saying to retrain", err)
	}
	if _, statErr := os.Stat(path); errors.Is(statErr, os.ErrNotExist) {
		t.Error("Load removed the old checkpoint")
	}
}

func TestTrainWithGeometryRegularizers(t *testing.T) {
	t.Parallel()
	for _, name := range []string{RegularizerMP, RegularizerGA} {
		cfg := smallToyConfig()
		cfg.AESteps, cfg.FMSteps = 60, 20
		cfg.Regularizer, cfg.RegularizerWeight = name, 0.1
		model, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var stages []string
		history, err := model.Train(toyData(256, 5), nil, TrainOptions{Progress: func(stage string, p train.Progress) {
			if p.Step == 1 {
				stages = append(stages, stage)
			}
		}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if strings.Join(stages, ",") != name+",flow matching" {
			t.Errorf("%s: stages %v, want [%s flow matching]", name, stages, name)
		}
		first, last := history.Autoencoder.Loss[0], history.Autoencoder.Loss[len(history.Autoencoder.Loss)-1]
		t.Logf("%s: stage-1 loss %.3f -> %.3f, relative reconstruction error %.3f", name, first, last, history.ReconstructionError)
		if !(last < first) {
			t.Errorf("%s: stage-1 loss went from %g to %g, want a decrease", name, first, last)
		}
	}
}
