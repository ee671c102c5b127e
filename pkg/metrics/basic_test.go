package metrics

import (
	"math"
	"testing"
)

func TestFloat64sConvertsValues(t *testing.T) {
	t.Parallel()
	got := Float64s([]float32{1.5, -2, 0})
	want := []float64{1.5, -2, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Float64s[%d] = %g, want %g", i, got[i], want[i])
		}
	}
}

func TestRelativeL2KnownValue(t *testing.T) {
	t.Parallel()
	const tol = 1e-14
	b := []float64{3, -4, 0}
	a := []float64{3.3, -4.4, 0}

	got, err := RelativeL2(a, b)
	mustNoErr(t, err)
	assertClose(t, "RelativeL2(1.1 b, b)", got, 0.1, tol)

	same, err := RelativeL2(b, b)
	mustNoErr(t, err)
	assertClose(t, "RelativeL2(b, b)", same, 0, tol)
}

func TestRelativeL2Errors(t *testing.T) {
	t.Parallel()
	if _, err := RelativeL2([]float64{1}, []float64{0}); err == nil {
		t.Error("RelativeL2 with zero-norm reference returned no error")
	}
	if _, err := RelativeL2([]float64{1, 2}, []float64{1}); err == nil {
		t.Error("RelativeL2 with length mismatch returned no error")
	}
	if _, err := RelativeL2(nil, nil); err == nil {
		t.Error("RelativeL2 with empty inputs returned no error")
	}
}

func TestEnsembleStatisticsSmallCase(t *testing.T) {
	t.Parallel()
	const tol = 1e-14
	members := [][]float64{{1, 2, 3}, {3, 4, 7}}

	mean, err := EnsembleMean(members)
	mustNoErr(t, err)
	wantMean := []float64{2, 3, 5}
	for i := range wantMean {
		assertClose(t, "EnsembleMean", mean[i], wantMean[i], tol)
	}

	spread, err := EnsembleSpread(members)
	mustNoErr(t, err)
	wantStd := []float64{math.Sqrt2, math.Sqrt2, 2 * math.Sqrt2}
	for i := range wantStd {
		assertClose(t, "Spread.Std", spread.Std[i], wantStd[i], tol)
	}
	assertClose(t, "Spread.MeanStd", spread.MeanStd, 4*math.Sqrt2/3, tol)
	assertClose(t, "Spread.RMS", spread.RMS, math.Sqrt((2+2+8)/3.0), tol)
}

func TestEnsembleErrors(t *testing.T) {
	t.Parallel()
	if _, err := EnsembleSpread([][]float64{{1, 2}}); err == nil {
		t.Error("EnsembleSpread with one member returned no error")
	}
	if _, err := EnsembleMean([][]float64{{1, 2}, {1}}); err == nil {
		t.Error("EnsembleMean with ragged members returned no error")
	}
	if _, err := SpreadSkillRatio([][]float64{{1, 2}, {3, 4}}, []float64{1}); err == nil {
		t.Error("SpreadSkillRatio with short truth returned no error")
	}
}

// A calibrated ensemble: truth and members are independent draws from the
// same per-point normal distribution, so the corrected ratio is 1 up to
// sampling noise of about 1/√P per mean square.
func TestSpreadSkillCalibratedEnsemble(t *testing.T) {
	t.Parallel()
	const (
		points  = 20000
		members = 5
		tol     = 0.03 // several standard deviations of the estimate at P = 20000
	)
	r := newRand(1)

	mu := make([]float64, points)
	sigma := make([]float64, points)
	truth := make([]float64, points)
	for p := range points {
		mu[p] = 3 * r.NormFloat64()
		sigma[p] = 0.5 + 1.5*r.Float64()
		truth[p] = mu[p] + sigma[p]*r.NormFloat64()
	}
	ensemble := make([][]float64, members)
	under := make([][]float64, members)
	for m := range ensemble {
		ensemble[m] = make([]float64, points)
		under[m] = make([]float64, points)
		for p := range points {
			z := r.NormFloat64()
			ensemble[m][p] = mu[p] + sigma[p]*z
			under[m][p] = mu[p] + 0.5*sigma[p]*z
		}
	}

	got, err := SpreadSkillRatio(ensemble, truth)
	mustNoErr(t, err)
	assertClose(t, "CorrectedRatio (calibrated)", got.CorrectedRatio, 1, tol)
	assertClose(t, "Ratio (calibrated, uncorrected)", got.Ratio, math.Sqrt(members/(members+1.0)), tol)
	if got.Members != members {
		t.Errorf("Members = %d, want %d", got.Members, members)
	}

	// Members with half the spread: the mean error variance is
	// σ²(1 + 0.25/M) and the spread variance 0.25σ², so the expected
	// corrected ratio is 0.5·sqrt(((M+1)/M)/(1+0.25/M)) ≈ 0.535 for M = 5.
	low, err := SpreadSkillRatio(under, truth)
	mustNoErr(t, err)
	wantLow := 0.5 * math.Sqrt((members+1.0)/members/(1+0.25/members))
	assertClose(t, "CorrectedRatio (under-dispersive)", low.CorrectedRatio, wantLow, tol)
}
