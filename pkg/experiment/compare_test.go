package experiment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/dataset"
)

// syntheticSplit returns a test split of count random snapshots on an n x n grid.
func syntheticSplit(n, count int) *dataset.SplitData {
	rng := rand.New(rand.NewPCG(3, 4))
	split := &dataset.SplitData{Split: dataset.SplitTest, N: n, Snapshots: count,
		OmegaBar: make([]float32, count*n*n), Closure: make([]float32, count*n*n),
		Trajectory: make([]int, count), Time: make([]float64, count)}
	for k := range split.Closure {
		split.OmegaBar[k], split.Closure[k] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
	}
	for s := range count {
		split.Time[s] = float64(s)
	}
	return split
}

// noisySampler returns the true closure of each condition plus Gaussian noise of standard
// deviation sigma, independent per member and value: an ensemble with a known spread.
type noisySampler struct {
	split *dataset.SplitData
	sigma float64
}

func (s noisySampler) Sample(omegaBar []float32, members, steps int, seed int64) ([]float32, error) {
	size := s.split.N * s.split.N
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(steps)))
	var out []float32
	for b := range len(omegaBar) / size {
		truth := s.truthOf(omegaBar[b*size : (b+1)*size])
		for range members {
			for _, v := range truth {
				out = append(out, v+float32(s.sigma*rng.NormFloat64()))
			}
		}
	}
	return out, nil
}

// truthOf finds the snapshot whose condition equals omegaBar and returns its closure.
func (s noisySampler) truthOf(omegaBar []float32) []float32 {
	size := s.split.N * s.split.N
	for k := range s.split.Snapshots {
		if s.split.OmegaBar[k*size] == omegaBar[0] && s.split.OmegaBar[k*size+1] == omegaBar[1] {
			return s.split.Closure[k*size : (k+1)*size]
		}
	}
	panic("condition not in the split")
}

func TestCompareOracleAndNoisyEnsembles(t *testing.T) {
	t.Parallel()
	const n, snapshots, members, sigma, tiny = 16, 4, 32, 0.3, 1e-4
	// spreadTolerance bounds the relative sampling error of the ensemble standard deviation
	// of 32 members over 4·16² points.
	const spreadTolerance = 0.05
	split := syntheticSplit(n, 10)
	p := quickPreset(t)
	candidates := []Candidate{
		{Label: "oracle", Kind: "test", SamplerName: "exact", NFEPerStep: 1, Sampler: noisySampler{split, tiny}, Steps: []int{1}},
		{Label: "noisy", Kind: "test", SamplerName: "gauss", NFEPerStep: 2, Sampler: noisySampler{split, sigma}, Steps: []int{1, 3}},
	}
	c, err := Compare(p, split, candidates, CompareOptions{Members: members, Snapshots: snapshots})
	if err != nil {
		t.Fatal(err)
	}

	if len(c.Entries) != 3 || len(c.Snapshots) != snapshots || c.Members != members {
		t.Fatalf("%d entries over %d snapshots with %d members, expected 3 over %d with %d", len(c.Entries), len(c.Snapshots), c.Members, snapshots, members)
	}
	// The oracle returns the truth plus noise of 1e-4 (an exact ensemble has no defined
	// spread-skill ratio), so its errors are of that order.
	oracle := c.Entries[0]
	if oracle.MeanRelativeError > tiny || oracle.Spread > 2*tiny || oracle.CRPS > tiny {
		t.Errorf("oracle: mean error %g, spread %g, CRPS %g, expected all below %g", oracle.MeanRelativeError, oracle.Spread, oracle.CRPS, 2*tiny)
	}
	for k := range oracle.SampleSpectrum {
		if math.Abs(oracle.SampleSpectrum[k]-c.TruthSpectrum[k]) > 1e-3*c.TruthSpectrum[k] {
			t.Errorf("oracle spectrum at shell %d is %g, truth %g", k, oracle.SampleSpectrum[k], c.TruthSpectrum[k])
		}
	}
	noisy, ok := c.Entry("noisy", 3)
	if !ok {
		t.Fatalf("no entry for noisy at 3 steps in %v", c.Labels())
	}
	if noisy.NFE != 6 {
		t.Errorf("noisy at 3 steps has NFE %d, expected 3×2", noisy.NFE)
	}
	if math.Abs(noisy.Spread/sigma-1) > spreadTolerance {
		t.Errorf("noisy spread %g, expected σ = %g within %g", noisy.Spread, sigma, spreadTolerance)
	}
	// The mean of M members has error σ/√M per value against a truth of unit variance.
	wantMeanError := sigma / math.Sqrt(members)
	if math.Abs(noisy.MeanRelativeError/wantMeanError-1) > 0.15 {
		t.Errorf("noisy ensemble-mean error %g, expected about σ/√M = %g", noisy.MeanRelativeError, wantMeanError)
	}
	if !(noisy.SecondsPerSample > 0) || !(noisy.SecondsPerSampleBatch1 > 0) {
		t.Errorf("wall times %g and %g, expected positive", noisy.SecondsPerSample, noisy.SecondsPerSampleBatch1)
	}
}

func TestComparePlateauPicksFirstNearBest(t *testing.T) {
	t.Parallel()
	c := &Comparison{Entries: []CompareEntry{
		{Label: "d", Steps: 1, MeanRelativeError: 3},
		{Label: "d", Steps: 100, MeanRelativeError: 0.99},
		{Label: "d", Steps: 10, MeanRelativeError: 1.03},
		{Label: "d", Steps: 30, MeanRelativeError: 1.0},
		{Label: "f", Steps: 1, MeanRelativeError: 0.5},
	}}
	e, err := c.Plateau("d", PlateauTolerance)
	if err != nil {
		t.Fatal(err)
	}
	if e.Steps != 10 {
		t.Errorf("plateau at %d steps, expected 10 (error 1.03 within 5%% of the best 0.99)", e.Steps)
	}
	if _, err := c.Plateau("x", PlateauTolerance); err == nil || !strings.Contains(err.Error(), `"d"`) {
		t.Errorf("Plateau of an unknown label returned %v, expected an error listing the labels", err)
	}
}

func TestHeadlineAtDiffusionPlateau(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-12
	c := &Comparison{Entries: []CompareEntry{
		{Label: "d", Steps: 1, MeanRelativeError: 3, SecondsPerSample: 0.01, SecondsPerSampleBatch1: 0.02},
		{Label: "d", Steps: 10, MeanRelativeError: 1.03, SecondsPerSample: 0.1, SecondsPerSampleBatch1: 0.3},
		{Label: "d", Steps: 100, MeanRelativeError: 0.99, SecondsPerSample: 1, SecondsPerSampleBatch1: 3},
		{Label: "l", Steps: 1, MeanRelativeError: 0.9, SecondsPerSample: 0.001, SecondsPerSampleBatch1: 0.01},
		{Label: "l", Steps: 2, MeanRelativeError: 0.8, SecondsPerSample: 0.002, SecondsPerSampleBatch1: 0.02},
	}}
	h, err := c.Headline("l", "d")
	if err != nil {
		t.Fatal(err)
	}
	if h.Reference.Steps != 10 || h.Latent.Steps != 1 {
		t.Errorf("compared latent at %d steps with diffusion at %d, want 1 and 10 (the plateau)", h.Latent.Steps, h.Reference.Steps)
	}
	if math.Abs(h.SpeedUp-100) > tolerance || math.Abs(h.SpeedUpAlone-30) > tolerance {
		t.Errorf("speed-ups %g (batch) and %g (alone), want 100 and 30", h.SpeedUp, h.SpeedUpAlone)
	}
	if !h.AtEqualError {
		t.Error("error 0.9 against 1.03 is not reported as equal or better")
	}
	c.Entries[3].MeanRelativeError = 1.1
	if h, _ := c.Headline("l", "d"); h.AtEqualError || !strings.Contains(h.Markdown(), "NOT at equal error") {
		t.Errorf("error 1.1 against 1.03: AtEqualError %v, sentence %q; want it flagged", h.AtEqualError, h.Markdown())
	}
	if _, err := c.Headline("d2", "d"); err == nil {
		t.Error("Headline of an unknown latent label returned no error")
	}
	c.Entries = slices.Delete(c.Entries, 2, 3) // diffusion is now best at its largest count, 10
	if _, err := c.Headline("l", "d"); err == nil || !strings.Contains(err.Error(), "compare more steps") {
		t.Errorf("Headline with diffusion still improving at its largest step count returned %v, want an error", err)
	}
}

func TestComparisonRoundTripAndFigures(t *testing.T) {
	t.Parallel()
	split := syntheticSplit(8, 4)
	p := quickPreset(t)
	candidates := []Candidate{{Label: "noisy", Kind: "test", SamplerName: "gauss", NFEPerStep: 1, Sampler: noisySampler{split, 0.5}, Steps: []int{1, 2}}}
	c, err := Compare(p, split, candidates, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "compare.json")
	if err := WriteComparison(path, c); err != nil {
		t.Fatal(err)
	}
	back, err := ReadComparison(path)
	if err != nil {
		t.Fatal(err)
	}

	if back.Markdown() != c.Markdown() {
		t.Errorf("table after a JSON round trip differs:\n%s\nexpected\n%s", back.Markdown(), c.Markdown())
	}
	if rows := strings.Count(c.Markdown(), "\n"); rows != 2+2 {
		t.Errorf("table has %d lines, expected a header, a rule and 2 rows", rows)
	}

	for _, metric := range []CompareMetric{MetricMeanError, MetricSpread, MetricCRPS, MetricSeconds, MetricSecondsBatch1} {
		if _, err := CompareFigure(back, metric); err != nil {
			t.Errorf("figure of %s: %v", metric, err)
		}
	}
	if _, err := CompareSpectraFigure(back, 2); err != nil {
		t.Errorf("spectra figure: %v", err)
	}
	if _, err := CompareFigure(back, "bias"); err == nil {
		t.Error("CompareFigure accepted the unknown metric \"bias\"")
	}
}

// sensorSampler is a MeasuredSampler that returns each measured field plus noise of standard
// deviation 1e-4 as every member, so its ensemble-mean error is of that order only when
// Evaluate passes the true closure of each condition.
type sensorSampler struct{ size int }

func (sensorSampler) Sample([]float32, int, int, int64) ([]float32, error) {
	panic("Evaluate called Sample on a MeasuredSampler")
}

func (s sensorSampler) SampleMeasured(omegaBar, measured []float32, members, _ int, _ int64) ([]float32, error) {
	if len(measured) != len(omegaBar) {
		return nil, fmt.Errorf("%d measured values for %d condition values", len(measured), len(omegaBar))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var out []float32
	for b := range len(measured) / s.size {
		for range members {
			for _, value := range measured[b*s.size : (b+1)*s.size] {
				out = append(out, value+float32(1e-4*rng.NormFloat64()))
			}
		}
	}
	return out, nil
}

func TestEvaluatePassesTruthToMeasuredSampler(t *testing.T) {
	const n = 8
	split := syntheticSplit(n, 6)
	ev, _, err := Evaluate(quickPreset(t), "sensors", sensorSampler{size: n * n}, split)
	if err != nil {
		t.Fatal(err)
	}
	if ev.MeanRelativeError > 1e-4 {
		t.Errorf("ensemble-mean error %g of a sampler that returns the measured field, want below 1e-4", ev.MeanRelativeError)
	}
}
