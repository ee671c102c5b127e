package topology

import (
	"math"
	"math/rand/v2"
	"testing"
)

// wassersteinTolerance is the relative error allowed against sums computed
// another way: the Hungarian method adds the same costs in another order.
const wassersteinTolerance = 1e-12

// bruteForceWasserstein minimizes Σ cost^p over all bijections of the strict
// (n+m) x (n+m) cost matrix in which each point may go only to its own
// diagonal slot.
func bruteForceWasserstein(a, b []Pair, p float64) float64 {
	n, m := len(a), len(b)
	size := n + m
	cost := func(row, col int) float64 {
		switch {
		case row < n && col < m:
			return math.Pow(linf(a[row], b[col]), p)
		case row < n:
			if col-m == row {
				return math.Pow(halfPersistence(a[row]), p)
			}
			return math.Inf(1)
		case col < m:
			if row-n == col {
				return math.Pow(halfPersistence(b[col]), p)
			}
			return math.Inf(1)
		}
		return 0
	}

	best := math.Inf(1)
	perm := make([]int, size)
	for i := range perm {
		perm[i] = i
	}
	var search func(k int, sum float64)
	search = func(k int, sum float64) {
		if sum >= best {
			return
		}
		if k == size {
			best = sum
			return
		}
		for i := k; i < size; i++ {
			perm[k], perm[i] = perm[i], perm[k]
			search(k+1, sum+cost(k, perm[k]))
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	search(0, 0)
	return math.Pow(best, 1/p)
}

func TestWassersteinMatchesBruteForce(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(19, 20))
	for trial := range 60 {
		p := []float64{1, 2, 3.5}[trial%3]
		a := randomDiagram(rng, rng.IntN(4))
		b := randomDiagram(rng, rng.IntN(4))

		got, err := Wasserstein(a, b, p)
		if err != nil {
			t.Fatal(err)
		}
		want := 0.0
		if len(a.Pairs)+len(b.Pairs) > 0 {
			want = bruteForceWasserstein(a.Pairs, b.Pairs, p)
		}
		if math.Abs(got-want) > wassersteinTolerance*max(1, want) {
			t.Errorf("trial %d, p=%v: distance = %v, brute force gives %v", trial, p, got, want)
		}
	}
}

func TestWassersteinKnownValues(t *testing.T) {
	t.Parallel()
	inf := math.Inf(1)

	// One point against nothing: half its persistence for every p.
	a := diagramOf(Pair{1, 4})
	for _, p := range []float64{1, 2} {
		if got, _ := Wasserstein(a, diagramOf(), p); math.Abs(got-1.5) > wassersteinTolerance {
			t.Errorf("p=%v: distance to the empty diagram = %v, expected 1.5", p, got)
		}
	}

	// Two points each to the diagonal at 1.5 and 0.5: W1 = 2, W2 = √2.5.
	b := diagramOf(Pair{1, 4}, Pair{0, 1})
	if got, _ := Wasserstein(b, diagramOf(), 1); math.Abs(got-2) > wassersteinTolerance {
		t.Errorf("W1 = %v, expected 2", got)
	}
	if got, _ := Wasserstein(b, diagramOf(), 2); math.Abs(got-math.Sqrt(2.5)) > wassersteinTolerance {
		t.Errorf("W2 = %v, expected %v", got, math.Sqrt(2.5))
	}

	// Essential births 0, 2 against 0.5, 2.25 add 0.5 + 0.25 to W1.
	c := diagramOf(Pair{0, inf}, Pair{2, inf})
	d := diagramOf(Pair{2.25, inf}, Pair{0.5, inf})
	if got, _ := Wasserstein(c, d, 1); math.Abs(got-0.75) > wassersteinTolerance {
		t.Errorf("W1 of essential pairs = %v, expected 0.75", got)
	}
	if got, _ := Wasserstein(c, diagramOf(Pair{0, inf}), 1); !math.IsInf(got, 1) {
		t.Errorf("W1 with 2 against 1 essential pairs = %v, expected +Inf", got)
	}
}

func TestWassersteinBoundsBottleneck(t *testing.T) {
	t.Parallel()

	// For any p, W_p >= bottleneck, because the largest matched cost is at
	// most the p-norm of all costs.
	rng := rand.New(rand.NewPCG(21, 22))
	for trial := range 20 {
		a := randomDiagram(rng, 15+rng.IntN(10), 0.2)
		b := randomDiagram(rng, 15+rng.IntN(10), 0.3)
		w, err := Wasserstein(a, b, 2)
		if err != nil {
			t.Fatal(err)
		}
		bottleneck := mustBottleneck(t, a, b)
		if w < bottleneck-bottleneckTolerance {
			t.Errorf("trial %d: W2 = %v below the bottleneck distance %v", trial, w, bottleneck)
		}
	}
}

func TestWassersteinRejectsInvalid(t *testing.T) {
	t.Parallel()
	for _, p := range []float64{0.5, math.NaN(), math.Inf(1)} {
		if _, err := Wasserstein(diagramOf(), diagramOf(), p); err == nil {
			t.Errorf("p=%v: expected an error", p)
		}
	}
	if _, err := Wasserstein(Diagram{Dim: 0}, Diagram{Dim: 1}, 1); err == nil {
		t.Error("diagrams of dimensions 0 and 1: expected an error")
	}
}

func TestWassersteinMatchesHera(t *testing.T) {
	t.Parallel()

	// heraTolerance is the relative error allowed against Hera, whose
	// auction algorithm was run with relative error bound 1e-8.
	const heraTolerance = 1e-7

	checked := 0
	for _, fx := range loadFixtures[bottleneckFixture](t, "bottleneck_fixtures.json") {
		for order, want := range fx.Wasserstein {
			p := map[string]float64{"1": 1, "2": 2}[order]
			got, err := Wasserstein(fixtureDiagram(1, fx.A), fixtureDiagram(1, fx.B), p)
			if err != nil {
				t.Fatal(err)
			}
			checked++

			if want == nil {
				if !math.IsInf(got, 1) {
					t.Errorf("%s, p=%s: distance = %v, Hera gives +Inf", fx.Name, order, got)
				}
				continue
			}
			if math.Abs(got-*want) > heraTolerance*max(1, *want) {
				t.Errorf("%s, p=%s: distance = %v, Hera gives %v", fx.Name, order, got, *want)
			}
		}
	}
	if checked == 0 {
		t.Error("no Wasserstein fixture was checked")
	}
}
