package topology

// bucketQueue holds a coboundary column over Z/2 under reduction as a
// monotone priority queue of triangles with one bucket per diameter group.
// A triangle may be present several times, and it belongs to the column when
// its count is odd.
//
// The pivot of a column only moves forward during reduction, because every
// column added to it starts at its current pivot. So buckets before the
// current one stay empty, a push is an append, and only the current bucket is
// ordered, as a max-heap on the index (the filtration order within a group).
type bucketQueue struct {
	buckets [][]int64
	touched []int32
	current int32
	ordered bool
}

func newBucketQueue(groups int) *bucketQueue {
	return &bucketQueue{buckets: make([][]int64, groups)}
}

// reset empties the queue and moves the current bucket to start.
func (q *bucketQueue) reset(start int32) {
	for _, g := range q.touched {
		q.buckets[g] = q.buckets[g][:0]
	}
	q.touched = q.touched[:0]
	q.current = start
	q.ordered = false
}

// push adds the triangle of the given group and index. The group must not be
// before the current bucket.
func (q *bucketQueue) push(group int32, index int64) {
	bucket := q.buckets[group]
	if len(bucket) == 0 {
		q.touched = append(q.touched, group)
	}
	if group == q.current && q.ordered {
		q.buckets[group] = heapPush(bucket, index)
		return
	}
	q.buckets[group] = append(bucket, index)
}

// pivot returns the earliest triangle with odd count in groups up to limit,
// discarding the pairs that cancel before it, and leaves it in the queue. It
// reports false when no such triangle exists.
func (q *bucketQueue) pivot(limit int32) (triangle, bool) {
	for q.current <= limit {
		bucket := q.buckets[q.current]
		if !q.ordered {
			heapify(bucket)
			q.ordered = true
		}

		for len(bucket) > 0 {
			top := bucket[0]
			bucket = heapPop(bucket)
			if len(bucket) > 0 && bucket[0] == top {
				bucket = heapPop(bucket)
				continue
			}
			q.buckets[q.current] = heapPush(bucket, top)
			return triangle{group: q.current, index: top}, true
		}

		q.buckets[q.current] = bucket
		q.current++
		q.ordered = false
	}
	return triangle{}, false
}

// heapify orders s as a binary max-heap.
func heapify(s []int64) {
	for i := len(s)/2 - 1; i >= 0; i-- {
		siftDown(s, i)
	}
}

func heapPush(s []int64, x int64) []int64 {
	s = append(s, x)
	i := len(s) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if s[parent] >= s[i] {
			break
		}
		s[i], s[parent] = s[parent], s[i]
		i = parent
	}
	return s
}

func heapPop(s []int64) []int64 {
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	siftDown(s, 0)
	return s
}

func siftDown(s []int64, i int) {
	for {
		largest := i
		left, right := 2*i+1, 2*i+2
		if left < len(s) && s[left] > s[largest] {
			largest = left
		}
		if right < len(s) && s[right] > s[largest] {
			largest = right
		}
		if largest == i {
			return
		}
		s[i], s[largest] = s[largest], s[i]
		i = largest
	}
}
