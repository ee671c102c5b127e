package topology

import (
	"math"
	"slices"
)

// edge is a 1-simplex {a, b} with a > b and its filtration value (length).
type edge struct {
	diam float64
	a, b int32
}

// sortedEdges returns the finite edges of length <= threshold in filtration
// order:
// increasing length, and among equal lengths decreasing combinatorial index
// a(a-1)/2 + b. The triangle order in persistenceH1 breaks ties the same way.
func sortedEdges(dist distanceMatrix, threshold float64) []edge {
	var edges []edge
	for a := 1; a < dist.n; a++ {
		row := dist.row(a)
		for b := 0; b < a; b++ {
			if row[b] <= threshold && !math.IsInf(row[b], 1) {
				edges = append(edges, edge{diam: row[b], a: int32(a), b: int32(b)})
			}
		}
	}

	slices.SortFunc(edges, func(x, y edge) int {
		if x.diam != y.diam {
			return compareFloat(x.diam, y.diam)
		}
		if x.a != y.a {
			return int(y.a - x.a)
		}
		return int(y.b - x.b)
	})
	return edges
}

// persistenceH0 returns the H0 diagram and the ids (positions in edges) of the
// edges that close a cycle, in increasing filtration order. The other edges
// join two components (Kruskal's algorithm): each of them kills a class born
// at 0 and is a pivot of the 0-dimensional coboundary matrix, so clearing
// removes it from the H1 reduction (Chen and Kerber, "Persistent homology
// computation with a twist").
func persistenceH0(n int, edges []edge) (Diagram, []int32) {
	components := newUnionFind(n)
	diagram := Diagram{Dim: 0}
	var cycleEdges []int32

	for id, e := range edges {
		if !components.union(int(e.a), int(e.b)) {
			cycleEdges = append(cycleEdges, int32(id))
			continue
		}
		if e.diam > 0 {
			diagram.Pairs = append(diagram.Pairs, Pair{Birth: 0, Death: e.diam})
		}
	}

	for range components.count {
		diagram.Pairs = append(diagram.Pairs, Pair{Birth: 0, Death: math.Inf(1)})
	}
	return diagram, cycleEdges
}

// unionFind is a disjoint-set forest with path halving and union by size.
type unionFind struct {
	parent []int32
	size   []int32
	count  int
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), size: make([]int32, n), count: n}
	for i := range u.parent {
		u.parent[i] = int32(i)
		u.size[i] = 1
	}
	return u
}

func (u *unionFind) find(x int) int {
	for int(u.parent[x]) != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = int(u.parent[x])
	}
	return x
}

// union merges the sets of x and y and reports whether they were distinct.
func (u *unionFind) union(x, y int) bool {
	rx, ry := u.find(x), u.find(y)
	if rx == ry {
		return false
	}
	if u.size[rx] < u.size[ry] {
		rx, ry = ry, rx
	}
	u.parent[ry] = int32(rx)
	u.size[rx] += u.size[ry]
	u.count--
	return true
}
