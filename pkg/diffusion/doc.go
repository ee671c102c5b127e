// Package diffusion implements conditional score-based diffusion in physical space, a
// baseline for the closure H given the filtered vorticity ω̄ on an N x N periodic grid.
//
// The forward processes are the variance-exploding (VE) and variance-preserving (VP) SDEs of
// Song et al. Their kernels are N(α(t)x_0, σ_t²I) (see SDE). The score network is a Fourier
// neural operator (package fno) whose output F is divided by σ_t, s_θ = F/σ_t, and it is
// trained with denoising score matching weighted by λ(t) = σ_t², which makes the loss the
// mean of (F + z)² over values.
//
// Sampling runs on the host over a Score callback (Solve): Euler–Maruyama on the reverse SDE,
// predictor–corrector with a Langevin corrector, or the probability-flow ODE with Heun
// steps, on uniform or Karras time grids (TimeGrid) from a terminal time down to a small
// time t_min > 0. GaussianScore returns the exact score of Gaussian data, against which the
// samplers are tested.
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
// Time t runs from 0 (data) to 1 (noise).
//
// Reference: Y. Song, J. Sohl-Dickstein, D. P. Kingma, A. Kumar, S. Ermon and B. Poole,
// "Score-based generative modeling through stochastic differential equations" (ICLR 2021).
package diffusion
