package flowmatch

import (
	"fmt"
	"math/rand/v2"
)

// Interpolant writes x_t = (1−t_b)·x0 + t_b·x1 into dst for a batch of len(t) samples, each
// of dimension len(x0)/len(t); t holds one time per sample. dst may alias x0 or x1. It returns
// an error when the lengths do not agree.
func Interpolant(dst, x0, x1, t []float32) error {
	dim, err := sampleDim(len(dst), len(x0), len(x1), len(t))
	if err != nil {
		return fmt.Errorf("flowmatch.Interpolant: %w", err)
	}

	for b, tb := range t {
		for k := b * dim; k < (b+1)*dim; k++ {
			dst[k] = (1-tb)*x0[k] + tb*x1[k]
		}
	}
	return nil
}

// TargetVelocity writes the conditional flow-matching target u = x1 − x0 into dst, which may
// alias x0 or x1. It returns an error when the lengths differ.
func TargetVelocity(dst, x0, x1 []float32) error {
	if len(dst) != len(x0) || len(x0) != len(x1) {
		return fmt.Errorf("flowmatch.TargetVelocity: lengths dst=%d, x0=%d, x1=%d must be equal", len(dst), len(x0), len(x1))
	}
	for k := range dst {
		dst[k] = x1[k] - x0[k]
	}
	return nil
}

// SampleSource fills dst with independent standard normal values, the Gaussian source x0.
func SampleSource(rng *rand.Rand, dst []float32) {
	for k := range dst {
		dst[k] = float32(rng.NormFloat64())
	}
}

func sampleDim(lengthDst, lengthX0, lengthX1, batch int) (int, error) {
	if lengthDst != lengthX0 || lengthX0 != lengthX1 {
		return 0, fmt.Errorf("lengths dst=%d, x0=%d, x1=%d must be equal", lengthDst, lengthX0, lengthX1)
	}
	if batch == 0 || lengthX0%batch != 0 {
		return 0, fmt.Errorf("state length %d is not a multiple of the number of times %d", lengthX0, batch)
	}
	return lengthX0 / batch, nil
}
