package apost

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/filter"
)

// Oracle is the true closure term of the reference DNS that Run advances in
// lockstep with the LES: at every evaluation of an LES right-hand side it
// supplies H = (u·∇ω)‾ − ū·∇ω̄ of the DNS state at the same stage of the same
// step (filter.Coarsener.ClosureHat). The DNS and the LES share the time step
// and the stepper (filter.Coarsener.LESParams), and the filter commutes with
// the linear terms, so an oracle LES reproduces the filtered DNS up to
// round-off. Every member receives the same H, so the ensemble has no spread.
type Oracle struct{}

// Name returns "oracle".
func (Oracle) Name() string { return "oracle" }

// UsesDNS returns true: the oracle reads StepInfo.DNSStages.
func (Oracle) UsesDNS() bool { return true }

// Bind builds the coarsener that turns DNS stages into closure terms.
func (Oracle) Bind(env Env) (Binding, error) {
	truth, err := newDNSClosure(env)
	if err != nil {
		return nil, fmt.Errorf("apost: oracle closure: %w", err)
	}
	return &oracleBinding{truth: truth}, nil
}

type oracleBinding struct {
	truth  *dnsClosure
	terms  [][]float64 // H per stage of the current step, physical LES grid
	stages int
}

func (b *oracleBinding) Prepare(info StepInfo) error {
	if len(info.DNSStages) == 0 {
		return fmt.Errorf("apost: oracle closure got no DNS stages at step %d (t=%g); the run must record them (Closure.UsesDNS)",
			info.Step, info.Time)
	}

	for len(b.terms) < len(info.DNSStages) {
		b.terms = append(b.terms, make([]float64, len(b.truth.field)))
	}
	for k, stage := range info.DNSStages {
		copy(b.terms[k], b.truth.compute(stage))
	}
	b.stages = len(info.DNSStages)
	return nil
}

func (b *oracleBinding) Term(member, stage int, t float64, _, h []float64) error {
	if stage >= b.stages {
		return fmt.Errorf("apost: oracle closure: member %d asked for stage %d at t=%g but the DNS step had %d; the DNS and the LES must use the same stepper",
			member, stage, t, b.stages)
	}
	copy(h, b.terms[stage])
	return nil
}

// dnsClosure computes the closure term of the reference DNS at the start of a step on the
// LES grid, for learned closures that read it at their sensors.
type dnsClosure struct {
	coarsener    *filter.Coarsener
	barHat, hHat []complex128
	field        []float64
}

func newDNSClosure(env Env) (*dnsClosure, error) {
	c, err := filter.New(env.Filter)
	if err != nil {
		return nil, err
	}
	g := c.LESGrid()
	return &dnsClosure{coarsener: c, barHat: make([]complex128, g.SpectralSize()), hHat: make([]complex128, g.SpectralSize()), field: make([]float64, g.Size())}, nil
}

// compute returns H on the physical LES grid for the DNS half spectrum stage. The result
// is overwritten by the next call.
func (d *dnsClosure) compute(stage []complex128) []float64 {
	d.coarsener.ClosureHat(d.barHat, d.hHat, stage)
	d.coarsener.LESGrid().Inverse(d.field, d.hHat)
	return d.field
}

// measure writes H of the first DNS stage of the step into every n x n field of dst.
func (d *dnsClosure) measure(info StepInfo, dst []float32) error {
	if len(info.DNSStages) == 0 {
		return fmt.Errorf("no DNS stages at step %d (t=%g); the run must record them (Closure.UsesDNS)", info.Step, info.Time)
	}
	field := d.compute(info.DNSStages[0])
	for offset := 0; offset < len(dst); offset += len(field) {
		toFloat32(dst[offset:offset+len(field)], field)
	}
	return nil
}
