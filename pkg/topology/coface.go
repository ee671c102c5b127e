package topology

import "math"

// noGroup marks a vertex pair whose edge is above the threshold.
const noGroup = math.MaxInt32

// cofaceEnumerator lists the triangles containing an edge without storing
// them. A triangle's diameter is the longest of its three edges, so its group
// is the largest group of its edges, read from an n x n matrix of edge groups.
type cofaceEnumerator struct {
	n     int
	edges []edge

	// groupOfEdge[i] is the position of the first edge as long as edges[i],
	// and groups[a*n+b] is the group of edge {a, b} or noGroup.
	groupOfEdge []int32
	groups      []int32
	maxGroup    int32

	binom2 []int64
	binom3 []int64
}

// newCofaceEnumerator builds the group tables for edges, which must be
// sorted in filtration order and not empty.
func newCofaceEnumerator(dist distanceMatrix, edges []edge) *cofaceEnumerator {
	n := dist.n
	c := &cofaceEnumerator{
		n:           n,
		edges:       edges,
		groupOfEdge: make([]int32, len(edges)),
		groups:      make([]int32, n*n),
		binom2:      make([]int64, n),
		binom3:      make([]int64, n),
	}

	for i := range c.groups {
		c.groups[i] = noGroup
	}
	for i, e := range edges {
		g := int32(i)
		if i > 0 && e.diam == edges[i-1].diam {
			g = c.groupOfEdge[i-1]
		}
		c.groupOfEdge[i] = g
		c.groups[int(e.a)*n+int(e.b)] = g
		c.groups[int(e.b)*n+int(e.a)] = g
	}
	c.maxGroup = c.groupOfEdge[len(edges)-1]

	for x := range int64(n) {
		c.binom2[x] = x * (x - 1) / 2
		c.binom3[x] = x * (x - 1) * (x - 2) / 6
	}
	return c
}

// earliest returns the first coface of edge id in filtration order, the pivot
// of its unreduced coboundary column. It reports false when the edge has no
// coface within the threshold.
//
// Vertices v are visited from n-1 down to 0, so the triangle indices decrease
// and the first coface of minimal group is the earliest one. No coface is
// shorter than the edge, so a coface in the edge's own group ends the search.
func (c *cofaceEnumerator) earliest(id int32) (triangle, bool) {
	e := c.edges[id]
	a, b := int(e.a), int(e.b)
	rowA, rowB := c.groups[a*c.n:(a+1)*c.n], c.groups[b*c.n:(b+1)*c.n]
	own := c.groupOfEdge[id]
	best := triangle{group: noGroup}

	consider := func(v int, index int64) bool {
		g := max(own, rowA[v], rowB[v])
		if g >= best.group {
			return false
		}
		best = triangle{group: g, index: index}
		return g == own
	}

	base := c.binom2[a] + int64(b)
	for v := c.n - 1; v > a; v-- {
		if consider(v, c.binom3[v]+base) {
			return best, true
		}
	}

	base = c.binom3[a] + int64(b)
	for v := a - 1; v > b; v-- {
		if consider(v, c.binom2[v]+base) {
			return best, true
		}
	}

	base = c.binom3[a] + c.binom2[b]
	for v := b - 1; v >= 0; v-- {
		if consider(v, int64(v)+base) {
			return best, true
		}
	}
	return best, best.group != noGroup
}

// pushBand adds to the queue every coface of edge id with a group in
// (low, high].
func (c *cofaceEnumerator) pushBand(queue *bucketQueue, id int32, low, high int32) {
	e := c.edges[id]
	a, b := int(e.a), int(e.b)
	rowA, rowB := c.groups[a*c.n:(a+1)*c.n], c.groups[b*c.n:(b+1)*c.n]
	own := c.groupOfEdge[id]

	add := func(v int, index int64) {
		g := max(own, rowA[v], rowB[v])
		if low < g && g <= high {
			queue.push(g, index)
		}
	}

	base := c.binom2[a] + int64(b)
	for v := c.n - 1; v > a; v-- {
		add(v, c.binom3[v]+base)
	}

	base = c.binom3[a] + int64(b)
	for v := a - 1; v > b; v-- {
		add(v, c.binom2[v]+base)
	}

	base = c.binom3[a] + c.binom2[b]
	for v := b - 1; v >= 0; v-- {
		add(v, int64(v)+base)
	}
}
