package studies

import (
	"math"
	"testing"
)

func sharedClosureStats(t *testing.T) *ClosureStats {
	t.Helper()
	p, tr := sharedTrajectory(t)
	st, err := ClosureStatistics(p, tr, ClosureConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestClosureMeanIsZero checks that H has zero domain mean: both terms are
// divergences ∇·(uω) of periodic fields.
func TestClosureMeanIsZero(t *testing.T) {
	t.Parallel()
	const meanTol = 1e-12
	st := sharedClosureStats(t)
	if math.Abs(st.Mean) > meanTol*st.RMS {
		t.Errorf("mean of H %.3g is not zero relative to its rms %.3g", st.Mean, st.RMS)
	}
}

// TestClosureSpectrumParseval checks that the snapshot-averaged power spectrum
// of H sums to the mean square of H.
func TestClosureSpectrumParseval(t *testing.T) {
	t.Parallel()
	const parsevalTol = 1e-10
	st := sharedClosureStats(t)

	sum := 0.0
	for _, p := range st.HSpectrum {
		sum += p
	}
	if want := st.RMS * st.RMS; math.Abs(sum-want) > parsevalTol*want {
		t.Errorf("Σ_k P_H(k) = %.12g, want ⟨H²⟩ = %.12g", sum, want)
	}
}

func TestClosurePDFNormalized(t *testing.T) {
	t.Parallel()
	// normTol allows the Gaussian mass outside ±6 (2e-9) and round-off.
	const normTol = 1e-6
	st := sharedClosureStats(t)

	var mass, gaussMass float64
	for b, d := range st.PDF.Density {
		width := st.PDF.Edges[b+1] - st.PDF.Edges[b]
		mass += d * width
		gaussMass += st.GaussianPDF[b] * width
	}
	if math.Abs(mass-1) > normTol {
		t.Errorf("PDF of H/rms integrates to %.9g, want 1", mass)
	}
	if math.Abs(gaussMass-1) > normTol {
		t.Errorf("Gaussian reference integrates to %.9g, want 1", gaussMass)
	}
	if st.PDF.Outside > 0 {
		t.Logf("%d values beyond ±6 rms", st.PDF.Outside)
	}
}

func TestClosureStatisticsShapes(t *testing.T) {
	t.Parallel()
	p, tr := sharedTrajectory(t)
	st := sharedClosureStats(t)
	n := p.LESGridSize()

	if st.N != n || len(st.H) != len(tr.Snapshots) || len(st.OmegaBar) != len(tr.Snapshots) {
		t.Fatalf("N = %d with %d H and %d ω̄ fields, want N = %d and %d each", st.N, len(st.H), len(st.OmegaBar), n, len(tr.Snapshots))
	}
	if len(st.H[0]) != n*n {
		t.Errorf("H field length %d, want %d", len(st.H[0]), n*n)
	}
}

func TestClosureStatisticsRejectsEmptyTrajectory(t *testing.T) {
	t.Parallel()
	if _, err := ClosureStatistics(tinyPreset(t), &Trajectory{Preset: "tiny"}, ClosureConfig{}); err == nil {
		t.Error("a trajectory without snapshots was accepted; want an error")
	}
}
