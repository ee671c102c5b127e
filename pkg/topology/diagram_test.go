package topology

import (
	"math"
	"slices"
	"testing"
)

func TestDiagramHelpers(t *testing.T) {
	t.Parallel()
	inf := math.Inf(1)
	d := Diagram{Dim: 1, Pairs: []Pair{{0, 1}, {0.5, 3}, {2, inf}, {1, 1.25}, {0, 2.5}}}

	if got, want := d.MostPersistent(3), []Pair{{2, inf}, {0, 2.5}, {0.5, 3}}; !slices.Equal(got, want) {
		t.Errorf("MostPersistent(3) = %v, expected %v", got, want)
	}
	if got := d.MostPersistent(10); len(got) != len(d.Pairs) {
		t.Errorf("MostPersistent(10) has %d pairs, expected %d", len(got), len(d.Pairs))
	}
	if got := d.MostPersistent(0); len(got) != 0 {
		t.Errorf("MostPersistent(0) = %v, expected none", got)
	}

	// 1 + 2.5 + 0.25 + 2.5, essential pair left out.
	if got := d.TotalPersistence(); got != 6.25 {
		t.Errorf("TotalPersistence = %v, expected 6.25", got)
	}

	// Alive at r: birth <= r < death.
	for _, tc := range []struct {
		r    float64
		want int
	}{{0, 2}, {1, 3}, {1.25, 2}, {2, 3}, {2.75, 2}, {3, 1}, {100, 1}} {
		if got := d.Betti(tc.r); got != tc.want {
			t.Errorf("Betti(%v) = %d, expected %d", tc.r, got, tc.want)
		}
	}

	h0 := Diagram{Dim: 0, Pairs: []Pair{{0, inf}, {0, 1}}}
	if got := BettiNumbers([]Diagram{h0, d}, 0.5); !slices.Equal(got, []int{2, 3}) {
		t.Errorf("BettiNumbers at 0.5 = %v, expected [2 3]", got)
	}
}
