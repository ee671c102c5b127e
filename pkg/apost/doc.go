// Package apost runs the a-posteriori evaluation of closure models: large-eddy
// simulations (LES) on the coarse grid, coupled to a closure and run as an
// ensemble, compared at output times with the filtered direct numerical
// simulation (DNS) that starts from the same state.
//
// # Equations and sign convention
//
// The DNS solves ∂ω/∂t + u·∇ω = ν∇²ω − αω + f. Filtering it with the
// coarse-graining of package filter gives the LES equation
//
//	∂ω̄/∂t + ū·∇ω̄ = ν∇²ω̄ − αω̄ + f̄ − H,   H = (u·∇ω)‾ − ū·∇ω̄.
//
// A Closure models H from the LES state ω̄, and the LES solver subtracts it
// (solver.Solver.SetClosure). A positive ∑ω̄·H removes enstrophy, so a
// dissipative closure has ∑ω̄·H ≥ 0.
//
// Closures provided here:
//
//   - None: H = 0.
//   - Smagorinsky: H = −∇·(ν_t ∇ω̄), ν_t = (C_s Δ)²|S̄|, the eddy-viscosity
//     model of J. Smagorinsky, "General circulation experiments with the
//     primitive equations", Mon. Weather Rev. 91 (1963), applied to the
//     vorticity equation.
//   - Oracle: the true H from the reference DNS advanced in lockstep, stage
//     by stage, so an oracle LES reproduces the filtered DNS up to round-off.
//   - Learned: H drawn from a generative Sampler, one sample per member,
//     re-sampled every k LES steps and held in between.
//   - OmitViscous: H = ν∇²ω̄, which removes the viscous term; the
//     counterpart of the predecessor's LES "without closure" (Predecessor).
//
// # Enstrophy budget of the closure
//
// ClosureResult.Transfer is ⟨ω̄H⟩ against time, the rate at which the closure
// removes resolved enstrophy; ClosureResult.TransferSpectrum splits it into
// wavenumber shells over the averaging window, so that Σ_k T(k) = ⟨ω̄H⟩ and a
// negative shell is fed enstrophy (backscatter). ReferenceSeries holds the same
// for the DNS's own H.
//
// # Fields and units
//
// Fields follow the project layout: a physical field on an n x n periodic grid
// of side L is a flat slice of length n*n, index i*n + j, row i the y index.
// Samplers take and return float32 batches [B, n, n]. Time is in the units of
// the equation; wavenumbers are in units of 2π/L. Energy is ½⟨u²+v²⟩ and
// enstrophy ½⟨ω²⟩, both domain averages (package spectral).
//
// # Runs, failures and checkpoints
//
// Run advances the DNS and every LES member step by step in lockstep. A member
// that blows up (CFL limit or non-finite values) is recorded as a Failure with
// its closure, member index, time and step, and the other members go on.
//
// With Config.CheckpointDir set, Run writes the state of the DNS, of every
// member and of the metrics so far atomically to that directory every
// Config.CheckpointEvery time units. A later Run with the same Config resumes
// from the last checkpoint and gives bit for bit the result of a run that
// was never interrupted. To make that possible, every checkpoint interval
// starts the time stepper afresh (for "cnab2" one "cnrk2" step), in resumed and
// uninterrupted runs alike, because a solver does not export its multistep
// history.
package apost
