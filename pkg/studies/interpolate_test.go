package studies

import (
	"math"
	"testing"
)

// TestInterpolateBandLimitedField checks that a trigonometric polynomial
// sampled on 16² and interpolated to 64² equals its samples on 64².
func TestInterpolateBandLimitedField(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	f := func(x, y float64) float64 { return math.Sin(3*x)*math.Cos(2*y) + 0.5*math.Cos(7*y-x) }
	coarse := sampleField(16, 2*math.Pi, f)
	want := sampleField(64, 2*math.Pi, f)

	got, err := Interpolate(coarse, 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxAbsDifference(got, want); d > tol {
		t.Errorf("interpolated field differs from the exact samples by %.3g", d)
	}
}

func TestInterpolateRejectsSizes(t *testing.T) {
	t.Parallel()
	if _, err := Interpolate(make([]float64, 64), 8, 4); err == nil {
		t.Error("interpolation from 8² to 4² was accepted; want an error")
	}
	if _, err := Interpolate(make([]float64, 10), 8, 16); err == nil {
		t.Error("a field of length 10 as 8² was accepted; want an error")
	}
}
