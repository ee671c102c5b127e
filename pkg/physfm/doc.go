// Package physfm implements conditional flow matching in physical space, a baseline for the
// closure H given the filtered vorticity ω̄ on an N x N periodic grid.
//
// The source is x0 ~ N(0, I) in normalized units, the path is linear, x_t = (1 − t)x0 + t·x1
// with x1 the normalized H, and the velocity network v(x_t, t | ω̄), a Fourier neural
// operator (package fno) with ω̄ as an extra input channel, regresses the target x1 − x0.
// Sample integrates the learned velocity from t = 0 to 1 with the fixed-step solvers of
// package flowmatch (Euler, midpoint, Heun, RK4) and any number of steps.
//
// With Config.Sensors set, the network also receives the values of H at fixed grid points
// (package sensors) and their mask as two more input channels, and SampleMeasured takes the
// measured fields with the conditions.
//
// Model has the same API shape as package latentfm (DefaultConfig, New, Train, Sample, Save,
// Load), so experiments can swap the two. Fields are normalized by a scalar mean and
// standard deviation fitted on the training data and stored in the model.
//
// Conventions: a field is a flat row-major float32 slice of length N*N with index i*N + j
// (row i is y, column j is x); batches are [B, N, N] and ensembles [B, members, N, N].
//
// Reference: Y. Lipman, R. T. Q. Chen, H. Ben-Hamu, M. Nickel and M. Le, "Flow matching for
// generative modeling" (ICLR 2023); X. Liu, C. Gong and Q. Liu, "Flow straight and fast:
// learning to generate and transfer data with rectified flow" (ICLR 2023).
package physfm
