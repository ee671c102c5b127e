package apost

import (
	"math"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/solver"
)

// fixedSampler returns the same field for every condition.
type fixedSampler struct{ field []float32 }

func (s fixedSampler) Sample(omegaBar []float32, members, _ int, _ int64) ([]float32, error) {
	var out []float32
	for range members * len(omegaBar) / len(s.field) {
		out = append(out, s.field...)
	}
	return out, nil
}

// TestLearnedBandKeepsItsModes couples a sampler whose field has modes at |k| = 1, 3, √20
// and 7 and checks which of them the closure term keeps for several bands.
func TestLearnedBandKeepsItsModes(t *testing.T) {
	t.Parallel()
	const n = 16
	modes := []struct {
		k     float64
		value func(x, y float64) float64
	}{
		{1, func(x, _ float64) float64 { return math.Cos(x) }},
		{3, func(_, y float64) float64 { return 0.5 * math.Sin(3*y) }},
		{math.Sqrt(20), func(x, y float64) float64 { return math.Cos(4*x + 2*y) }},
		{7, func(x, _ float64) float64 { return 0.25 * math.Sin(7*x) }},
	}
	field := make([]float32, n*n)
	for i := range n {
		for j := range n {
			x, y := 2*math.Pi*float64(j)/n, 2*math.Pi*float64(i)/n
			for _, mode := range modes {
				field[i*n+j] += float32(mode.value(x, y))
			}
		}
	}
	for _, band := range []struct{ low, high float64 }{{3.5, 0}, {3.5, 6.5}, {0, 3.5}, {2, 5}} {
		want := make([]float64, n*n)
		for i := range n {
			for j := range n {
				x, y := 2*math.Pi*float64(j)/n, 2*math.Pi*float64(i)/n
				for _, mode := range modes {
					if mode.k >= band.low && (band.high == 0 || mode.k < band.high) {
						want[i*n+j] += mode.value(x, y)
					}
				}
			}
		}
		closure := Learned{Sampler: fixedSampler{field: field}, MinWavenumber: band.low, MaxWavenumber: band.high}
		if got := closureTerm(t, closure, n); maxDifference(got, want) > 1e-6 {
			t.Errorf("band [%g, %g): closure term differs from the modes in the band by up to %g, want at most 1e-6 (float32 round-off)",
				band.low, band.high, maxDifference(got, want))
		}
	}
}

// closureTerm returns the closure term of member 1 of a two-member ensemble of closure c on
// an n x n grid, right after a draw.
func closureTerm(t *testing.T, c Learned, n int) []float64 {
	t.Helper()
	binding, err := c.Bind(Env{LES: solver.Params{N: n, L: 2 * math.Pi}, Members: 2})
	if err != nil {
		t.Fatal(err)
	}
	states := [][]float64{make([]float64, n*n), make([]float64, n*n)}
	if err := binding.Prepare(StepInfo{States: states}); err != nil {
		t.Fatal(err)
	}
	h := make([]float64, n*n)
	if err := binding.Term(1, 0, 0, states[1], h); err != nil {
		t.Fatal(err)
	}
	return h
}

func maxDifference(a, b []float64) float64 {
	worst := 0.0
	for i := range a {
		worst = math.Max(worst, math.Abs(a[i]-b[i]))
	}
	return worst
}

// TestLearnedBandRejectsInvalid checks that a negative cutoff, NaN, a cutoff above every mode
// of the grid and an upper bound not above the lower one are rejected with the value.
func TestLearnedBandRejectsInvalid(t *testing.T) {
	t.Parallel()
	env := Env{LES: solver.Params{N: 16, L: 2 * math.Pi}, Members: 1}
	for _, cutoff := range []float64{-1, 12, math.NaN()} {
		_, err := Learned{Sampler: fixedSampler{}, MinWavenumber: cutoff}.Bind(env)
		if err == nil || !strings.Contains(err.Error(), "MinWavenumber=") {
			t.Errorf("MinWavenumber=%g: error %v, want one naming MinWavenumber", cutoff, err)
		}
	}
	for _, high := range []float64{3.5, 2, -1, math.NaN()} {
		_, err := Learned{Sampler: fixedSampler{}, MinWavenumber: 3.5, MaxWavenumber: high}.Bind(env)
		if err == nil || !strings.Contains(err.Error(), "MaxWavenumber=") {
			t.Errorf("MaxWavenumber=%g with MinWavenumber=3.5: error %v, want one naming MaxWavenumber", high, err)
		}
	}
}
