package geometry

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// line returns one-dimensional points at the given coordinates.
func line(coordinates ...float64) [][]float64 {
	points := make([][]float64, len(coordinates))
	for i, x := range coordinates {
		points[i] = []float64{x}
	}
	return points
}

func mustDistances(t *testing.T, points [][]float64) [][]float64 {
	t.Helper()
	dist, err := PairwiseDistances(points)
	if err != nil {
		t.Fatal(err)
	}
	return dist
}

// gaussianCloud returns n points in R^dim with independent standard normal coordinates.
func gaussianCloud(rng *rand.Rand, n, dim int) [][]float64 {
	points := make([][]float64, n)
	for i := range points {
		points[i] = make([]float64, dim)
		for c := range points[i] {
			points[i][c] = rng.NormFloat64()
		}
	}
	return points
}

func TestIdentityEmbeddingIsPerfect(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-12
	dist := mustDistances(t, gaussianCloud(rand.New(rand.NewPCG(1, 2)), 60, 5))
	quality, err := Evaluate(dist, dist, 5)
	if err != nil {
		t.Fatal(err)
	}
	if quality.Trustworthiness != 1 {
		t.Errorf("trustworthiness %g, want 1", quality.Trustworthiness)
	}
	if quality.Continuity != 1 {
		t.Errorf("continuity %g, want 1", quality.Continuity)
	}
	if quality.Distortion > tolerance {
		t.Errorf("distortion %g, want 0", quality.Distortion)
	}
	if math.Abs(quality.Spearman-1) > tolerance {
		t.Errorf("Spearman %g, want 1", quality.Spearman)
	}
}

func TestScaledEmbeddingHasNoDistortion(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-7 // sqrt of a float64 cancellation 1 − (1 − O(1e-16))
	points := gaussianCloud(rand.New(rand.NewPCG(3, 4)), 40, 3)
	scaled := make([][]float64, len(points))
	for i, point := range points {
		scaled[i] = []float64{3 * point[0], 3 * point[1], 3 * point[2]}
	}
	distortion, err := Distortion(mustDistances(t, points), mustDistances(t, scaled))
	if err != nil {
		t.Fatal(err)
	}
	if distortion > tolerance {
		t.Errorf("distortion of a scaled copy %g, want 0", distortion)
	}
}

func TestRandomPermutationIsUntrustworthy(t *testing.T) {
	t.Parallel()
	// A latent position drawn at random keeps neighbours by chance only, which gives T and C
	// near 0.5; 0.65 leaves room for sampling noise with 200 points.
	const maxRandomScore = 0.65
	rng := rand.New(rand.NewPCG(5, 6))
	points := gaussianCloud(rng, 200, 3)
	permuted := make([][]float64, len(points))
	for i, j := range rng.Perm(len(points)) {
		permuted[i] = points[j]
	}
	quality, err := Evaluate(mustDistances(t, points), mustDistances(t, permuted), 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("random permutation: %+v", quality)
	if quality.Trustworthiness > maxRandomScore {
		t.Errorf("trustworthiness %g, want below %g", quality.Trustworthiness, maxRandomScore)
	}
	if quality.Continuity > maxRandomScore {
		t.Errorf("continuity %g, want below %g", quality.Continuity, maxRandomScore)
	}
}

func TestTrustworthinessHandComputed(t *testing.T) {
	t.Parallel()
	// Reference points 0, 1, 3, 7; the embedding swaps the last two: 0, 1, 7, 3. With k = 1:
	// point 2's latent neighbour is 3, reference rank 3 (penalty 2), and point 3's is 1,
	// reference rank 2 (penalty 1). Normalization 2/(n k (2n−3k−1)) = 1/8, so T = 1 − 3/8.
	// Continuity: point 2's reference neighbour 1 has latent rank 2 (penalty 1), point 3's
	// reference neighbour 2 has latent rank 3 (penalty 2), so C = 1 − 3/8 as well.
	const (
		want      = 0.625
		tolerance = 1e-15
	)
	reference := mustDistances(t, line(0, 1, 3, 7))
	latent := mustDistances(t, line(0, 1, 7, 3))
	trust, err := Trustworthiness(reference, latent, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(trust-want) > tolerance {
		t.Errorf("trustworthiness %g, want %g", trust, want)
	}
	continuity, err := Continuity(reference, latent, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(continuity-want) > tolerance {
		t.Errorf("continuity %g, want %g", continuity, want)
	}
}

func TestDistortionHandComputed(t *testing.T) {
	t.Parallel()
	// Reference 0, 1, 3 gives pair distances a = (1, 3, 2); latent 0, 1, 2 gives b = (1, 2, 1).
	// Σab = 9, Σa² = 14, Σb² = 6, so the distortion is sqrt(1 − 81/84).
	const tolerance = 1e-15
	want := math.Sqrt(3.0 / 84)
	distortion, err := Distortion(mustDistances(t, line(0, 1, 3)), mustDistances(t, line(0, 1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(distortion-want) > tolerance {
		t.Errorf("distortion %g, want %g", distortion, want)
	}
}

func TestSpearmanHandComputed(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-15
	cases := []struct {
		name string
		a, b []float64
		want float64
	}{
		// Ranks (1,2,3) and (1,3,2): 1 − 6·Σd²/(n(n²−1)) = 1 − 12/24.
		{"one swap", []float64{1, 2, 3}, []float64{10, 30, 20}, 0.5},
		// Ranks (1, 2.5, 2.5) and (1, 2, 3): covariance 1.5, variances 1.5 and 2.
		{"tie", []float64{1, 2, 2}, []float64{1, 2, 3}, 1.5 / math.Sqrt(3)},
		{"reversed", []float64{1, 2, 3, 4}, []float64{4, 3, 2, 1}, -1},
	}
	for _, tc := range cases {
		got, err := SpearmanCorrelation(tc.a, tc.b)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if math.Abs(got-tc.want) > tolerance {
			t.Errorf("%s: Spearman %g, want %g", tc.name, got, tc.want)
		}
	}
	if _, err := SpearmanCorrelation([]float64{1, 1, 1}, []float64{1, 2, 3}); err == nil {
		t.Error("a constant sample was accepted")
	}
}

func TestGeodesicDistancesOnCircle(t *testing.T) {
	t.Parallel()
	// n evenly spaced points on the unit circle: the 2-nearest-neighbour graph is the cycle, so
	// the shortest path between i and j is min(|i−j|, n−|i−j|) chords of length 2 sin(π/n).
	const (
		n         = 60
		tolerance = 1e-12
	)
	points := make([][]float64, n)
	for i := range points {
		angle := 2 * math.Pi * float64(i) / n
		points[i] = []float64{math.Cos(angle), math.Sin(angle)}
	}
	geodesic, err := GeodesicDistancesOfPoints(points, 2)
	if err != nil {
		t.Fatal(err)
	}
	chord := 2 * math.Sin(math.Pi/n)
	for i := range n {
		for j := range n {
			steps := min(abs(i-j), n-abs(i-j))
			if want := float64(steps) * chord; math.Abs(geodesic[i][j]-want) > tolerance {
				t.Fatalf("geodesic[%d][%d] = %g, want %g", i, j, geodesic[i][j], want)
			}
		}
	}
}

func TestGeodesicDistancesDisconnected(t *testing.T) {
	t.Parallel()
	points := line(0, 1, 2, 100, 101, 102)
	_, err := GeodesicDistancesOfPoints(points, 2)
	if err == nil {
		t.Fatal("two clusters far apart with k=2 gave no error")
	}
	if !strings.Contains(err.Error(), "2 connected components") || !strings.Contains(err.Error(), "increase k") {
		t.Errorf("error %q should give the component count and suggest a larger k", err)
	}
	if _, err := GeodesicDistancesOfPoints(points, 3); err != nil {
		t.Errorf("k=3 links the clusters but failed: %v", err)
	}
}

func TestNeighborGraphIsSymmetric(t *testing.T) {
	t.Parallel()
	// Point 3 is far away: its nearest neighbour is 2, but it is nobody's nearest, so only the
	// symmetrization links 2 to 3.
	adjacency, err := NeighborGraph(mustDistances(t, line(0, 1, 2.5, 10)), 1)
	if err != nil {
		t.Fatal(err)
	}
	linked := func(i, j int) bool {
		for _, edge := range adjacency[i] {
			if edge.To == j {
				return true
			}
		}
		return false
	}
	for _, pair := range [][2]int{{0, 1}, {1, 2}, {2, 3}} {
		if !linked(pair[0], pair[1]) || !linked(pair[1], pair[0]) {
			t.Errorf("edge %d-%d missing in one direction: %v", pair[0], pair[1], adjacency)
		}
	}
	if linked(0, 3) {
		t.Errorf("edge 0-3 should not exist: %v", adjacency)
	}
}

func TestMetricsRejectInvalidInput(t *testing.T) {
	t.Parallel()
	dist := mustDistances(t, line(0, 1, 2, 3))
	if _, err := Trustworthiness(dist, dist, 2); err == nil {
		t.Error("k=2 with 4 points (k >= n/2) was accepted")
	}
	if _, err := Distortion(dist, mustDistances(t, line(0, 1, 2))); err == nil {
		t.Error("matrices of different sizes were accepted")
	}
	if _, err := PairwiseDistances([][]float64{{0, 1}, {2}}); err == nil {
		t.Error("rows of different lengths were accepted")
	}
	if _, err := PairwiseDistances([][]float64{{math.NaN()}}); err == nil {
		t.Error("a NaN coordinate was accepted")
	}
}

func abs(x int) int { return max(x, -x) }
