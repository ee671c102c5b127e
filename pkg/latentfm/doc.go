// Package latentfm implements latent conditional flow matching for stochastic closures, in up
// to four training stages:
//
//  0. Optional (Config.MeanNetwork): an FNO μ(ω̄) is fitted to H by least squares, so it
//     estimates the conditional mean E[H | ω̄]. The later stages then model the residual
//     H − μ(ω̄), and a sample is μ(ω̄) + D(z), with μ evaluated once per condition. With
//     Config.Sensors, μ also reads H at fixed grid points and estimates E[H | ω̄, readings];
//     the model is then sampled with SampleMeasured.
//  1. A spectral autoencoder learns to compress closure fields H into latents z
//     (Config.Regularizer "none"). With "joint" it trains together with the latent flow
//     matching of stage 2, loss = reconstruction + λ·FM on batch-standardized latents, so the
//     FM loss shapes the latent space; batch standardization and a log-variance penalty keep
//     the latents from collapsing to a point. "mp" and "ga" add the latent-geometry losses
//     of package regularize instead. With Config.ConditionalDecoder the decoder reads the
//     condition too, H = D(z, c), where c is ω̄ encoded by a condition encoder trained here
//     with the autoencoder (Config.ConditionalEncoder gives it to the encoder as well), so
//     the latent only has to carry what ω̄ does not determine. Config.AugmentX and
//     AugmentYPeriod then translate each training pair (H, ω̄) at random by shifts that the
//     flow's equations respect, so the networks see every phase of the translation-invariant
//     flow rather than those of the training trajectories only.
//  2. With the encoder fixed, a velocity network v(z_t, t, c) (the teacher) learns to
//     transport Gaussian noise to the standardized latents of H, given an encoding c of the
//     filtered vorticity ω̄. Noise and latents are coupled independently or by minibatch
//     optimal transport (Config.Coupling).
//  3. Reflow (Config.ReflowSteps > 0, the default): the teacher's ODE maps fresh noises z0 to
//     z1 for every training condition, and a student network, started as a copy of the
//     teacher, learns the straight interpolant between these coupled pairs.
//
// Sampling draws an ensemble of latent noises per condition, integrates the student's ODE (the
// teacher's when there is no student; SampleFlow chooses) from t=0 to t=1 with a fixed-step
// solver, and decodes the latents to fields (with the conditional decoder, each with the
// encoding of its own condition).
//
// Why the mean network exists: the map from ω̄ to the conditional mean of H commutes with
// translations (up to the forcing). An FNO on the grid represents such a map directly. The
// MLPs of stages 1 and 2 see ω̄ through DFT features and would have to learn it for every
// phase. On the `tiny` preset with 8 latents, the one-step ensemble-mean error was 1.00
// without it, the score of H = 0, and 0.86 with it (`closure reproduce --preset tiny`).
//
// Why the conditional decoder exists: the snapshots of H in a translation-invariant flow such
// as Kolmogorov flow spread over many Fourier modes, so an unconditional code of H needs a
// large latent, while H given ω̄ can be nearly deterministic. A decoder that reads ω̄ needs
// latents only for the part of H that ω̄ leaves open. On the package's toy problem a
// one-dimensional latent suffices with the conditional decoder and loses one of the two
// random coefficients without it (tests).
//
// Why stage 3 exists: with the independent coupling, one Euler step (1 NFE) of the teacher
// maps every noise to about the conditional mean latent E[z1 | c], because
// v(0, z0) = E[z1 | c] − z0, so one-step ensembles have almost no spread. The student's pairs
// are deterministic functions of z0, so its one Euler step z0 + v(0, z0) approximates the
// teacher's endpoint and keeps the spread. On the package's toy problem (tests) one Euler step
// of the student reproduces the conditional mean and spread within the tolerances that
// 10 RK4 steps (40 NFE) of the teacher meet.
//
// Conventions: fields are float32, flat, shape [batch, N, N], row-major (index i*N + j, row i
// is y, column j is x). The interpolant is z_t = (1−t)·z0 + t·z1 with z0 ~ N(0, I) and z1 the
// standardized latent of H (each latent coordinate shifted and scaled to zero mean and unit
// variance over the training set). The velocity target is z1 − z0.
//
// References: Lipman et al., "Flow matching for generative modeling"; Rombach et al.,
// "High-resolution image synthesis with latent diffusion models" (the latent approach); Liu,
// Gong and Liu, "Flow straight and fast: learning to generate and transfer data with rectified
// flow" (reflow); Tong et al., "Improving and generalizing flow-based generative models with
// minibatch optimal transport" (OT coupling).
package latentfm
