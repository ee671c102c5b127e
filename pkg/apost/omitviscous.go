package apost

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/spectral"
)

// OmitViscous is the closure H = ν∇²ω̄, computed spectrally on the LES
// grid. The LES subtracts H, so the LES runs without its viscous term. It is
// the LES "without closure" of the predecessor's a-posteriori test, whose
// learned term was the viscous term ν∇²ω of the fine solution (plus its
// stochastic forcing), so it gives the like-for-like counterpart of their
// no-closure errors.
type OmitViscous struct{}

// Name returns "omit-viscous".
func (OmitViscous) Name() string { return "omit-viscous" }

// UsesDNS returns false.
func (OmitViscous) UsesDNS() bool { return false }

// Bind allocates one scratch grid per member.
func (OmitViscous) Bind(env Env) (Binding, error) {
	b := &omitViscousBinding{nu: env.LES.Nu}
	for range env.Members {
		g, err := spectral.NewGrid(env.LES.N, env.LES.L, 1)
		if err != nil {
			return nil, fmt.Errorf("apost: omit-viscous grid: %w", err)
		}
		b.grids = append(b.grids, g)
		b.hats = append(b.hats, make([]complex128, g.SpectralSize()))
	}
	return b, nil
}

type omitViscousBinding struct {
	nu    float64
	grids []*spectral.Grid
	hats  [][]complex128
}

func (b *omitViscousBinding) Prepare(StepInfo) error { return nil }

func (b *omitViscousBinding) Term(member, _ int, _ float64, omega, h []float64) error {
	g, hat := b.grids[member], b.hats[member]
	g.Forward(hat, omega)
	for i, k2 := range g.K2 {
		hat[i] *= complex(-b.nu*k2, 0)
	}
	g.Inverse(h, hat)
	return nil
}
