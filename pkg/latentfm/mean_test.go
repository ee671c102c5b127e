package latentfm

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/closure-lab/closure/pkg/fno"
)

// The shifted toy problem for the mean network: ω̄ = s·cos(x − φ) with s ~ U(0.5, 1.5) and
// φ ~ U(0, 2π), and H = 2s·sin(x − φ) + ε·cos(x + y) with ε ~ N(0, toyNoise²). The conditional
// mean E[H | ω̄] = 2s·sin(x − φ) is a translation-equivariant linear map of ω̄ (a quarter
// turn of the phase of wavenumber 1, doubled), which one spectral layer represents, while
// the DFT-feature MLPs would have to learn it for every φ.
func shiftedToy(count int, seed uint64) (data Data, amplitudes, phases []float64) {
	rng := rand.New(rand.NewPCG(seed, 17))
	data.N = toyN
	for range count {
		s, phi, epsilon := 0.5+rng.Float64(), 2*math.Pi*rng.Float64(), toyNoise*rng.NormFloat64()
		amplitudes, phases = append(amplitudes, s), append(phases, phi)
		for i := range toyN {
			for j := range toyN {
				x, y := 2*math.Pi*float64(j)/toyN, 2*math.Pi*float64(i)/toyN
				data.OmegaBar = append(data.OmegaBar, float32(s*math.Cos(x-phi)))
				data.H = append(data.H, float32(2*s*math.Sin(x-phi)+epsilon*math.Cos(x+y)))
			}
		}
	}
	return data, amplitudes, phases
}

func TestMeanWithoutMeanNetwork(t *testing.T) {
	t.Parallel()
	model, err := New(smallToyConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := model.Mean(toyCondition(0, 0)); err == nil {
		t.Error("Mean of a model without a mean network returned no error")
	}
	cfg := meanToyConfig()
	cfg.MeanSteps = 0
	if _, err := New(cfg); err == nil {
		t.Error("a mean network with MeanSteps = 0 was accepted")
	}
}

func meanToyConfig() Config {
	cfg := smallToyConfig()
	network := fno.DefaultConfig(toyN)
	network.Layers, network.Modes, network.Width, network.ProjectionHidden = 1, 2, 8, 16
	cfg.MeanNetwork = &network
	cfg.MeanSteps, cfg.MeanBatchSize, cfg.MeanLearningRate = 300, 32, 1e-2
	cfg.FMSteps, cfg.ReflowSteps = 600, 0
	return cfg
}

func TestMeanNetworkCarriesConditionalMean(t *testing.T) {
	t.Parallel()
	const (
		members = 200
		// The mean network must explain the deterministic part: the residual is the noise
		// ε·cos(x+y), whose share of ‖H − mean(H)‖ is toyNoise/√(toyNoise² + E[(2s)²]) ≈ 0.23.
		// 0.3 leaves room for a short training.
		maxMeanError = 0.3
		// The ensemble mean of 200 members must carry the sin(x − φ) coefficient 2s to within
		// 0.15 (sampling error of the mean 0.5/√200 ≈ 0.035, the rest model error).
		meanTolerance = 0.15
		// The spread of the cos(x+y) coefficient must stay near toyNoise = 0.5.
		spreadTolerance = 0.15
	)
	model, err := New(meanToyConfig())
	if err != nil {
		t.Fatal(err)
	}
	data, _, _ := shiftedToy(1024, 1)
	validation, _, _ := shiftedToy(128, 2)
	history, err := model.Train(data, &validation, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("mean network: relative validation error %.3f after %d steps", history.MeanError, len(history.Mean.Loss))
	if history.MeanError > maxMeanError {
		t.Errorf("mean network relative error %.3f, want at most %g", history.MeanError, maxMeanError)
	}

	test, amplitudes, phases := shiftedToy(3, 3)
	path := filepath.Join(t.TempDir(), "mean.ckpt")
	if err := model.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	mu, err := loaded.Mean(test.OmegaBar)
	if err != nil {
		t.Fatal(err)
	}
	size := toyN * toyN
	for b := range amplitudes {
		got := projection(mu[b*size:(b+1)*size], func(x, _ float64) float64 { return math.Sin(x - phases[b]) })
		if math.Abs(got-2*amplitudes[b]) > meanTolerance {
			t.Errorf("condition %d: Mean's sin(x − φ) coefficient %.3f, want %.3f ± %g", b, got, 2*amplitudes[b], meanTolerance)
		}
	}
	samples, err := loaded.Sample(test.OmegaBar, members, 4, "rk4", 9)
	if err != nil {
		t.Fatal(err)
	}
	for b := range amplitudes {
		var shifted, noise []float64
		for member := range members {
			field := samples[(b*members+member)*size : (b*members+member+1)*size]
			shifted = append(shifted, projection(field, func(x, _ float64) float64 { return math.Sin(x - phases[b]) }))
			noise = append(noise, projection(field, func(x, y float64) float64 { return math.Cos(x + y) }))
		}
		shiftedMean, _ := meanStd(shifted)
		_, noiseStd := meanStd(noise)
		t.Logf("condition %d: sin(x − φ) coefficient %.3f (want %.3f), cos(x+y) spread %.3f (want %g)", b, shiftedMean, 2*amplitudes[b], noiseStd, toyNoise)
		if math.Abs(shiftedMean-2*amplitudes[b]) > meanTolerance {
			t.Errorf("condition %d: ensemble-mean sin(x − φ) coefficient %.3f, want %.3f ± %g", b, shiftedMean, 2*amplitudes[b], meanTolerance)
		}
		if math.Abs(noiseStd-toyNoise) > spreadTolerance {
			t.Errorf("condition %d: cos(x+y) spread %.3f, want %g ± %g", b, noiseStd, toyNoise, spreadTolerance)
		}
	}
}

// projection returns the coefficient of the unit-mean-square-1/2 basis function f(x, y) in
// field: 2·mean(field·f).
func projection(field []float32, f func(x, y float64) float64) float64 {
	var sum float64
	for i := range toyN {
		for j := range toyN {
			x, y := 2*math.Pi*float64(j)/toyN, 2*math.Pi*float64(i)/toyN
			sum += float64(field[i*toyN+j]) * f(x, y)
		}
	}
	return 2 * sum / float64(toyN*toyN)
}
