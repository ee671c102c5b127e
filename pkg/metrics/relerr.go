package metrics

import (
	"fmt"
	"math"
)

// RelativeL2 returns the relative L2 error ‖a−b‖₂/‖b‖₂, where b is the
// reference (for example the filtered DNS field) and a the prediction. It
// returns an error if the lengths differ, the inputs are empty, or ‖b‖₂ = 0.
func RelativeL2(a, b []float64) (float64, error) {
	if len(a) != len(b) {
		return 0, fmt.Errorf("metrics: RelativeL2 length mismatch: prediction has %d values, reference has %d; pass fields of the same grid", len(a), len(b))
	}
	if len(b) == 0 {
		return 0, fmt.Errorf("metrics: RelativeL2 got empty inputs; pass at least one value")
	}

	var diff2, ref2 float64
	for i := range b {
		d := a[i] - b[i]
		diff2 += d * d
		ref2 += b[i] * b[i]
	}

	if ref2 == 0 {
		return 0, fmt.Errorf("metrics: RelativeL2 reference has zero norm, so the relative error is undefined; use an absolute error instead")
	}
	return math.Sqrt(diff2 / ref2), nil
}
