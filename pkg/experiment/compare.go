package experiment

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/latentfm"
	"github.com/closure-lab/closure/pkg/metrics"
	"github.com/closure-lab/closure/pkg/plots"
	"github.com/closure-lab/closure/pkg/preset"
)

// Candidate is one model and sampler of a comparison, sampled at each of its step counts.
// ClosureModel.Candidate fills it for a trained model.
type Candidate struct {
	// Label names the candidate in tables and legends.
	Label string
	// Kind and SamplerName are recorded in the entries; NFEPerStep is the number of network
	// evaluations per sampler step.
	Kind        string
	SamplerName string
	NFEPerStep  int
	Sampler     Sampler
	Steps       []int
}

// Candidate returns the comparison candidate of the model with the named sampler ("" for
// the kind's default) at the given step counts, labelled with the kind and the sampler, e.g.
// "physical diffusion (euler-maruyama)". It returns an error when the kind does not accept
// the sampler.
func (m *ClosureModel) Candidate(sampler string, steps []int) (Candidate, error) {
	if sampler == "" {
		sampler = m.Kind.DefaultSampler()
	}
	s, err := m.Sampler(sampler)
	if err != nil {
		return Candidate{}, err
	}
	nfe, err := m.Kind.EvaluationsPerStep(sampler)
	if err != nil {
		return Candidate{}, err
	}
	label := fmt.Sprintf("%s (%s)", m.Kind.Label(), sampler)
	if layout := m.Sensors(); layout.Enabled() {
		label += " with sensors on " + layout.String()
	}
	if m.latent != nil {
		if r := m.latent.Config().Regularizer; r != "" && r != latentfm.RegularizerNone {
			label += ", " + r + " regularizer"
		}
	}
	return Candidate{
		Label: label, Kind: string(m.Kind), SamplerName: sampler,
		NFEPerStep: nfe, Sampler: s, Steps: steps,
	}, nil
}

// CompareOptions sets the ensemble of Compare. Zero values take the preset's evaluation
// settings.
type CompareOptions struct {
	Members, Snapshots int
	// Progress, when set, is called before each candidate and step count is sampled.
	Progress func(label string, steps int)
}

// CompareEntry is the result of one candidate at one step count. Errors, spread and CRPS
// are averaged over the snapshots as in Evaluation.
type CompareEntry struct {
	Label   string `json:"label"`
	Kind    string `json:"kind"`
	Sampler string `json:"sampler"`
	Steps   int    `json:"steps"`
	// NFE is the number of network evaluations per sample: Steps times the sampler's
	// evaluations per step.
	NFE                 int     `json:"nfe"`
	MeanRelativeError   float64 `json:"mean_relative_error"`
	SampleRelativeError float64 `json:"sample_relative_error"`
	Spread              float64 `json:"spread"`
	SpreadSkill         float64 `json:"spread_skill"`
	CRPS                float64 `json:"crps"`
	Wasserstein1        float64 `json:"wasserstein1"`
	// SecondsPerSample is the wall time per sample when all members of all snapshots are
	// drawn in one call; SecondsPerSampleBatch1 when one sample is drawn alone (best of 3).
	SecondsPerSample       float64 `json:"seconds_per_sample"`
	SecondsPerSampleBatch1 float64 `json:"seconds_per_sample_batch1"`
	// SampleSpectrum is the shell-summed power spectrum of the samples, averaged over
	// members and snapshots, at Comparison.Wavenumbers.
	SampleSpectrum []float64 `json:"sample_spectrum"`
}

// Comparison holds every entry of a Compare run and the machine it ran on, so that its wall
// times can be compared with each other but not with another run's.
type Comparison struct {
	Preset string `json:"preset"`
	// N is the grid size of the closure fields.
	N         int   `json:"n"`
	Members   int   `json:"members"`
	Snapshots []int `json:"snapshots"`
	// TruthRMS is the root-mean-square of the true closure over the snapshots, the scale of
	// Spread and CRPS.
	TruthRMS      float64        `json:"truth_rms"`
	Wavenumbers   []float64      `json:"wavenumbers"`
	TruthSpectrum []float64      `json:"truth_spectrum"`
	Entries       []CompareEntry `json:"entries"`
	Machine       string         `json:"machine"`
	Date          string         `json:"date"`
}

// Compare samples the same held-out snapshots of test with every candidate at each of its
// step counts and records the a-priori metrics, the spectrum and the wall time per sample,
// in one run. Before the timed calls each candidate draws once with the batch shapes of the
// timed calls, so that graph compilation is not timed.
func Compare(p preset.Preset, test *dataset.SplitData, candidates []Candidate, opts CompareOptions) (*Comparison, error) {
	if opts.Members > 0 {
		p.Evaluation.Members = opts.Members
	}
	if opts.Snapshots > 0 {
		p.Evaluation.Snapshots = opts.Snapshots
	}
	result := &Comparison{
		Preset: p.Name, N: test.N, Members: p.Evaluation.Members, Snapshots: SelectSnapshots(test, p.Evaluation.Snapshots),
		Machine: fmt.Sprintf("%s/%s, %d CPUs, GOMAXPROCS %d", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0)),
		Date:    time.Now().UTC().Format(time.RFC3339),
	}

	for _, c := range candidates {
		label := c.Label
		if c.Sampler == nil || len(c.Steps) == 0 {
			return nil, fmt.Errorf("experiment: candidate %q needs a sampler and at least one step count", label)
		}
		if err := warmUp(c.Sampler, test, result.Snapshots, p.Evaluation.Members); err != nil {
			return nil, fmt.Errorf("experiment: %s: %w", label, err)
		}

		for _, steps := range c.Steps {
			if opts.Progress != nil {
				opts.Progress(label, steps)
			}
			q := p
			q.Evaluation.SamplerSteps = steps
			ev, snapshots, err := Evaluate(q, label, c.Sampler, test)
			if err != nil {
				return nil, fmt.Errorf("experiment: %s with %d steps: %w", label, steps, err)
			}
			entry := CompareEntry{
				Label: label, Kind: c.Kind, Sampler: c.SamplerName, Steps: steps, NFE: steps * c.NFEPerStep,
				MeanRelativeError: ev.MeanRelativeError, SampleRelativeError: ev.SampleRelativeError,
				Spread: ev.Spread, SpreadSkill: ev.SpreadSkill, CRPS: ev.CRPS, Wasserstein1: ev.Wasserstein1,
				SecondsPerSample: ev.SecondsPerSample, SecondsPerSampleBatch1: ev.SecondsPerSampleBatch1,
			}
			k, truth, samples, err := averageSpectra(snapshots)
			if err != nil {
				return nil, err
			}
			entry.SampleSpectrum = samples
			result.Wavenumbers, result.TruthSpectrum, result.TruthRMS = k, truth, ev.TruthRMS
			result.Entries = append(result.Entries, entry)
		}
	}
	return result, nil
}

// warmUp draws once with the batch shapes that Evaluate times: all members of all picked
// snapshots, and one sample of one snapshot.
func warmUp(sampler Sampler, test *dataset.SplitData, picks []int, members int) error {
	size := test.N * test.N
	conditions, truth := pickFields(test, picks)
	if _, err := draw(sampler, conditions, truth, members, 1, 0); err != nil {
		return err
	}
	_, err := draw(sampler, conditions[:size], truth[:size], 1, 1, 0)
	return err
}

// averageSpectra returns the wavenumbers, the power spectrum of the truth averaged over the
// snapshots and that of the samples averaged over snapshots and members.
func averageSpectra(snapshots []Snapshot) (k, truth, samples []float64, err error) {
	n := gridSide(len(snapshots[0].Truth))
	for _, s := range snapshots {
		kk, power, err := metrics.PowerSpectrum(s.Truth, n)
		if err != nil {
			return nil, nil, nil, err
		}
		k, truth = kk, accumulate(truth, power, 1/float64(len(snapshots)))
		for _, member := range s.Members {
			_, power, err := metrics.PowerSpectrum(member, n)
			if err != nil {
				return nil, nil, nil, err
			}
			samples = accumulate(samples, power, 1/float64(len(snapshots)*len(s.Members)))
		}
	}
	return k, truth, samples, nil
}

// Labels returns the candidate labels of the comparison in the order they were run.
func (c *Comparison) Labels() []string {
	var labels []string
	for _, e := range c.Entries {
		if !slices.Contains(labels, e.Label) {
			labels = append(labels, e.Label)
		}
	}
	return labels
}

// Entry returns the entry of a label at a step count, and whether there is one.
func (c *Comparison) Entry(label string, steps int) (CompareEntry, bool) {
	for _, e := range c.Entries {
		if e.Label == label && e.Steps == steps {
			return e, true
		}
	}
	return CompareEntry{}, false
}

// PlateauTolerance is the relative excess over a candidate's best ensemble-mean error below
// which Plateau counts the error as no longer improving.
const PlateauTolerance = 0.05

// Plateau returns the entry of label with the fewest steps whose ensemble-mean error is
// within the relative tolerance of the smallest error of that label over all its step
// counts: the step count where the error stops improving. It returns an error when the
// comparison has no entry of label.
func (c *Comparison) Plateau(label string, tolerance float64) (CompareEntry, error) {
	best := math.Inf(1)
	var entries []CompareEntry
	for _, e := range c.Entries {
		if e.Label == label {
			entries = append(entries, e)
			best = min(best, e.MeanRelativeError)
		}
	}
	if len(entries) == 0 {
		return CompareEntry{}, fmt.Errorf("experiment: the comparison has no entry %q; use one of %q", label, c.Labels())
	}
	slices.SortFunc(entries, func(a, b CompareEntry) int { return a.Steps - b.Steps })
	for _, e := range entries {
		if e.MeanRelativeError <= (1+tolerance)*best {
			return e, nil
		}
	}
	return entries[len(entries)-1], nil
}

// Markdown returns the comparison as a Markdown table: one row per candidate and step
// count, with spread and CRPS relative to the RMS of the true closure and wall times in
// milliseconds per sample.
func (c *Comparison) Markdown() string {
	var b strings.Builder
	b.WriteString("| model | sampler | steps | NFE | mean error | spread / RMS | spread-skill | CRPS / RMS | ms/sample (batch) | ms/sample (alone) |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, e := range c.Entries {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %.3f | %.3f | %.2f | %.3f | %.3g | %.3g |\n",
			e.Label, e.Sampler, e.Steps, e.NFE, e.MeanRelativeError, e.Spread/c.TruthRMS, e.SpreadSkill,
			e.CRPS/c.TruthRMS, 1e3*e.SecondsPerSample, 1e3*e.SecondsPerSampleBatch1)
	}
	return b.String()
}

// CompareMetric selects the quantity that CompareFigure plots against steps.
type CompareMetric string

// Quantities CompareFigure can plot.
const (
	MetricMeanError     CompareMetric = "mean_relative_error"
	MetricSpread        CompareMetric = "spread"
	MetricCRPS          CompareMetric = "crps"
	MetricSeconds       CompareMetric = "seconds_per_sample"
	MetricSecondsBatch1 CompareMetric = "seconds_per_sample_batch1"
)

// value returns the metric of e, with spread and CRPS divided by truthRMS.
func (m CompareMetric) value(e CompareEntry, truthRMS float64) (float64, string, error) {
	switch m {
	case MetricMeanError:
		return e.MeanRelativeError, "relative L2 error of the ensemble mean", nil
	case MetricSpread:
		return e.Spread / truthRMS, "ensemble spread / RMS of H", nil
	case MetricCRPS:
		return e.CRPS / truthRMS, "CRPS / RMS of H", nil
	case MetricSeconds:
		return e.SecondsPerSample, "wall time per sample, batched (s)", nil
	case MetricSecondsBatch1:
		return e.SecondsPerSampleBatch1, "wall time per sample, alone (s)", nil
	}
	return 0, "", fmt.Errorf("experiment: unknown comparison metric %q", m)
}

// CompareFigure plots a metric against sampler steps, one line per candidate, on
// logarithmic axes: a sampler far from convergence has errors many times the converged ones.
func CompareFigure(c *Comparison, metric CompareMetric) (*plots.Figure, error) {
	var series []plots.Series
	var yLabel string
	for _, label := range c.Labels() {
		s := plots.Series{Name: label}
		for _, e := range c.Entries {
			if e.Label != label {
				continue
			}
			v, name, err := metric.value(e, c.TruthRMS)
			if err != nil {
				return nil, err
			}
			s.X, s.Y, yLabel = append(s.X, float64(e.Steps)), append(s.Y, v), name
		}
		series = append(series, s)
	}
	return plots.Lines(series, plots.LineOptions{
		Title: yLabel + " against steps", XLabel: "sampler steps", YLabel: yLabel,
		LogX: true, LogY: true, Markers: true,
	})
}

// CompareSpectraFigure plots the true closure spectrum with the sample spectra of the
// entries at the given step count of each candidate that has one, for the shells 1 to N/2.
// The corner shells above N/2 are left out, because a sharp filter leaves the truth almost
// no power there and the log axis would be stretched by it.
func CompareSpectraFigure(c *Comparison, steps int) (*plots.Figure, error) {
	if len(c.Wavenumbers) < 2 {
		return nil, fmt.Errorf("experiment: the comparison has no spectra")
	}
	last := min(c.N/2, len(c.Wavenumbers)-1)
	curves := []plots.Curve{{Name: "truth", X: c.Wavenumbers[1 : last+1], Y: c.TruthSpectrum[1 : last+1]}}
	for _, label := range c.Labels() {
		if e, ok := c.Entry(label, steps); ok {
			curves = append(curves, plots.Curve{Name: label, X: c.Wavenumbers[1 : last+1], Y: e.SampleSpectrum[1 : last+1]})
		}
	}
	return plots.Spectra(curves, plots.SpectraOptions{
		Title: fmt.Sprintf("closure power spectrum, samples with %d steps", steps), YLabel: "P_H(k)",
		Cutoff: float64(c.N / 2), CutoffLabel: "LES Nyquist",
	})
}

// WriteComparison writes the comparison as indented JSON to path atomically.
func WriteComparison(path string, c *Comparison) error {
	return writeJSONAtomic(path, c)
}

// ReadComparison reads a comparison written by WriteComparison.
func ReadComparison(path string) (*Comparison, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("experiment: reading the comparison: %w", err)
	}
	var c Comparison
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("experiment: %s is not a comparison file: %w", path, err)
	}
	return &c, nil
}

// Headline is the paper's speed comparison: one-step latent flow matching against a
// reference sampler (physical diffusion) at the step count where the reference's error stops
// improving (Plateau with PlateauTolerance).
type Headline struct {
	Latent, Reference CompareEntry
	// SpeedUp and SpeedUpAlone are the reference's wall time per sample divided by the
	// latent model's, in a batch and for one sample alone.
	SpeedUp, SpeedUpAlone float64
	// AtEqualError reports whether the latent model's ensemble-mean error is at most the
	// reference's.
	AtEqualError bool
}

// Headline returns the comparison of the one-step entry of latentLabel with reference at
// its plateau. It returns an error when either is missing, and when the plateau is the
// reference's largest step count, where its error may still be falling.
func (c *Comparison) Headline(latentLabel, reference string) (Headline, error) {
	latent, ok := c.Entry(latentLabel, 1)
	if !ok {
		return Headline{}, fmt.Errorf("experiment: the comparison has no one-step entry %q; use one of %q", latentLabel, c.Labels())
	}
	plateau, err := c.Plateau(reference, PlateauTolerance)
	if err != nil {
		return Headline{}, err
	}
	largest := 0
	for _, e := range c.Entries {
		if e.Label == reference {
			largest = max(largest, e.Steps)
		}
	}
	if plateau.Steps == largest {
		return Headline{}, fmt.Errorf("experiment: the error of %s is lowest at its largest step count %d, so it may still fall; compare more steps to find its plateau",
			reference, largest)
	}
	return Headline{
		Latent: latent, Reference: plateau,
		SpeedUp:      plateau.SecondsPerSample / latent.SecondsPerSample,
		SpeedUpAlone: plateau.SecondsPerSampleBatch1 / latent.SecondsPerSampleBatch1,
		AtEqualError: latent.MeanRelativeError <= plateau.MeanRelativeError,
	}, nil
}

// Markdown states the headline in one sentence.
func (h Headline) Markdown() string {
	verdict := "at equal or better ensemble-mean error"
	if !h.AtEqualError {
		verdict = "but NOT at equal error"
	}
	return fmt.Sprintf("One-step %s samples %.0f× faster in a batch (%.0f× for one sample alone) than %s at %d steps, where its error stops improving, %s: %.3f against %.3f.",
		h.Latent.Label, h.SpeedUp, h.SpeedUpAlone, h.Reference.Label, h.Reference.Steps, verdict, h.Latent.MeanRelativeError, h.Reference.MeanRelativeError)
}
