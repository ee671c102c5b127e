package geometry

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Quality gathers the latent-quality metrics of one embedding; see Evaluate.
type Quality struct {
	// Distortion is the relative RMS distance misfit after the best scale (see Distortion).
	Distortion float64
	// Trustworthiness and Continuity are for Neighbors nearest neighbours.
	Trustworthiness, Continuity float64
	// Spearman is the rank correlation of the pairwise distances.
	Spearman float64
	// Neighbors is the k used for Trustworthiness and Continuity.
	Neighbors int
}

// Evaluate returns all metrics of Quality for the reference and latent distance matrices of
// the same n points, with k neighbours. It returns the first error of the metrics.
func Evaluate(reference, latent [][]float64, k int) (Quality, error) {
	quality := Quality{Neighbors: k}
	var err error
	if quality.Distortion, err = Distortion(reference, latent); err != nil {
		return quality, err
	}
	if quality.Trustworthiness, err = Trustworthiness(reference, latent, k); err != nil {
		return quality, err
	}
	if quality.Continuity, err = Continuity(reference, latent, k); err != nil {
		return quality, err
	}
	quality.Spearman, err = Spearman(reference, latent)
	return quality, err
}

// Distortion returns the relative RMS misfit of the latent distances b_ij to the reference
// distances a_ij over the pairs i < j, after the best global scale s of the latent distances:
//
//	min_s sqrt(Σ (a_ij − s·b_ij)² / Σ a_ij²) = sqrt(1 − (Σ a·b)² / (Σ a² · Σ b²)).
//
// It is 0 when the embedding is an isometry up to scale and at most 1, and does not change
// when either set of distances is scaled. It returns an error when the matrices are invalid or
// of different sizes, or when all distances of either matrix are 0.
func Distortion(reference, latent [][]float64) (float64, error) {
	if err := validatePair(reference, latent); err != nil {
		return 0, err
	}
	a, b := upperTriangle(reference), upperTriangle(latent)
	var ab, aa, bb float64
	for p := range a {
		ab += a[p] * b[p]
		aa += a[p] * a[p]
		bb += b[p] * b[p]
	}
	if aa == 0 || bb == 0 {
		return 0, fmt.Errorf("geometry: all reference or all latent distances are 0 (Σa²=%g, Σb²=%g), so the distortion is undefined", aa, bb)
	}
	return math.Sqrt(max(0, 1-ab*ab/(aa*bb))), nil
}

// Trustworthiness returns the trustworthiness T(k) of the latent embedding (Venna and Kaski,
// 2001). Let U_k(i) be the latent k nearest neighbours of i that are not among its k nearest
// in the reference, and r(i, j) the rank of j among the neighbours of i in the reference. Then
//
//	T(k) = 1 − 2/(n·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ U_k(i)} (r(i, j) − k).
//
// T = 1 when no latent neighbour is false, about 0.5 for a random embedding. Ties in distance
// are broken by the smaller index. It returns an error unless 1 ≤ k < n/2, the range where
// the normalization keeps T in [0, 1].
func Trustworthiness(reference, latent [][]float64, k int) (float64, error) {
	return neighborhoodPreservation(reference, latent, k)
}

// Continuity returns the continuity C(k) (Venna and Kaski, 2001): Trustworthiness with the
// roles swapped, so it penalizes reference neighbours that the embedding moves away. The same
// conditions and errors apply.
func Continuity(reference, latent [][]float64, k int) (float64, error) {
	return neighborhoodPreservation(latent, reference, k)
}

// neighborhoodPreservation returns T(k) of the embedding "to" of the space "from": it
// penalizes the k nearest neighbours in "to" that are not k nearest in "from" by their rank
// in "from".
func neighborhoodPreservation(from, to [][]float64, k int) (float64, error) {
	if err := validatePair(from, to); err != nil {
		return 0, err
	}
	n := len(from)
	if k < 1 || 2*k >= n {
		return 0, fmt.Errorf("geometry: k=%d neighbours must satisfy 1 <= k < n/2 = %g for %d points; lower k", k, float64(n)/2, n)
	}

	fromRanks := neighborRanks(from)
	var penalty float64
	for i := range n {
		for _, other := range sortedNeighbors(to, i)[:k] {
			if rank := fromRanks[i][other.index]; rank > k {
				penalty += float64(rank - k)
			}
		}
	}
	normalization := 2 / (float64(n) * float64(k) * float64(2*n-3*k-1))
	return 1 - normalization*penalty, nil
}

// Spearman returns Spearman's rank correlation between the reference and the latent
// distances over the pairs i < j: the Pearson correlation of their ranks, with tied values
// given their mean rank. It returns an error when the matrices are invalid or of different
// sizes, or when all distances of either matrix are equal (the correlation is then undefined).
func Spearman(reference, latent [][]float64) (float64, error) {
	if err := validatePair(reference, latent); err != nil {
		return 0, err
	}
	return SpearmanCorrelation(upperTriangle(reference), upperTriangle(latent))
}

// SpearmanCorrelation returns Spearman's rank correlation of two samples of equal length, the
// Pearson correlation of their ranks with ties given their mean rank. It returns an error when
// the lengths differ, there are fewer than 2 values or either sample is constant.
func SpearmanCorrelation(a, b []float64) (float64, error) {
	if len(a) != len(b) || len(a) < 2 {
		return 0, fmt.Errorf("geometry: Spearman correlation needs two samples of equal length at least 2, got %d and %d", len(a), len(b))
	}
	rankA, rankB := fractionalRanks(a), fractionalRanks(b)

	mean := float64(len(a)+1) / 2 // the mean of ranks 1..n, ties included
	var covariance, varianceA, varianceB float64
	for p := range rankA {
		da, db := rankA[p]-mean, rankB[p]-mean
		covariance += da * db
		varianceA += da * da
		varianceB += db * db
	}
	if varianceA == 0 || varianceB == 0 {
		return 0, fmt.Errorf("geometry: a sample of %d values is constant, so the Spearman correlation is undefined", len(a))
	}
	return covariance / math.Sqrt(varianceA*varianceB), nil
}

// fractionalRanks returns the 1-based ranks of values, ties sharing their mean rank.
func fractionalRanks(values []float64) []float64 {
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return cmp.Compare(values[x], values[y]) })

	ranks := make([]float64, len(values))
	for start := 0; start < len(order); {
		end := start + 1
		for end < len(order) && values[order[end]] == values[order[start]] {
			end++
		}
		meanRank := float64(start+end+1) / 2 // mean of the 1-based ranks start+1..end
		for _, index := range order[start:end] {
			ranks[index] = meanRank
		}
		start = end
	}
	return ranks
}
