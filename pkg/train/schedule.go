package train

import "math"

// LearningRate returns the learning rate at optimizer step (0-based) of a run of total steps.
// It rises linearly from peak/warmup to peak over the first warmup steps, then decays along a
// cosine from peak to minFraction·peak at the last step. Reference: Loshchilov and Hutter,
// "SGDR: stochastic gradient descent with warm restarts" (one cycle, no restarts).
func LearningRate(step, total, warmup int, peak, minFraction float64) float64 {
	if warmup > 0 && step < warmup {
		return peak * float64(step+1) / float64(warmup)
	}

	decaySteps := total - warmup
	if decaySteps <= 1 {
		return peak
	}
	progress := math.Min(1, float64(step-warmup)/float64(decaySteps-1))
	cosine := 0.5 * (1 + math.Cos(math.Pi*progress))
	return peak * (minFraction + (1-minFraction)*cosine)
}
