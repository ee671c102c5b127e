package studies

import (
	"math"
	"testing"
)

func TestTrajectorySampling(t *testing.T) {
	t.Parallel()
	const tol = 1e-9
	_, tr := sharedTrajectory(t)
	cfg := tinyTrajectoryConfig

	if len(tr.Snapshots) != cfg.Snapshots || len(tr.Times) != cfg.Snapshots {
		t.Fatalf("%d snapshots at %d times, want %d", len(tr.Snapshots), len(tr.Times), cfg.Snapshots)
	}
	for i, tm := range tr.Times {
		want := cfg.SpinUp + float64(i+1)*cfg.Interval
		if math.Abs(tm-want) > tol {
			t.Errorf("snapshot %d at t = %g, want %g", i, tm, want)
		}
	}

	// Energy is sampled every 0.1 from t = 0 to the last snapshot (8 time units).
	wantSamples := int(math.Round(tr.Times[len(tr.Times)-1]/0.1)) + 1
	if len(tr.Energy) != wantSamples || len(tr.Enstrophy) != wantSamples {
		t.Errorf("%d energy and %d enstrophy samples, want %d", len(tr.Energy), len(tr.Enstrophy), wantSamples)
	}
	if tr.SeriesTimes[0] != 0 {
		t.Errorf("first series sample at t = %g, want 0", tr.SeriesTimes[0])
	}
}

// TestTrajectorySpectrumParseval checks that the time-averaged spectrum sums
// to the mean kinetic energy of the snapshots, which fall on series samples.
func TestTrajectorySpectrumParseval(t *testing.T) {
	t.Parallel()
	const parsevalTol = 1e-10
	_, tr := sharedTrajectory(t)

	mean := 0.0
	for _, tm := range tr.Times {
		index := int(math.Round(tm / 0.1))
		mean += tr.Energy[index] / float64(len(tr.Times))
	}
	sum := 0.0
	for _, e := range tr.MeanSpectrum {
		sum += e
	}
	if math.Abs(sum-mean) > parsevalTol*mean {
		t.Errorf("Σ_k E(k) = %.12g, want the mean snapshot energy %.12g", sum, mean)
	}
}

// TestTrajectoryForcedFlowIsActive checks that the Kolmogorov forcing drives
// the flow away from its weak random initial field: the energy grows.
func TestTrajectoryForcedFlowIsActive(t *testing.T) {
	t.Parallel()
	// growthMin is the smallest accepted ratio of final to initial energy
	// (measured 6.4 on the test trajectory, 8 time units).
	const growthMin = 1.5
	_, tr := sharedTrajectory(t)

	ratio := tr.Energy[len(tr.Energy)-1] / tr.Energy[0]
	if ratio < growthMin {
		t.Errorf("energy grew by %.3g from t = 0 to the end, want at least %g", ratio, growthMin)
	}
}

func TestTrajectoryRejectsInterval(t *testing.T) {
	t.Parallel()
	_, err := RunTrajectory(tinyPreset(t), TrajectoryConfig{SpinUp: -1, Interval: 0.015, Snapshots: 1})
	if err == nil {
		t.Error("snapshot interval 0.015 with Δt = 0.01 was accepted; want an error")
	}
}

func TestTrajectorySteadyMeans(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	tr := &Trajectory{
		SpinUp:      1,
		SeriesTimes: []float64{0, 1, 2, 3},
		Energy:      []float64{9, 9, 1, 3},
		Enstrophy:   []float64{9, 9, 4, 6},
	}
	e, z := tr.SteadyMeans()
	if math.Abs(e-2) > tol || math.Abs(z-5) > tol {
		t.Errorf("SteadyMeans = (%g, %g), want (2, 5) from the samples after t = 1", e, z)
	}
	if e, _ := (&Trajectory{SpinUp: 5, SeriesTimes: []float64{1}, Energy: []float64{1}, Enstrophy: []float64{1}}).SteadyMeans(); !math.IsNaN(e) {
		t.Errorf("SteadyMeans without samples after the spin-up = %g, want NaN", e)
	}
}
