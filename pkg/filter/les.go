package filter

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/solver"
)

// LESParams returns the parameters of the LES that matches a DNS with
// parameters p under c: grid N/r, the same L, ν, α, dt and stepper, and the
// filtered forcing f̄. The built-in forcings are single Fourier modes, so f̄
// is f scaled by the transfer function at the forcing wavenumber, or zero
// when that wavenumber lies outside the LES grid. It returns an error when p
// does not match c's grid or uses ForcingCustom, whose filtered form must be
// supplied by the caller.
func (c *Coarsener) LESParams(p solver.Params) (solver.Params, error) {
	if p.N != c.cfg.N || p.L != c.cfg.L {
		return solver.Params{}, fmt.Errorf("filter: DNS parameters N=%d, L=%g do not match the coarsener's N=%d, L=%g; build the coarsener from the DNS grid",
			p.N, p.L, c.cfg.N, c.cfg.L)
	}

	les := p
	les.N = c.les.N
	kf := p.Forcing.Wavenumber
	kept := abs(kf) <= les.N/2-1

	switch p.Forcing.Kind {
	case solver.ForcingNone:
	case solver.ForcingKolmogorov:
		les.Forcing.Amplitude *= c.keptTransfer(kept, 0, kf)
	case solver.ForcingDiagonal:
		les.Forcing.Amplitude *= c.keptTransfer(kept, kf, kf)
	default:
		return solver.Params{}, fmt.Errorf("filter: forcing kind %d has no built-in filtered form; set the LES forcing yourself", p.Forcing.Kind)
	}
	return les, nil
}

func (c *Coarsener) keptTransfer(kept bool, kx, ky int) float64 {
	if !kept {
		return 0
	}
	return c.Transfer(kx, ky)
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}
