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

// TestLearnedMinWavenumberKeepsSmallScales couples a sampler whose field has modes at
// |k| = 1, 3 and √20 with MinWavenumber 3.5, and checks that the closure term holds only
// the |k| = √20 mode.
func TestLearnedMinWavenumberKeepsSmallScales(t *testing.T) {
	t.Parallel()
	const n = 16
	field, want := make([]float32, n*n), make([]float64, n*n)
	for i := range n {
		for j := range n {
			x, y := 2*math.Pi*float64(j)/n, 2*math.Pi*float64(i)/n
			small := math.Cos(4*x + 2*y)
			field[i*n+j] = float32(math.Cos(x) + 0.5*math.Sin(3*y) + small)
			want[i*n+j] = small
		}
	}
	closure := Learned{Sampler: fixedSampler{field: field}, MinWavenumber: 3.5}
	binding, err := closure.Bind(Env{LES: solver.Params{N: n, L: 2 * math.Pi}, Members: 2})
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
	worst := 0.0
	for i := range h {
		worst = math.Max(worst, math.Abs(h[i]-want[i]))
	}
	if worst > 1e-6 {
		t.Errorf("closure term differs from the |k| = √20 mode by up to %g, want at most 1e-6 (float32 round-off)", worst)
	}
}

// TestLearnedMinWavenumberRejectsInvalid checks that a negative cutoff, NaN and a cutoff above
// every mode of the grid are rejected with the value in the message.
func TestLearnedMinWavenumberRejectsInvalid(t *testing.T) {
	t.Parallel()
	env := Env{LES: solver.Params{N: 16, L: 2 * math.Pi}, Members: 1}
	for _, cutoff := range []float64{-1, 12, math.NaN()} {
		_, err := Learned{Sampler: fixedSampler{}, MinWavenumber: cutoff}.Bind(env)
		if err == nil || !strings.Contains(err.Error(), "MinWavenumber=") {
			t.Errorf("MinWavenumber=%g: error %v, want one naming MinWavenumber", cutoff, err)
		}
	}
}
