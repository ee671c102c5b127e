package flowmatch

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// bruteForceAssignment returns the minimal total cost over all n! permutations.
func bruteForceAssignment(cost []float64, n int) float64 {
	permutation := make([]int, n)
	for k := range permutation {
		permutation[k] = k
	}
	best := math.Inf(1)
	var search func(position int)
	search = func(position int) {
		if position == n {
			best = math.Min(best, totalCost(cost, n, permutation))
			return
		}
		for k := position; k < n; k++ {
			permutation[position], permutation[k] = permutation[k], permutation[position]
			search(position + 1)
			permutation[position], permutation[k] = permutation[k], permutation[position]
		}
	}
	search(0)
	return best
}

func totalCost(cost []float64, n int, assignment []int) float64 {
	var total float64
	for i, j := range assignment {
		total += cost[i*n+j]
	}
	return total
}

func isPermutation(assignment []int) bool {
	seen := make([]bool, len(assignment))
	for _, j := range assignment {
		if j < 0 || j >= len(assignment) || seen[j] {
			return false
		}
		seen[j] = true
	}
	return true
}

func TestAssignMatchesBruteForce(t *testing.T) {
	t.Parallel()
	const (
		casesPerSize = 40
		tolerance    = 1e-9 // both totals sum the same float64 entries
	)
	rng := rand.New(rand.NewPCG(3, 4))
	for n := 1; n <= 7; n++ {
		for trial := range casesPerSize {
			cost := make([]float64, n*n)
			for k := range cost {
				switch trial % 3 {
				case 0: // continuous costs, unique optimum
					cost[k] = rng.Float64()
				case 1: // small integers, many ties
					cost[k] = float64(rng.IntN(4))
				default: // negative and large values
					cost[k] = 1e3 * rng.NormFloat64()
				}
			}

			assignment, err := Assign(cost, n)
			if err != nil {
				t.Fatal(err)
			}
			if !isPermutation(assignment) {
				t.Fatalf("n=%d trial %d: assignment %v is not a permutation", n, trial, assignment)
			}
			got, want := totalCost(cost, n, assignment), bruteForceAssignment(cost, n)
			if math.Abs(got-want) > tolerance*math.Max(1, math.Abs(want)) {
				t.Errorf("n=%d trial %d: total cost %g, brute-force optimum %g", n, trial, got, want)
			}
		}
	}
}

func TestAssignRejectsInvalid(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		cost []float64
		n    int
	}{
		"wrong length": {[]float64{1, 2, 3}, 2},
		"zero size":    {nil, 0},
		"NaN cost":     {[]float64{1, math.NaN(), 0, 1}, 2},
		"infinite":     {[]float64{1, math.Inf(1), 0, 1}, 2},
	}
	for name, tc := range cases {
		if _, err := Assign(tc.cost, tc.n); err == nil {
			t.Errorf("%s: Assign returned no error", name)
		}
	}
}

// meanSquaredDistance returns the mean over j of ‖source[pairing[j]] − target[j]‖².
func meanSquaredDistance(source, target []float32, dim int, pairing []int) float64 {
	var total float64
	for j, i := range pairing {
		for k := range dim {
			difference := float64(target[j*dim+k] - source[i*dim+k])
			total += difference * difference
		}
	}
	return total / float64(len(pairing))
}

func TestOTPairingShortensPairs(t *testing.T) {
	t.Parallel()
	const (
		n, dim = 64, 4
		// For N(0, I) noise against targets N(2, 0.5²·I) the independent pairing has expected
		// squared distance dim·(4 + 1 + 0.25) = 21; the optimal coupling's is dim·(4 + 0.25) = 17
		// in the limit n → ∞, and a mini-batch of 64 gets most of the way.
		maxRatio = 0.95
	)
	rng := rand.New(rand.NewPCG(5, 6))
	source := make([]float32, n*dim)
	target := make([]float32, n*dim)
	SampleSource(rng, source)
	for k := range target {
		target[k] = float32(2 + 0.5*rng.NormFloat64())
	}

	pairing, err := OTPairing(source, target, dim)
	if err != nil {
		t.Fatal(err)
	}
	if !isPermutation(pairing) {
		t.Fatalf("pairing %v is not a permutation", pairing)
	}
	identity := make([]int, n)
	for k := range identity {
		identity[k] = k
	}
	coupled := meanSquaredDistance(source, target, dim, pairing)
	independent := meanSquaredDistance(source, target, dim, identity)
	t.Logf("mean squared distance: identity %.3f, OT %.3f", independent, coupled)
	if coupled > maxRatio*independent {
		t.Errorf("OT pairing mean squared distance %.3f, want below %.2f × identity pairing %.3f", coupled, maxRatio, independent)
	}

	// No single swap of two pairs may lower the total (a necessary condition of optimality).
	total := coupled * n
	for a := range n {
		for b := a + 1; b < n; b++ {
			pairing[a], pairing[b] = pairing[b], pairing[a]
			if swapped := meanSquaredDistance(source, target, dim, pairing) * n; swapped < total-1e-6 {
				t.Fatalf("swapping targets %d and %d lowers the total from %g to %g", a, b, total, swapped)
			}
			pairing[a], pairing[b] = pairing[b], pairing[a]
		}
	}
}

func TestOTPairingRejectsMismatch(t *testing.T) {
	t.Parallel()
	if _, err := OTPairing(make([]float32, 6), make([]float32, 4), 2); err == nil {
		t.Error("OTPairing accepted 3 sources for 2 targets")
	}
	if _, err := OTPairing(make([]float32, 5), make([]float32, 5), 2); err == nil {
		t.Error("OTPairing accepted rows of 2 in 5 values")
	}
}

// BenchmarkAssign times one assignment of an n x n random cost matrix.
func BenchmarkAssign(b *testing.B) {
	for _, n := range []int{64, 256} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			cost := make([]float64, n*n)
			for k := range cost {
				cost[k] = rng.Float64()
			}
			for range b.N {
				if _, err := Assign(cost, n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
