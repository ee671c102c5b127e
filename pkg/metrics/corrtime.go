package metrics

import (
	"fmt"
	"log/slog"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Autocorrelation returns the normalized autocorrelation ρ(τ) of the series
// for lags τ = 0, …, maxLag (in samples), using the biased estimator
//
//	ρ(τ) = Σ_{t<N−τ} (x_t − x̄)(x_{t+τ} − x̄) / Σ_t (x_t − x̄)²,
//
// computed with a zero-padded FFT in O(N log N). ρ(0) = 1. It returns an
// error if the series has fewer than two values, is constant, or
// maxLag is outside [0, N−1].
func Autocorrelation(series []float64, maxLag int) ([]float64, error) {
	n := len(series)
	if n < 2 {
		return nil, fmt.Errorf("metrics: Autocorrelation needs at least 2 values, got %d", n)
	}
	if maxLag < 0 || maxLag >= n {
		return nil, fmt.Errorf("metrics: Autocorrelation maxLag=%d must be in [0, %d]", maxLag, n-1)
	}

	var mean float64
	for _, v := range series {
		mean += v
	}
	mean /= float64(n)

	// Zero padding to a power of two at least 2N makes the circular
	// correlation equal the linear one for all lags and keeps the FFT fast
	// for any N (gonum's FFT slows to O(N·p) for a large prime factor p).
	size := 1
	for size < 2*n {
		size <<= 1
	}
	padded := make([]float64, size)
	for i, v := range series {
		padded[i] = v - mean
	}

	plan := fourier.NewFFT(size)
	coeff := plan.Coefficients(nil, padded)
	for i, c := range coeff {
		coeff[i] = complex(real(c)*real(c)+imag(c)*imag(c), 0)
	}
	acov := plan.Sequence(nil, coeff)

	if acov[0] <= 0 {
		return nil, fmt.Errorf("metrics: Autocorrelation series is constant (zero variance), so the autocorrelation is undefined; pass a varying series")
	}
	rho := make([]float64, maxLag+1)
	for lag := range rho {
		rho[lag] = acov[lag] / acov[0]
	}
	return rho, nil
}

// CorrelationTime returns the integral time scale of a scalar time series
// sampled every dt time units: the integral of its autocorrelation ρ from
// lag 0 to the first zero crossing,
//
//	τ_c = dt · [ρ(0)/2 + ρ(1) + … + ρ(K−1) + ρ(K)/2] + crossing,
//
// the trapezoid rule over lags 0..K, where K is the last lag with ρ > 0, plus
// the triangle from K to the zero of the linear interpolation between ρ(K)
// and ρ(K+1). If ρ stays positive over all lags, it integrates to lag N−1
// and logs a warning, because the series is then too short to resolve τ_c.
// For an AR(1) process with coefficient φ, τ_c ≈ −dt/ln φ.
//
// It returns an error if dt is not positive or the series is invalid for
// [Autocorrelation].
//
// NOTE: the sample autocorrelation is noisy at lags beyond τ_c, and the
// integral up to the first zero crossing picks up that noise. For AR(1)
// with φ = 0.9 (τ_c ≈ 9.5 samples) the estimate scattered by about 2% (one
// standard deviation over 30 seeds, worst 6%) at 10⁶ samples, and about
// twice that at 2·10⁵ samples, so use series much longer than τ_c.
func CorrelationTime(series []float64, dt float64) (float64, error) {
	if !(dt > 0) {
		return 0, fmt.Errorf("metrics: CorrelationTime dt=%g must be positive", dt)
	}

	rho, err := Autocorrelation(series, len(series)-1)
	if err != nil {
		return 0, err
	}

	integral, crossed := integrateToFirstZero(rho)
	if !crossed {
		slog.Warn("metrics: CorrelationTime autocorrelation never crosses zero; the series is too short, so the result is an underestimate",
			"samples", len(series), "dt", dt)
	}
	return dt * integral, nil
}

// integrateToFirstZero returns the integral over lag (in samples) of rho up
// to its first zero crossing: the trapezoid rule over the positive lags plus
// the triangle to the linearly interpolated zero. crossed is false when rho
// stays positive, and the integral then ends at the last lag.
func integrateToFirstZero(rho []float64) (integral float64, crossed bool) {
	for lag := 1; lag < len(rho); lag++ {
		if rho[lag] <= 0 {
			prev := rho[lag-1]
			fraction := prev / (prev - rho[lag])
			integral += 0.5 * prev * fraction
			return integral, true
		}
		integral += 0.5 * (rho[lag-1] + rho[lag])
	}
	return integral, false
}
