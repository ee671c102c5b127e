package fno

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

func TestSensorsLattice(t *testing.T) {
	points := Sensors{Stride: 4}.Points(16)
	if len(points) != 16 {
		t.Fatalf("stride 4 on 16² placed %d sensors, want 16", len(points))
	}
	for _, k := range points {
		if i, j := k/16, k%16; i%4 != 0 || j%4 != 0 {
			t.Errorf("sensor at (%d, %d) is off the stride-4 lattice", i, j)
		}
	}
	if got := len(Sensors{Stride: 3}.Points(16)); got != 36 {
		t.Errorf("stride 3 on 16² placed %d sensors, want 6² = 36", got)
	}
}

func TestSensorsRandomFraction(t *testing.T) {
	s := Sensors{Fraction: 0.1, Seed: 7}
	points := s.Points(16)
	if len(points) != 26 {
		t.Fatalf("fraction 0.1 of 256 points placed %d sensors, want round(25.6) = 26", len(points))
	}
	if !slices.IsSorted(points) || len(slices.Compact(slices.Clone(points))) != len(points) {
		t.Errorf("points %v are not distinct and sorted", points)
	}
	if !slices.Equal(points, s.Points(16)) {
		t.Error("the same seed placed different sensors")
	}
	if slices.Equal(points, Sensors{Fraction: 0.1, Seed: 8}.Points(16)) {
		t.Error("seeds 7 and 8 placed the same sensors")
	}
	if got := len(Sensors{Fraction: 1e-6}.Points(16)); got != 1 {
		t.Errorf("a tiny fraction placed %d sensors, want at least 1", got)
	}
}

func TestSensorsMaskAndDisabled(t *testing.T) {
	var none Sensors
	if none.Enabled() || none.Points(8) != nil {
		t.Errorf("the zero value has sensors: %v", none.Points(8))
	}
	mask := Sensors{Stride: 2}.Mask(4)
	want := []float32{1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0}
	if !slices.Equal(mask, want) {
		t.Errorf("mask of stride 2 on 4² = %v, want %v", mask, want)
	}
}

func TestSensorsValidate(t *testing.T) {
	for _, c := range []struct {
		sensors Sensors
		field   string
	}{
		{Sensors{Stride: -1}, "Stride=-1"},
		{Sensors{Stride: 17}, "Stride=17"},
		{Sensors{Fraction: 1.5}, "Fraction=1.5"},
		{Sensors{Fraction: -0.1}, "Fraction=-0.1"},
		{Sensors{Stride: 2, Fraction: 0.5}, "set one of them"},
	} {
		err := c.sensors.Validate(16)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("Validate(%+v) = %v, want an error naming %q", c.sensors, err, c.field)
		}
	}
	for _, valid := range []Sensors{{}, {Stride: 16}, {Fraction: 1}} {
		if err := valid.Validate(16); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", valid, err)
		}
	}
}

// TestSensorChannelsKeepOnlySensorValues checks both channels against the host-computed
// mask ⊙ h and mask.
func TestSensorChannelsKeepOnlySensorValues(t *testing.T) {
	const batch, n = 3, 8
	mask := Sensors{Fraction: 0.2, Seed: 1}.Mask(n)
	rng := rand.New(rand.NewPCG(1, 2))
	h := make([]float32, batch*n*n)
	for k := range h {
		h[k] = float32(rng.NormFloat64())
	}

	got := tensors.MustCopyFlatData[float32](MustExecOnce(testBackend(), func(h *Node) *Node {
		return SensorChannels(h, mask)
	}, tensors.FromFlatDataAndDimensions(h, batch, n, n)))
	if len(got) != 2*len(h) {
		t.Fatalf("got %d values, want [%d, %d, %d, 2] = %d", len(got), batch, n, n, 2*len(h))
	}
	for k := range h {
		if want := mask[k%(n*n)] * h[k]; got[2*k] != want {
			t.Fatalf("measured channel at %d = %g, want %g", k, got[2*k], want)
		}
		if got[2*k+1] != mask[k%(n*n)] {
			t.Fatalf("mask channel at %d = %g, want %g", k, got[2*k+1], mask[k%(n*n)])
		}
	}
}

func TestRepeatFields(t *testing.T) {
	got := RepeatFields([]float32{1, 2, 3, 4}, 2, 3)
	want := []float32{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}
	if !slices.Equal(got, want) {
		t.Errorf("RepeatFields = %v, want %v", got, want)
	}
}
