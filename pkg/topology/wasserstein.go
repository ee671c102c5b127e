package topology

import (
	"fmt"
	"math"
)

// Wasserstein returns the p-Wasserstein distance between two diagrams of the
// same homology dimension, with the L∞ ground metric:
//
//	W_p(a, b) = ( min over matchings Σ ‖x - γ(x)‖∞^p )^(1/p),
//
// where unmatched points go to the diagonal at cost ((death - birth)/2)^p.
// Essential pairs (Death = +Inf) are matched only with essential pairs, at
// cost |b₁-b₂|^p, and for p >= 1 the births matched in sorted order are
// optimal. The result is +Inf when the diagrams hold different numbers of
// essential pairs. Zero-length pairs are ignored. With p = 1 and these
// conventions the value is the one GUDHI's wasserstein_distance returns with
// order=1 and internal_p=inf.
//
// The finite part is an assignment problem on n+m points of each side (each
// diagram plus one diagonal slot per point of the other), solved exactly by
// the Hungarian method of H. W. Kuhn, "The Hungarian method for the assignment
// problem" (1955), in O((n+m)³) time and O((n+m)²) memory.
//
// It returns an error when p is below 1, infinite or NaN, when the dimensions
// differ, or when a pair is invalid (see Bottleneck).
func Wasserstein(a, b Diagram, p float64) (float64, error) {
	if !(p >= 1) || math.IsInf(p, 1) {
		return 0, fmt.Errorf("topology: Wasserstein order p=%v is invalid; use a finite p >= 1 (Bottleneck is the p = ∞ case)", p)
	}
	if a.Dim != b.Dim {
		return 0, fmt.Errorf("topology: Wasserstein distance between diagrams of dimensions %d and %d; compare diagrams of the same dimension", a.Dim, b.Dim)
	}

	finiteA, essentialA, err := splitDiagram(a)
	if err != nil {
		return 0, err
	}
	finiteB, essentialB, err := splitDiagram(b)
	if err != nil {
		return 0, err
	}
	if len(essentialA) != len(essentialB) {
		return math.Inf(1), nil
	}

	total := 0.0
	for i := range essentialA {
		total += math.Pow(math.Abs(essentialA[i]-essentialB[i]), p)
	}
	total += minAssignment(wassersteinCosts(finiteA, finiteB, p))

	return math.Pow(total, 1/p), nil
}

// wassersteinCosts returns the (n+m) x (n+m) cost matrix whose rows are the
// points of a then m diagonal slots, and whose columns are the points of b
// then n diagonal slots. Diagonal slots are interchangeable, so any point may
// take any slot at its own diagonal cost, and two slots match at no cost.
func wassersteinCosts(a, b []Pair, p float64) [][]float64 {
	n, m := len(a), len(b)
	cost := make([][]float64, n+m)

	for i, x := range a {
		row := make([]float64, n+m)
		for j, y := range b {
			row[j] = math.Pow(linf(x, y), p)
		}
		toDiagonal := math.Pow(halfPersistence(x), p)
		for k := m; k < n+m; k++ {
			row[k] = toDiagonal
		}
		cost[i] = row
	}

	for i := n; i < n+m; i++ {
		row := make([]float64, n+m)
		for j, y := range b {
			row[j] = math.Pow(halfPersistence(y), p)
		}
		cost[i] = row
	}
	return cost
}

// minAssignment returns the minimum of Σ cost[i][σ(i)] over permutations σ of
// a square matrix, by the Hungarian method with dual potentials u (rows) and
// v (columns): rows are inserted one at a time, and a Dijkstra-like search
// over reduced costs cost[i][j] - u[i] - v[j] finds the shortest augmenting
// path, after which the potentials are updated so reduced costs stay
// nonnegative. Index 0 is a virtual column that holds the row being inserted.
func minAssignment(cost [][]float64) float64 {
	n := len(cost)
	u := make([]float64, n+1)
	v := make([]float64, n+1)
	rowOf := make([]int, n+1) // rowOf[j] is the row (1-based) assigned to column j, 0 if none
	previous := make([]int, n+1)
	slack := make([]float64, n+1)
	visited := make([]bool, n+1)

	for row := 1; row <= n; row++ {
		rowOf[0] = row
		column := 0
		for j := range slack {
			slack[j] = math.Inf(1)
			visited[j] = false
		}

		for rowOf[column] != 0 {
			visited[column] = true
			i := rowOf[column]
			delta, next := math.Inf(1), 0
			for j := 1; j <= n; j++ {
				if visited[j] {
					continue
				}
				reduced := cost[i-1][j-1] - u[i] - v[j]
				if reduced < slack[j] {
					slack[j], previous[j] = reduced, column
				}
				if slack[j] < delta {
					delta, next = slack[j], j
				}
			}
			for j := 0; j <= n; j++ {
				if visited[j] {
					u[rowOf[j]] += delta
					v[j] -= delta
				} else {
					slack[j] -= delta
				}
			}
			column = next
		}

		for column != 0 {
			before := previous[column]
			rowOf[column] = rowOf[before]
			column = before
		}
	}

	total := 0.0
	for j := 1; j <= n; j++ {
		total += cost[rowOf[j]-1][j-1]
	}
	return total
}
