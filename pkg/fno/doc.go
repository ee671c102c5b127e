// Package fno implements a Fourier neural operator (FNO) for fields on an N x N periodic grid,
// built only from operations that the pure-Go GoMLX backend (simplego, GoMLX v0.26.0) can
// differentiate, so it trains without an accelerator.
//
// Layout: the network works on channels-last tensors [B, N, N, C]; a field is row-major with
// index i*N + j, row i the y index and column j the x index. SpectralConvolution keeps the
// complex Fourier modes kx = 0..m, ky = −m..m of a real DFT normalized by 1/N², so the
// weights do not depend on N and a trained operator evaluates at any N ≥ 2m+1.
//
// The DFT is a separable product with constant cos/sin matrices (Einsum), and every product
// uses Einsum-based gradients, because GoMLX's default DotGeneral gradient materializes a
// broadcast product that is slow on simplego. The pointwise layers split their rows into a
// batch axis so that simplego runs them with its unpadded, batch-parallel DotGeneral kernel,
// and GELU is evaluated through the logistic function, which simplego computes faster than tanh.
//
// Config.Apply is the full network used as the score network of package diffusion and the
// velocity network of package physfm: lifting, Fourier layers with FiLM time conditioning and
// a pointwise projection. The time features are sinusoidal by default, or Gaussian Fourier
// features with Config.TimeFeatures. Normalization is the scalar field normalization those models store.
//
// Reference: Z. Li, N. Kovachki, K. Azizzadenesheli, B. Liu, K. Bhattacharya, A. Stuart and
// A. Anandkumar, "Fourier neural operator for parametric partial differential equations"
// (ICLR 2021).
package fno
