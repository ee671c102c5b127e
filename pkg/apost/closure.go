package apost

import (
	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/solver"
)

// Closure is a model of the closure term H of the LES equation
// ∂ω̄/∂t + ū·∇ω̄ = ν∇²ω̄ − αω̄ + f̄ − H. Run binds it once per run, for all
// members of its ensemble.
type Closure interface {
	// Name labels the closure in results, logs and figures. Names must be
	// unique within one Run.
	Name() string

	// UsesDNS reports whether the closure reads the DNS stage states in
	// StepInfo.DNSStages. Run records them only when some closure does.
	UsesDNS() bool

	// Bind prepares the closure for one ensemble run described by env.
	Bind(env Env) (Binding, error)
}

// Env describes the ensemble run a closure is bound to.
type Env struct {
	LES     solver.Params // parameters of every LES member (grid n = LES.N)
	Filter  filter.Config // coarse-graining from the DNS grid to the LES grid
	Members int           // ensemble size M
	Seed    int64         // base seed of the run; stochastic closures derive their streams from it
}

// StepInfo describes the LES step about to be taken, for Binding.Prepare.
type StepInfo struct {
	// Step is the index of the step counted from the start of the run (0 for
	// the first step), the same in resumed and uninterrupted runs.
	Step int
	// Time is the simulation time at the start of the step.
	Time float64
	// States holds each member's physical vorticity ω̄ (length n*n) at the
	// start of the step, read only; nil for a member that has failed.
	States [][]float64
	// DNSStages holds the DNS half spectra (layout of package spectral, DNS
	// grid) at the evaluations of this step, in order: one per evaluation of
	// the explicit term by the stepper. It is nil unless a closure of the run
	// reports UsesDNS.
	DNSStages [][]complex128
}

// Binding is a closure bound to one ensemble run. Run calls Prepare once
// before each step, then Term from each member's solver at every evaluation
// of its right-hand side. Term may be called concurrently for different
// members, never for the same member.
//
// A Binding must compute the same terms from the same StepInfo whatever
// happened before the step, so that a run resumed at a checkpoint repeats an
// uninterrupted run exactly. State held across steps is allowed only when it
// is rebuilt at a step that Run resumes from (see Learned.Every).
type Binding interface {
	// Prepare receives the states at the start of a step. An error stops
	// the run.
	Prepare(info StepInfo) error
	// Term writes H of member m for evaluation `stage` of the current step
	// (0 for the first) at time t and stage state omega (length n*n, read
	// only) into h (length n*n, zeroed by the solver). A *solver.BlowUpError
	// marks the member as blown up, and any other error stops the run.
	Term(member, stage int, t float64, omega, h []float64) error
}

// None is the LES without a closure model, H = 0.
type None struct{}

// Name returns "none".
func (None) Name() string { return "none" }

// UsesDNS returns false.
func (None) UsesDNS() bool { return false }

// Bind returns a binding whose Term leaves H = 0.
func (None) Bind(Env) (Binding, error) { return noneBinding{}, nil }

type noneBinding struct{}

func (noneBinding) Prepare(StepInfo) error                             { return nil }
func (noneBinding) Term(int, int, float64, []float64, []float64) error { return nil }
