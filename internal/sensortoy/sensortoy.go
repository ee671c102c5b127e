// Package sensortoy provides a conditional field problem that only sensors can solve, with
// its exact posterior. Tests of the field models with sensors train on it and compare their
// ensembles with the posterior.
//
// The fields live on an N x N grid with N = 4: H = a·φ + s·ξ with φ(i, j) = cos(2πj/N),
// ξ white noise of standard deviation s = Noise, and an amplitude a ~ N(0, 1) drawn per
// field independently of the condition ω̄ ≡ 0, so ω̄ carries no information about H.
// Sensors at points k read y_k = H_k. Given the readings, H is Gaussian: at a sensor it equals y, elsewhere its
// mean is E[a | y]·φ with E[a | y] = Σ φ_k y_k / (s² + Σ φ_k²) and its variance is
// φ²·s²/(s² + Σ φ_k²) + s².
package sensortoy

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

const (
	// N is the grid size.
	N = 4
	// Noise is the standard deviation s of the white noise.
	Noise = 0.3
)

func mode(k int) float64 { return math.Cos(2 * math.Pi * float64(k%N) / N) }

// Data returns count pairs (ω̄, H) as flat [count, N, N] slices.
func Data(rng *rand.Rand, count int) (omegaBar, h []float32) {
	omegaBar, h = make([]float32, count*N*N), make([]float32, count*N*N)
	for s := range count {
		amplitude := rng.NormFloat64()
		for k := range N * N {
			h[s*N*N+k] = float32(amplitude*mode(k) + Noise*rng.NormFloat64())
		}
	}
	return omegaBar, h
}

// Posterior returns E[H | y] and the posterior standard deviation of one field h [N, N]
// whose values at points are the readings y.
func Posterior(h []float32, points []int) (mean, std []float64) {
	var projection, norm float64
	for _, k := range points {
		projection += mode(k) * float64(h[k])
		norm += mode(k) * mode(k)
	}
	gain := projection / (Noise*Noise + norm)
	variance := Noise * Noise / (Noise*Noise + norm)
	mean, std = make([]float64, len(h)), make([]float64, len(h))
	for k := range h {
		mean[k] = gain * mode(k)
		std[k] = math.Sqrt(mode(k)*mode(k)*variance + Noise*Noise)
	}
	for _, k := range points {
		mean[k], std[k] = float64(h[k]), 0
	}
	return mean, std
}

// Score compares ensembles with the posterior. samples holds [B, members, N, N] drawn given
// the readings of h [B, N, N] at points. It returns the relative L2 error of the ensemble
// means against E[H | y], and the rms ensemble spread and the rms posterior standard
// deviation away from the sensors.
func Score(samples, h []float32, points []int, members int) (relative, spread, wantSpread float64) {
	size := N * N
	var errorSquare, normSquare, spreadSquare, wantSquare float64
	var offSensor int
	for b := range len(h) / size {
		want, wantStd := Posterior(h[b*size:(b+1)*size], points)
		for k := range size {
			var mean, square float64
			for m := range members {
				value := float64(samples[(b*members+m)*size+k])
				mean += value
				square += value * value
			}
			mean /= float64(members)
			errorSquare += (mean - want[k]) * (mean - want[k])
			normSquare += want[k] * want[k]
			if !slices.Contains(points, k) {
				spreadSquare += square/float64(members) - mean*mean
				wantSquare += wantStd[k] * wantStd[k]
				offSensor++
			}
		}
	}
	return math.Sqrt(errorSquare / normSquare), math.Sqrt(spreadSquare / float64(offSensor)), math.Sqrt(wantSquare / float64(offSensor))
}

// Check scores samples as Score does and fails t when the relative error of the ensemble
// means exceeds meanTolerance or the spread away from the sensors differs from the posterior
// standard deviation by more than the fraction spreadTolerance.
func Check(t testing.TB, samples, h []float32, points []int, members int, meanTolerance, spreadTolerance float64) {
	t.Helper()
	relative, spread, wantSpread := Score(samples, h, points, members)
	t.Logf("ensemble mean against E[H | y]: relative error %.3f; spread %.3f, exact %.3f", relative, spread, wantSpread)
	if relative > meanTolerance {
		t.Errorf("relative error of the ensemble mean %.3f, want at most %.2f", relative, meanTolerance)
	}
	if math.Abs(spread-wantSpread) > spreadTolerance*wantSpread {
		t.Errorf("ensemble spread away from the sensors %.3f, want %.3f within %.0f%%", spread, wantSpread, 100*spreadTolerance)
	}
}
