// Package autoencoder implements a spectral autoencoder for scalar fields on an N x N periodic
// grid, such as the subgrid closure term H of filtered 2D turbulence.
//
// Encoder: normalize the field with the data set's mean and standard deviation, project it
// onto the Fourier modes |kx|, |ky| ≤ m with a truncated real DFT, then map the (2m+1)² real
// mode features to a latent vector z of dimension d with an MLP. Decoder: an MLP maps z to
// (2m+1)² mode features, the inverse truncated DFT synthesizes the field on the grid, and the
// normalization is undone. The decoder output is therefore band-limited to |k| ≤ m, and the
// reconstruction error is at least the energy of the field outside that band.
//
// Fields are float32, flat, of shape [batch, N, N] in row-major order (index i*N + j, row i
// is y and column j is x). Because the DFT features are normalized by 1/N², a model trained
// at one N evaluates at any other N ≥ 2m+1 (resolution transfer).
//
// Train accepts WithRegularizer to add a latent regularizer of package regularize (MP or GA) to
// the reconstruction loss. The regularizer compares latent distances with the distances of
// ParsevalFeatures, which equal the RMS grid distances of the normalized band-limited fields.
//
// VectorModel (NewVector) is a plain MLP autoencoder for points in R^D, with the same training
// options, for point clouds such as synthetic manifolds with known geometry. Its normalization
// subtracts the per-coordinate mean and divides by one standard deviation for all coordinates,
// so it scales all distances alike.
package autoencoder
