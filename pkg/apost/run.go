package apost

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"

	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/solver"
	"github.com/closure-lab/closure/pkg/spectral"
)

// ensemble is the LES ensemble of one closure.
type ensemble struct {
	closure Closure
	binding Binding
	members []*solver.Solver // nil once a member has failed
	stage   []int            // evaluations so far in the current step, per member
	states  [][]float64      // physical ω̄ at the start of the step, per member
	coupled bool             // false for None, whose members get no closure term
	budgets []budget         // transfer sums of the current output interval, per member
	shells  []*memberShells  // transfer by shell at sampled steps, per member
	// sampleShells is set by the runner before the members step, when the step's transfer
	// by shell is sampled.
	sampleShells bool
}

// runner is the state of one Run.
type runner struct {
	cfg   Config
	steps steps
	les   solver.Params
	log   *slog.Logger

	coarsener *filter.Coarsener
	lesGrid   *spectral.Grid // diagnostics of LES fields, separate from the coarsener's scratch
	dns       *solver.Solver
	recordDNS bool
	dnsStages [][]complex128
	stages    int

	ensembles []*ensemble
	reference *referenceBudget
	step      int
	out       *outputs
}

// Run runs the reference DNS and an ensemble of cfg.Members LES per closure
// from the filtered initial state, and compares them with the filtered DNS
// at every output time. Members that blow up are listed in the result's
// Failures and the others go on. A DNS that blows up stops the run with an
// error. With a checkpoint directory, Run resumes from its last checkpoint
// and saves new ones. On cancellation of ctx it returns ctx's error after the
// current output, and the work since the last checkpoint is lost.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	r, err := newRunner(cfg)
	if err != nil {
		return nil, err
	}

	resumed, err := r.resume()
	if err != nil {
		return nil, err
	}
	if !resumed {
		if err := r.start(); err != nil {
			return nil, err
		}
	}

	if err := r.loop(ctx); err != nil {
		return nil, err
	}
	return r.out.finish(r), nil
}

func newRunner(cfg Config) (*runner, error) {
	st, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, steps: st, log: cfg.Logger}
	if r.log == nil {
		r.log = slog.Default()
	}

	if r.coarsener, err = filter.New(cfg.Filter); err != nil {
		return nil, fmt.Errorf("apost: %w", err)
	}
	if r.les, err = r.coarsener.LESParams(cfg.DNS); err != nil {
		return nil, fmt.Errorf("apost: %w", err)
	}
	r.les.Workers = 1
	if r.lesGrid, err = spectral.NewGrid(r.les.N, r.les.L, 1); err != nil {
		return nil, fmt.Errorf("apost: %w", err)
	}
	if r.dns, err = solver.New(cfg.DNS); err != nil {
		return nil, fmt.Errorf("apost: DNS: %w", err)
	}

	for _, c := range cfg.Closures {
		r.recordDNS = r.recordDNS || c.UsesDNS()
		if err := r.addEnsemble(c); err != nil {
			return nil, err
		}
	}
	if r.recordDNS {
		r.dns.SetSpectralSource(r.recordStage)
	}
	if r.reference, err = newReferenceBudget(Env{Filter: cfg.Filter}); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *runner) addEnsemble(c Closure) error {
	env := Env{LES: r.les, Filter: r.cfg.Filter, Members: r.cfg.Members, Seed: r.cfg.Seed}
	binding, err := c.Bind(env)
	if err != nil {
		return err
	}

	_, isNone := c.(None)
	e := &ensemble{
		closure: c, binding: binding, coupled: !isNone,
		members: make([]*solver.Solver, r.cfg.Members),
		stage:   make([]int, r.cfg.Members),
		states:  make([][]float64, r.cfg.Members),
		budgets: make([]budget, r.cfg.Members),
		shells:  make([]*memberShells, r.cfg.Members),
	}
	for m := range e.members {
		s, err := solver.New(r.les)
		if err != nil {
			return fmt.Errorf("apost: LES of closure %q: %w", c.Name(), err)
		}
		if e.coupled {
			s.SetClosure(e.termFunc(m))
			if e.shells[m], err = newMemberShells(r.les.N, r.les.L); err != nil {
				return fmt.Errorf("apost: LES of closure %q: %w", c.Name(), err)
			}
		}
		e.members[m] = s
		e.states[m] = make([]float64, r.les.N*r.les.N)
	}
	r.ensembles = append(r.ensembles, e)
	return nil
}

// termFunc adapts the binding to member m's solver, counting the evaluations
// of the current step and adding the first one's transfer to the member's budget.
func (e *ensemble) termFunc(m int) solver.SourceFunc {
	return func(t float64, omega, h []float64) error {
		stage := e.stage[m]
		e.stage[m]++
		if err := e.binding.Term(m, stage, t, omega, h); err != nil {
			return err
		}
		if stage == 0 {
			e.budgets[m].add(omega, h)
			if e.sampleShells {
				e.shells[m].add(omega, h)
			}
		}
		return nil
	}
}

// recordStage stores the DNS state of each evaluation for the oracle. It adds
// nothing to the DNS right-hand side.
func (r *runner) recordStage(_ float64, omegaHat, _ []complex128) error {
	if r.stages == len(r.dnsStages) {
		r.dnsStages = append(r.dnsStages, make([]complex128, len(omegaHat)))
	}
	copy(r.dnsStages[r.stages], omegaHat)
	r.stages++
	return nil
}

// time returns the simulation time after `step` steps.
func (r *runner) time(step int) float64 {
	return r.cfg.StartTime + float64(step)*r.cfg.DNS.Dt
}

// start sets the initial states and records the first output.
func (r *runner) start() error {
	if err := r.dns.SetVorticity(r.cfg.Initial); err != nil {
		return fmt.Errorf("apost: initial DNS field: %w", err)
	}
	r.dns.SetTime(r.cfg.StartTime)
	barHat := make([]complex128, r.lesGrid.SpectralSize())
	r.coarsener.FilterHat(barHat, r.dns.VorticityHat())
	for _, e := range r.ensembles {
		for _, s := range e.members {
			if err := s.SetVorticityHat(barHat); err != nil {
				return fmt.Errorf("apost: initial LES field: %w", err)
			}
			s.SetTime(r.cfg.StartTime)
		}
	}

	r.step = 0
	r.out = newOutputs(r)
	return r.out.record(r)
}

// loop takes the remaining steps, recording outputs and writing checkpoints.
func (r *runner) loop(ctx context.Context) error {
	for r.step < r.steps.total {
		if r.steps.checkpoint > 0 && r.step%r.steps.checkpoint == 0 {
			r.restartSteppers()
		}
		if err := r.takeStep(); err != nil {
			return err
		}
		r.step++

		if r.step%r.steps.output != 0 {
			continue
		}
		if err := r.out.record(r); err != nil {
			return err
		}
		if r.cfg.Progress != nil {
			r.cfg.Progress(r.time(r.step))
		}
		if r.steps.checkpoint > 0 && r.step%r.steps.checkpoint == 0 && r.cfg.CheckpointDir != "" {
			if err := r.save(); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("apost: run stopped at t=%g (step %d): %w", r.time(r.step), r.step, err)
		}
	}
	return nil
}

// restartSteppers resets every solver's multistep history and time, as a
// resumed run does, so that both take the same steps.
func (r *runner) restartSteppers() {
	t := r.time(r.step)
	restart := func(s *solver.Solver) {
		// SetVorticityHat copies its argument, so passing the solver's own
		// spectrum only resets the history.
		_ = s.SetVorticityHat(s.VorticityHat())
		s.SetTime(t)
	}
	restart(r.dns)
	for _, e := range r.ensembles {
		for _, s := range e.members {
			if s != nil {
				restart(s)
			}
		}
	}
}

// takeStep advances the DNS, prepares every closure and advances every member.
func (r *runner) takeStep() error {
	t := r.time(r.step)
	r.stages = 0
	sample := r.sampleShells()
	if r.step%r.referenceStride() == 0 {
		r.reference.add(r.dns.VorticityHat(), sample)
	}
	if err := r.dns.Step(); err != nil {
		return fmt.Errorf("apost: reference DNS failed at step %d: %w", r.step, err)
	}

	info := StepInfo{Step: r.step, Time: t}
	if r.recordDNS {
		info.DNSStages = r.dnsStages[:r.stages]
	}
	for _, e := range r.ensembles {
		e.sampleShells = sample
		info.States = e.currentStates()
		if err := e.binding.Prepare(info); err != nil {
			return err
		}
	}

	return r.stepMembers()
}

// currentStates stores each live member's physical vorticity and returns the
// states, nil for failed members.
func (e *ensemble) currentStates() [][]float64 {
	states := make([][]float64, len(e.members))
	for m, s := range e.members {
		if s != nil {
			states[m] = s.Vorticity(e.states[m])
		}
	}
	return states
}

type memberJob struct {
	e   *ensemble
	m   int
	err error
}

// stepMembers advances all live members on cfg.Workers goroutines and then
// handles their errors in a fixed order.
func (r *runner) stepMembers() error {
	var jobs []*memberJob
	for _, e := range r.ensembles {
		for m, s := range e.members {
			if s != nil {
				jobs = append(jobs, &memberJob{e: e, m: m})
			}
		}
	}
	runJobs(jobs, r.workers())

	for _, job := range jobs {
		if job.err == nil {
			continue
		}
		if err := r.fail(job); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) workers() int {
	if r.cfg.Workers > 0 {
		return r.cfg.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func runJobs(jobs []*memberJob, workers int) {
	step := func(job *memberJob) {
		job.e.stage[job.m] = 0
		job.err = job.e.members[job.m].Step()
	}
	if workers <= 1 || len(jobs) <= 1 {
		for _, job := range jobs {
			step(job)
		}
		return
	}

	var wg sync.WaitGroup
	next := make(chan *memberJob)
	for range min(workers, len(jobs)) {
		wg.Go(func() {
			for job := range next {
				step(job)
			}
		})
	}
	for _, job := range jobs {
		next <- job
	}
	close(next)
	wg.Wait()
}

// fail records a member that blew up and drops it. Any other error stops
// the run.
func (r *runner) fail(job *memberJob) error {
	var blowUp *solver.BlowUpError
	name := job.e.closure.Name()
	if !errors.As(job.err, &blowUp) {
		return fmt.Errorf("apost: closure %q, member %d failed at step %d: %w", name, job.m, r.step, job.err)
	}

	f := Failure{Closure: name, Member: job.m, Time: blowUp.Time, Step: r.step, Reason: job.err.Error()}
	r.log.Warn("apost: LES member blew up; the others go on",
		"closure", name, "member", job.m, "time", f.Time, "step", f.Step, "error", job.err)
	r.out.addFailure(r, job.e, f)
	job.e.members[job.m] = nil
	return nil
}
