// Package metrics computes the a-priori and a-posteriori evaluation metrics
// for closure models: relative L2 error, ensemble mean, spread and
// spread-skill ratio, CRPS, isotropic power and energy spectra, histograms,
// the Wasserstein-1 distance, the kernel MMD and the correlation time.
//
// # Conventions
//
// All inputs are float64. Learning code stores batches as float32; convert
// one field or a whole batch with [Float64s] before calling these functions.
//
// A scalar field on an N x N periodic grid of side L is a flat slice of
// length N*N in row-major order: element i*N + j is the value at
// x_j = j*L/N, y_i = i*L/N (row i is the y index, column j the x index).
//
// An ensemble is a slice of members, members[m][p], where m indexes the M
// members and p indexes the P points (grid cells) of one field. All members
// must have the same length P. Per-point statistics are returned as slices
// of length P, and scalar scores are averages over the P points.
//
// Functions return an error on invalid input: a length mismatch, an empty
// input, a non-positive parameter or a zero norm. The one exception is
// GaussianCRPS, a closed form for tests and references, which panics on a
// non-positive sigma.
package metrics
