// Package sensors places point measurements of the closure term on the LES grid.
//
// A closure model with sensors is conditioned on the filtered vorticity ω̄ and on the values of
// H at a few fixed points. The stochastic closure of Dong, Chen and Wu (arXiv:2408.02965) also
// conditions its score on sparse measurements of the closure. In a
// coupled simulation the measurements come from the reference DNS, so such a closure
// assimilates data rather than closing the LES on its own.
package sensors

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Layout places fixed points of the N x N grid where the closure term H is measured. The zero
// value has no sensors.
//
// Stride places a regular lattice: the points (i, j) with i and j multiples of Stride.
// Fraction places round(Fraction·N²) points (at least one) drawn once without replacement
// with a PCG generator seeded by Seed. Set one of the two.
type Layout struct {
	Stride   int     `json:"stride,omitempty"`
	Fraction float64 `json:"fraction,omitempty"`
	Seed     int64   `json:"seed,omitempty"`
}

// Enabled reports whether s places any sensor.
func (s Layout) Enabled() bool { return s.Stride != 0 || s.Fraction != 0 }

// Validate returns an error naming the invalid field for an n x n grid and how to fix it.
func (s Layout) Validate(n int) error {
	switch {
	case s.Stride < 0:
		return fmt.Errorf("sensors: Stride=%d must be positive, or 0 for no lattice", s.Stride)
	case s.Stride > n:
		return fmt.Errorf("sensors: Stride=%d exceeds the grid size N=%d; use a stride in [1, %d]", s.Stride, n, n)
	case !(s.Fraction >= 0 && s.Fraction <= 1):
		return fmt.Errorf("sensors: Fraction=%g must be in (0, 1], or 0 for no random points", s.Fraction)
	case s.Stride > 0 && s.Fraction > 0:
		return fmt.Errorf("sensors: Stride=%d and Fraction=%g are both set; set one of them", s.Stride, s.Fraction)
	}
	return nil
}

// Points returns the flat indices i·n + j of the sensors on an n x n grid in increasing
// order, or nil when s has none. s must be valid for n.
func (s Layout) Points(n int) []int {
	var points []int
	switch {
	case s.Stride > 0:
		for i := 0; i < n; i += s.Stride {
			for j := 0; j < n; j += s.Stride {
				points = append(points, i*n+j)
			}
		}
	case s.Fraction > 0:
		count := max(1, int(math.Round(s.Fraction*float64(n*n))))
		rng := rand.New(rand.NewPCG(uint64(s.Seed), 0x5e45))
		points = rng.Perm(n * n)[:count]
		slices.Sort(points)
	}
	return points
}

// Mask returns the n x n field that is 1 at the sensors and 0 elsewhere.
func (s Layout) Mask(n int) []float32 {
	mask := make([]float32, n*n)
	for _, k := range s.Points(n) {
		mask[k] = 1
	}
	return mask
}

// String describes the layout, for example "a lattice of stride 4".
func (s Layout) String() string {
	switch {
	case s.Stride > 0:
		return fmt.Sprintf("a lattice of stride %d", s.Stride)
	case s.Fraction > 0:
		return fmt.Sprintf("a random %.3g of the points (seed %d)", s.Fraction, s.Seed)
	}
	return "no sensors"
}

// Tag returns a short name of the layout for file and folder names, for example "stride-4"
// or "fraction-0.05-seed-1"; "" when there are no sensors.
func (s Layout) Tag() string {
	switch {
	case s.Stride > 0:
		return fmt.Sprintf("stride-%d", s.Stride)
	case s.Fraction > 0:
		return fmt.Sprintf("fraction-%g-seed-%d", s.Fraction, s.Seed)
	}
	return ""
}
