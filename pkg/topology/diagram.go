package topology

import (
	"math"
	"slices"
)

// Pair is one bar of a persistence diagram: a homology class born at
// filtration value Birth that dies at Death. Death is +Inf for an essential
// class, one that is still alive at the largest filtration value.
type Pair struct {
	Birth, Death float64
}

// Persistence returns Death - Birth, which is +Inf for an essential pair.
func (p Pair) Persistence() float64 {
	return p.Death - p.Birth
}

// IsEssential reports whether the pair never dies (Death is +Inf).
func (p Pair) IsEssential() bool {
	return math.IsInf(p.Death, 1)
}

// Diagram is the persistence diagram of one homology dimension Dim: the
// multiset of its pairs in no particular order. Rips omits zero-length pairs
// (Birth == Death), and the distances in this package ignore them.
type Diagram struct {
	Dim   int
	Pairs []Pair
}

// MostPersistent returns the n pairs of d with the largest persistence, longest
// first. Essential pairs come before all finite ones, and ties keep the lower
// birth first. It returns all pairs when n exceeds their number and none when
// n <= 0. The result is a new slice.
func (d Diagram) MostPersistent(n int) []Pair {
	if n <= 0 {
		return nil
	}

	sorted := slices.Clone(d.Pairs)
	slices.SortStableFunc(sorted, func(x, y Pair) int {
		px, py := x.Persistence(), y.Persistence()
		if px != py {
			if px > py {
				return -1
			}
			return 1
		}
		return compareFloat(x.Birth, y.Birth)
	})

	return sorted[:min(n, len(sorted))]
}

// TotalPersistence returns the sum of Death - Birth over the finite pairs of
// d. Essential pairs are left out, so the result is always finite.
func (d Diagram) TotalPersistence() float64 {
	total := 0.0
	for _, p := range d.Pairs {
		if !p.IsEssential() {
			total += p.Persistence()
		}
	}
	return total
}

// Betti returns the Betti number of d at filtration value r: the number of
// pairs alive at r, with Birth <= r < Death. For a Rips diagram, r is an edge
// length (simplex diameter), not a ball radius.
func (d Diagram) Betti(r float64) int {
	count := 0
	for _, p := range d.Pairs {
		if p.Birth <= r && r < p.Death {
			count++
		}
	}
	return count
}

// BettiNumbers returns diagrams[k].Betti(r) for each k: the Betti numbers at
// filtration value r, one per diagram in the order given.
func BettiNumbers(diagrams []Diagram, r float64) []int {
	betti := make([]int, len(diagrams))
	for k, d := range diagrams {
		betti[k] = d.Betti(r)
	}
	return betti
}

// compareFloat orders a before b when a < b, for use with the slices package.
func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
