package topology

import (
	"math"
	"slices"
)

// triangle is a 2-simplex {x, y, z} with x > y > z, stored as its diameter
// group and its combinatorial index C(x,3) + C(y,2) + C(z,1) (the
// combinatorial number system), so that triangles are never materialized as
// vertex lists. The group is the position in the sorted edge list of the
// first edge as long as the triangle's diameter, so groups and diameters have
// the same order.
type triangle struct {
	group int32
	index int64
}

// reductionStats counts the work of the H1 reduction, for logging.
type reductionStats struct {
	reducedColumns  int
	columnAdditions int
}

// persistenceH1 reduces the coboundary matrix of the edges in columns (ids
// into edges, increasing filtration order, MST edges already cleared) and
// returns the H1 diagram.
//
// The filtration order of triangles is increasing diameter, and among equal
// diameters decreasing index. Columns are processed in decreasing filtration
// order. The pivot of a column is its earliest triangle. A column whose pivot
// no earlier column owns is already reduced, which covers most columns, and
// then only its pivot is computed. Otherwise the column is reduced by
// reducer.reduce. A column reduced to zero gives an essential class. Each
// pivot owner stores its reduction column V (the edges whose coboundaries sum
// to its reduced column), and coboundaries are recomputed from V when needed,
// as in Bauer, "Ripser: efficient computation of Vietoris–Rips persistence
// barcodes".
func persistenceH1(dist distanceMatrix, edges []edge, columns []int32) (Diagram, reductionStats) {
	diagram := Diagram{Dim: 1}
	if len(columns) == 0 {
		return diagram, reductionStats{}
	}

	r := newReducer(dist, edges, len(columns))
	for c := len(columns) - 1; c >= 0; c-- {
		id := columns[c]
		birth := edges[id].diam

		pivot, found := r.cofaces.earliest(id)
		if found {
			if _, owned := r.pivotOwner[pivot.index]; owned {
				pivot, found = r.reduce(id, pivot)
			} else {
				r.workingV = append(r.workingV[:0], id)
			}
		}

		if !found {
			diagram.Pairs = append(diagram.Pairs, Pair{Birth: birth, Death: math.Inf(1)})
			continue
		}

		if death := edges[pivot.group].diam; death > birth {
			diagram.Pairs = append(diagram.Pairs, Pair{Birth: birth, Death: death})
		}
		r.storeOwner(pivot)
	}
	return diagram, r.stats
}

// reducer holds the state of the H1 column reduction.
type reducer struct {
	cofaces *cofaceEnumerator

	// pivotOwner maps a triangle index to the owner id of the column whose
	// pivot it is. Owner k has reduction column
	// ownerV[ownerStart[k]:ownerStart[k+1]].
	pivotOwner map[int64]int32
	ownerStart []int32
	ownerV     []int32

	// working is the column being reduced, truncated to groups <= bound,
	// and workingV lists the edges summed into it, with repeats.
	working  *bucketQueue
	workingV []int32
	bound    int32

	stats reductionStats
}

func newReducer(dist distanceMatrix, edges []edge, columns int) *reducer {
	return &reducer{
		cofaces:    newCofaceEnumerator(dist, edges),
		pivotOwner: make(map[int64]int32, columns),
		ownerStart: []int32{0},
		working:    newBucketQueue(len(edges)),
	}
}

// reduce adds earlier columns to the coboundary of edge id, whose unreduced
// pivot is already owned, until its pivot is new (returned with true) or the
// column is zero (false). On return workingV holds its reduction column.
//
// The working column only holds the cofaces of group <= bound. Its earliest
// odd entry is the true pivot when one exists, because every entry up to
// bound is present. When the truncated column cancels out, bound grows and
// the cofaces in the new band are added for every edge in workingV. This
// keeps most far cofaces, which never become pivots, out of the queue.
func (r *reducer) reduce(id int32, pivot triangle) (triangle, bool) {
	r.stats.reducedColumns++
	r.working.reset(pivot.group)
	r.workingV = append(r.workingV[:0], id)
	r.bound = r.nextBound(pivot.group)
	r.cofaces.pushBand(r.working, id, -1, r.bound)

	for {
		pivot, found := r.working.pivot(r.bound)
		if !found {
			if r.bound >= r.cofaces.maxGroup {
				return triangle{}, false
			}
			r.widenBand()
			continue
		}

		owner, owned := r.pivotOwner[pivot.index]
		if !owned {
			return pivot, true
		}

		r.stats.columnAdditions++
		for _, f := range r.ownerV[r.ownerStart[owner]:r.ownerStart[owner+1]] {
			r.cofaces.pushBand(r.working, f, -1, r.bound)
			r.workingV = append(r.workingV, f)
		}
	}
}

// widenBand raises bound and adds the cofaces in the new band.
func (r *reducer) widenBand() {
	low := r.bound
	r.bound = r.nextBound(low)
	for _, f := range r.workingV {
		r.cofaces.pushBand(r.working, f, low, r.bound)
	}
}

// nextBound returns a group above g that grows the number of edges up to it
// by a quarter, and by at least n edges, or maxGroup. Doubling instead
// allocated 2.5 times more memory on 1,000 points of a circle, because more
// far cofaces entered the queue.
func (r *reducer) nextBound(g int32) int32 {
	groups := r.cofaces.groupOfEdge
	next := min(len(groups), int(g)+1+max((int(g)+1)/4, r.cofaces.n))
	for next < len(groups) && groups[next-1] == g {
		next++
	}
	return groups[next-1]
}

// storeOwner records the column in workingV as the owner of pivot.
func (r *reducer) storeOwner(pivot triangle) {
	r.pivotOwner[pivot.index] = int32(len(r.ownerStart) - 1)
	r.ownerV = append(r.ownerV, cancelPairs(r.workingV)...)
	r.ownerStart = append(r.ownerStart, int32(len(r.ownerV)))
}

// cancelPairs sorts ids and removes the ids that occur an even number of
// times, which is the sum of the columns over Z/2.
func cancelPairs(ids []int32) []int32 {
	if len(ids) == 1 {
		return ids
	}

	slices.Sort(ids)
	kept := ids[:0]
	for i := 0; i < len(ids); {
		j := i
		for j < len(ids) && ids[j] == ids[i] {
			j++
		}
		if (j-i)%2 == 1 {
			kept = append(kept, ids[i])
		}
		i = j
	}
	return kept
}
