package diffusion

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

var testSDEs = map[string]SDE{
	"ve": VE{SigmaMin: 0.01, SigmaMax: 26},
	"vp": VP{BetaMin: 0.1, BetaMax: 20},
}

func TestNoiseLevelInverse(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-9
	for name, sde := range testSDEs {
		for _, time := range []float64{1e-3, 0.1, 0.5, 1} {
			if got := sde.TimeAtNoiseLevel(sde.NoiseLevel(time)); math.Abs(got-time) > tolerance {
				t.Errorf("%s: TimeAtNoiseLevel(NoiseLevel(%g)) = %g", name, time, got)
			}
		}
	}
}

func TestVPKernelMatchesDiffusion(t *testing.T) {
	t.Parallel()
	// For the VP SDE, dσ²/dt = 2a(t)σ² + g(t)² (the variance ODE of a linear SDE started from
	// a point), checked with a central difference.
	const step, tolerance = 1e-5, 1e-6
	sde := testSDEs["vp"].(VP)
	for _, time := range []float64{0.01, 0.3, 0.9} {
		derivative := (math.Pow(sde.Std(time+step), 2) - math.Pow(sde.Std(time-step), 2)) / (2 * step)
		want := 2*sde.DriftScale(time)*math.Pow(sde.Std(time), 2) + math.Pow(sde.Diffusion(time), 2)
		if math.Abs(derivative-want) > tolerance*math.Max(1, want) {
			t.Errorf("t=%g: dσ²/dt = %g, 2aσ² + g² = %g", time, derivative, want)
		}
	}
}

func TestTimeGridMonotoneWithEndpoints(t *testing.T) {
	t.Parallel()
	for name, sde := range testSDEs {
		for _, grid := range Grids {
			for _, bounds := range [][2]float64{{1, 1e-3}, {0.1, 1e-3}} {
				times, err := TimeGrid(sde, grid, bounds[0], bounds[1], 17, 7)
				if err != nil {
					t.Fatalf("%s %s: %v", name, grid, err)
				}
				if len(times) != 18 || times[0] != bounds[0] || times[17] != bounds[1] {
					t.Errorf("%s %s %v: grid has %d points from %g to %g", name, grid, bounds, len(times), times[0], times[len(times)-1])
				}
				for k := 1; k < len(times); k++ {
					if !(times[k] < times[k-1]) {
						t.Errorf("%s %s %v: times[%d]=%g is not below times[%d]=%g", name, grid, bounds, k, times[k], k-1, times[k-1])
					}
				}
			}
		}
	}
}

func TestKarrasGridSpacing(t *testing.T) {
	t.Parallel()
	const rho, tolerance = 7, 1e-9
	for name, sde := range testSDEs {
		times, err := TimeGrid(sde, GridKarras, 1, 1e-3, 12, rho)
		if err != nil {
			t.Fatal(err)
		}
		// σ_k^{1/ρ} must be equally spaced.
		root := func(k int) float64 { return math.Pow(sde.NoiseLevel(times[k]), 1/rho) }
		want := root(1) - root(0)
		for k := 2; k < len(times); k++ {
			if got := root(k) - root(k-1); math.Abs(got-want) > tolerance {
				t.Errorf("%s: σ^(1/ρ) step %d is %g, step 1 is %g", name, k, got, want)
			}
		}
	}
}

func TestTimeGridRejectsInvalidBounds(t *testing.T) {
	t.Parallel()
	for _, bounds := range [][2]float64{{1e-3, 1}, {1, 0}, {2, 0.1}} {
		if _, err := TimeGrid(testSDEs["ve"], GridUniform, bounds[0], bounds[1], 10, 7); err == nil {
			t.Errorf("TimeGrid accepted tMax=%g, tMin=%g", bounds[0], bounds[1])
		}
	}
}

// TestSamplersReproduceGaussian drives every sampler with the exact score of Gaussian data
// N(mean, variance) from the exact marginal at t=1 and checks the sample mean and variance
// at t=1e-3 against α·mean and α²·variance + σ².
func TestSamplersReproduceGaussian(t *testing.T) {
	t.Parallel()
	const (
		mean, variance = 1.5, 0.25
		samples, dim   = 250, 32 // per-sample Langevin norms need dim well above 1
		tMin           = 1e-3
		// Statistical standard errors over 8000 values are 0.006 (mean) and 0.004 (variance); the rest of the
		// tolerance covers the discretization error of the sampler.
		meanTolerance     = 0.03
		varianceTolerance = 0.04 // relative
	)
	cases := []struct {
		sampler Sampler
		grid    Grid
		steps   int
	}{
		{EulerMaruyama, GridUniform, 500},
		{PredictorCorrector, GridUniform, 300},
		{ProbabilityFlow, GridUniform, 100},
		{ProbabilityFlow, GridKarras, 40},
	}
	for name, sde := range testSDEs {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/%s/%s", name, tc.sampler, tc.grid), func(t *testing.T) {
				t.Parallel()
				rng := rand.New(rand.NewPCG(1, 2))
				x := make([]float32, samples*dim)
				alpha, std := sde.MeanScale(1), sde.Std(1)
				for k := range x {
					x[k] = float32(alpha*mean + math.Sqrt(alpha*alpha*variance+std*std)*rng.NormFloat64())
				}
				grid, err := TimeGrid(sde, tc.grid, 1, tMin, tc.steps, 7)
				if err != nil {
					t.Fatal(err)
				}
				opts := SampleOptions{Sampler: tc.sampler, SampleDim: dim, SNR: 0.16, CorrectorSteps: 1}
				if err := Solve(sde, GaussianScore(sde, mean, variance), x, grid, rng, opts); err != nil {
					t.Fatal(err)
				}

				gotMean, gotVariance := moments(x)
				alpha, std = sde.MeanScale(tMin), sde.Std(tMin)
				wantMean, wantVariance := alpha*mean, alpha*alpha*variance+std*std
				if math.Abs(gotMean-wantMean) > meanTolerance {
					t.Errorf("sample mean %.4f, want %.4f", gotMean, wantMean)
				}
				if math.Abs(gotVariance-wantVariance) > varianceTolerance*wantVariance {
					t.Errorf("sample variance %.4f, want %.4f", gotVariance, wantVariance)
				}
				t.Logf("mean %.4f (want %.4f), variance %.4f (want %.4f)", gotMean, wantMean, gotVariance, wantVariance)
			})
		}
	}
}

func moments(x []float32) (mean, variance float64) {
	for _, value := range x {
		mean += float64(value)
	}
	mean /= float64(len(x))
	for _, value := range x {
		variance += (float64(value) - mean) * (float64(value) - mean)
	}
	return mean, variance / float64(len(x))
}

func TestSolveRejectsBadOptions(t *testing.T) {
	t.Parallel()
	sde := testSDEs["ve"]
	grid, _ := TimeGrid(sde, GridUniform, 1, 1e-3, 4, 7)
	x := make([]float32, 6)
	rng := rand.New(rand.NewPCG(1, 1))
	score := GaussianScore(sde, 0, 1)
	for _, opts := range []SampleOptions{
		{Sampler: "heun", SampleDim: 3},
		{Sampler: EulerMaruyama, SampleDim: 4},
		{Sampler: PredictorCorrector, SampleDim: 3, SNR: 0.16},
	} {
		if err := Solve(sde, score, x, grid, rng, opts); err == nil {
			t.Errorf("Solve accepted options %+v", opts)
		}
	}
}
