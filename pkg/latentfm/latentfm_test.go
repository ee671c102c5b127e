package latentfm

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/closure-lab/closure/pkg/nn"
)

// The toy closure problem: ω̄ = s·cos(x) + 0.3·η·sin(2y) with s ~ U(−1, 1) and η ~ N(0, 1),
// and H = 2s·sin(y) + ε·cos(x+y) with ε ~ N(0, toyNoise²) independent of ω̄. Given ω̄, the
// coefficient of sin(y) in H is exactly 2s and the coefficient of cos(x+y) is N(0, toyNoise²).
const (
	toyN     = 16
	toyNoise = 0.5
)

func toyCondition(s, eta float64) []float32 {
	field := make([]float32, toyN*toyN)
	for i := range toyN {
		for j := range toyN {
			x, y := 2*math.Pi*float64(j)/toyN, 2*math.Pi*float64(i)/toyN
			field[i*toyN+j] = float32(s*math.Cos(x) + 0.3*eta*math.Sin(2*y))
		}
	}
	return field
}

func toyClosure(s, epsilon float64) []float32 {
	field := make([]float32, toyN*toyN)
	for i := range toyN {
		for j := range toyN {
			x, y := 2*math.Pi*float64(j)/toyN, 2*math.Pi*float64(i)/toyN
			field[i*toyN+j] = float32(2*s*math.Sin(y) + epsilon*math.Cos(x+y))
		}
	}
	return field
}

func toyData(count int, seed uint64) Data {
	rng := rand.New(rand.NewPCG(seed, 99))
	data := Data{N: toyN}
	for range count {
		s := 2*rng.Float64() - 1
		data.OmegaBar = append(data.OmegaBar, toyCondition(s, rng.NormFloat64())...)
		data.H = append(data.H, toyClosure(s, toyNoise*rng.NormFloat64())...)
	}
	return data
}

// coefficients returns the amplitudes of sin(y) and cos(x+y) in one field (discrete
// orthogonality: each basis function has mean square 1/2).
func coefficients(field []float32) (sinY, cosXY float64) {
	for i := range toyN {
		for j := range toyN {
			x, y := 2*math.Pi*float64(j)/toyN, 2*math.Pi*float64(i)/toyN
			sinY += 2 * float64(field[i*toyN+j]) * math.Sin(y) / (toyN * toyN)
			cosXY += 2 * float64(field[i*toyN+j]) * math.Cos(x+y) / (toyN * toyN)
		}
	}
	return sinY, cosXY
}

func toyConfig() Config {
	cfg := DefaultConfig(toyN)
	cfg.Autoencoder.Modes = 2
	cfg.Autoencoder.Latent = 4
	cfg.Autoencoder.Hidden = []int{64}
	cfg.ConditionModes = 2
	cfg.ConditionHidden = []int{64}
	cfg.ConditionDim = 16
	cfg.VelocityHidden = []int{128, 128}
	cfg.TimeEmbedding = 16
	cfg.AESteps, cfg.AEBatchSize, cfg.AELearningRate = 400, 128, 3e-3
	cfg.FMSteps, cfg.FMBatchSize, cfg.FMLearningRate = 2000, 128, 2e-3
	cfg.ReflowSteps, cfg.ReflowBatchSize = 1000, 128
	cfg.Seed = 7
	return cfg
}

// trainedToyModel trains one model shared by the tests of this file.
var trainedToyModel = sync.OnceValues(func() (*Model, error) {
	cfg := toyConfig()
	if testing.Short() {
		cfg.FMSteps = 1200
		cfg.ReflowSteps = 800
	}
	model, err := New(cfg)
	if err != nil {
		return nil, err
	}
	validation := toyData(256, 2)
	_, err = model.Train(toyData(2048, 1), &validation, TrainOptions{})
	return model, err
})

func TestSampleMatchesToyConditional(t *testing.T) {
	t.Parallel()
	const (
		members = 400
		// Tolerances for 400 members: the sampling error of a mean is toyNoise/20 = 0.025 and of a
		// standard deviation about toyNoise/28 ≈ 0.018; the rest is model error after seconds of
		// training.
		meanTolerance   = 0.15 // on the conditional mean of each coefficient
		spreadTolerance = 0.12 // on the standard deviation of the cos(x+y) coefficient
		maxSinSpread    = 0.15 // the sin(y) coefficient is deterministic given ω̄
	)
	model, err := trainedToyModel()
	if err != nil {
		t.Fatal(err)
	}

	conditionValues := []float64{-0.8, 0, 0.6}
	var omegaBar []float32
	for _, s := range conditionValues {
		omegaBar = append(omegaBar, toyCondition(s, 0.5)...)
	}
	samples, err := model.SampleFlow(FlowTeacher, omegaBar, members, 10, "rk4", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != len(conditionValues)*members*toyN*toyN {
		t.Fatalf("Sample returned %d values, want %d", len(samples), len(conditionValues)*members*toyN*toyN)
	}

	fieldSize := toyN * toyN
	for b, s := range conditionValues {
		var sinValues, cosValues []float64
		for member := range members {
			start := (b*members + member) * fieldSize
			sinY, cosXY := coefficients(samples[start : start+fieldSize])
			sinValues = append(sinValues, sinY)
			cosValues = append(cosValues, cosXY)
		}
		sinMean, sinStd := meanStd(sinValues)
		cosMean, cosStd := meanStd(cosValues)
		t.Logf("s=%+.1f: sin(y) coefficient %.3f ± %.3f (want %.3f ± 0), cos(x+y) coefficient %.3f ± %.3f (want 0 ± %.2f)", s, sinMean, sinStd, 2*s, cosMean, cosStd, toyNoise)

		if math.Abs(sinMean-2*s) > meanTolerance {
			t.Errorf("s=%g: mean sin(y) coefficient %.3f, want %.3f ± %g", s, sinMean, 2*s, meanTolerance)
		}
		if sinStd > maxSinSpread {
			t.Errorf("s=%g: sin(y) coefficient spread %.3f, want below %g", s, sinStd, maxSinSpread)
		}
		if math.Abs(cosMean) > meanTolerance {
			t.Errorf("s=%g: mean cos(x+y) coefficient %.3f, want 0 ± %g", s, cosMean, meanTolerance)
		}
		if math.Abs(cosStd-toyNoise) > spreadTolerance {
			t.Errorf("s=%g: cos(x+y) coefficient spread %.3f, want %g ± %g", s, cosStd, toyNoise, spreadTolerance)
		}
	}
}

func TestOneStepEulerGivesConditionalMean(t *testing.T) {
	t.Parallel()
	// One Euler step of the teacher returns about E[H | ω̄] (sin(y) coefficient 2s = 1.2). The
	// tolerance is wider than for RK4 because the whole result rests on the learned velocity at
	// t = 0.
	const meanTolerance = 0.3
	model, err := trainedToyModel()
	if err != nil {
		t.Fatal(err)
	}

	samples, err := model.SampleFlow(FlowTeacher, toyCondition(0.6, 0), 64, 1, "euler", 5)
	if err != nil {
		t.Fatal(err)
	}
	var sinValues, cosValues []float64
	for member := range 64 {
		sinY, cosXY := coefficients(samples[member*toyN*toyN : (member+1)*toyN*toyN])
		sinValues = append(sinValues, sinY)
		cosValues = append(cosValues, cosXY)
	}
	sinMean, _ := meanStd(sinValues)
	cosMean, cosStd := meanStd(cosValues)
	t.Logf("1 NFE: sin(y) coefficient %.3f (want 1.2), cos(x+y) coefficient %.3f ± %.3f", sinMean, cosMean, cosStd)
	if math.Abs(sinMean-1.2) > meanTolerance {
		t.Errorf("mean sin(y) coefficient %.3f, want 1.2 ± %g", sinMean, meanTolerance)
	}
	if math.Abs(cosMean) > meanTolerance {
		t.Errorf("mean cos(x+y) coefficient %.3f, want 0 ± %g", cosMean, meanTolerance)
	}
}

func TestSaveLoadSamplesIdentically(t *testing.T) {
	t.Parallel()
	model, err := trainedToyModel()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "toy.ckpt")
	if err := model.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}

	if !loaded.HasStudent() {
		t.Fatal("the loaded model lost its reflow student")
	}
	condition := toyCondition(-0.3, 1)
	for _, flow := range []Flow{FlowTeacher, FlowStudent} {
		want, err := model.SampleFlow(flow, condition, 8, 4, "heun", 11)
		if err != nil {
			t.Fatal(err)
		}
		got, err := loaded.SampleFlow(flow, condition, 8, 4, "heun", 11)
		if err != nil {
			t.Fatal(err)
		}
		for k := range want {
			if got[k] != want[k] {
				t.Fatalf("%s value %d: loaded model samples %g, original %g", flow, k, got[k], want[k])
			}
		}
	}
}

func TestLoadRejectsOtherShape(t *testing.T) {
	t.Parallel()
	model, err := New(toyConfig())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "junk.ckpt")
	if err := os.WriteFile(path, []byte("not a checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil {
		t.Error("Load accepted a file that is not a checkpoint")
	}
	if _, err := model.Sample(toyCondition(0, 0), 1, 1, "euler", 1); err == nil || !strings.Contains(err.Error(), "not trained") {
		t.Errorf("Sample on an untrained model: error %v, want one saying it is not trained", err)
	}
}

func TestConfigValidateRejects(t *testing.T) {
	t.Parallel()
	cases := map[string]func(*Config){
		"grid mismatch":    func(c *Config) { c.Autoencoder.N = 32 },
		"too many modes":   func(c *Config) { c.ConditionModes = 8 },
		"odd time embed":   func(c *Config) { c.TimeEmbedding = 15 },
		"unknown solver":   func(c *Config) { c.Solver = "rk45" },
		"zero batch size":  func(c *Config) { c.FMBatchSize = 0 },
		"bad activation":   func(c *Config) { c.Activation = nn.Activation("relu6") },
		"unknown coupling": func(c *Config) { c.Coupling = "sinkhorn" },
		"OT batch of one":  func(c *Config) { c.Coupling, c.OTBatchSize = CouplingOT, 1 },
		"reflow no pairs":  func(c *Config) { c.ReflowPairs = 0 },
		"reflow solver":    func(c *Config) { c.ReflowSolver = "rk45" },
		"negative reflow":  func(c *Config) { c.ReflowSteps = -1 },
		"unknown regular":  func(c *Config) { c.Regularizer = "vae" },
		"negative weight":  func(c *Config) { c.Regularizer, c.RegularizerWeight = RegularizerJoint, -1 },
		"encoder only":     func(c *Config) { c.ConditionalEncoder = true },
		"augment uncond":   func(c *Config) { c.AugmentX = true },
		"augment with mp":  func(c *Config) { c.ConditionalDecoder, c.AugmentX, c.Regularizer = true, true, RegularizerMP },
		"y period 3":       func(c *Config) { c.ConditionalDecoder, c.AugmentYPeriod = true, 3 },
	}
	for name, mutate := range cases {
		cfg := DefaultConfig(16)
		mutate(&cfg)
		if err := cfg.Validate(); err == nil {
			t.Errorf("%s: Validate accepted the configuration", name)
		}
	}
	augmented := DefaultConfig(16)
	augmented.ConditionalDecoder, augmented.AugmentX, augmented.AugmentYPeriod = true, true, 4
	if err := augmented.Validate(); err != nil {
		t.Errorf("a conditional configuration with x and y augmentation is invalid: %v", err)
	}
	if err := DefaultConfig(32).Validate(); err != nil {
		t.Errorf("DefaultConfig(32) is invalid: %v", err)
	}
	legacy := DefaultConfig(16) // a configuration written before coupling, reflow and regularizers
	legacy.Coupling, legacy.ReflowSteps, legacy.Regularizer = "", 0, ""
	if err := legacy.Validate(); err != nil {
		t.Errorf("a configuration with the new fields zero is invalid: %v", err)
	}
}

func meanStd(values []float64) (mean, std float64) {
	for _, value := range values {
		mean += value / float64(len(values))
	}
	for _, value := range values {
		std += (value - mean) * (value - mean) / float64(len(values)-1)
	}
	return mean, math.Sqrt(std)
}
