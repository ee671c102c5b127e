package train

import (
	"fmt"
	"math/rand/v2"

	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// Array is one input of a data set: Data holds Len examples of shape ExampleDims each,
// concatenated in row-major order, so len(Data) = Len · Π ExampleDims.
type Array struct {
	Data        []float32
	ExampleDims []int
}

// exampleSize returns the number of values of one example.
func (a Array) exampleSize() int {
	size := 1
	for _, dim := range a.ExampleDims {
		size *= dim
	}
	return size
}

// Dataset is a list of arrays with the same number of examples; example k of the data set is
// example k of every array. The loss function receives one graph input per array, in order,
// each with a leading batch axis.
type Dataset struct {
	Arrays []Array
}

// Len returns the number of examples, or an error when the arrays disagree or are malformed.
func (d *Dataset) Len() (int, error) {
	if d == nil || len(d.Arrays) == 0 {
		return 0, fmt.Errorf("train: data set has no arrays; give at least one")
	}

	length := -1
	for k, array := range d.Arrays {
		size := array.exampleSize()
		if size <= 0 || len(array.Data)%size != 0 {
			return 0, fmt.Errorf("train: array %d has %d values, not a multiple of the example size %d (dims %v)", k, len(array.Data), size, array.ExampleDims)
		}
		n := len(array.Data) / size
		if length >= 0 && n != length {
			return 0, fmt.Errorf("train: array %d has %d examples but array 0 has %d; all arrays need the same count", k, n, length)
		}
		length = n
	}
	if length == 0 {
		return 0, fmt.Errorf("train: data set is empty")
	}
	return length, nil
}

// batch gathers the examples at indices into one tensor per array.
func (d *Dataset) batch(indices []int) []*tensors.Tensor {
	batch := make([]*tensors.Tensor, len(d.Arrays))
	for k, array := range d.Arrays {
		size := array.exampleSize()
		values := make([]float32, len(indices)*size)
		for b, index := range indices {
			copy(values[b*size:(b+1)*size], array.Data[index*size:(index+1)*size])
		}
		dims := append([]int{len(indices)}, array.ExampleDims...)
		batch[k] = tensors.FromFlatDataAndDimensions(values, dims...)
	}
	return batch
}

// shuffler yields batches of example indices: each epoch is a fresh permutation from a seeded
// PCG generator, and the last incomplete batch of an epoch is dropped so every batch has the
// same shape (GoMLX compiles one graph per shape).
type shuffler struct {
	rng       *rand.Rand
	length    int
	batchSize int
	order     []int
	position  int
}

func newShuffler(seed uint64, length, batchSize int) *shuffler {
	return &shuffler{rng: rand.New(rand.NewPCG(seed, 0x5eed)), length: length, batchSize: batchSize}
}

func (s *shuffler) next() []int {
	if s.order == nil || s.position+s.batchSize > s.length {
		s.order = s.rng.Perm(s.length)
		s.position = 0
	}
	indices := s.order[s.position : s.position+s.batchSize]
	s.position += s.batchSize
	return indices
}
