package topology

import "math"

// maxMatching returns the size of a maximum matching of a bipartite graph
// with len(adjacency) left vertices and rightCount right vertices, where
// adjacency[u] lists the right neighbors of left vertex u. It implements
// J. E. Hopcroft and R. M. Karp, "An n^5/2 algorithm for maximum matchings in
// bipartite graphs" (1973): breadth-first layering from the free left
// vertices, then vertex-disjoint shortest augmenting paths by depth-first
// search, repeated until no augmenting path is left.
func maxMatching(adjacency [][]int32, rightCount int) int {
	hk := hopcroftKarp{
		adjacency:  adjacency,
		matchLeft:  make([]int32, len(adjacency)),
		matchRight: make([]int32, rightCount),
		layer:      make([]int32, len(adjacency)),
		next:       make([]int, len(adjacency)),
	}
	for i := range hk.matchLeft {
		hk.matchLeft[i] = -1
	}
	for i := range hk.matchRight {
		hk.matchRight[i] = -1
	}

	size := 0
	for hk.buildLayers() {
		clear(hk.next)
		for u := range adjacency {
			if hk.matchLeft[u] < 0 && hk.augment(int32(u)) {
				size++
			}
		}
	}
	return size
}

// hopcroftKarp is the state of maxMatching: the matching in both directions,
// the BFS layer of each left vertex and the next edge each DFS tries.
type hopcroftKarp struct {
	adjacency  [][]int32
	matchLeft  []int32
	matchRight []int32
	layer      []int32
	next       []int
}

const unreachedLayer = math.MaxInt32

// buildLayers computes the BFS layers of the left vertices along alternating
// paths that start at free left vertices, and reports whether a free right
// vertex is reachable.
func (hk *hopcroftKarp) buildLayers() bool {
	queue := make([]int32, 0, len(hk.adjacency))
	for u := range hk.adjacency {
		if hk.matchLeft[u] < 0 {
			hk.layer[u] = 0
			queue = append(queue, int32(u))
		} else {
			hk.layer[u] = unreachedLayer
		}
	}

	found := false
	for head := 0; head < len(queue); head++ {
		u := queue[head]
		for _, v := range hk.adjacency[u] {
			w := hk.matchRight[v]
			if w < 0 {
				found = true
				continue
			}
			if hk.layer[w] == unreachedLayer {
				hk.layer[w] = hk.layer[u] + 1
				queue = append(queue, w)
			}
		}
	}
	return found
}

// augment searches for an augmenting path from left vertex u that follows the
// BFS layers, and flips it when found.
func (hk *hopcroftKarp) augment(u int32) bool {
	for ; hk.next[u] < len(hk.adjacency[u]); hk.next[u]++ {
		v := hk.adjacency[u][hk.next[u]]
		w := hk.matchRight[v]
		if w < 0 || (hk.layer[w] == hk.layer[u]+1 && hk.augment(w)) {
			hk.matchLeft[u] = v
			hk.matchRight[v] = u
			hk.next[u]++
			return true
		}
	}
	hk.layer[u] = unreachedLayer
	return false
}
