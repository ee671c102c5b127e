package apost

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/spectral"
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
	truth    *dnsClosure
	omega    []float64
	sums     []budget
	shells   shellSums // transfer by shell at the sampled steps of the window
	spectrum []float64
}

func newReferenceBudget(env Env) (*referenceBudget, error) {
	truth, err := newDNSClosure(env)
	if err != nil {
		return nil, fmt.Errorf("apost: setting up the closure term of the reference DNS failed: %w", err)
	}
	grid := truth.coarsener.LESGrid()
	return &referenceBudget{
		truth: truth, omega: make([]float64, len(truth.field)), sums: make([]budget, 1),
		spectrum: make([]float64, grid.SpectrumLen()),
	}, nil
}

// add adds ⟨ω̄H⟩ and ⟨H²⟩ of the DNS half spectrum dnsHat, filtered to the LES grid, and with
// byShell also its transfer by shell.
func (b *referenceBudget) add(dnsHat []complex128, byShell bool) {
	h := b.truth.compute(dnsHat)
	grid := b.truth.coarsener.LESGrid()
	grid.Inverse(b.omega, b.truth.barHat)
	b.sums[0].add(b.omega, h)
	if byShell {
		b.shells.add(grid.CrossSpectrum(b.spectrum, b.truth.barHat, b.truth.hHat))
	}
}

// referenceSamples is the number of steps per output interval at which the closure term of
// the reference DNS is computed. Computing it at every step added about 15% to the run time of
// BenchmarkRun (64² DNS, three closures of four 16² members).
const referenceSamples = 10

// referenceStride returns the number of steps between two evaluations of the reference
// DNS's closure term.
func (r *runner) referenceStride() int { return max(1, r.steps.output/referenceSamples) }

// shellSums sums the enstrophy transfer by wavenumber shell, T(k) = Σ_shell Re(conj(ω̄̂)·Ĥ)/N⁴
// (spectral.Grid.CrossSpectrum), over sampled steps. Σ_k T(k) is ⟨ω̄H⟩. Its fields are
// exported for the checkpoints' encoding/gob.
type shellSums struct {
	Sum     []float64
	Samples int
}

func (s *shellSums) add(spectrum []float64) {
	if s.Sum == nil {
		s.Sum = make([]float64, len(spectrum))
	}
	addSpectrum(s.Sum, spectrum)
	s.Samples++
}

// drain adds the sums of from into s and resets from.
func (s *shellSums) drain(from *shellSums) {
	if from.Samples == 0 {
		return
	}
	if s.Sum == nil {
		s.Sum = make([]float64, len(from.Sum))
	}
	addSpectrum(s.Sum, from.Sum)
	s.Samples += from.Samples
	clear(from.Sum)
	from.Samples = 0
}

// mean returns the mean transfer by shell, nil when no step was sampled.
func (s *shellSums) mean() []float64 { return scaled(s.Sum, s.Samples) }

// memberShells computes the transfer by shell of one LES member, with a grid of its own
// because members step concurrently and a transform writes into its grid's scratch.
type memberShells struct {
	grid           *spectral.Grid
	omegaHat, hHat []complex128
	spectrum       []float64
	sums           shellSums
}

func newMemberShells(n int, l float64) (*memberShells, error) {
	g, err := spectral.NewGrid(n, l, 1)
	if err != nil {
		return nil, err
	}
	return &memberShells{
		grid: g, omegaHat: make([]complex128, g.SpectralSize()), hHat: make([]complex128, g.SpectralSize()),
		spectrum: make([]float64, g.SpectrumLen()),
	}, nil
}

// add adds the transfer by shell of the physical fields omega and h.
func (s *memberShells) add(omega, h []float64) {
	s.grid.Forward(s.omegaHat, omega)
	s.grid.Forward(s.hHat, h)
	s.sums.add(s.grid.CrossSpectrum(s.spectrum, s.omegaHat, s.hHat))
}

// shellStart returns the first step whose transfer by shell is sampled: the start of the
// averaging window, or of the last output interval when the window is shorter.
func (r *runner) shellStart() int {
	return min(r.out.WindowStart, r.steps.total-r.steps.output)
}

// sampleShells reports whether the current step's transfer by shell is sampled: at the
// steps of the reference's transfer series from shellStart on.
func (r *runner) sampleShells() bool {
	return r.step >= r.shellStart() && r.step%r.referenceStride() == 0
}
