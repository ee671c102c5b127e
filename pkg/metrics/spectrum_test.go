package metrics

import (
	"fmt"
	"math"
	"testing"
)

// modeField returns A·cos(2π(m·x + q·y)/L) + c on an N x N grid.
func modeField(n int, amp float64, m, q int, c float64) []float64 {
	f := make([]float64, n*n)
	for i := range n {
		for j := range n {
			phase := 2 * math.Pi * float64(m*j+q*i) / float64(n)
			f[i*n+j] = amp*math.Cos(phase) + c
		}
	}
	return f
}

func meanSquare(f []float64) float64 {
	var s float64
	for _, v := range f {
		s += v * v
	}
	return s / float64(len(f))
}

func sum(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}

func TestPowerSpectrumSingleMode(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	for _, n := range []int{32, 33} {
		// (m, q) = (3, 4) lies in shell 5; the cosine splits A² / 2 between
		// the modes ±(3, 4), and the constant c lands in shell 0 as c².
		f := modeField(n, 2, 3, 4, 0.5)

		k, power, err := PowerSpectrum(f, n)
		mustNoErr(t, err)
		if len(k) != ShellCount(n) || len(power) != ShellCount(n) {
			t.Fatalf("n=%d: got %d shells, want %d", n, len(power), ShellCount(n))
		}
		for s := range power {
			want := 0.0
			switch s {
			case 0:
				want = 0.25
			case 5:
				want = 2
			}
			assertClose(t, "P(k) of a single mode", power[s], want, tol)
			if k[s] != float64(s) {
				t.Errorf("k[%d] = %g, want %d", s, k[s], s)
			}
		}
	}
}

func TestPowerSpectrumParseval(t *testing.T) {
	t.Parallel()
	const tol = 1e-12
	r := newRand(5)
	for _, n := range []int{16, 24, 31} {
		f := normals(r, n*n, 0.2, 1.3)
		_, power, err := PowerSpectrum(f, n)
		mustNoErr(t, err)
		assertClose(t, "Σ P(k) vs mean f²", sum(power), meanSquare(f), tol)
	}
}

func TestEnergySpectrumSingleMode(t *testing.T) {
	t.Parallel()
	const (
		n   = 32
		amp = 1.5
		m   = 4
		L   = 2 * math.Pi * 3 // unit wavenumber 1/3
		tol = 1e-12
	)
	// ω = A cos(κx) with κ = 2πm/L has ψ = (A/κ²)cos(κx), |u|² mean A²/(2κ²),
	// so E(m) = A²/(4κ²) and all other shells are empty.
	omega := modeField(n, amp, m, 0, 0)
	kappa := 2 * math.Pi * m / L

	_, energy, err := EnergySpectrum(omega, n, L)
	mustNoErr(t, err)
	for s := range energy {
		want := 0.0
		if s == m {
			want = amp * amp / (4 * kappa * kappa)
		}
		assertClose(t, "E(k) of a single vorticity mode", energy[s], want, tol)
	}
}

// The energy spectrum sums to ½ mean |u|², with u computed spectrally from
// the same vorticity: u and v for each Fourier mode are (i ky, −i kx) ψ̂.
func TestEnergySpectrumParseval(t *testing.T) {
	t.Parallel()
	const (
		n   = 16
		L   = 2.0
		tol = 1e-12
	)
	r := newRand(6)
	omega := normals(r, n*n, 0, 1)

	coeff := fft2(omega, n)
	unit := 2 * math.Pi / L
	var kinetic float64
	for iy := range n {
		for ix := range n {
			kx := unit * float64(signedWavenumber(ix, n))
			ky := unit * float64(signedWavenumber(iy, n))
			k2 := kx*kx + ky*ky
			if k2 == 0 {
				continue
			}
			psi := coeff[iy*n+ix] / complex(k2, 0)
			u := complex(0, ky) * psi
			v := complex(0, -kx) * psi
			kinetic += 0.5 * (real(u)*real(u) + imag(u)*imag(u) + real(v)*real(v) + imag(v)*imag(v))
		}
	}

	_, energy, err := EnergySpectrum(omega, n, L)
	mustNoErr(t, err)
	assertClose(t, "Σ E(k) vs ½ mean |u|²", sum(energy), kinetic, tol)
	if energy[0] != 0 {
		t.Errorf("E(0) = %g, want 0", energy[0])
	}
}

func TestSpectrumErrors(t *testing.T) {
	t.Parallel()
	if _, _, err := PowerSpectrum(make([]float64, 10), 4); err == nil {
		t.Error("PowerSpectrum with len != n*n returned no error")
	}
	if _, _, err := EnergySpectrum(make([]float64, 16), 4, 0); err == nil {
		t.Error("EnergySpectrum with L = 0 returned no error")
	}
}

func BenchmarkPowerSpectrum(b *testing.B) {
	for _, n := range []int{64, 256} {
		f := normals(newRand(7), n*n, 0, 1)
		b.Run(sizeName(n), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := PowerSpectrum(f, n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func sizeName(n int) string {
	return fmt.Sprintf("N=%d", n)
}
