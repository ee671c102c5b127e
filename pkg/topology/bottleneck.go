package topology

import (
	"fmt"
	"math"
	"slices"
)

// Bottleneck returns the bottleneck distance between two diagrams of the same
// homology dimension: the smallest ε such that a partial matching pairs every
// point of one diagram with a point of the other at L∞ distance
// max(|b₁-b₂|, |d₁-d₂|) <= ε, each unmatched point being at L∞ distance
// <= ε from the diagonal, that is (death - birth)/2 <= ε.
//
// Essential pairs (Death = +Inf) are matched only with essential pairs, at
// cost |b₁-b₂|. The optimal such matching pairs the births in sorted order.
// The result is +Inf when the diagrams hold different numbers of essential
// pairs. Zero-length pairs are ignored.
//
// The distance is defined in D. Cohen-Steiner, H. Edelsbrunner and J. Harer,
// "Stability of persistence diagrams" (2007). The finite part is exact,
// because the optimal ε is one of the candidate values: the pairwise L∞
// distances and the half persistences. A binary search over them tests each
// for a perfect matching of the threshold graph with Hopcroft–Karp (see
// maxMatching). The cost is O((n+m)^2.5 log(nm)) time and O((n+m)^2) memory for diagrams of
// n and m finite pairs.
//
// It returns an error when the dimensions differ or a pair is invalid (a
// birth that is NaN or infinite, a death that is NaN or below its birth).
func Bottleneck(a, b Diagram) (float64, error) {
	if a.Dim != b.Dim {
		return 0, fmt.Errorf("topology: bottleneck distance between diagrams of dimensions %d and %d; compare diagrams of the same dimension", a.Dim, b.Dim)
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
	essential := 0.0
	for i := range essentialA {
		essential = max(essential, math.Abs(essentialA[i]-essentialB[i]))
	}

	return max(essential, bottleneckFinite(finiteA, finiteB)), nil
}

// splitDiagram validates d and returns its finite pairs of positive length
// and the sorted births of its essential pairs.
func splitDiagram(d Diagram) ([]Pair, []float64, error) {
	var finite []Pair
	var essential []float64

	for i, p := range d.Pairs {
		if math.IsNaN(p.Birth) || math.IsInf(p.Birth, 0) || math.IsNaN(p.Death) || p.Death < p.Birth {
			return nil, nil, fmt.Errorf("topology: H%d pair %d = (%v, %v) is invalid; birth must be finite and death >= birth", d.Dim, i, p.Birth, p.Death)
		}
		switch {
		case p.IsEssential():
			essential = append(essential, p.Birth)
		case p.Death > p.Birth:
			finite = append(finite, p)
		}
	}

	slices.Sort(essential)
	return finite, essential, nil
}

// linf returns the L∞ distance between two finite pairs.
func linf(p, q Pair) float64 {
	return max(math.Abs(p.Birth-q.Birth), math.Abs(p.Death-q.Death))
}

// halfPersistence returns the L∞ distance from p to the diagonal.
func halfPersistence(p Pair) float64 {
	return (p.Death - p.Birth) / 2
}

// bottleneckFinite returns the bottleneck distance between two diagrams of
// finite pairs.
func bottleneckFinite(a, b []Pair) float64 {
	if len(a)+len(b) == 0 {
		return 0
	}

	candidates := make([]float64, 0, len(a)*len(b)+len(a)+len(b))
	for _, p := range a {
		candidates = append(candidates, halfPersistence(p))
		for _, q := range b {
			candidates = append(candidates, linf(p, q))
		}
	}
	for _, q := range b {
		candidates = append(candidates, halfPersistence(q))
	}
	slices.Sort(candidates)
	candidates = slices.Compact(candidates)

	// Matching every point to the diagonal costs at most the largest
	// candidate, so the last candidate always succeeds.
	lo, hi := 0, len(candidates)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if hasPerfectMatching(a, b, candidates[mid]) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return candidates[lo]
}

// hasPerfectMatching reports whether the threshold graph at eps has a perfect
// matching. Left vertices are the n points of a followed by the diagonal
// projections of the m points of b. Right vertices are the points of b
// followed by the projections of a. Two projections are always joined,
// because matching the diagonal to itself costs nothing.
func hasPerfectMatching(a, b []Pair, eps float64) bool {
	n, m := len(a), len(b)
	adjacency := make([][]int32, n+m)

	for i, p := range a {
		for j, q := range b {
			if linf(p, q) <= eps {
				adjacency[i] = append(adjacency[i], int32(j))
			}
		}
		if halfPersistence(p) <= eps {
			adjacency[i] = append(adjacency[i], int32(m+i))
		}
	}

	for j, q := range b {
		row := make([]int32, 0, n+1)
		if halfPersistence(q) <= eps {
			row = append(row, int32(j))
		}
		for i := range n {
			row = append(row, int32(m+i))
		}
		adjacency[n+j] = row
	}

	return maxMatching(adjacency, n+m) == n+m
}
