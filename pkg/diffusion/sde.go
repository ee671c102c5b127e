package diffusion

import (
	"fmt"
	"math"
)

// SDE is a forward diffusion dx = a(t)·x dt + g(t) dw on t ∈ [0, 1] with a linear drift, so
// its perturbation kernel is Gaussian: x_t | x_0 ~ N(α(t)·x_0, σ_t²·I).
type SDE interface {
	// DriftScale returns a(t), the coefficient of the drift f(x, t) = a(t)·x.
	DriftScale(t float64) float64
	// Diffusion returns g(t).
	Diffusion(t float64) float64
	// MeanScale returns α(t), the factor of x_0 in the kernel mean.
	MeanScale(t float64) float64
	// Std returns σ_t, the standard deviation of the kernel.
	Std(t float64) float64
	// NoiseLevel returns σ_t/α(t), the noise level of x_t/α(t), which increases with t. Time
	// grids of Karras et al. are spaced in this variable.
	NoiseLevel(t float64) float64
	// TimeAtNoiseLevel inverts NoiseLevel.
	TimeAtNoiseLevel(level float64) float64
}

// VE is the variance-exploding SDE dx = √(dσ²/dt) dw with σ(t) = SigmaMin·(SigmaMax/SigmaMin)^t,
// so α = 1 and the kernel standard deviation is σ(t). As in the reference implementation, the
// kernel is taken as N(x_0, σ(t)²) at every t, so the t = 0 marginal carries a small extra
// noise of standard deviation SigmaMin.
//
// Reference: Y. Song, J. Sohl-Dickstein, D. P. Kingma, A. Kumar, S. Ermon and B. Poole,
// "Score-based generative modeling through stochastic differential equations" (ICLR 2021),
// eq. (30) and appendix C.
type VE struct {
	SigmaMin, SigmaMax float64
}

// Validate returns an error unless 0 < SigmaMin < SigmaMax.
func (s VE) Validate() error {
	if !(s.SigmaMin > 0) || !(s.SigmaMax > s.SigmaMin) {
		return fmt.Errorf("diffusion: VE SDE needs 0 < SigmaMin < SigmaMax, got SigmaMin=%g, SigmaMax=%g", s.SigmaMin, s.SigmaMax)
	}
	return nil
}

func (s VE) logRatio() float64 { return math.Log(s.SigmaMax / s.SigmaMin) }

// DriftScale returns 0.
func (s VE) DriftScale(float64) float64 { return 0 }

// Diffusion returns g(t) = σ(t)·√(2 log(SigmaMax/SigmaMin)).
func (s VE) Diffusion(t float64) float64 { return s.Std(t) * math.Sqrt(2*s.logRatio()) }

// MeanScale returns 1.
func (s VE) MeanScale(float64) float64 { return 1 }

// Std returns σ(t) = SigmaMin·(SigmaMax/SigmaMin)^t.
func (s VE) Std(t float64) float64 { return s.SigmaMin * math.Exp(t*s.logRatio()) }

// NoiseLevel returns σ(t).
func (s VE) NoiseLevel(t float64) float64 { return s.Std(t) }

// TimeAtNoiseLevel returns log(level/SigmaMin)/log(SigmaMax/SigmaMin).
func (s VE) TimeAtNoiseLevel(level float64) float64 {
	return math.Log(level/s.SigmaMin) / s.logRatio()
}

// VP is the variance-preserving SDE dx = −½β(t)·x dt + √β(t) dw with the linear schedule
// β(t) = BetaMin + t·(BetaMax − BetaMin). Its kernel has α(t) = exp(−½B(t)) and
// σ_t² = 1 − α(t)², with B(t) = ∫₀ᵗ β = BetaMin·t + ½(BetaMax − BetaMin)·t².
//
// Reference: Y. Song et al., "Score-based generative modeling through stochastic differential
// equations" (ICLR 2021), eq. (32) and (33).
type VP struct {
	BetaMin, BetaMax float64
}

// Validate returns an error unless 0 < BetaMin ≤ BetaMax.
func (s VP) Validate() error {
	if !(s.BetaMin > 0) || !(s.BetaMax >= s.BetaMin) {
		return fmt.Errorf("diffusion: VP SDE needs 0 < BetaMin <= BetaMax, got BetaMin=%g, BetaMax=%g", s.BetaMin, s.BetaMax)
	}
	return nil
}

// Beta returns β(t).
func (s VP) Beta(t float64) float64 { return s.BetaMin + t*(s.BetaMax-s.BetaMin) }

// integratedBeta returns B(t) = ∫₀ᵗ β(u) du.
func (s VP) integratedBeta(t float64) float64 {
	return s.BetaMin*t + 0.5*(s.BetaMax-s.BetaMin)*t*t
}

// DriftScale returns −½β(t).
func (s VP) DriftScale(t float64) float64 { return -0.5 * s.Beta(t) }

// Diffusion returns √β(t).
func (s VP) Diffusion(t float64) float64 { return math.Sqrt(s.Beta(t)) }

// MeanScale returns α(t) = exp(−½B(t)).
func (s VP) MeanScale(t float64) float64 { return math.Exp(-0.5 * s.integratedBeta(t)) }

// Std returns √(1 − exp(−B(t))), computed with expm1 for accuracy at small t.
func (s VP) Std(t float64) float64 { return math.Sqrt(-math.Expm1(-s.integratedBeta(t))) }

// NoiseLevel returns σ_t/α(t) = √(exp(B(t)) − 1).
func (s VP) NoiseLevel(t float64) float64 { return math.Sqrt(math.Expm1(s.integratedBeta(t))) }

// TimeAtNoiseLevel returns the t ≥ 0 with B(t) = log(1 + level²).
func (s VP) TimeAtNoiseLevel(level float64) float64 {
	b := math.Log1p(level * level)
	slope := s.BetaMax - s.BetaMin
	if slope == 0 {
		return b / s.BetaMin
	}
	return (-s.BetaMin + math.Sqrt(s.BetaMin*s.BetaMin+2*slope*b)) / slope
}

// GaussianScore returns the exact score of the marginal p_t when the data are N(mean, variance·I)
// in every coordinate: x_t ~ N(α(t)·mean, α(t)²·variance + σ_t²), so
// ∇ log p_t(x) = −(x − α(t)·mean)/(α(t)²·variance + σ_t²). Tests of the samplers and of
// trained models compare against it.
func GaussianScore(sde SDE, mean, variance float64) Score {
	return func(t float64, x, dst []float32) error {
		alpha, std := sde.MeanScale(t), sde.Std(t)
		center := alpha * mean
		precision := 1 / (alpha*alpha*variance + std*std)
		for k, value := range x {
			dst[k] = float32(-(float64(value) - center) * precision)
		}
		return nil
	}
}
