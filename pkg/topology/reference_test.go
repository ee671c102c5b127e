package topology

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// referenceRips computes the Rips diagrams in dimensions 0 and 1 by the
// textbook algorithm: every simplex up to dimension 2 is listed, sorted by
// filtration value and dimension, and the boundary matrix over Z/2 is reduced
// column by column (Edelsbrunner, Letscher and Zomorodian). It shares no code
// with Rips beyond the distance function.
func referenceRips(points [][]float64, threshold float64) []Diagram {
	type simplex struct {
		filtration float64
		vertices   []int
	}

	n := len(points)
	var simplices []simplex
	for i := range n {
		simplices = append(simplices, simplex{0, []int{i}})
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			if d := euclidean(points[i], points[j]); d <= threshold {
				simplices = append(simplices, simplex{d, []int{i, j}})
			}
		}
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			for k := j + 1; k < n; k++ {
				d := max(euclidean(points[i], points[j]), euclidean(points[i], points[k]), euclidean(points[j], points[k]))
				if d <= threshold {
					simplices = append(simplices, simplex{d, []int{i, j, k}})
				}
			}
		}
	}
	slices.SortStableFunc(simplices, func(x, y simplex) int {
		if c := compareFloat(x.filtration, y.filtration); c != 0 {
			return c
		}
		return len(x.vertices) - len(y.vertices)
	})

	position := map[[3]int]int{}
	key := func(vertices []int) [3]int {
		k := [3]int{-1, -1, -1}
		copy(k[:], vertices)
		return k
	}
	for p, s := range simplices {
		position[key(s.vertices)] = p
	}

	lowOwner := map[int]int{}
	paired := make([]bool, len(simplices))
	columns := make([][]int, len(simplices))
	diagrams := []Diagram{{Dim: 0}, {Dim: 1}}

	for j, s := range simplices {
		var column []int
		if len(s.vertices) > 1 {
			for skip := range s.vertices {
				face := slices.Delete(slices.Clone(s.vertices), skip, skip+1)
				column = append(column, position[key(face)])
			}
			slices.Sort(column)
		}

		for len(column) > 0 {
			owner, ok := lowOwner[column[len(column)-1]]
			if !ok {
				break
			}
			column = symmetricDifference(column, columns[owner])
		}
		columns[j] = column

		if len(column) > 0 {
			low := column[len(column)-1]
			lowOwner[low] = j
			paired[low], paired[j] = true, true
			birth := simplices[low]
			if s.filtration > birth.filtration {
				dim := len(birth.vertices) - 1
				diagrams[dim].Pairs = append(diagrams[dim].Pairs, Pair{birth.filtration, s.filtration})
			}
		}
	}

	for j, s := range simplices {
		if !paired[j] && len(s.vertices) <= 2 {
			dim := len(s.vertices) - 1
			diagrams[dim].Pairs = append(diagrams[dim].Pairs, Pair{s.filtration, math.Inf(1)})
		}
	}
	return diagrams
}

// symmetricDifference returns the sorted symmetric difference of two sorted
// slices, the sum of two columns over Z/2.
func symmetricDifference(a, b []int) []int {
	var out []int
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			i++
			j++
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		default:
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

func TestRipsMatchesReference(t *testing.T) {
	t.Parallel()

	// Both sides take the same distances, so they must agree to rounding.
	const referenceTolerance = 1e-12

	rng := rand.New(rand.NewPCG(23, 24))
	var lattice [][]float64
	for i := range 5 {
		for j := range 5 {
			lattice = append(lattice, []float64{float64(i), float64(j)})
		}
	}

	clouds := map[string][][]float64{
		"lattice":      lattice,
		"noisy circle": noisyCirclePoints(rng, 45, 0.1),
		"flat torus":   flatTorusPoints(rng, 30, 0),
		"blobs":        blobPoints(rng, [][]float64{{0, 0, 0}, {3, 0, 0}}, 12, 0.5),
	}
	for trial := range 4 {
		points := make([][]float64, 40)
		for i := range points {
			points[i] = []float64{rng.Float64(), rng.Float64()}
		}
		clouds[string(rune('a'+trial))+" uniform square"] = points
	}

	for name, points := range clouds {
		for _, threshold := range []float64{math.Inf(1), 0.6} {
			opts := RipsOptions{}
			if !math.IsInf(threshold, 1) {
				opts.MaxFiltration = threshold
			}

			got := mustRips(t, points, opts)
			want := referenceRips(points, threshold)
			for dim := range 2 {
				g, w := sortedNonzeroPairs(got[dim]), sortedNonzeroPairs(want[dim])
				if len(g) != len(w) {
					t.Errorf("%s, threshold %v: H%d has %d pairs, reference has %d", name, threshold, dim, len(g), len(w))
					continue
				}
				for i := range g {
					if !closeOrSameInf(g[i].Birth, w[i].Birth, referenceTolerance) || !closeOrSameInf(g[i].Death, w[i].Death, referenceTolerance) {
						t.Errorf("%s, threshold %v: H%d pair %d = %v, reference has %v", name, threshold, dim, i, g[i], w[i])
					}
				}
			}
		}
	}
}
