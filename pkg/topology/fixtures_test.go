package topology

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// fixtureTolerance is the absolute difference allowed between a value from
// this package and the GUDHI value in testdata. Both compute the same
// Euclidean distances in float64, so only rounding separates them.
const fixtureTolerance = 1e-9

// fixturePair is [birth, death] with death null for an essential pair.
type fixturePair [2]*float64

type ripsFixture struct {
	Name          string        `json:"name"`
	MaxFiltration *float64      `json:"max_filtration"`
	Points        [][]float64   `json:"points"`
	H0            []fixturePair `json:"h0"`
	H1            []fixturePair `json:"h1"`
}

// bottleneckFixture holds two diagrams, their GUDHI bottleneck distance and,
// where Hera was run, their Wasserstein distances by order p ("1", "2").
// A null distance means +Inf.
type bottleneckFixture struct {
	Name        string              `json:"name"`
	A           []fixturePair       `json:"a"`
	B           []fixturePair       `json:"b"`
	Distance    *float64            `json:"distance"`
	Wasserstein map[string]*float64 `json:"wasserstein"`
}

func loadFixtures[T any](t *testing.T, file string) []T {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatalf("read fixture: %v (regenerate with testdata/make_fixtures.py)", err)
	}
	var content struct {
		Cases []T `json:"cases"`
	}
	if err := json.Unmarshal(raw, &content); err != nil {
		t.Fatalf("decode %s: %v", file, err)
	}
	if len(content.Cases) == 0 {
		t.Fatalf("%s holds no cases", file)
	}
	return content.Cases
}

func fixtureDiagram(dim int, pairs []fixturePair) Diagram {
	d := Diagram{Dim: dim}
	for _, p := range pairs {
		death := math.Inf(1)
		if p[1] != nil {
			death = *p[1]
		}
		d.Pairs = append(d.Pairs, Pair{Birth: *p[0], Death: death})
	}
	return d
}

// sortedFinitePairs returns the pairs of d without zero-length ones, sorted
// by birth and then death, for comparison as multisets.
func sortedNonzeroPairs(d Diagram) []Pair {
	var pairs []Pair
	for _, p := range d.Pairs {
		if p.Death > p.Birth {
			pairs = append(pairs, p)
		}
	}
	slices.SortFunc(pairs, func(x, y Pair) int {
		if c := compareFloat(x.Birth, y.Birth); c != 0 {
			return c
		}
		return compareFloat(x.Death, y.Death)
	})
	return pairs
}

// assertSameDiagram fails unless got and want hold the same multiset of
// nonzero pairs within tol.
func assertSameDiagram(t *testing.T, got, want Diagram, tol float64) {
	t.Helper()
	g, w := sortedNonzeroPairs(got), sortedNonzeroPairs(want)
	if len(g) != len(w) {
		t.Fatalf("H%d has %d pairs, GUDHI has %d\ngot  %v\nwant %v", want.Dim, len(g), len(w), g, w)
	}
	for i := range g {
		if !closeOrSameInf(g[i].Birth, w[i].Birth, tol) || !closeOrSameInf(g[i].Death, w[i].Death, tol) {
			t.Errorf("H%d pair %d = %v, GUDHI has %v", want.Dim, i, g[i], w[i])
		}
	}
}

func closeOrSameInf(a, b, tol float64) bool {
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= tol
}

func TestRipsMatchesGUDHI(t *testing.T) {
	t.Parallel()
	for _, fx := range loadFixtures[ripsFixture](t, "rips_fixtures.json") {
		t.Run(fx.Name, func(t *testing.T) {
			t.Parallel()
			var opts RipsOptions
			if fx.MaxFiltration != nil {
				opts.MaxFiltration = *fx.MaxFiltration
			}

			diagrams, err := Rips(fx.Points, opts)
			if err != nil {
				t.Fatal(err)
			}

			assertSameDiagram(t, diagrams[0], fixtureDiagram(0, fx.H0), fixtureTolerance)
			assertSameDiagram(t, diagrams[1], fixtureDiagram(1, fx.H1), fixtureTolerance)
		})
	}
}

func TestRipsDistancesMatchesGUDHI(t *testing.T) {
	t.Parallel()
	for _, fx := range loadFixtures[ripsFixture](t, "rips_fixtures.json") {
		t.Run(fx.Name, func(t *testing.T) {
			t.Parallel()
			var opts RipsOptions
			if fx.MaxFiltration != nil {
				opts.MaxFiltration = *fx.MaxFiltration
			}
			dist := make([][]float64, len(fx.Points))
			for i := range dist {
				dist[i] = make([]float64, len(fx.Points))
				for j := range dist[i] {
					dist[i][j] = euclidean(fx.Points[i], fx.Points[j])
				}
			}

			diagrams, err := RipsDistances(dist, opts)
			if err != nil {
				t.Fatal(err)
			}

			assertSameDiagram(t, diagrams[0], fixtureDiagram(0, fx.H0), fixtureTolerance)
			assertSameDiagram(t, diagrams[1], fixtureDiagram(1, fx.H1), fixtureTolerance)
		})
	}
}
