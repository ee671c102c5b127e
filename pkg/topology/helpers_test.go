package topology

import (
	"math"
	"math/rand/v2"
)

// circlePoints returns n evenly spaced points on the circle of the given
// radius and center.
func circlePoints(n int, radius, cx, cy float64) [][]float64 {
	points := make([][]float64, n)
	for i := range points {
		angle := 2 * math.Pi * float64(i) / float64(n)
		points[i] = []float64{cx + radius*math.Cos(angle), cy + radius*math.Sin(angle)}
	}
	return points
}

// noisyCirclePoints returns n points at uniform random angles on the unit
// circle with Gaussian noise of standard deviation sigma on each coordinate.
func noisyCirclePoints(rng *rand.Rand, n int, sigma float64) [][]float64 {
	points := make([][]float64, n)
	for i := range points {
		angle := 2 * math.Pi * rng.Float64()
		points[i] = []float64{math.Cos(angle) + sigma*rng.NormFloat64(), math.Sin(angle) + sigma*rng.NormFloat64()}
	}
	return points
}

// flatTorusPoints returns n points (cos a, sin a, cos b, sin b) in R^4 with
// uniform random angles and Gaussian noise of standard deviation sigma.
func flatTorusPoints(rng *rand.Rand, n int, sigma float64) [][]float64 {
	points := make([][]float64, n)
	for i := range points {
		a, b := 2*math.Pi*rng.Float64(), 2*math.Pi*rng.Float64()
		p := []float64{math.Cos(a), math.Sin(a), math.Cos(b), math.Sin(b)}
		for k := range p {
			p[k] += sigma * rng.NormFloat64()
		}
		points[i] = p
	}
	return points
}

// blobPoints returns perBlob Gaussian points of standard deviation sigma
// around each center.
func blobPoints(rng *rand.Rand, centers [][]float64, perBlob int, sigma float64) [][]float64 {
	var points [][]float64
	for _, c := range centers {
		for range perBlob {
			p := make([]float64, len(c))
			for k := range p {
				p[k] = c[k] + sigma*rng.NormFloat64()
			}
			points = append(points, p)
		}
	}
	return points
}
