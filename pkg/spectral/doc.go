// Package spectral provides the Fourier machinery of the pseudo-spectral 2D
// vorticity solver. It contains a real 2D FFT, the wavenumbers and the
// operators built from them (inverse Laplacian, derivatives, 2/3-rule
// dealiasing mask) and the dealiased advection term u·∇ω. It also provides
// diagnostics (velocity, kinetic energy, enstrophy, isotropic energy
// spectrum, CFL number) and seeded Gaussian random vorticity fields.
//
// # Grid and memory layout
//
// A field lives on the periodic square [0, L)² sampled by an N x N grid with N
// a power of two (N >= 4). A physical field is a flat []float64 of length N*N
// in row-major order, index i*N + j, where row i is the y index and column j
// the x index: x_j = j*L/N, y_i = i*L/N.
//
// A spectral field is the half spectrum of a real field: a flat []complex128
// of length N*(N/2+1), index r*(N/2+1) + c. Column c is the x wavenumber
// index kx = c (0 <= c <= N/2) and row r the y wavenumber index ky = r for
// r < N/2 and ky = r - N otherwise (the row r = N/2 is the Nyquist row, kept
// as ky = -N/2). Modes with kx < 0 follow from Hermitian symmetry,
// f̂(-k) = conj(f̂(k)). This is the layout of numpy.fft.rfft2 on an array
// indexed [y, x].
//
// # Conventions
//
//   - FFT normalization: the forward transform is unnormalized,
//     f̂(k) = Σ_x f(x) exp(-i k·x), and the inverse divides by N². So the
//     coefficient c_k of the Fourier series f(x) = Σ_k c_k exp(i k·x) is
//     f̂(k)/N².
//   - Wavenumbers: integer indices kx, ky are in units of 2π/L; the physical
//     wavenumber used by derivatives is (2π/L)·k, stored in Grid.Kx, Grid.Ky.
//   - Derivatives: ∂/∂x ↔ i·Kx, ∂/∂y ↔ i·Ky; the Laplacian ↔ -|K|².
//   - Stream function and velocity: -∇²ψ = ω, u = ∂ψ/∂y and v = -∂ψ/∂x,
//     so that the vorticity is ω = ∂v/∂x − ∂u/∂y. The mean mode ψ̂(0) is
//     set to zero.
//   - Dealiasing (2/3 rule, Orszag): modes with |kx| <= K and |ky| <= K are
//     kept, K = floor(N/3), so 3K < N and a product of two kept fields has no
//     alias inside the kept square. The mask is applied to both factors of
//     the product and to the product itself.
//   - Energy: kinetic energy is the domain average ½⟨u² + v²⟩ and enstrophy
//     ½⟨ω²⟩ (per unit area, not integrated over L²).
//
// A Grid owns scratch buffers, so it is not safe for concurrent use; give each
// goroutine its own Grid.
package spectral
