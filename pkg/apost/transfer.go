package apost

import (
	"fmt"
	"math"
)

// budget sums, over the steps of one output interval, the closure's enstrophy transfer
// ⟨ω̄H⟩ and its mean square ⟨H²⟩, both taken at the first evaluation of each step.
type budget struct {
	transfer, square float64
	steps            int
}

// add adds one step's ⟨ω̄H⟩ and ⟨H²⟩ of the fields omega and h.
func (b *budget) add(omega, h []float64) {
	var transfer, square float64
	for i, v := range h {
		transfer += omega[i] * v
		square += v * v
	}
	b.transfer += transfer / float64(len(h))
	b.square += square / float64(len(h))
	b.steps++
}

// interval returns the interval means of ⟨ω̄H⟩ and of √⟨H²⟩ over a set of budgets, pooling
// their steps, and resets them. Both are NaN when no budget contains a step.
func interval(budgets []budget) (transfer, rms Float) {
	var sumTransfer, sumSquare float64
	steps := 0
	for i := range budgets {
		sumTransfer += budgets[i].transfer
		sumSquare += budgets[i].square
		steps += budgets[i].steps
		budgets[i] = budget{}
	}
	if steps == 0 {
		return Float(math.NaN()), Float(math.NaN())
	}
	return Float(sumTransfer / float64(steps)), Float(math.Sqrt(sumSquare / float64(steps)))
}

// referenceBudget computes the closure term of the reference DNS at the start of every
// referenceStride-th step, for the reference's transfer series.
type referenceBudget struct {
	truth *dnsClosure
	omega []float64
	sums  []budget
}

func newReferenceBudget(env Env) (*referenceBudget, error) {
	truth, err := newDNSClosure(env)
	if err != nil {
		return nil, fmt.Errorf("apost: setting up the closure term of the reference DNS failed: %w", err)
	}
	return &referenceBudget{truth: truth, omega: make([]float64, len(truth.field)), sums: make([]budget, 1)}, nil
}

// add adds ⟨ω̄H⟩ and ⟨H²⟩ of the DNS half spectrum dnsHat, filtered to the LES grid.
func (b *referenceBudget) add(dnsHat []complex128) {
	h := b.truth.compute(dnsHat)
	b.truth.coarsener.LESGrid().Inverse(b.omega, b.truth.barHat)
	b.sums[0].add(b.omega, h)
}

// referenceSamples is the number of steps per output interval at which the closure term of
// the reference DNS is computed. Computing it at every step added about 15% to the run time of
// BenchmarkRun (64² DNS, three closures of four 16² members).
const referenceSamples = 10

// referenceStride returns the number of steps between two evaluations of the reference
// DNS's closure term.
func (r *runner) referenceStride() int { return max(1, r.steps.output/referenceSamples) }
