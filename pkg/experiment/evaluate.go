package experiment

import (
	"fmt"
	"math"
	"time"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/metrics"
	"github.com/closure-lab/closure/pkg/preset"
)

// Sampler draws closure ensembles given filtered vorticity. Sample receives B fields
// ω̄ as flat float32 [B, n, n] and returns members samples of H per field as flat
// float32 [B, members, n, n], integrating with the given number of ODE steps.
type Sampler interface {
	Sample(omegaBar []float32, members, steps int, seed int64) ([]float32, error)
}

// MeasuredSampler is a Sampler of a model with sensors, whose Sample returns an error.
// SampleMeasured also receives one field of H per condition, [B, n, n], and reads its values
// at the model's sensors. Evaluate and Compare pass it the true closure of each snapshot.
type MeasuredSampler interface {
	Sampler
	SampleMeasured(omegaBar, measured []float32, members, steps int, seed int64) ([]float32, error)
}

// draw calls SampleMeasured with truth for a MeasuredSampler and Sample otherwise.
func draw(sampler Sampler, omegaBar, truth []float32, members, steps int, seed int64) ([]float32, error) {
	if measured, ok := sampler.(MeasuredSampler); ok {
		return measured.SampleMeasured(omegaBar, truth, members, steps, seed)
	}
	return sampler.Sample(omegaBar, members, steps, seed)
}

// Snapshot is one held-out snapshot with its closure ensemble, as float64 fields of n×n.
type Snapshot struct {
	Trajectory int         `json:"trajectory"`
	Time       float64     `json:"time"`
	OmegaBar   []float64   `json:"-"`
	Truth      []float64   `json:"-"`
	Members    [][]float64 `json:"-"`
}

// SnapshotMetrics are the a-priori metrics of one snapshot's ensemble against its truth.
type SnapshotMetrics struct {
	Trajectory int     `json:"trajectory"`
	Time       float64 `json:"time"`
	// MeanRelativeError is ‖mean − truth‖/‖truth‖ of the ensemble mean.
	MeanRelativeError float64 `json:"mean_relative_error"`
	// SampleRelativeError is the average over members of ‖sample − truth‖/‖truth‖.
	SampleRelativeError float64 `json:"sample_relative_error"`
	// Spread is the root-mean-square ensemble standard deviation over the grid.
	Spread float64 `json:"spread"`
	// SpreadSkill is the spread-skill ratio with the finite-ensemble correction.
	SpreadSkill float64 `json:"spread_skill"`
	// CRPS is the fair continuous ranked probability score averaged over grid points.
	CRPS float64 `json:"crps"`
	// Wasserstein1 is the distance between the value distributions of truth and samples.
	Wasserstein1 float64 `json:"wasserstein1"`
}

// Evaluation is the summary of a closure model on the held-out snapshots of a preset.
type Evaluation struct {
	Preset   string            `json:"preset"`
	Model    string            `json:"model"`
	Members  int               `json:"members"`
	Steps    int               `json:"sampler_steps"`
	PerField []SnapshotMetrics `json:"snapshots"`
	// The averages over snapshots of the per-snapshot metrics.
	MeanRelativeError   float64 `json:"mean_relative_error"`
	SampleRelativeError float64 `json:"sample_relative_error"`
	Spread              float64 `json:"spread"`
	SpreadSkill         float64 `json:"spread_skill"`
	CRPS                float64 `json:"crps"`
	Wasserstein1        float64 `json:"wasserstein1"`
	// TruthRMS is the root-mean-square of the true closure over the evaluated snapshots,
	// the scale against which Spread and CRPS are read.
	TruthRMS float64 `json:"truth_rms"`
	// SecondsPerSample is the wall time to draw one closure sample when all members of all
	// snapshots are drawn in one call; SecondsPerSampleBatch1 when a single sample is drawn.
	SecondsPerSample       float64 `json:"seconds_per_sample"`
	SecondsPerSampleBatch1 float64 `json:"seconds_per_sample_batch1"`
}

// SelectSnapshots picks count snapshots spread evenly over a split, so that every test
// trajectory contributes. It returns their indices into the split.
func SelectSnapshots(split *dataset.SplitData, count int) []int {
	count = min(count, split.Snapshots)
	indices := make([]int, count)
	for i := range indices {
		indices[i] = int(float64(i) * float64(split.Snapshots) / float64(count))
	}
	return indices
}

// pickFields returns ω̄ and H of the picked snapshots of split, each as flat [len(picks), n, n].
func pickFields(split *dataset.SplitData, picks []int) (omegaBar, closure []float32) {
	size := split.N * split.N
	omegaBar, closure = make([]float32, 0, len(picks)*size), make([]float32, 0, len(picks)*size)
	for _, s := range picks {
		omegaBar = append(omegaBar, split.OmegaBar[s*size:(s+1)*size]...)
		closure = append(closure, split.Closure[s*size:(s+1)*size]...)
	}
	return omegaBar, closure
}

// Evaluate draws an ensemble for each selected test snapshot with the sampler, times the
// sampling, and computes the a-priori metrics. A MeasuredSampler receives the true closure of
// each snapshot, of which it reads the sensor values.
func Evaluate(p preset.Preset, model string, sampler Sampler, test *dataset.SplitData) (*Evaluation, []Snapshot, error) {
	n := test.N
	size := n * n
	e := p.Evaluation
	picks := SelectSnapshots(test, e.Snapshots)
	if len(picks) == 0 {
		return nil, nil, fmt.Errorf("experiment: the test split has no snapshots; regenerate the data set with a positive test fraction")
	}

	conditions, truth := pickFields(test, picks)
	start := time.Now()
	samples, err := draw(sampler, conditions, truth, e.Members, e.SamplerSteps, p.Training.Seed+1)
	if err != nil {
		return nil, nil, fmt.Errorf("experiment: sampling %d ensembles: %w", len(picks), err)
	}
	elapsed := time.Since(start)
	if len(samples) != len(picks)*e.Members*size {
		return nil, nil, fmt.Errorf("experiment: sampler returned %d values, expected %d×%d×%d²", len(samples), len(picks), e.Members, n)
	}

	single, err := timeSingleSample(sampler, conditions[:size], truth[:size], e.SamplerSteps, p.Training.Seed+2)
	if err != nil {
		return nil, nil, err
	}

	ev := &Evaluation{
		Preset: p.Name, Model: model, Members: e.Members, Steps: e.SamplerSteps,
		SecondsPerSample:       elapsed.Seconds() / float64(len(picks)*e.Members),
		SecondsPerSampleBatch1: single,
	}
	snapshots := make([]Snapshot, len(picks))
	var truthSquares float64
	for i, s := range picks {
		snap := Snapshot{
			Trajectory: test.Trajectory[s],
			Time:       test.Time[s],
			OmegaBar:   metrics.Float64s(test.OmegaBar[s*size : (s+1)*size]),
			Truth:      metrics.Float64s(test.Closure[s*size : (s+1)*size]),
			Members:    make([][]float64, e.Members),
		}
		for m := range snap.Members {
			offset := (i*e.Members + m) * size
			snap.Members[m] = metrics.Float64s(samples[offset : offset+size])
		}
		snapshots[i] = snap

		sm, err := snapshotMetrics(snap)
		if err != nil {
			return nil, nil, err
		}
		ev.PerField = append(ev.PerField, sm)
		for _, v := range snap.Truth {
			truthSquares += v * v
		}
	}
	ev.TruthRMS = math.Sqrt(truthSquares / float64(len(picks)*size))
	ev.average()
	return ev, snapshots, nil
}

// timeSingleSample returns the wall time of drawing one sample for one condition, the
// best of three calls so that a first-call compilation does not count.
func timeSingleSample(sampler Sampler, condition, truth []float32, steps int, seed int64) (float64, error) {
	best := math.Inf(1)
	for i := range 3 {
		start := time.Now()
		if _, err := draw(sampler, condition, truth, 1, steps, seed+int64(i)); err != nil {
			return 0, fmt.Errorf("experiment: sampling one closure: %w", err)
		}
		best = min(best, time.Since(start).Seconds())
	}
	return best, nil
}

func snapshotMetrics(s Snapshot) (SnapshotMetrics, error) {
	sm := SnapshotMetrics{Trajectory: s.Trajectory, Time: s.Time}
	mean, err := metrics.EnsembleMean(s.Members)
	if err != nil {
		return sm, err
	}
	if sm.MeanRelativeError, err = metrics.RelativeL2(mean, s.Truth); err != nil {
		return sm, err
	}
	for _, member := range s.Members {
		r, err := metrics.RelativeL2(member, s.Truth)
		if err != nil {
			return sm, err
		}
		sm.SampleRelativeError += r / float64(len(s.Members))
	}
	ss, err := metrics.SpreadSkillRatio(s.Members, s.Truth)
	if err != nil {
		return sm, err
	}
	sm.Spread, sm.SpreadSkill = ss.Spread, ss.CorrectedRatio
	if sm.CRPS, err = metrics.FairCRPS(s.Members, s.Truth); err != nil {
		return sm, err
	}
	pooled := make([]float64, 0, len(s.Members)*len(s.Truth))
	for _, member := range s.Members {
		pooled = append(pooled, member...)
	}
	sm.Wasserstein1, err = metrics.Wasserstein1(pooled, s.Truth)
	return sm, err
}

func (e *Evaluation) average() {
	count := float64(len(e.PerField))
	for _, f := range e.PerField {
		e.MeanRelativeError += f.MeanRelativeError / count
		e.SampleRelativeError += f.SampleRelativeError / count
		e.Spread += f.Spread / count
		e.SpreadSkill += f.SpreadSkill / count
		e.CRPS += f.CRPS / count
		e.Wasserstein1 += f.Wasserstein1 / count
	}
}
