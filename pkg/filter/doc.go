// Package filter coarse-grains DNS vorticity fields to an LES grid and
// computes the closure term of the filtered vorticity equation.
//
// A Coarsener maps a field on the DNS grid of N x N points to the LES grid of
// (N/r) x (N/r) points, r the coarse-graining ratio, on the same periodic
// square [0, L)². Fields and spectra use the layout and FFT normalization of
// package spectral (row-major, row i = y index; forward FFT unnormalized,
// inverse divided by N²). The filter ‾ multiplies each Fourier coefficient
// by a transfer function G(k) and then keeps the LES modes |kx|, |ky| <=
// N/(2r) − 1 (the LES Nyquist row and column are set to zero):
//
//   - Sharp: G = 1, so ‾ is the projection onto the LES modes.
//   - Box (top-hat of width Δ in x and y): G = sinc(kx Δ/2)·sinc(ky Δ/2),
//     sinc(s) = sin(s)/s.
//   - Gaussian of width Δ: G = exp(−|k|² Δ²/24).
//
// Transfer functions from S. B. Pope, "Turbulent Flows" (2000), chapter 13.
// Δ defaults to the LES grid spacing L·r/N.
//
// # Closure term
//
// Filtering ∂ω/∂t + u·∇ω = ν∇²ω − αω + f gives the LES equation
//
//	∂ω̄/∂t + ū·∇ω̄ = ν∇²ω̄ − αω̄ + f̄ − H,   H = (u·∇ω)‾ − ū·∇ω̄.
//
// Closure computes H with the dealiasing the solvers use: (u·∇ω) is the
// 2/3-rule dealiased advection term on the DNS grid, ū·∇ω̄ the 2/3-rule
// dealiased advection term on the LES grid (package spectral's Advection on
// each grid).
//
// With these conventions an LES solver that adds −H at every evaluation of
// its right-hand side, with H computed from the DNS state at the same stage,
// reproduces the filtered DNS up to round-off. The reason is that the filter
// commutes with the linear terms and every stepper is linear in the
// right-hand side, so the LES update is the filtered DNS update. The LES
// forcing must be f̄, which Coarsener.LESParams sets for the built-in
// forcings. A sampled closure is often held fixed over Runge–Kutta stages or
// over several steps. Then the LES differs from the filtered DNS by a
// time-stepping error that grows linearly with the holding time.
package filter
