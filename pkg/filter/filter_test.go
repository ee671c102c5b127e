package filter

import (
	"math"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/solver"
)

// filterTol bounds round-off in filtered fields of unit amplitude.
const filterTol = 1e-12

func newCoarsener(t *testing.T, cfg Config) *Coarsener {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func gridField(n int, l float64, f func(x, y float64) float64) []float64 {
	out := make([]float64, n*n)
	dx := l / float64(n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			out[i*n+j] = f(float64(j)*dx, float64(i)*dx)
		}
	}
	return out
}

func maxAbsDiff(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func TestNewRejectsRatio(t *testing.T) {
	t.Parallel()
	_, err := New(Config{N: 64, L: 2 * math.Pi, Ratio: 3})
	if err == nil || !strings.Contains(err.Error(), "N=64") || !strings.Contains(err.Error(), "r=3") {
		t.Errorf("New(N=64, r=3): got %v, want an error naming N=64 and r=3", err)
	}
	if _, err := New(Config{N: 16, L: 1, Ratio: 8}); err == nil {
		t.Error("New(N=16, r=8): no error for a 2x2 LES grid")
	}
}

// TestFilterKinds filters ω = cos(x) + sin(2y) + cos(10x) from 64² to 16²:
// the LES grid keeps |k| <= 7, so mode 10 is removed and modes 1 and 2 are
// scaled by the transfer function.
func TestFilterKinds(t *testing.T) {
	t.Parallel()
	const n, ratio = 64, 4
	l := 2 * math.Pi
	omega := gridField(n, l, func(x, y float64) float64 { return math.Cos(x) + math.Sin(2*y) + math.Cos(10*x) })
	delta := l * ratio / n

	gains := map[Kind][2]float64{
		Sharp:    {1, 1},
		Box:      {math.Sin(delta/2) / (delta / 2), math.Sin(delta) / delta},
		Gaussian: {math.Exp(-delta * delta / 24), math.Exp(-4 * delta * delta / 24)},
	}
	for kind, g := range gains {
		c := newCoarsener(t, Config{N: n, L: l, Ratio: ratio, Kind: kind})
		got := make([]float64, (n/ratio)*(n/ratio))
		c.Filter(got, omega)

		want := gridField(n/ratio, l, func(x, y float64) float64 { return g[0]*math.Cos(x) + g[1]*math.Sin(2*y) })
		if d := maxAbsDiff(got, want); d > filterTol {
			t.Errorf("%v: filtered field differs from the expected one by %g", kind, d)
		}
	}
}

// TestClosureVanishesForSteadyEuler uses the Taylor–Green field
// ω = 2 sin x sin y, for which u·∇ω = 0 on both grids, so H = 0.
func TestClosureVanishesForSteadyEuler(t *testing.T) {
	t.Parallel()
	const n, ratio = 32, 4
	l := 2 * math.Pi
	c := newCoarsener(t, Config{N: n, L: l, Ratio: ratio})
	omega := gridField(n, l, func(x, y float64) float64 { return 2 * math.Sin(x) * math.Sin(y) })

	m := (n / ratio) * (n / ratio)
	bar, h := make([]float64, m), make([]float64, m)
	c.Closure(bar, h, omega)

	zero := make([]float64, m)
	if d := maxAbsDiff(h, zero); d > filterTol {
		t.Errorf("max |H| = %g, want 0", d)
	}
	want := gridField(n/ratio, l, func(x, y float64) float64 { return 2 * math.Sin(x) * math.Sin(y) })
	if d := maxAbsDiff(bar, want); d > filterTol {
		t.Errorf("ω̄ differs from ω by %g", d)
	}
}

func TestLESParamsFiltersForcing(t *testing.T) {
	t.Parallel()
	p := solver.KolmogorovChaotic(64)
	c := newCoarsener(t, Config{N: 64, L: p.L, Ratio: 4, Kind: Box})
	les, err := c.LESParams(p)
	if err != nil {
		t.Fatal(err)
	}

	delta := p.L * 4 / 64
	want := math.Sin(4*delta/2) / (4 * delta / 2)
	if les.N != 16 {
		t.Errorf("LES N = %d, want 16", les.N)
	}
	if math.Abs(les.Forcing.Amplitude-want) > filterTol {
		t.Errorf("LES forcing amplitude %g, want G(0, 4) = %g", les.Forcing.Amplitude, want)
	}

	p.N = 128
	if _, err := c.LESParams(p); err == nil {
		t.Error("LESParams accepted a DNS grid of 128 for a coarsener built for 64")
	}
}
