package topology

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// FarthestPointSample returns the indices of m points of the cloud chosen by
// greedy farthest-point (maxmin) sampling with Euclidean distances. The first
// index is drawn uniformly with the seed. Each next one is the point farthest
// from those already chosen, the lowest index winning ties. The
// indices are in selection order, so every prefix is itself a maxmin sample.
// The cost is O(m·n·dim) time and O(n) memory.
//
// This is the greedy 2-approximation of the k-center problem of T. F. Gonzalez,
// "Clustering to minimize the maximum intercluster distance" (1985). Each
// index appears at most once, even when points repeat.
//
// It returns an error when m is negative or above len(points), or when the
// points have different dimensions or non-finite coordinates.
func FarthestPointSample(points [][]float64, m int, seed uint64) ([]int, error) {
	n := len(points)
	if m < 0 || m > n {
		return nil, fmt.Errorf("topology: sample size m=%d is outside [0, %d]; choose at most the number of points", m, n)
	}
	if err := validatePoints(points); err != nil {
		return nil, err
	}
	if m == 0 {
		return []int{}, nil
	}

	// nearest[i] is the distance from point i to the chosen set, and -Inf
	// marks a chosen point so that it is never picked again.
	nearest := make([]float64, n)
	for i := range nearest {
		nearest[i] = math.Inf(1)
	}

	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	chosen := []int{rng.IntN(n)}
	nearest[chosen[0]] = math.Inf(-1)

	for len(chosen) < m {
		last := points[chosen[len(chosen)-1]]
		farthest, farthestDist := -1, -1.0
		for i, p := range points {
			nearest[i] = min(nearest[i], euclidean(p, last))
			if nearest[i] > farthestDist {
				farthest, farthestDist = i, nearest[i]
			}
		}
		chosen = append(chosen, farthest)
		nearest[farthest] = math.Inf(-1)
	}
	return chosen, nil
}
