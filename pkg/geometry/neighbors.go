package geometry

import (
	"cmp"
	"slices"
)

// neighbor is one entry of a neighbour list: a point index and its distance.
type neighbor struct {
	index    int
	distance float64
}

// sortedNeighbors returns the other points ordered by increasing dist[i][·], ties broken by
// the smaller index, so every rank is well defined.
func sortedNeighbors(dist [][]float64, i int) []neighbor {
	order := make([]neighbor, 0, len(dist)-1)
	for j, distance := range dist[i] {
		if j != i {
			order = append(order, neighbor{index: j, distance: distance})
		}
	}
	slices.SortFunc(order, func(a, b neighbor) int {
		if c := cmp.Compare(a.distance, b.distance); c != 0 {
			return c
		}
		return cmp.Compare(a.index, b.index)
	})
	return order
}

// neighborRanks returns rank[i][j], the position (1 for the nearest) of j in the order of
// sortedNeighbors(dist, i); rank[i][i] is 0.
func neighborRanks(dist [][]float64) [][]int {
	n := len(dist)
	ranks := make([][]int, n)
	for i := range n {
		ranks[i] = make([]int, n)
		for position, other := range sortedNeighbors(dist, i) {
			ranks[i][other.index] = position + 1
		}
	}
	return ranks
}
