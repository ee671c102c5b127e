// Package nn contains the neural-network building blocks shared by the learning packages:
// backend construction, a dense layer with a fast gradient, multilayer perceptrons,
// time embeddings (sinusoidal and Gaussian Fourier features) and a truncated real discrete
// Fourier transform (DFT) for periodic fields.
//
// All layers are GoMLX graph functions. Trainable weights live in a *context.Context under
// the scope the caller passes in, so the same function called twice with the same scope
// shares weights.
//
// Conventions: a scalar field on an N x N periodic grid is a flat row-major slice of length
// N*N with index i*N + j, where row i is the y index and column j the x index. Batches of
// fields are float32 tensors of shape [batch, N, N].
//
// Only operations that the pure-Go backend (simplego, GoMLX v0.26.0) can differentiate are
// used: DotGeneral/Einsum, reductions, Concatenate, Sin/Cos/Tanh/Exp/Logistic and
// element-wise arithmetic. The DFT is a product with constant cos/sin matrices, so no FFT
// operation is needed.
package nn
