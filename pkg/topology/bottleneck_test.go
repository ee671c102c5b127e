package topology

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bottleneckTolerance is the absolute error allowed for bottleneck distances
// computed from exact inputs. The algorithm returns one of its candidate
// values exactly, so only rounding in the expected value matters.
const bottleneckTolerance = 1e-12

func mustBottleneck(t *testing.T, a, b Diagram) float64 {
	t.Helper()
	d, err := Bottleneck(a, b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func diagramOf(pairs ...Pair) Diagram {
	return Diagram{Dim: 1, Pairs: pairs}
}

// randomDiagram returns n finite pairs with births in [0, 1) and
// exponential persistence of mean 0.3, followed by the essential births.
func randomDiagram(rng *rand.Rand, n int, essentialBirths ...float64) Diagram {
	d := Diagram{Dim: 1}
	for range n {
		birth := rng.Float64()
		d.Pairs = append(d.Pairs, Pair{Birth: birth, Death: birth + 0.3*rng.ExpFloat64()})
	}
	for _, b := range essentialBirths {
		d.Pairs = append(d.Pairs, Pair{Birth: b, Death: math.Inf(1)})
	}
	return d
}

// bruteForceBottleneck minimizes the maximum cost over all bijections of the
// (n+m) x (n+m) cost matrix in which each point may also go to the diagonal.
func bruteForceBottleneck(a, b []Pair) float64 {
	n, m := len(a), len(b)
	size := n + m
	cost := func(row, col int) float64 {
		switch {
		case row < n && col < m:
			return linf(a[row], b[col])
		case row < n:
			if col-m == row {
				return halfPersistence(a[row])
			}
			return math.Inf(1)
		case col < m:
			if row-n == col {
				return halfPersistence(b[col])
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
	var search func(k int, worst float64)
	search = func(k int, worst float64) {
		if worst >= best {
			return
		}
		if k == size {
			best = worst
			return
		}
		for i := k; i < size; i++ {
			perm[k], perm[i] = perm[i], perm[k]
			search(k+1, max(worst, cost(k, perm[k])))
			perm[k], perm[i] = perm[i], perm[k]
		}
	}
	search(0, 0)
	return best
}

func TestBottleneckIdentical(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	d := randomDiagram(rng, 20, 0.5)
	if got := mustBottleneck(t, d, d); got != 0 {
		t.Errorf("distance of a diagram to itself = %v, expected 0", got)
	}
}

func TestBottleneckShiftedPoint(t *testing.T) {
	t.Parallel()

	// Moving (0, 10) to (1, 10.5) costs max(1, 0.5) = 1, less than sending
	// both points to the diagonal (5).
	a := diagramOf(Pair{0, 10}, Pair{2, 3})
	b := diagramOf(Pair{1, 10.5}, Pair{2, 3})
	if got := mustBottleneck(t, a, b); math.Abs(got-1) > bottleneckTolerance {
		t.Errorf("distance = %v, expected 1", got)
	}
}

func TestBottleneckEmptyDiagram(t *testing.T) {
	t.Parallel()

	// A point against nothing goes to the diagonal, at half its persistence.
	a := diagramOf(Pair{1, 4})
	if got := mustBottleneck(t, a, diagramOf()); math.Abs(got-1.5) > bottleneckTolerance {
		t.Errorf("distance to the empty diagram = %v, expected 1.5", got)
	}
	if got := mustBottleneck(t, diagramOf(), diagramOf()); got != 0 {
		t.Errorf("distance between empty diagrams = %v, expected 0", got)
	}
}

func TestBottleneckEssentialPairs(t *testing.T) {
	t.Parallel()
	inf := math.Inf(1)

	// Sorted births 0, 2 against 0.5, 2.25: cost max(0.5, 0.25).
	a := diagramOf(Pair{0, inf}, Pair{2, inf}, Pair{0, 0.1})
	b := diagramOf(Pair{2.25, inf}, Pair{0.5, inf})
	if got := mustBottleneck(t, a, b); math.Abs(got-0.5) > bottleneckTolerance {
		t.Errorf("distance = %v, expected 0.5", got)
	}

	c := diagramOf(Pair{0, inf})
	if got := mustBottleneck(t, a, c); !math.IsInf(got, 1) {
		t.Errorf("distance with 2 against 1 essential pairs = %v, expected +Inf", got)
	}
}

func TestBottleneckIgnoresZeroLength(t *testing.T) {
	t.Parallel()
	a := diagramOf(Pair{1, 2}, Pair{3, 3})
	b := diagramOf(Pair{1, 2})
	if got := mustBottleneck(t, a, b); got != 0 {
		t.Errorf("distance = %v, expected 0", got)
	}
}

func TestBottleneckMatchesBruteForce(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(13, 14))
	for trial := range 60 {
		a := randomDiagram(rng, rng.IntN(4))
		b := randomDiagram(rng, rng.IntN(4))

		got := mustBottleneck(t, a, b)
		want := bruteForceBottleneck(a.Pairs, b.Pairs)
		if len(a.Pairs)+len(b.Pairs) == 0 {
			want = 0
		}
		if math.Abs(got-want) > bottleneckTolerance {
			t.Errorf("trial %d: distance = %v, brute force gives %v\na %v\nb %v", trial, got, want, a.Pairs, b.Pairs)
		}
	}
}

func TestBottleneckSymmetricAndTriangle(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(15, 16))
	for trial := range 40 {
		a := randomDiagram(rng, rng.IntN(12), 0.1)
		b := randomDiagram(rng, rng.IntN(12), 0.4)
		c := randomDiagram(rng, rng.IntN(12), rng.Float64())

		ab, ba := mustBottleneck(t, a, b), mustBottleneck(t, b, a)
		bc, ac := mustBottleneck(t, b, c), mustBottleneck(t, a, c)
		if ab != ba {
			t.Errorf("trial %d: d(a,b) = %v but d(b,a) = %v", trial, ab, ba)
		}
		if ac > ab+bc+bottleneckTolerance {
			t.Errorf("trial %d: d(a,c) = %v > d(a,b) + d(b,c) = %v", trial, ac, ab+bc)
		}
	}
}

func TestBottleneckRejectsInvalid(t *testing.T) {
	t.Parallel()
	if _, err := Bottleneck(Diagram{Dim: 0}, Diagram{Dim: 1}); err == nil {
		t.Error("diagrams of dimensions 0 and 1: expected an error")
	}
	if _, err := Bottleneck(diagramOf(Pair{2, 1}), diagramOf()); err == nil {
		t.Error("death below birth: expected an error")
	}
	if _, err := Bottleneck(diagramOf(Pair{math.NaN(), 1}), diagramOf()); err == nil {
		t.Error("NaN birth: expected an error")
	}
}

func TestBottleneckMatchesGUDHI(t *testing.T) {
	t.Parallel()
	for _, fx := range loadFixtures[bottleneckFixture](t, "bottleneck_fixtures.json") {
		got := mustBottleneck(t, fixtureDiagram(1, fx.A), fixtureDiagram(1, fx.B))
		if fx.Distance == nil {
			if !math.IsInf(got, 1) {
				t.Errorf("%s: distance = %v, GUDHI gives +Inf", fx.Name, got)
			}
			continue
		}
		if math.Abs(got-*fx.Distance) > fixtureTolerance {
			t.Errorf("%s: distance = %v, GUDHI gives %v", fx.Name, got, *fx.Distance)
		}
	}
}
