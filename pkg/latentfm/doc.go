// Package latentfm implements latent conditional flow matching for stochastic closures. In
// stage 1 a spectral autoencoder learns to compress closure fields H into latents z. In
// stage 2 a velocity network v(z_t, t, c) learns to transport Gaussian noise to the latents
// of H, given an encoding c of the filtered vorticity ω̄. Sampling draws an ensemble of
// latent noises per condition, integrates the learned ODE from t=0 to t=1 with a fixed-step
// solver, and decodes the latents to fields.
//
// Conventions: fields are float32, flat, shape [batch, N, N], row-major (index i*N + j, row i
// is y, column j is x). The interpolant is z_t = (1−t)·z0 + t·z1 with z0 ~ N(0, I) and z1 the
// standardized latent of H (each latent coordinate shifted and scaled to zero mean and unit
// variance over the training set). The velocity target is z1 − z0.
//
// References: Lipman et al., "Flow matching for generative modeling"; Rombach et al.,
// "High-resolution image synthesis with latent diffusion models" (the latent approach).
//
// NOTE: with the independent coupling used here, one Euler step (1 NFE) maps every noise
// to approximately the conditional mean latent E[z1 | c], because v(0, z0) = E[z1 | c] − z0.
// One-step ensembles therefore have almost no spread; use several steps of a solver when the
// ensemble spread matters.
package latentfm
