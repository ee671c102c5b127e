package studies

import (
	"context"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/closure-lab/closure/pkg/apost"
)

// shortAPosteriori is a 0.5 time-unit run of two members from t = 1, with
// draws of the learned closure every 5 of its 50 steps.
var shortAPosteriori = APosterioriConfig{Start: 1, Duration: 0.5, OutputEvery: 0.1, ResampleEvery: 5, Members: 2}

// oracleTolerance bounds the relative error of the oracle LES, which
// reproduces the filtered DNS up to round-off.
const oracleTolerance = 1e-8

// recordingSampler returns amplitude times standard normal noise seeded by
// the seed of each call, and records the batch size of every call.
type recordingSampler struct {
	amplitude float64
	n         int

	mu      sync.Mutex
	batches []int
}

func (s *recordingSampler) Sample(omegaBar []float32, members, steps int, seed int64) ([]float32, error) {
	s.mu.Lock()
	s.batches = append(s.batches, len(omegaBar)/(s.n*s.n))
	s.mu.Unlock()

	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	out := make([]float32, len(omegaBar)*members)
	for i := range out {
		out[i] = float32(s.amplitude * rng.NormFloat64())
	}
	return out, nil
}

func TestAPosterioriZeroSamplerMatchesNone(t *testing.T) {
	t.Parallel()
	p := tinyPreset(t)
	sampler := &recordingSampler{amplitude: 0, n: p.LESGridSize()}
	res, err := APosteriori(context.Background(), p, sampler, shortAPosteriori)
	if err != nil {
		t.Fatal(err)
	}

	if got := len(res.Closures); got != 4 {
		t.Fatalf("got %d closures, want 4 (none, smagorinsky, oracle, learned)", got)
	}
	none, learned, oracle := res.Closure("none"), res.Closure(LearnedClosureName), res.Closure("oracle")
	if none == nil || learned == nil || oracle == nil {
		t.Fatalf("closures %v lack none, oracle or %q", closureNames(res), LearnedClosureName)
	}
	for i, tm := range res.Times {
		if learned.MeanError[i] != none.MeanError[i] {
			t.Errorf("t=%g: a zero learned closure has error %g, the LES without closure %g", tm, learned.MeanError[i], none.MeanError[i])
		}
		if e := float64(oracle.MeanError[i]); e > oracleTolerance {
			t.Errorf("t=%g: oracle error %g exceeds %g", tm, e, oracleTolerance)
		}
	}
	if final := float64(none.MeanError[len(res.Times)-1]); final <= oracleTolerance {
		t.Errorf("final error of the LES without closure is %g, want above the oracle's round-off %g", final, oracleTolerance)
	}

	steps := int(math.Round(shortAPosteriori.Duration / p.Flow.TimeStep))
	if want := steps / shortAPosteriori.ResampleEvery; len(sampler.batches) != want {
		t.Errorf("sampler called %d times, want %d (every %d of %d steps)", len(sampler.batches), want, shortAPosteriori.ResampleEvery, steps)
	}
	for i, b := range sampler.batches {
		if b != shortAPosteriori.Members {
			t.Errorf("draw %d had a batch of %d conditions, want the %d members", i, b, shortAPosteriori.Members)
		}
	}
}

func TestAPosterioriWithoutSampler(t *testing.T) {
	t.Parallel()
	p := tinyPreset(t)
	cfg := shortAPosteriori
	cfg.Duration = 0.1
	res, err := APosteriori(context.Background(), p, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(closureNames(res), ","); got != "none,smagorinsky,oracle" {
		t.Errorf("closures %q, want none,smagorinsky,oracle", got)
	}

	cfg.Extra = []apost.Closure{apost.Learned{Label: "extra", Sampler: &recordingSampler{n: p.LESGridSize()}}}
	res, err = APosteriori(context.Background(), p, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(closureNames(res), ","); got != "none,smagorinsky,oracle,extra" {
		t.Errorf("closures %q with an extra closure, want none,smagorinsky,oracle,extra", got)
	}
}

// TestAPosterioriScaleSelectiveCopy checks that ScaleSelective adds a copy of the learned
// closure, named after it and the cutoff, next to the closure itself.
func TestAPosterioriScaleSelectiveCopy(t *testing.T) {
	t.Parallel()
	p := tinyPreset(t)
	cfg := shortAPosteriori
	cfg.Duration = 0.1
	cfg.ScaleSelective = 3.5
	res, err := APosteriori(context.Background(), p, &recordingSampler{n: p.LESGridSize()}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := "none,smagorinsky,oracle,latent FM,latent FM, |k| ≥ 3.5"
	if got := strings.Join(closureNames(res), ","); got != want {
		t.Errorf("closures %q, want %q", got, want)
	}
}

func TestScaleSelectiveNeedsLearnedClosure(t *testing.T) {
	t.Parallel()
	if _, err := ScaleSelective(apost.Smagorinsky{}, 3.5); err == nil || !strings.Contains(err.Error(), "smagorinsky") {
		t.Errorf("ScaleSelective of Smagorinsky returned %v, want an error naming the closure", err)
	}
	c, err := ScaleSelective(apost.Learned{Label: "physical FM", Every: 10}, 3.5)
	if err != nil {
		t.Fatal(err)
	}
	learned := c.(apost.Learned)
	if learned.MinWavenumber != 3.5 || learned.Every != 10 || learned.Name() != "physical FM, |k| ≥ 3.5" {
		t.Errorf("scale-selective copy %+v, want MinWavenumber 3.5, Every 10 and the name \"physical FM, |k| ≥ 3.5\"", learned)
	}
	c, err = BandLimited(apost.Learned{Label: "latent FM"}, 3.5, 6.5)
	if err != nil {
		t.Fatal(err)
	}
	learned = c.(apost.Learned)
	if learned.MinWavenumber != 3.5 || learned.MaxWavenumber != 6.5 || learned.Name() != "latent FM, 3.5 ≤ |k| < 6.5" {
		t.Errorf("band-limited copy %+v, want the band [3.5, 6.5) and the name \"latent FM, 3.5 ≤ |k| < 6.5\"", learned)
	}
}

func TestAPosterioriSaveLoadRoundTrip(t *testing.T) {
	t.Parallel()
	res := syntheticResult()
	path := filepath.Join(t.TempDir(), "sub", "apost.gob")
	if err := SaveAPosteriori(path, res); err != nil {
		t.Fatal(err)
	}
	got, err := LoadAPosteriori(path)
	if err != nil {
		t.Fatal(err)
	}

	if len(got.Closures) != len(res.Closures) {
		t.Fatalf("loaded %d closures, saved %d", len(got.Closures), len(res.Closures))
	}
	if !math.IsNaN(float64(got.Closures[1].SpreadSkill[0])) {
		t.Errorf("NaN spread-skill loaded as %g", got.Closures[1].SpreadSkill[0])
	}
	if got.Closures[0].Final[1][2] != res.Closures[0].Final[1][2] {
		t.Errorf("final field value %g, saved %g", got.Closures[0].Final[1][2], res.Closures[0].Final[1][2])
	}
	if got.Reference.Final[3] != res.Reference.Final[3] {
		t.Errorf("reference field value %g, saved %g", got.Reference.Final[3], res.Reference.Final[3])
	}
}

func TestLoadAPosterioriMissingFile(t *testing.T) {
	t.Parallel()
	_, err := LoadAPosteriori(filepath.Join(t.TempDir(), "missing.gob"))
	if err == nil || !strings.Contains(err.Error(), "run the cell") {
		t.Errorf("error %v, want one that asks to run the cell first", err)
	}
}

func TestAPosterioriTableRows(t *testing.T) {
	t.Parallel()
	table := APosterioriTable(syntheticResult(), []float64{0.9, 2})

	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 4 {
		t.Fatalf("table has %d lines, want header, rule and 2 rows:\n%s", len(lines), table)
	}
	if !strings.Contains(lines[0], "error at t = 1 |") || !strings.Contains(lines[0], "error at t = 2 |") {
		t.Errorf("header %q lacks the nearest output times 1 and 2", lines[0])
	}
	// Spread 0.3 over the RMS sqrt(2·0.5) = 1 of the reference at the end.
	if !strings.Contains(lines[0], "(DNS 0.6)") {
		t.Errorf("header %q lacks the DNS transfer 0.6, the mean of 0.5 and 0.7", lines[0])
	}
	// The transfer of a averages -0.2 and -0.4; b has none.
	if want := "| a | 0.1 | 0.2 | 0.3 | 1.5 | 0 of 2 | -0.3 |"; lines[2] != want {
		t.Errorf("row %q, want %q", lines[2], want)
	}
	if want := "| b | 0.4 | – | 0 | – | 1 of 2 | – |"; lines[3] != want {
		t.Errorf("row %q, want %q", lines[3], want)
	}

	res := syntheticResult()
	res.Closures[0].Name = "a, |k| ≥ 3.5"
	row := strings.Split(APosterioriTable(res, []float64{2}), "\n")[2]
	if want := `| a, \|k\| ≥ 3.5 | 0.2 |`; !strings.HasPrefix(row, want) {
		t.Errorf("row %q does not start with %q: the pipes of the name must be escaped", row, want)
	}
}

func TestEnsembleSpreadFigureNeedsSpread(t *testing.T) {
	t.Parallel()
	res := syntheticResult()
	if _, err := EnsembleSpreadFigure(res); err != nil {
		t.Errorf("closure a has a positive spread, got error %v", err)
	}

	res.Closures = res.Closures[1:]
	if _, err := EnsembleSpreadFigure(res); err == nil {
		t.Error("no closure has a spread, want an error")
	}
}

func TestPredecessorOptionsForPresets(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]int{"tiny": 64, "small": 128, "paper": 0} {
		p := tinyPreset(t)
		p.Name = name
		if got := PredecessorOptionsFor(p).DNSGrid; got != want {
			t.Errorf("preset %s: DNS grid %d, want %d", name, got, want)
		}
	}
}

func TestPredecessorMarkdownTable(t *testing.T) {
	t.Parallel()
	nan := apost.Float(math.NaN())
	c := &apost.PredecessorComparison{
		DNSGrid: 64, LESGrid: 16, Dt: 1e-3, Start: 30, End: 40, Members: 1,
		Times:                   []float64{35, 40},
		PublishedWithClosure:    []apost.Float{0.011, 0.039},
		PublishedWithoutClosure: []apost.Float{0.24, nan},
		Measured:                []apost.PredecessorRow{{Closure: "none", Errors: []apost.Float{1e-9, 2e-9}}},
		Differences:             []string{"grid: smaller"},
	}
	md := PredecessorMarkdown(c)

	for _, want := range []string{
		"| run | t = 35 | t = 40 |",
		"| published, their learned closure | 0.011 | 0.039 |",
		"| published, no closure | 0.24 | – |",
		"| this run, none | 1e-09 | 2e-09 |",
		"- grid: smaller",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
}

// syntheticResult is a hand-made result with three outputs at t = 0, 1, 2
// on a 2 x 2 grid: closure "a" with a spread and closure "b" with one failed
// member and undefined metrics.
func syntheticResult() *apost.Result {
	nan := apost.Float(math.NaN())
	return &apost.Result{
		Times: []float64{0, 1, 2}, Members: 2, LESGrid: 2, Length: 1,
		Reference: apost.ReferenceSeries{
			Enstrophy: []float64{2, 2, 0.5}, Final: []float64{1, 2, 3, 4}, Transfer: []apost.Float{nan, 0.5, 0.7},
		},
		Closures: []apost.ClosureResult{
			{
				Name: "a", MeanError: []apost.Float{0, 0.1, 0.2}, Spread: []apost.Float{0, 0.1, 0.3},
				SpreadSkill: []apost.Float{nan, 1, 1.5}, Final: [][]float64{{1, 2, 3, 4}, {5, 6, 7, 8}},
				Transfer: []apost.Float{nan, -0.2, -0.4},
			},
			{
				Name: "b", MeanError: []apost.Float{0, 0.4, nan}, Spread: []apost.Float{0, 0, 0},
				SpreadSkill: []apost.Float{nan, nan, nan}, Final: [][]float64{{1, 1, 1, 1}, nil},
				Failures: []apost.Failure{{Closure: "b", Member: 1, Time: 1.5}},
			},
		},
	}
}

func closureNames(res *apost.Result) []string {
	var names []string
	for _, cr := range res.Closures {
		names = append(names, cr.Name)
	}
	return names
}
