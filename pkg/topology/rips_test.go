package topology

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// longBarPersistence separates the bars that represent a feature from the
// sampling noise in the synthetic clouds below. Noise bars there are shorter
// than 0.3, and feature bars longer than 0.8.
const longBarPersistence = 0.5

// longBars returns the finite and essential pairs of d with persistence above
// longBarPersistence.
func longBars(d Diagram) []Pair {
	var long []Pair
	for _, p := range d.Pairs {
		if p.Persistence() > longBarPersistence {
			long = append(long, p)
		}
	}
	return long
}

func mustRips(t testing.TB, points [][]float64, opts RipsOptions) []Diagram {
	t.Helper()
	diagrams, err := Rips(points, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(diagrams) != 2 || diagrams[0].Dim != 0 || diagrams[1].Dim != 1 {
		t.Fatalf("Rips returned %d diagrams with dims %v, expected H0 and H1", len(diagrams), diagrams)
	}
	return diagrams
}

func essentialCount(d Diagram) int {
	count := 0
	for _, p := range d.Pairs {
		if p.IsEssential() {
			count++
		}
	}
	return count
}

func TestRipsCircle(t *testing.T) {
	t.Parallel()

	// circleDeathTolerance bounds |death - √3|. With n divisible by 3 the
	// sample holds an equilateral triangle of side √3 exactly, so only
	// rounding separates them.
	const n = 120
	const circleDeathTolerance = 1e-9
	const edgeTolerance = 1e-12

	edgeLength := 2 * math.Sin(math.Pi/n)
	diagrams := mustRips(t, circlePoints(n, 1, 0, 0), RipsOptions{})
	h0, h1 := diagrams[0], diagrams[1]

	if got := essentialCount(h0); got != 1 {
		t.Errorf("H0 has %d essential bars, expected 1", got)
	}
	if len(h0.Pairs) != n {
		t.Errorf("H0 has %d bars, expected %d", len(h0.Pairs), n)
	}
	for _, p := range h0.Pairs {
		if !p.IsEssential() && math.Abs(p.Death-edgeLength) > edgeTolerance {
			t.Errorf("H0 bar %v dies away from the edge length %v", p, edgeLength)
		}
	}

	long := longBars(h1)
	if len(long) != 1 {
		t.Fatalf("H1 has %d long bars %v, expected 1", len(long), long)
	}
	if math.Abs(long[0].Birth-edgeLength) > edgeTolerance {
		t.Errorf("H1 long bar born at %v, expected the edge length %v", long[0].Birth, edgeLength)
	}
	if math.Abs(long[0].Death-math.Sqrt(3)) > circleDeathTolerance {
		t.Errorf("H1 long bar dies at %v, expected √3 = %v", long[0].Death, math.Sqrt(3))
	}
}

func TestRipsNoisyCircle(t *testing.T) {
	t.Parallel()

	// noisyDeathTolerance bounds |death - √3| for 300 points with angular
	// gaps and radial noise of 0.02.
	const noisyDeathTolerance = 0.1

	rng := rand.New(rand.NewPCG(3, 4))
	diagrams := mustRips(t, noisyCirclePoints(rng, 300, 0.02), RipsOptions{})

	long := longBars(diagrams[1])
	if len(long) != 1 {
		t.Fatalf("H1 has %d long bars %v, expected 1", len(long), long)
	}
	if math.Abs(long[0].Death-math.Sqrt(3)) > noisyDeathTolerance {
		t.Errorf("H1 long bar dies at %v, expected near √3", long[0].Death)
	}
	if got := essentialCount(diagrams[0]); got != 1 {
		t.Errorf("H0 has %d essential bars, expected 1", got)
	}
}

func TestRipsTwoCircles(t *testing.T) {
	t.Parallel()

	// The circles have radius 1 and centers 10 apart, and both samples hold
	// the points (1, 0) and (9, 0), so the components merge at 8 exactly up
	// to rounding.
	const gap = 8.0
	const gapTolerance = 1e-12

	points := append(circlePoints(60, 1, 0, 0), circlePoints(60, 1, 10, 0)...)
	diagrams := mustRips(t, points, RipsOptions{})
	h0, h1 := diagrams[0], diagrams[1]

	if long := longBars(h1); len(long) != 2 {
		t.Errorf("H1 has %d long bars %v, expected 2", len(long), long)
	}

	longH0 := longBars(h0)
	if len(longH0) != 2 {
		t.Fatalf("H0 has %d long bars %v, expected one finite and one essential", len(longH0), longH0)
	}
	finite := slices.IndexFunc(longH0, func(p Pair) bool { return !p.IsEssential() })
	if finite < 0 || math.Abs(longH0[finite].Death-gap) > gapTolerance {
		t.Errorf("H0 long bars %v, expected one dying at the gap %v", longH0, gap)
	}
	if got := h0.Betti(gap - 0.1); got != 2 {
		t.Errorf("Betti0 just below the gap = %d, expected 2", got)
	}
	if got := h0.Betti(gap + 0.1); got != 1 {
		t.Errorf("Betti0 just above the gap = %d, expected 1", got)
	}
}

func TestRipsFlatTorus(t *testing.T) {
	t.Parallel()

	// torusLongBar separates the two circle factors of the flat torus
	// (persistence about 1.4 at 400 points) from the other bars. The Rips
	// complex of a sparse sample of the torus also has shorter H1 bars, up to
	// about 0.6 in persistence.
	const torusLongBar = 1.0

	n := 400
	if testing.Short() {
		n = 250
	}
	rng := rand.New(rand.NewPCG(5, 6))
	diagrams := mustRips(t, flatTorusPoints(rng, n, 0), RipsOptions{})

	long := 0
	for _, p := range diagrams[1].Pairs {
		if p.Persistence() > torusLongBar {
			long++
		}
	}
	if long != 2 {
		t.Errorf("H1 has %d bars longer than %v in %v, expected 2", long, torusLongBar, diagrams[1].MostPersistent(4))
	}
	if got := essentialCount(diagrams[0]); got != 1 {
		t.Errorf("H0 has %d essential bars, expected 1", got)
	}
}

func TestRipsClusters(t *testing.T) {
	t.Parallel()

	// Blobs of standard deviation 0.1 with centers 10 apart merge at about
	// 10; points inside a blob merge below 1.
	const mergeDistance = 5.0

	centers := [][]float64{{0, 0}, {10, 0}, {0, 10}, {10, 10}, {20, 5}}
	rng := rand.New(rand.NewPCG(7, 8))
	diagrams := mustRips(t, blobPoints(rng, centers, 30, 0.1), RipsOptions{})
	h0 := diagrams[0]

	separating := 0
	for _, p := range h0.Pairs {
		if !p.IsEssential() && p.Death > mergeDistance {
			separating++
		}
	}
	if separating != len(centers)-1 {
		t.Errorf("H0 has %d finite bars longer than %v, expected %d", separating, mergeDistance, len(centers)-1)
	}
	if got := essentialCount(h0); got != 1 {
		t.Errorf("H0 has %d essential bars, expected 1", got)
	}
	if got := h0.Betti(mergeDistance); got != len(centers) {
		t.Errorf("Betti0 at %v = %d, expected %d", mergeDistance, got, len(centers))
	}
}

func TestRipsMaxFiltration(t *testing.T) {
	t.Parallel()

	// Below √3 the circle's loop never dies, and below the edge length no
	// two points are joined.
	const n = 60
	points := circlePoints(n, 1, 0, 0)

	diagrams := mustRips(t, points, RipsOptions{MaxFiltration: 1.5})
	if got := essentialCount(diagrams[1]); got != 1 {
		t.Errorf("H1 at MaxFiltration 1.5 has %d essential bars, expected 1", got)
	}
	if got := BettiNumbers(diagrams, 1.4); !slices.Equal(got, []int{1, 1}) {
		t.Errorf("Betti numbers at 1.4 = %v, expected [1 1]", got)
	}

	diagrams = mustRips(t, points, RipsOptions{MaxFiltration: 0.01})
	if got := essentialCount(diagrams[0]); got != n {
		t.Errorf("H0 at MaxFiltration 0.01 has %d essential bars, expected %d", got, n)
	}
	if len(diagrams[1].Pairs) != 0 {
		t.Errorf("H1 at MaxFiltration 0.01 = %v, expected empty", diagrams[1].Pairs)
	}
}

func TestRipsPermutationInvariant(t *testing.T) {
	t.Parallel()

	// A lattice has many equal distances, so the diagram must not depend on
	// how ties are broken, which depends on the point order.
	const tol = 1e-12

	var points [][]float64
	for i := range 7 {
		for j := range 7 {
			points = append(points, []float64{float64(i), float64(j)})
		}
	}
	shuffled := slices.Clone(points)
	rand.New(rand.NewPCG(9, 10)).Shuffle(len(shuffled), func(i, j int) {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	})

	want := mustRips(t, points, RipsOptions{})
	got := mustRips(t, shuffled, RipsOptions{})
	for dim := range 2 {
		assertSameDiagram(t, got[dim], want[dim], tol)
	}
}

func TestRipsSmallClouds(t *testing.T) {
	t.Parallel()

	empty := mustRips(t, nil, RipsOptions{})
	if len(empty[0].Pairs)+len(empty[1].Pairs) != 0 {
		t.Errorf("empty cloud gives %v, expected empty diagrams", empty)
	}

	single := mustRips(t, [][]float64{{1, 2}}, RipsOptions{})
	if len(single[0].Pairs) != 1 || !single[0].Pairs[0].IsEssential() {
		t.Errorf("one point gives H0 %v, expected one essential bar", single[0].Pairs)
	}

	// Two points at distance 3: one component dies at 3.
	two := mustRips(t, [][]float64{{0, 0}, {3, 0}}, RipsOptions{})
	if !slices.Contains(two[0].Pairs, Pair{Birth: 0, Death: 3}) {
		t.Errorf("two points give H0 %v, expected the pair (0, 3)", two[0].Pairs)
	}
}

func TestRipsDistancesInfiniteEntries(t *testing.T) {
	t.Parallel()

	// Two pairs of points at distance 1 with no edge between the pairs: two
	// components that never merge.
	inf := math.Inf(1)
	dist := [][]float64{
		{0, 1, inf, inf},
		{1, 0, inf, inf},
		{inf, inf, 0, 1},
		{inf, inf, 1, 0},
	}
	diagrams, err := RipsDistances(dist, RipsOptions{})
	if err != nil {
		t.Fatal(err)
	}

	if got := essentialCount(diagrams[0]); got != 2 {
		t.Errorf("H0 %v has %d essential bars, expected 2", diagrams[0].Pairs, got)
	}
	if got := diagrams[0].Betti(0.5); got != 4 {
		t.Errorf("Betti0 at 0.5 = %d, expected 4", got)
	}
	if len(diagrams[1].Pairs) != 0 {
		t.Errorf("H1 = %v, expected empty", diagrams[1].Pairs)
	}
}

func TestRipsRejectsInvalidInput(t *testing.T) {
	t.Parallel()

	cases := map[string]func() error{
		"ragged points": func() error {
			_, err := Rips([][]float64{{0, 0}, {1}}, RipsOptions{})
			return err
		},
		"NaN coordinate": func() error {
			_, err := Rips([][]float64{{0, math.NaN()}}, RipsOptions{})
			return err
		},
		"negative MaxFiltration": func() error {
			_, err := Rips([][]float64{{0}}, RipsOptions{MaxFiltration: -1})
			return err
		},
		"non-square matrix": func() error {
			_, err := RipsDistances([][]float64{{0, 1}, {1}}, RipsOptions{})
			return err
		},
		"nonzero diagonal": func() error {
			_, err := RipsDistances([][]float64{{1, 1}, {1, 0}}, RipsOptions{})
			return err
		},
		"asymmetric matrix": func() error {
			_, err := RipsDistances([][]float64{{0, 1}, {2, 0}}, RipsOptions{})
			return err
		},
		"negative distance": func() error {
			_, err := RipsDistances([][]float64{{0, -1}, {-1, 0}}, RipsOptions{})
			return err
		},
	}
	for name, run := range cases {
		if err := run(); err == nil {
			t.Errorf("%s: expected an error", name)
		}
	}
}
