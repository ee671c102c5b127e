package metrics

import (
	"fmt"
	"math"
)

// checkEnsemble validates members[m][p] and returns M and P. It requires at
// least minMembers members, all of the same non-zero length.
func checkEnsemble(name string, members [][]float64, minMembers int) (m, p int, err error) {
	if len(members) < minMembers {
		return 0, 0, fmt.Errorf("metrics: %s needs at least %d ensemble members, got %d; add members", name, minMembers, len(members))
	}

	p = len(members[0])
	if p == 0 {
		return 0, 0, fmt.Errorf("metrics: %s got members with zero points; pass non-empty fields", name)
	}
	for k, member := range members {
		if len(member) != p {
			return 0, 0, fmt.Errorf("metrics: %s member %d has %d points, member 0 has %d; all members must have the same length", name, k, len(member), p)
		}
	}
	return len(members), p, nil
}

// EnsembleMean returns the per-point mean over the members of an ensemble
// members[m][p], as a slice of length P. It returns an error if there are no
// members or their lengths differ.
func EnsembleMean(members [][]float64) ([]float64, error) {
	m, p, err := checkEnsemble("EnsembleMean", members, 1)
	if err != nil {
		return nil, err
	}

	mean := make([]float64, p)
	for _, member := range members {
		for i, v := range member {
			mean[i] += v
		}
	}
	for i := range mean {
		mean[i] /= float64(m)
	}
	return mean, nil
}

// EnsembleVariance returns the per-point unbiased sample variance over the
// members, with the M−1 denominator, as a slice of length P. It needs at
// least two members.
func EnsembleVariance(members [][]float64) ([]float64, error) {
	m, p, err := checkEnsemble("EnsembleVariance", members, 2)
	if err != nil {
		return nil, err
	}

	mean, err := EnsembleMean(members)
	if err != nil {
		return nil, err
	}

	variance := make([]float64, p)
	for _, member := range members {
		for i, v := range member {
			d := v - mean[i]
			variance[i] += d * d
		}
	}
	for i := range variance {
		variance[i] /= float64(m - 1)
	}
	return variance, nil
}

// Spread is the ensemble spread of one field.
type Spread struct {
	// Std is the per-point sample standard deviation (M−1 denominator),
	// the field to plot as "ensemble std", of length P.
	Std []float64
	// MeanStd is the mean over points of Std.
	MeanStd float64
	// RMS is the square root of the mean over points of the variance,
	// sqrt(mean_p Std[p]²). This is the spread that SpreadSkillRatio
	// compares with the RMSE, because mean squares add and standard
	// deviations do not.
	RMS float64
}

// EnsembleSpread returns the per-point standard deviation of an ensemble
// members[m][p] and its two point averages (see [Spread]). It needs at least
// two members.
func EnsembleSpread(members [][]float64) (Spread, error) {
	variance, err := EnsembleVariance(members)
	if err != nil {
		return Spread{}, err
	}

	std := make([]float64, len(variance))
	var sumStd, sumVar float64
	for i, v := range variance {
		std[i] = math.Sqrt(v)
		sumStd += std[i]
		sumVar += v
	}

	n := float64(len(variance))
	return Spread{Std: std, MeanStd: sumStd / n, RMS: math.Sqrt(sumVar / n)}, nil
}

// SpreadSkill compares the ensemble spread with the error of the ensemble
// mean.
type SpreadSkill struct {
	// Members is the ensemble size M.
	Members int
	// Spread is the RMS spread sqrt(mean_p var_p), var_p with the M−1
	// denominator.
	Spread float64
	// RMSE is the root mean square error of the ensemble mean against the
	// truth, over points.
	RMSE float64
	// Ratio is Spread / RMSE without correction.
	Ratio float64
	// CorrectedRatio is sqrt((M+1)/M) · Spread / RMSE. For a calibrated
	// ensemble (members and truth drawn from the same distribution) the
	// expected squared error of the M-member mean is (M+1)/M times the
	// expected ensemble variance, so CorrectedRatio ≈ 1. Values below 1
	// mean an under-dispersive (over-confident) ensemble.
	CorrectedRatio float64
}

// SpreadSkillRatio returns the spread-skill comparison of an ensemble
// members[m][p] against the truth field truth[p]. It needs at least two
// members and returns an error if the ensemble mean equals the truth
// everywhere (zero RMSE).
//
// Reference: V. Fortin, M. Abaza, F. Anctil, R. Turcotte, "Why should
// ensemble spread match the RMSE of the ensemble mean?", J. Hydrometeorology
// 15 (2014), which derives the (M+1)/M factor.
func SpreadSkillRatio(members [][]float64, truth []float64) (SpreadSkill, error) {
	m, p, err := checkEnsemble("SpreadSkillRatio", members, 2)
	if err != nil {
		return SpreadSkill{}, err
	}
	if len(truth) != p {
		return SpreadSkill{}, fmt.Errorf("metrics: SpreadSkillRatio truth has %d points, members have %d; pass fields of the same grid", len(truth), p)
	}

	spread, err := EnsembleSpread(members)
	if err != nil {
		return SpreadSkill{}, err
	}
	mean, err := EnsembleMean(members)
	if err != nil {
		return SpreadSkill{}, err
	}

	var sq float64
	for i := range truth {
		d := mean[i] - truth[i]
		sq += d * d
	}
	rmse := math.Sqrt(sq / float64(p))
	if rmse == 0 {
		return SpreadSkill{}, fmt.Errorf("metrics: SpreadSkillRatio ensemble mean equals the truth at every point (RMSE = 0), so the ratio is undefined")
	}

	ratio := spread.RMS / rmse
	return SpreadSkill{
		Members:        m,
		Spread:         spread.RMS,
		RMSE:           rmse,
		Ratio:          ratio,
		CorrectedRatio: math.Sqrt(float64(m+1)/float64(m)) * ratio,
	}, nil
}
