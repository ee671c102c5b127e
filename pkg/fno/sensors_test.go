package fno

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/closure-lab/closure/pkg/sensors"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// TestSensorChannelsKeepOnlySensorValues checks both channels against the host-computed
// mask ⊙ h and mask.
func TestSensorChannelsKeepOnlySensorValues(t *testing.T) {
	const batch, n = 3, 8
	mask := sensors.Layout{Fraction: 0.2, Seed: 1}.Mask(n)
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
