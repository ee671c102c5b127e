package metrics

import (
	"fmt"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// fft2 returns the 2D discrete Fourier coefficients of the N x N row-major
// field f, normalized by 1/N², so that element ky*N + kx is
// f̂(kx, ky) = (1/N²) Σ_{i,j} f[i*N+j] exp(−2πi(kx·j + ky·i)/N).
// It transforms the rows, then the columns, with gonum's complex FFT.
func fft2(f []float64, n int) []complex128 {
	plan := fourier.NewCmplxFFT(n)
	out := make([]complex128, n*n)
	line := make([]complex128, n)

	for i := range n {
		for j := range n {
			line[j] = complex(f[i*n+j], 0)
		}
		plan.Coefficients(out[i*n:(i+1)*n], line)
	}

	column := make([]complex128, n)
	for j := range n {
		for i := range n {
			line[i] = out[i*n+j]
		}
		plan.Coefficients(column, line)
		for i := range n {
			out[i*n+j] = column[i]
		}
	}

	scale := complex(1/float64(n*n), 0)
	for i := range out {
		out[i] *= scale
	}
	return out
}

// signedWavenumber maps an FFT index 0..n-1 to the integer wavenumber in
// [−n/2, n/2).
func signedWavenumber(idx, n int) int {
	if idx < (n+1)/2 {
		return idx
	}
	return idx - n
}

func checkField(name string, f []float64, n int) error {
	if n <= 0 {
		return fmt.Errorf("metrics: %s grid size n=%d must be positive", name, n)
	}
	if len(f) != n*n {
		return fmt.Errorf("metrics: %s field has %d values, want n*n = %d for n=%d; pass a row-major N x N field", name, len(f), n*n, n)
	}
	return nil
}

// ShellCount returns the number of wavenumber shells returned by the
// spectra of an N x N field: shells 0, 1, …, round(N/√2). Shells above N/2
// are only partly filled (they hold the corner modes of the square
// wavenumber grid) and are kept so that the shell sum satisfies Parseval.
func ShellCount(n int) int {
	return int(math.Round(float64(n)/math.Sqrt2)) + 1
}

// shellSum adds weight(kx, ky, |f̂|²) into the shell round(√(kx²+ky²)) for
// every mode of the normalized coefficients coeff, and returns the shell
// wavenumbers 0..ShellCount(n)−1 and the sums.
func shellSum(coeff []complex128, n int, weight func(kx, ky int, power float64) float64) (k, sum []float64) {
	shells := ShellCount(n)
	k = make([]float64, shells)
	for s := range k {
		k[s] = float64(s)
	}
	sum = make([]float64, shells)

	for iy := range n {
		ky := signedWavenumber(iy, n)
		for ix := range n {
			kx := signedWavenumber(ix, n)
			a := cmplx.Abs(coeff[iy*n+ix])
			shell := int(math.Round(math.Hypot(float64(kx), float64(ky))))
			sum[shell] += weight(kx, ky, a*a)
		}
	}
	return k, sum
}

// PowerSpectrum returns the isotropic, shell-summed power spectrum P(k) of a
// scalar field f (vorticity, closure term) on a periodic N x N grid in the
// row-major layout of this package.
//
// The wavenumbers k are integers in units of 2π/L, so P does not depend on
// the domain side L. With the Fourier coefficients normalized as
// f̂(kx,ky) = (1/N²) Σ f exp(−2πi(kx·x + ky·y)/L), shell k collects the
// modes with round(√(kx²+ky²)) = k:
//
//	P(k) = Σ_{shell k} |f̂(kx,ky)|²,   Σ_k P(k) = (1/N²) Σ f² (Parseval).
//
// P(0) is the squared mean of f. The result has [ShellCount](n) shells. It
// returns an error if len(f) != n*n.
//
// Reference: the discrete Parseval identity, e.g. W. H. Press et al.,
// "Numerical Recipes", 3rd ed., section 12.1.
func PowerSpectrum(f []float64, n int) (k, power []float64, err error) {
	if err := checkField("PowerSpectrum", f, n); err != nil {
		return nil, nil, err
	}

	coeff := fft2(f, n)
	k, power = shellSum(coeff, n, func(_, _ int, p float64) float64 { return p })
	return k, power, nil
}

// EnergySpectrum returns the isotropic, shell-summed kinetic energy spectrum
// E(k) of the 2D incompressible velocity whose vorticity is omega, on a
// periodic N x N grid of side L, in the row-major layout of this package.
//
// The velocity u = (∂ψ/∂y, −∂ψ/∂x) with −∇²ψ = ω has |û|² = |ω̂|²/|κ|²
// for the physical wavenumber κ = (2π/L)(kx, ky). With the coefficient
// normalization of [PowerSpectrum], shell k (in units of 2π/L) holds
//
//	E(k) = Σ_{shell k} ½|ω̂|²/|κ|²,   Σ_k E(k) = ½ mean |u|² (Parseval),
//
// the mean kinetic energy per unit area. The mean mode κ = 0 carries no
// velocity, so E(0) = 0. It returns an error if len(omega) != n*n or L is
// not positive.
func EnergySpectrum(omega []float64, n int, L float64) (k, energy []float64, err error) {
	if err := checkField("EnergySpectrum", omega, n); err != nil {
		return nil, nil, err
	}
	if !(L > 0) {
		return nil, nil, fmt.Errorf("metrics: EnergySpectrum domain side L=%g must be positive", L)
	}

	coeff := fft2(omega, n)
	unit := 2 * math.Pi / L
	k, energy = shellSum(coeff, n, func(kx, ky int, p float64) float64 {
		if kx == 0 && ky == 0 {
			return 0
		}
		kappa2 := unit * unit * float64(kx*kx+ky*ky)
		return 0.5 * p / kappa2
	})
	return k, energy, nil
}
