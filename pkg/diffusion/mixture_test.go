package diffusion

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/closure-lab/closure/internal/gaussmix"
)

// marginalScore returns the exact score of p_t when the data follow the mixture m. The kernel
// x_t = α(t)·x_0 + σ_t·z maps component k to N(α·μ_k, v_k·I) with v_k = α²·s_k² + σ_t², so
// p_t is again a mixture and
//
//	∇ log p_t(x) = Σ_k r_k(x)·(−(x − α·μ_k)/v_k),
//
// with r_k the posterior probabilities of the components (gaussmix.Mixture.Posterior).
func marginalScore(m gaussmix.Mixture, sde SDE) Score {
	count := len(m.Weights)
	return func(t float64, x, dst []float32) error {
		alpha, std := sde.MeanScale(t), sde.Std(t)
		variances := make([]float64, count)
		for k := range count {
			variances[k] = alpha*alpha*m.Stds[k]*m.Stds[k] + std*std
		}
		posterior := m.Posterior(alpha, variances)

		responsibilities := make([]float64, count)
		for i := 0; i < len(x); i += 2 {
			point := [2]float64{float64(x[i]), float64(x[i+1])}
			posterior(point, responsibilities)
			var scoreX, scoreY float64
			for k, r := range responsibilities {
				scoreX -= r * (point[0] - alpha*m.Means[k][0]) / variances[k]
				scoreY -= r * (point[1] - alpha*m.Means[k][1]) / variances[k]
			}
			dst[i], dst[i+1] = float32(scoreX), float32(scoreY)
		}
		return nil
	}
}

func TestGaussianMixtureScoreMatchesFiniteDifference(t *testing.T) {
	t.Parallel()
	// Central differences of log p_t with step 1e-5 in float64 have an estimated error of 1e-8.
	// The tolerance covers the float32 output of the score.
	const step, tolerance = 1e-5, 1e-5
	mixture := gaussmix.Test()
	logDensity := func(sde SDE, time float64, point [2]float64) float64 {
		alpha, std := sde.MeanScale(time), sde.Std(time)
		var density float64
		for k, weight := range mixture.Weights {
			variance := alpha*alpha*mixture.Stds[k]*mixture.Stds[k] + std*std
			dx, dy := point[0]-alpha*mixture.Means[k][0], point[1]-alpha*mixture.Means[k][1]
			density += weight / (2 * math.Pi * variance) * math.Exp(-(dx*dx+dy*dy)/(2*variance))
		}
		return math.Log(density)
	}

	for name, sde := range testSDEs {
		score := marginalScore(mixture, sde)
		for _, time := range []float64{1e-3, 0.05, 0.3, 1} {
			for _, point := range [][2]float64{{0, 0}, {0.4, 1.2}, {-1, -0.5}, {1.3, -1.1}} {
				got := make([]float32, 2)
				if err := score(time, []float32{float32(point[0]), float32(point[1])}, got); err != nil {
					t.Fatal(err)
				}
				// The score is evaluated at the float32 point, so the differences are too.
				point = [2]float64{float64(float32(point[0])), float64(float32(point[1]))}
				for axis := range 2 {
					plus, minus := point, point
					plus[axis] += step
					minus[axis] -= step
					want := (logDensity(sde, time, plus) - logDensity(sde, time, minus)) / (2 * step)
					if math.Abs(float64(got[axis])-want) > tolerance*math.Max(1, math.Abs(want)) {
						t.Errorf("%s t=%g x=%v: score[%d] = %g, finite difference %g", name, time, point, axis, got[axis], want)
					}
				}
			}
		}
	}
}

// TestSamplersRecoverMixtureWeights drives every sampler with the exact score of the 2D
// mixture from the Gaussian prior. The fraction of samples nearest to each mode must match the
// mode weight, and almost no sample may lie far from every mode.
func TestSamplersRecoverMixtureWeights(t *testing.T) {
	t.Parallel()
	const (
		samples = 4000
		tMin    = 1e-3
		// Each fraction is a binomial proportion with standard error √(w(1−w)/samples), at
		// most 0.0079 for w = 0.5. The tolerance is 4 standard errors plus 0.01 for the bias of
		// the discretized sampler and of the Gaussian prior.
		standardErrors = 4
		biasAllowance  = 0.01
		// A 2D Gaussian puts the fraction exp(−r²/2) of its mass farther than r standard
		// deviations from its mean: 3.4e-4 for r = 4, so about 1 sample of 4000 for an
		// exact sampler. Samples stuck between the modes raise this fraction.
		outlierRadius    = 4 // in standard deviations of the nearest component at tMin
		outlierTolerance = 0.005
	)
	mixture := gaussmix.Test()
	cases := []struct {
		sampler Sampler
		grid    Grid
		steps   int
	}{
		{EulerMaruyama, GridUniform, 500},
		{PredictorCorrector, GridUniform, 300},
		{ProbabilityFlow, GridUniform, 200},
		{ProbabilityFlow, GridKarras, 60},
	}
	for name, sde := range testSDEs {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/%s/%s", name, tc.sampler, tc.grid), func(t *testing.T) {
				t.Parallel()
				rng := rand.New(rand.NewPCG(3, 4))
				x := make([]float32, 2*samples)

				// The prior matches the mean and variance of p_1. The rest of p_1 differs from a
				// Gaussian by terms of relative size α(1)²·variance/σ_1², below 3e-3 for both SDEs.
				mean, variance := mixture.Moments()
				SamplePrior(sde, 1, variance, rng, x)
				alpha := sde.MeanScale(1)
				for i := range x {
					x[i] += float32(alpha * mean[i%2])
				}

				grid, err := TimeGrid(sde, tc.grid, 1, tMin, tc.steps, 7)
				if err != nil {
					t.Fatal(err)
				}
				opts := SampleOptions{Sampler: tc.sampler, SampleDim: 2, SNR: 0.16, CorrectorSteps: 1}
				if err := Solve(sde, marginalScore(mixture, sde), x, grid, rng, opts); err != nil {
					t.Fatal(err)
				}

				// At tMin, component k is N(α·μ_k, (α²·s_k² + σ²)·I).
				alpha, std := sde.MeanScale(tMin), sde.Std(tMin)
				centers := make([][2]float64, len(mixture.Means))
				radii := make([]float64, len(mixture.Means))
				for k, center := range mixture.Means {
					centers[k] = [2]float64{alpha * center[0], alpha * center[1]}
					radii[k] = outlierRadius * math.Sqrt(alpha*alpha*mixture.Stds[k]*mixture.Stds[k]+std*std)
				}
				fractions, outliers := gaussmix.Census(x, centers, radii)

				for k, weight := range mixture.Weights {
					tolerance := standardErrors*math.Sqrt(weight*(1-weight)/samples) + biasAllowance
					if math.Abs(fractions[k]-weight) > tolerance {
						t.Errorf("mode %d holds %.4f of the samples, want %.2f ± %.4f", k, fractions[k], weight, tolerance)
					}
				}
				if outliers > outlierTolerance {
					t.Errorf("%.4f of the samples lie more than %d standard deviations from every mode, want at most %g", outliers, outlierRadius, outlierTolerance)
				}
				t.Logf("mode fractions %.4f (weights %v), outliers %.4f", fractions, mixture.Weights, outliers)
			})
		}
	}
}
