// Package gaussmix provides a mixture of isotropic 2D Gaussians with closed-form posteriors.
// Tests use it as the reference distribution whose mode weights samplers and trained flows
// must recover.
package gaussmix

import (
	"math"
	"math/rand/v2"
)

// Mixture is a mixture of isotropic 2D Gaussians: component k has weight Weights[k], mean
// Means[k] and standard deviation Stds[k] in each coordinate.
type Mixture struct {
	Weights []float64
	Means   [][2]float64
	Stds    []float64
}

// Test returns the mixture of the tests: three components of unequal weights and spreads,
// with means on an equilateral triangle of side 3. Half the distance between two means is at
// least 4.3 times the largest standard deviation, so a sample lands nearer to the mean of
// another component with a probability below 2e-5.
func Test() Mixture {
	return Mixture{
		Weights: []float64{0.5, 0.3, 0.2},
		Means:   [][2]float64{{0, math.Sqrt(3)}, {-1.5, -math.Sqrt(3) / 2}, {1.5, -math.Sqrt(3) / 2}},
		Stds:    []float64{0.3, 0.25, 0.35},
	}
}

// Moments returns the mean and the variance per coordinate, averaged over the two
// coordinates, of the mixture.
func (m Mixture) Moments() (mean [2]float64, variance float64) {
	for k, weight := range m.Weights {
		mean[0] += weight * m.Means[k][0]
		mean[1] += weight * m.Means[k][1]
	}
	for k, weight := range m.Weights {
		dx, dy := m.Means[k][0]-mean[0], m.Means[k][1]-mean[1]
		variance += weight * (m.Stds[k]*m.Stds[k] + (dx*dx+dy*dy)/2)
	}
	return mean, variance
}

// Sample returns count points (flat, x then y) drawn from the mixture.
func (m Mixture) Sample(rng *rand.Rand, count int) []float32 {
	points := make([]float32, 2*count)
	for i := range count {
		k, u := 0, rng.Float64()
		for k < len(m.Weights)-1 && u >= m.Weights[k] {
			u -= m.Weights[k]
			k++
		}
		points[2*i] = float32(m.Means[k][0] + m.Stds[k]*rng.NormFloat64())
		points[2*i+1] = float32(m.Means[k][1] + m.Stds[k]*rng.NormFloat64())
	}
	return points
}

// Posterior returns the function that fills r with the posterior probabilities
//
//	r_k(x) = w_k·N(x; scale·μ_k, v_k·I) / Σ_j w_j·N(x; scale·μ_j, v_j·I)
//
// of the components given a point x, for component k distributed as N(scale·μ_k, v_k·I) with
// v_k = variances[k]. The log-sum-exp shift keeps r finite where every density underflows.
func (m Mixture) Posterior(scale float64, variances []float64) func(x [2]float64, r []float64) {
	count := len(m.Weights)
	logWeights := make([]float64, count)
	for k := range count {
		// The log of w_k·N up to a constant shared by all components: in 2D the
		// normalization of N(·; ·, v·I) is 1/(2πv).
		logWeights[k] = math.Log(m.Weights[k]) - math.Log(variances[k])
	}
	return func(x [2]float64, r []float64) {
		largest := math.Inf(-1)
		for k := range count {
			dx, dy := x[0]-scale*m.Means[k][0], x[1]-scale*m.Means[k][1]
			r[k] = logWeights[k] - (dx*dx+dy*dy)/(2*variances[k])
			largest = math.Max(largest, r[k])
		}
		var total float64
		for k := range count {
			r[k] = math.Exp(r[k] - largest)
			total += r[k]
		}
		for k := range count {
			r[k] /= total
		}
	}
}

// Census assigns each 2D point of x to the nearest of centers and returns the fraction of
// points per center and the fraction farther than radii[k] from its nearest center k.
func Census(x []float32, centers [][2]float64, radii []float64) (fractions []float64, outliers float64) {
	fractions = make([]float64, len(centers))
	points := len(x) / 2
	for i := range points {
		nearest, nearestDistance := 0, math.Inf(1)
		for k, center := range centers {
			distance := math.Hypot(float64(x[2*i])-center[0], float64(x[2*i+1])-center[1])
			if distance < nearestDistance {
				nearest, nearestDistance = k, distance
			}
		}
		fractions[nearest]++
		if nearestDistance > radii[nearest] {
			outliers++
		}
	}
	for k := range fractions {
		fractions[k] /= float64(points)
	}
	return fractions, outliers / float64(points)
}
