package metrics

import (
	"fmt"
	"math"
	"slices"
)

// crpsTerms returns the two terms of the kernel (energy) form of the CRPS
// for one point: the mean absolute error (1/M)Σ|x_i−y| and the pair sum
// ΣᵢΣⱼ|x_i−x_j|. It sorts x in place, because for sorted x the pair sum is
// 2Σᵢ(2i−M+1)x_(i) with 0-based i, which costs O(M log M).
func crpsTerms(x []float64, y float64) (meanAbs, pairSum float64) {
	slices.Sort(x)

	m := len(x)
	for i, v := range x {
		meanAbs += math.Abs(v - y)
		pairSum += float64(2*i-m+1) * v
	}
	return meanAbs / float64(m), 2 * pairSum
}

// CRPSEnsemble returns the standard ensemble CRPS of the samples x against
// the observation y:
//
//	CRPS = (1/M)Σᵢ|x_i − y| − 1/(2M²) ΣᵢΣⱼ|x_i − x_j|,
//
// which is the CRPS of the empirical distribution of the M samples. Its
// expectation depends on M: for members drawn from F it exceeds the CRPS of
// F by E|X−X'|/(2M), so it rewards under-dispersed small ensembles. It does
// not modify x. It returns an error if x is empty.
//
// Reference: T. Gneiting, A. E. Raftery, "Strictly proper scoring rules,
// prediction, and estimation", JASA 102 (2007), eq. (21).
func CRPSEnsemble(x []float64, y float64) (float64, error) {
	if len(x) == 0 {
		return 0, fmt.Errorf("metrics: CRPSEnsemble got an empty ensemble; pass at least one sample")
	}

	m := float64(len(x))
	meanAbs, pairSum := crpsTerms(slices.Clone(x), y)
	return meanAbs - pairSum/(2*m*m), nil
}

// FairCRPSEnsemble returns the fair (unbiased) ensemble CRPS of the samples
// x against the observation y:
//
//	fCRPS = (1/M)Σᵢ|x_i − y| − 1/(2M(M−1)) ΣᵢΣⱼ|x_i − x_j|.
//
// For members drawn independently from a distribution F, its expectation is
// the CRPS of F itself, whatever M, so ensembles of different sizes can be
// compared. It does not modify x. It needs at least two samples.
//
// Reference: C. A. T. Ferro, "Fair scores for ensemble forecasts",
// Q. J. R. Meteorol. Soc. 140 (2014).
func FairCRPSEnsemble(x []float64, y float64) (float64, error) {
	if len(x) < 2 {
		return 0, fmt.Errorf("metrics: FairCRPSEnsemble needs at least 2 samples, got %d; use CRPSEnsemble for a single forecast", len(x))
	}

	m := float64(len(x))
	meanAbs, pairSum := crpsTerms(slices.Clone(x), y)
	return meanAbs - pairSum/(2*m*(m-1)), nil
}

// CRPS returns the standard ensemble CRPS (see [CRPSEnsemble]) of the
// ensemble members[m][p] against truth[p], averaged over the P points. It
// returns an error on an empty ensemble or mismatched lengths.
func CRPS(members [][]float64, truth []float64) (float64, error) {
	return meanPointCRPS("CRPS", members, truth, 1, CRPSEnsemble)
}

// FairCRPS returns the fair ensemble CRPS (see [FairCRPSEnsemble]) of the
// ensemble members[m][p] against truth[p], averaged over the P points. It
// needs at least two members.
func FairCRPS(members [][]float64, truth []float64) (float64, error) {
	return meanPointCRPS("FairCRPS", members, truth, 2, FairCRPSEnsemble)
}

func meanPointCRPS(name string, members [][]float64, truth []float64, minMembers int,
	score func([]float64, float64) (float64, error)) (float64, error) {
	m, p, err := checkEnsemble(name, members, minMembers)
	if err != nil {
		return 0, err
	}
	if len(truth) != p {
		return 0, fmt.Errorf("metrics: %s truth has %d points, members have %d; pass fields of the same grid", name, len(truth), p)
	}

	column := make([]float64, m)
	var sum float64
	for i := range p {
		for k := range members {
			column[k] = members[k][i]
		}
		s, err := score(column, truth[i])
		if err != nil {
			return 0, err
		}
		sum += s
	}
	return sum / float64(p), nil
}

// GaussianCRPS returns the closed-form CRPS of the normal distribution
// N(mu, sigma²) against the observation y:
//
//	CRPS = σ [z(2Φ(z) − 1) + 2φ(z) − 1/√π],  z = (y − μ)/σ,
//
// with Φ and φ the standard normal CDF and density. It panics if sigma is
// not positive.
//
// Reference: T. Gneiting, A. E. Raftery, A. H. Westveld, T. Goldman,
// "Calibrated probabilistic forecasting using ensemble model output
// statistics and minimum CRPS estimation", Mon. Wea. Rev. 133 (2005).
func GaussianCRPS(mu, sigma, y float64) float64 {
	if !(sigma > 0) {
		panic(fmt.Sprintf("metrics: GaussianCRPS sigma=%g must be positive", sigma))
	}

	z := (y - mu) / sigma
	cdf := 0.5 * math.Erfc(-z/math.Sqrt2)
	pdf := math.Exp(-0.5*z*z) / math.Sqrt(2*math.Pi)
	return sigma * (z*(2*cdf-1) + 2*pdf - 1/math.Sqrt(math.Pi))
}
