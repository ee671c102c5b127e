package sensors

import (
	"slices"
	"strings"
	"testing"
)

func TestLayoutLattice(t *testing.T) {
	points := Layout{Stride: 4}.Points(16)
	if len(points) != 16 {
		t.Fatalf("stride 4 on 16² placed %d sensors, want 16", len(points))
	}
	for _, k := range points {
		if i, j := k/16, k%16; i%4 != 0 || j%4 != 0 {
			t.Errorf("sensor at (%d, %d) is off the stride-4 lattice", i, j)
		}
	}
	if got := len(Layout{Stride: 3}.Points(16)); got != 36 {
		t.Errorf("stride 3 on 16² placed %d sensors, want 6² = 36", got)
	}
}

func TestLayoutRandomFraction(t *testing.T) {
	s := Layout{Fraction: 0.1, Seed: 7}
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
	if slices.Equal(points, Layout{Fraction: 0.1, Seed: 8}.Points(16)) {
		t.Error("seeds 7 and 8 placed the same sensors")
	}
	if got := len(Layout{Fraction: 1e-6}.Points(16)); got != 1 {
		t.Errorf("a tiny fraction placed %d sensors, want at least 1", got)
	}
}

func TestLayoutMaskAndDisabled(t *testing.T) {
	var none Layout
	if none.Enabled() || none.Points(8) != nil {
		t.Errorf("the zero value has sensors: %v", none.Points(8))
	}
	mask := Layout{Stride: 2}.Mask(4)
	want := []float32{1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0}
	if !slices.Equal(mask, want) {
		t.Errorf("mask of stride 2 on 4² = %v, want %v", mask, want)
	}
}

func TestLayoutValidate(t *testing.T) {
	for _, c := range []struct {
		layout Layout
		field  string
	}{
		{Layout{Stride: -1}, "Stride=-1"},
		{Layout{Stride: 17}, "Stride=17"},
		{Layout{Fraction: 1.5}, "Fraction=1.5"},
		{Layout{Fraction: -0.1}, "Fraction=-0.1"},
		{Layout{Stride: 2, Fraction: 0.5}, "set one of them"},
	} {
		err := c.layout.Validate(16)
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("Validate(%+v) = %v, want an error naming %q", c.layout, err, c.field)
		}
	}
	for _, valid := range []Layout{{}, {Stride: 16}, {Fraction: 1}} {
		if err := valid.Validate(16); err != nil {
			t.Errorf("Validate(%+v) = %v, want nil", valid, err)
		}
	}
}

func TestLayoutTagAndString(t *testing.T) {
	for _, c := range []struct {
		layout      Layout
		tag, phrase string
	}{
		{Layout{}, "", "no sensors"},
		{Layout{Stride: 4}, "stride-4", "a lattice of stride 4"},
		{Layout{Fraction: 0.05, Seed: 1}, "fraction-0.05-seed-1", "a random 0.05 of the points (seed 1)"},
	} {
		if got := c.layout.Tag(); got != c.tag {
			t.Errorf("Tag of %+v = %q, want %q", c.layout, got, c.tag)
		}
		if got := c.layout.String(); got != c.phrase {
			t.Errorf("String of %+v = %q, want %q", c.layout, got, c.phrase)
		}
	}
}
