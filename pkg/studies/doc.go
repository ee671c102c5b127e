// Package studies runs the validation and illustration studies shown in the
// tutorial notebooks. They compare the solver with the exact Taylor–Green
// vortex and measure the temporal convergence order of each time stepper.
// They run a trajectory of a preset's flow with its energy, enstrophy and
// spectrum, and compute the statistics of the closure term H, the spread of H
// at fixed filtered vorticity ω̄, and the oracle LES.
//
// Every study takes a preset (see package preset), so the same call runs in
// seconds on "tiny" and at full size on "small" or "paper". Studies return
// plain structs of numbers; the Figure functions of this package turn them
// into publication figures with package plots, and the notebooks only call
// both and display the result.
//
// # Conventions
//
// Fields follow package spectral: an N x N field is a flat []float64 of length
// N*N, index i*N + j with row i the y index. Wavenumbers are integers in units
// of 2π/L, and times are in the time units of the preset's equation. Energy is
// the domain average ½⟨u² + v²⟩ and enstrophy ½⟨ω²⟩. Relative errors are
// L2 norms over the grid, ‖a − b‖₂/‖b‖₂ with b the reference.
package studies
