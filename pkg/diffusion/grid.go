package diffusion

import (
	"fmt"
	"math"
	"slices"
)

// Grid names the spacing of a reverse-time grid.
type Grid string

// Supported grids.
const (
	// GridUniform spaces the times uniformly.
	GridUniform Grid = "uniform"
	// GridKarras spaces the noise levels ρ-polynomially, which concentrates steps at low
	// noise: σ_k = (σ_hi^{1/ρ} + k/K·(σ_lo^{1/ρ} − σ_hi^{1/ρ}))^ρ (Karras, Aittala, Aila and
	// Laine, "Elucidating the design space of diffusion-based generative models", NeurIPS
	// 2022, eq. (5)); the times are t_k = SDE.TimeAtNoiseLevel(σ_k).
	GridKarras Grid = "karras"
)

// Grids lists every supported grid.
var Grids = []Grid{GridUniform, GridKarras}

// ParseGrid returns the Grid named name, or an error listing the valid names.
func ParseGrid(name string) (Grid, error) {
	grid := Grid(name)
	if !slices.Contains(Grids, grid) {
		return "", fmt.Errorf("diffusion: unknown time grid %q; use one of %v", name, Grids)
	}
	return grid, nil
}

// TimeGrid returns steps+1 decreasing times from tMax to tMin, both included exactly, for
// sampling the reverse SDE or ODE. rho is the Karras exponent (7 in Karras et al.) and is
// ignored by GridUniform. It returns an error unless 0 < tMin < tMax ≤ 1, steps ≥ 1 and
// rho > 0.
func TimeGrid(sde SDE, grid Grid, tMax, tMin float64, steps int, rho float64) ([]float64, error) {
	if !(tMin > 0) || !(tMax > tMin) || tMax > 1 {
		return nil, fmt.Errorf("diffusion: time grid needs 0 < tMin < tMax <= 1, got tMin=%g, tMax=%g", tMin, tMax)
	}
	if steps < 1 {
		return nil, fmt.Errorf("diffusion: time grid needs at least 1 step, got %d", steps)
	}

	times := make([]float64, steps+1)
	switch grid {
	case GridUniform:
		for k := range times {
			times[k] = tMax + (tMin-tMax)*float64(k)/float64(steps)
		}
	case GridKarras:
		if !(rho > 0) {
			return nil, fmt.Errorf("diffusion: Karras grid needs rho > 0, got %g", rho)
		}
		high := math.Pow(sde.NoiseLevel(tMax), 1/rho)
		low := math.Pow(sde.NoiseLevel(tMin), 1/rho)
		for k := range times {
			level := math.Pow(high+(low-high)*float64(k)/float64(steps), rho)
			times[k] = sde.TimeAtNoiseLevel(level)
		}
	default:
		return nil, fmt.Errorf("diffusion: unknown time grid %q; use one of %v", grid, Grids)
	}

	times[0], times[steps] = tMax, tMin
	return times, nil
}
