package filter

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/spectral"
)

// Kind selects the filter's transfer function.
type Kind int

const (
	// Sharp is the sharp spectral cutoff at the LES grid (the default).
	Sharp Kind = iota
	// Box is the top-hat filter of width Δ applied in x and in y.
	Box
	// Gaussian is the Gaussian filter of width Δ.
	Gaussian
)

// String returns the filter's name.
func (k Kind) String() string {
	switch k {
	case Sharp:
		return "sharp"
	case Box:
		return "box"
	case Gaussian:
		return "gaussian"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Config describes a coarse-graining from the DNS grid to the LES grid.
type Config struct {
	N     int     // DNS grid points per side, a power of two
	L     float64 // side of the periodic square
	Ratio int     // coarse-graining ratio r; the LES grid has N/r points per side, >= 4
	Kind  Kind    // transfer function; Sharp by default
	// Width is the filter width Δ in units of length for Box and Gaussian;
	// 0 means the LES grid spacing L·Ratio/N. Sharp ignores it.
	Width float64
	// Workers is the number of goroutines per FFT; 0 means 1.
	Workers int
}

// Coarsener filters DNS vorticity fields to the LES grid and computes the
// closure term H. Operators and transfer function are computed once by New.
// A Coarsener owns scratch and is not safe for concurrent use.
type Coarsener struct {
	cfg      Config
	dns, les *spectral.Grid
	transfer []float64 // G per LES half-spectrum entry, 0 on the LES Nyquist modes
	scale    float64   // (N_les/N)², from the unnormalized FFT

	dnsHat, dnsAdv               []complex128
	barHat, barAdv, advLES, hHat []complex128
}

// New validates cfg and builds a Coarsener. It returns an error when N is not
// divisible by Ratio, the LES grid has fewer than 4 points per side, or a
// grid size or width is invalid.
func New(cfg Config) (*Coarsener, error) {
	if cfg.Workers == 0 {
		cfg.Workers = 1
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Width == 0 {
		cfg.Width = cfg.L * float64(cfg.Ratio) / float64(cfg.N)
	}

	dns, err := spectral.NewGrid(cfg.N, cfg.L, cfg.Workers)
	if err != nil {
		return nil, fmt.Errorf("filter: DNS grid: %w", err)
	}
	les, err := spectral.NewGrid(cfg.N/cfg.Ratio, cfg.L, cfg.Workers)
	if err != nil {
		return nil, fmt.Errorf("filter: LES grid: %w", err)
	}

	nl := float64(les.N) / float64(dns.N)
	c := &Coarsener{cfg: cfg, dns: dns, les: les, scale: nl * nl}
	c.buildTransfer()
	c.dnsHat = make([]complex128, dns.SpectralSize())
	c.dnsAdv = make([]complex128, dns.SpectralSize())
	c.barHat = make([]complex128, les.SpectralSize())
	c.barAdv = make([]complex128, les.SpectralSize())
	c.advLES = make([]complex128, les.SpectralSize())
	c.hHat = make([]complex128, les.SpectralSize())
	return c, nil
}

func (cfg Config) validate() error {
	switch {
	case cfg.Ratio < 1:
		return fmt.Errorf("filter: ratio r=%d must be at least 1; use e.g. 4", cfg.Ratio)
	case cfg.N%cfg.Ratio != 0:
		return fmt.Errorf("filter: DNS size N=%d is not divisible by the ratio r=%d; choose r dividing N (a power of two such as 4)",
			cfg.N, cfg.Ratio)
	case cfg.N/cfg.Ratio < 4:
		return fmt.Errorf("filter: LES size N/r=%d/%d=%d is below 4; use a smaller ratio", cfg.N, cfg.Ratio, cfg.N/cfg.Ratio)
	case cfg.Kind < Sharp || cfg.Kind > Gaussian:
		return fmt.Errorf("filter: unknown filter kind %d; use Sharp, Box or Gaussian", int(cfg.Kind))
	case cfg.Width < 0 || math.IsNaN(cfg.Width) || math.IsInf(cfg.Width, 0):
		return fmt.Errorf("filter: width %g must be non-negative and finite; use 0 for the LES grid spacing", cfg.Width)
	case cfg.Workers < 1:
		return fmt.Errorf("filter: Workers=%d must be at least 1; use 0 for one worker", cfg.Workers)
	}
	return nil
}

func (c *Coarsener) buildTransfer() {
	les := c.les
	c.transfer = make([]float64, les.SpectralSize())
	for r := 0; r < les.N; r++ {
		ky := les.KyIndex(r)
		for col := 0; col < les.NK; col++ {
			if col == les.N/2 || ky == -les.N/2 {
				continue
			}
			c.transfer[r*les.NK+col] = c.Transfer(col, ky)
		}
	}
}

// Transfer returns the transfer function G at the integer wavenumber
// (kx, ky), in units of 2π/L, before truncation.
func (c *Coarsener) Transfer(kx, ky int) float64 {
	unit := 2 * math.Pi / c.cfg.L
	qx, qy := unit*float64(kx), unit*float64(ky)
	delta := c.cfg.Width

	switch c.cfg.Kind {
	case Box:
		return sinc(qx*delta/2) * sinc(qy*delta/2)
	case Gaussian:
		return math.Exp(-(qx*qx + qy*qy) * delta * delta / 24)
	default:
		return 1
	}
}

func sinc(s float64) float64 {
	if s == 0 {
		return 1
	}
	return math.Sin(s) / s
}

// Config returns the configuration with defaults filled in.
func (c *Coarsener) Config() Config { return c.cfg }

// DNSGrid returns the DNS grid. It shares scratch with c.
func (c *Coarsener) DNSGrid() *spectral.Grid { return c.dns }

// LESGrid returns the LES grid. It shares scratch with c.
func (c *Coarsener) LESGrid() *spectral.Grid { return c.les }

// FilterHat stores in dstLES (LES half spectrum) the filtered and truncated
// DNS half spectrum srcDNS, rescaled for the unnormalized FFT of the smaller
// grid so that both transforms give the same physical field.
func (c *Coarsener) FilterHat(dstLES, srcDNS []complex128) {
	les, dns := c.les, c.dns
	for r := 0; r < les.N; r++ {
		ky := les.KyIndex(r)
		rd := (ky + dns.N) % dns.N
		for col := 0; col < les.NK; col++ {
			g := c.transfer[r*les.NK+col] * c.scale
			dstLES[r*les.NK+col] = complex(g, 0) * srcDNS[rd*dns.NK+col]
		}
	}
}

// Filter stores in dst (length (N/r)²) the filtered DNS vorticity omegaDNS
// (length N²) on the LES grid. It panics on wrong lengths.
func (c *Coarsener) Filter(dst, omegaDNS []float64) {
	c.dns.Forward(c.dnsHat, omegaDNS)
	c.FilterHat(c.barHat, c.dnsHat)
	c.les.Inverse(dst, c.barHat)
}

// Closure stores in omegaBar and h (each of length (N/r)²) the filtered
// vorticity ω̄ and the closure term H = (u·∇ω)‾ − ū·∇ω̄ of the DNS vorticity
// omegaDNS (length N²), with the dealiasing conventions of the package doc.
// It panics on wrong lengths.
func (c *Coarsener) Closure(omegaBar, h, omegaDNS []float64) {
	c.dns.Forward(c.dnsHat, omegaDNS)
	c.ClosureHat(c.barHat, c.hHat, c.dnsHat)
	c.les.Inverse(omegaBar, c.barHat)
	c.les.Inverse(h, c.hHat)
}

// ClosureHat is Closure in spectral space: from the DNS half spectrum
// omegaHatDNS it stores the LES half spectra of ω̄ in barHat and of H in hHat.
func (c *Coarsener) ClosureHat(barHat, hHat, omegaHatDNS []complex128) {
	c.dns.Advection(c.dnsAdv, omegaHatDNS)
	c.FilterHat(barHat, omegaHatDNS)
	c.FilterHat(c.barAdv, c.dnsAdv)

	c.les.Advection(c.advLES, barHat)
	for i := range hHat {
		hHat[i] = c.barAdv[i] - c.advLES[i]
	}
}
