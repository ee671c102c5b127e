package topology

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestFarthestPointSampleMaxmin(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(17, 18))
	points := noisyCirclePoints(rng, 500, 0.1)

	const m = 40
	sample, err := FarthestPointSample(points, m, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(sample) != m {
		t.Fatalf("sample has %d indices, expected %d", len(sample), m)
	}
	sorted := slices.Clone(sample)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != m {
		t.Errorf("sample %v repeats an index", sample)
	}

	// Greedy maxmin property: no two chosen points are closer than the
	// covering radius of the sample.
	covering := 0.0
	for _, p := range points {
		nearest := math.Inf(1)
		for _, s := range sample {
			nearest = min(nearest, euclidean(p, points[s]))
		}
		covering = max(covering, nearest)
	}
	for i, s := range sample {
		for _, u := range sample[:i] {
			if d := euclidean(points[s], points[u]); d < covering {
				t.Errorf("points %d and %d are %v apart, below the covering radius %v", s, u, d, covering)
			}
		}
	}

	again, _ := FarthestPointSample(points, m, 1)
	if !slices.Equal(sample, again) {
		t.Errorf("same seed gave %v then %v", sample, again)
	}
}

func TestFarthestPointSampleLine(t *testing.T) {
	t.Parallel()

	// On the points 0..10 the second choice is the end farther from the
	// first (0 on a tie). The third maximizes the distance to the first two,
	// the lowest index winning ties: with first 7 and second 0, the points 3
	// and 10 are both 3 away, so 3 wins.
	var points [][]float64
	for i := range 11 {
		points = append(points, []float64{float64(i)})
	}

	for seed := range uint64(20) {
		sample, err := FarthestPointSample(points, 3, seed)
		if err != nil {
			t.Fatal(err)
		}

		first := sample[0]
		second := 0
		if first < 10-first {
			second = 10
		}
		third, thirdDistance := -1, -1
		for i := range 11 {
			d := min(abs(i-first), abs(i-second))
			if d > thirdDistance && i != first && i != second {
				third, thirdDistance = i, d
			}
		}
		if sample[1] != second || sample[2] != third {
			t.Errorf("seed %d: sample %v, expected [%d %d %d]", seed, sample, first, second, third)
		}
	}
}

func TestFarthestPointSampleDuplicates(t *testing.T) {
	t.Parallel()
	points := [][]float64{{0, 0}, {0, 0}, {0, 0}}
	sample, err := FarthestPointSample(points, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(sample)
	if !slices.Equal(sample, []int{0, 1, 2}) {
		t.Errorf("sample of three equal points = %v, expected each index once", sample)
	}
}

func TestFarthestPointSampleRejectsInvalid(t *testing.T) {
	t.Parallel()
	points := [][]float64{{0}, {1}}
	if _, err := FarthestPointSample(points, 3, 0); err == nil {
		t.Error("m above the number of points: expected an error")
	}
	if _, err := FarthestPointSample(points, -1, 0); err == nil {
		t.Error("negative m: expected an error")
	}
	if _, err := FarthestPointSample([][]float64{{0}, {1, 2}}, 1, 0); err == nil {
		t.Error("ragged points: expected an error")
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
