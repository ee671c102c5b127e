package geometry

import (
	"container/heap"
	"fmt"
	"math"
	"runtime"
	"sync"
)

// NeighborGraph returns the symmetric k-nearest-neighbour graph of the points whose distances
// are dist. adjacency[i] lists the neighbours of i with the edge lengths. The points i and j
// are neighbours when either is among the k nearest of the other, ties in distance going to
// the smaller index. It returns an error unless 1 ≤ k < n or when dist is not a
// valid distance matrix.
func NeighborGraph(dist [][]float64, k int) ([][]Edge, error) {
	if err := validateDistances("data", dist); err != nil {
		return nil, err
	}
	n := len(dist)
	if k < 1 || k >= n {
		return nil, fmt.Errorf("geometry: k=%d neighbours must be in [1, %d) for %d points", k, n, n)
	}

	linked := make([]map[int]bool, n)
	for i := range linked {
		linked[i] = map[int]bool{}
	}
	for i := range n {
		for _, other := range sortedNeighbors(dist, i)[:k] {
			linked[i][other.index] = true
			linked[other.index][i] = true
		}
	}

	adjacency := make([][]Edge, n)
	for i := range n {
		for j := range n {
			if linked[i][j] {
				adjacency[i] = append(adjacency[i], Edge{To: j, Length: dist[i][j]})
			}
		}
	}
	return adjacency, nil
}

// Edge is one directed half of an undirected graph edge: the target point To and the edge
// length, in the units of the distances the graph was built from.
type Edge struct {
	To     int
	Length float64
}

// GeodesicDistances returns the n x n matrix of shortest-path lengths on the symmetric
// k-nearest-neighbour graph of dist (see NeighborGraph), an estimate of the geodesic distances
// of the manifold the points sample (Tenenbaum, de Silva and Langford, "A global geometric
// framework for nonlinear dimensionality reduction", 2000). It runs Dijkstra's algorithm from
// every point, O(n·(n + nk)·log n) time, in parallel over GOMAXPROCS goroutines.
//
// It returns an error when the graph is disconnected, because some geodesic distances are then
// undefined: the message gives the number of components, and a larger k or denser sampling
// fixes it.
func GeodesicDistances(dist [][]float64, k int) ([][]float64, error) {
	adjacency, err := NeighborGraph(dist, k)
	if err != nil {
		return nil, err
	}
	if components := countComponents(adjacency); components > 1 {
		return nil, fmt.Errorf("geometry: the %d-nearest-neighbour graph of %d points has %d connected components, so geodesic distances between them are undefined; increase k or sample the manifold more densely", k, len(dist), components)
	}

	n := len(dist)
	geodesic := newSquare(n)
	sources := make(chan int)
	var wait sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wait.Go(func() {
			for source := range sources {
				shortestPaths(adjacency, source, geodesic[source])
			}
		})
	}
	for source := range n {
		sources <- source
	}
	close(sources)
	wait.Wait()

	symmetrize(geodesic)
	return geodesic, nil
}

// GeodesicDistancesOfPoints returns GeodesicDistances of the Euclidean distances of points.
func GeodesicDistancesOfPoints(points [][]float64, k int) ([][]float64, error) {
	dist, err := PairwiseDistances(points)
	if err != nil {
		return nil, err
	}
	return GeodesicDistances(dist, k)
}

// countComponents returns the number of connected components of the graph.
func countComponents(adjacency [][]Edge) int {
	seen := make([]bool, len(adjacency))
	components := 0
	var stack []int
	for start := range adjacency {
		if seen[start] {
			continue
		}
		components++
		seen[start] = true
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			node := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, edge := range adjacency[node] {
				if !seen[edge.To] {
					seen[edge.To] = true
					stack = append(stack, edge.To)
				}
			}
		}
	}
	return components
}

// shortestPaths writes into distances the Dijkstra shortest-path lengths from source.
func shortestPaths(adjacency [][]Edge, source int, distances []float64) {
	for i := range distances {
		distances[i] = math.Inf(1)
	}
	distances[source] = 0
	queue := &pathQueue{{node: source}}
	for queue.Len() > 0 {
		current := heap.Pop(queue).(pathEntry)
		if current.length > distances[current.node] {
			continue // a shorter path to this node was already settled
		}
		for _, edge := range adjacency[current.node] {
			length := current.length + edge.Length
			if length < distances[edge.To] {
				distances[edge.To] = length
				heap.Push(queue, pathEntry{node: edge.To, length: length})
			}
		}
	}
}

// symmetrize replaces both g[i][j] and g[j][i] by their minimum. Dijkstra from i and from j
// give the same value up to the order of floating-point additions.
func symmetrize(g [][]float64) {
	for i := range g {
		for j := i + 1; j < len(g); j++ {
			value := math.Min(g[i][j], g[j][i])
			g[i][j], g[j][i] = value, value
		}
	}
}

// pathEntry is a tentative path length to a node in Dijkstra's priority queue.
type pathEntry struct {
	node   int
	length float64
}

// pathQueue is a min-heap of pathEntry by length.
type pathQueue []pathEntry

func (q pathQueue) Len() int           { return len(q) }
func (q pathQueue) Less(a, b int) bool { return q[a].length < q[b].length }
func (q pathQueue) Swap(a, b int)      { q[a], q[b] = q[b], q[a] }
func (q *pathQueue) Push(x any)        { *q = append(*q, x.(pathEntry)) }
func (q *pathQueue) Pop() any {
	old := *q
	last := old[len(old)-1]
	*q = old[:len(old)-1]
	return last
}
