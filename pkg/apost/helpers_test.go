package apost

import (
	"context"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/solver"
	"github.com/closure-lab/closure/pkg/spectral"
)

// Test grids: a 64² DNS of the chaotic Kolmogorov flow (ν = 1/40) and a 16²
// LES, dt = 0.01, with a short spin-up so that the flow is no longer a
// random field.
const (
	testDNSGrid = 64
	testRatio   = 4
	testSpinUp  = 2.0
)

var (
	spinUpOnce  sync.Once
	spinUpField []float64
	spinUpErr   error
)

// testParams returns the DNS parameters of the tests.
func testParams() solver.Params {
	p := solver.KolmogorovChaotic(testDNSGrid)
	p.Workers = 1
	return p
}

// testInitial returns the spun-up DNS state, computed once per test binary.
func testInitial(t testing.TB) []float64 {
	t.Helper()
	spinUpOnce.Do(func() {
		s, err := solver.New(testParams())
		if err != nil {
			spinUpErr = err
			return
		}
		if err := s.SetRandomVorticity(spectral.RandomField{Peak: 4, RMSVorticity: 2, Seed: 7}); err != nil {
			spinUpErr = err
			return
		}
		if err := s.Advance(testSpinUp, 0, nil); err != nil {
			spinUpErr = err
			return
		}
		spinUpField = s.Vorticity(nil)
	})
	if spinUpErr != nil {
		t.Fatal(spinUpErr)
	}
	return spinUpField
}

// testConfig returns a run of `duration` time units with outputs every 0.1.
func testConfig(t testing.TB, duration float64, members int, closures ...Closure) Config {
	t.Helper()
	p := testParams()
	return Config{
		DNS:         p,
		Filter:      filter.Config{N: p.N, L: p.L, Ratio: testRatio},
		Initial:     testInitial(t),
		StartTime:   testSpinUp,
		Duration:    duration,
		OutputEvery: 0.1,
		Members:     members,
		Closures:    closures,
		Seed:        11,
		Workers:     2,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func mustRun(t *testing.T, cfg Config) *Result {
	t.Helper()
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func maxFloat(values []Float) float64 {
	m := math.Inf(-1)
	for _, v := range values {
		m = math.Max(m, float64(v))
	}
	return m
}

// noiseSampler is a stochastic stand-in for a generative model: sample b of
// a call is scale·ω̄_b plus white noise of amplitude `noise` drawn from the
// call's seed and b, so equal calls give equal samples.
type noiseSampler struct {
	n            int
	scale, noise float64

	mu    sync.Mutex
	calls int
}

func (s *noiseSampler) Sample(omegaBar []float32, members, _ int, seed int64) ([]float32, error) {
	s.mu.Lock()
	s.calls++
	s.mu.Unlock()

	size := s.n * s.n
	batch := len(omegaBar) / size
	out := make([]float32, batch*members*size)
	for b := range batch {
		rng := rand.New(rand.NewPCG(uint64(seed), uint64(b)))
		for m := range members {
			dst := out[(b*members+m)*size : (b*members+m+1)*size]
			for i := range dst {
				dst[i] = float32(s.scale*float64(omegaBar[b*size+i]) + s.noise*rng.NormFloat64())
			}
		}
	}
	return out, nil
}

// oracleSampler returns the true H of its own DNS, advanced one step per
// call, for every condition: a learned closure that has learned H exactly.
type oracleSampler struct {
	dns       *solver.Solver
	coarsener *filter.Coarsener
	bar, h    []float64
}

func newOracleSampler(t *testing.T, cfg Config) *oracleSampler {
	t.Helper()
	dns, err := solver.New(cfg.DNS)
	if err != nil {
		t.Fatal(err)
	}
	if err := dns.SetVorticity(cfg.Initial); err != nil {
		t.Fatal(err)
	}
	c, err := filter.New(cfg.Filter)
	if err != nil {
		t.Fatal(err)
	}
	size := c.LESGrid().Size()
	return &oracleSampler{dns: dns, coarsener: c, bar: make([]float64, size), h: make([]float64, size)}
}

func (s *oracleSampler) Sample(omegaBar []float32, members, _ int, _ int64) ([]float32, error) {
	s.coarsener.Closure(s.bar, s.h, s.dns.Vorticity(nil))
	if err := s.dns.Step(); err != nil {
		return nil, err
	}

	size := len(s.h)
	out := make([]float32, len(omegaBar)*members)
	for k := 0; k < len(out)/size; k++ {
		toFloat32(out[k*size:(k+1)*size], s.h)
	}
	return out, nil
}

// blowUpSampler returns H = 0 except for member `victim`, which gets the
// huge term 1e30·sin(2πx/L) from draw `from` on. (A uniform H would only
// shift the mean vorticity, which carries no velocity.)
type blowUpSampler struct {
	n, victim, from int
	draws           int
}

func (s *blowUpSampler) Sample(omegaBar []float32, members, _ int, _ int64) ([]float32, error) {
	size := s.n * s.n
	out := make([]float32, len(omegaBar)*members)
	if s.draws >= s.from {
		for i := range size {
			out[s.victim*size+i] = float32(1e30 * math.Sin(2*math.Pi*float64(i%s.n)/float64(s.n)))
		}
	}
	s.draws++
	return out, nil
}
