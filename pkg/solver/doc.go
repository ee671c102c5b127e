// Package solver integrates the 2D incompressible Navier–Stokes equations in
// vorticity form on the periodic square [0, L)² with a pseudo-spectral
// method:
//
//	∂ω/∂t + u·∇ω = ν∇²ω − αω + f(x, y) + S(t, ω),
//	u = (∂ψ/∂y, −∂ψ/∂x),  −∇²ψ = ω,
//
// where ν is the kinematic viscosity, α ≥ 0 the linear drag (the term −αω
// removes energy), f the forcing selected by Forcing and S an optional extra
// source supplied by a callback (an LES passes its closure H through
// SetClosure, which adds S = −H).
//
// # Conventions
//
// Fields, FFT normalization and wavenumbers follow package spectral. A
// physical field is a flat []float64 of N*N values, index i*N + j with row i
// the y index. The forward FFT is unnormalized and the inverse divides by N².
// Integer wavenumbers are in units of 2π/L. The advection term is dealiased
// by the 2/3 rule, which keeps the modes |kx|, |ky| <= floor(N/3). The
// viscous and drag terms act on all modes, implicitly or through an exact
// integrating factor.
//
// # Time steppers
//
// Each stepper is selected by name in Params.Stepper:
//
//   - "cnab2": Crank–Nicolson for ν∇²−α, Adams–Bashforth 2 for the rest; one
//     advection evaluation per step, second order, started by one "cnrk2" step.
//   - "cnrk2": Crank–Nicolson with Heun's predictor–corrector; two
//     evaluations per step, second order.
//   - "cnrk3": the low-storage three-stage IMEX Runge–Kutta of Spalart, Moser
//     and Rogers; three evaluations, third order in the explicit part and
//     second order overall.
//   - "ifrk4": classical RK4 on the integrating-factor form
//     exp(−Lt)ω; four evaluations, fourth order.
//
// Every evaluation checks the CFL number max|u|·dt/dx against the stepper's
// limit and the fields for NaN or Inf; a failure stops the run with a
// *BlowUpError that names the time, the step and the value.
package solver
