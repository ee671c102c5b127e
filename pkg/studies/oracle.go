package studies

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/metrics"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/solver"
)

// OracleConfig selects an oracle LES run. The zero value starts from the
// first snapshot of the trajectory, runs 5 time units and samples the errors
// about 100 times.
type OracleConfig struct {
	// Snapshot is the index of the trajectory snapshot the DNS starts from.
	Snapshot int
	// Duration is the simulated time, a multiple of the time step; 0 means 5.
	Duration float64
	// Interval is the time between error samples, a multiple of the time
	// step; 0 means about Duration/100.
	Interval float64
}

// OracleResult compares two LES runs on the LES grid of N x N points with the
// filtered DNS.
type OracleResult struct {
	N int
	// Times are the sample times, measured from the start of the runs.
	Times []float64
	// Oracle[i] and NoClosure[i] are ‖ω_LES − ω̄_DNS‖₂/‖ω̄_DNS‖₂ at Times[i]
	// for the LES driven by the true H and for the LES with H = 0.
	Oracle    []float64
	NoClosure []float64
	// FilteredDNS, OracleLES and NoClosureLES are the three vorticity fields
	// at the end (length N*N).
	FilteredDNS, OracleLES, NoClosureLES []float64
}

// OracleLES runs the DNS of the preset from a trajectory snapshot beside two
// LES runs on the preset's LES grid that start from its filtered field. The
// oracle LES subtracts, at every evaluation of its right-hand side, the true
// closure H computed from the DNS state of the same stage. The other LES has
// no closure.
// With the filter's conventions (see package filter) the oracle LES equals
// the filtered DNS up to round-off, which checks that H is the exact closure,
// while the LES without closure drifts away. It returns an error when the
// snapshot index is out of range or a run fails.
func OracleLES(p preset.Preset, tr *Trajectory, cfg OracleConfig) (*OracleResult, error) {
	if cfg.Snapshot < 0 || cfg.Snapshot >= len(tr.Snapshots) {
		return nil, fmt.Errorf("studies: oracle start snapshot %d is outside the trajectory's %d snapshots", cfg.Snapshot, len(tr.Snapshots))
	}
	run, err := newOracleRun(p, tr.Snapshots[cfg.Snapshot])
	if err != nil {
		return nil, err
	}

	dt := run.dns.Params().Dt
	duration, interval := cfg.Duration, cfg.Interval
	if duration == 0 {
		duration = 5
	}
	steps, err := stepsIn(duration, dt, "oracle duration")
	if err != nil {
		return nil, err
	}
	if interval == 0 {
		interval = float64(max(steps/100, 1)) * dt
	}
	every, err := stepsIn(interval, dt, "oracle sampling interval")
	if err != nil {
		return nil, err
	}

	res := &OracleResult{N: run.coarsener.LESGrid().N}
	for step := 1; step <= steps; step++ {
		if err := run.step(); err != nil {
			return nil, fmt.Errorf("studies: oracle LES at step %d: %w", step, err)
		}
		if step%every == 0 || step == steps {
			if err := run.record(res, float64(step)*dt); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

// oracleRun advances a DNS and two LES solvers in lockstep. The DNS records
// the half spectrum of each stage through a zero spectral source, and the
// oracle LES consumes them in the same order, so its stage s receives H of
// the DNS at stage s.
type oracleRun struct {
	dns, oracle, bare *solver.Solver
	coarsener         *filter.Coarsener
	stages            [][]complex128
	next              int
}

func newOracleRun(p preset.Preset, omega []float64) (*oracleRun, error) {
	params, err := p.SolverParams()
	if err != nil {
		return nil, err
	}
	c, err := NewCoarsener(p)
	if err != nil {
		return nil, err
	}
	lesParams, err := c.LESParams(params)
	if err != nil {
		return nil, err
	}

	run := &oracleRun{coarsener: c}
	if run.dns, err = solver.New(params); err != nil {
		return nil, err
	}
	if err := run.dns.SetVorticity(omega); err != nil {
		return nil, err
	}
	bar := make([]float64, lesParams.N*lesParams.N)
	c.Filter(bar, omega)
	for _, les := range []**solver.Solver{&run.oracle, &run.bare} {
		if *les, err = solver.New(lesParams); err != nil {
			return nil, err
		}
		if err := (*les).SetVorticity(bar); err != nil {
			return nil, err
		}
	}

	run.dns.SetSpectralSource(run.recordStage)
	run.oracle.SetSpectralSource(run.subtractClosure)
	return run, nil
}

func (r *oracleRun) recordStage(_ float64, omegaHat, _ []complex128) error {
	r.stages = append(r.stages, append([]complex128(nil), omegaHat...))
	return nil
}

// subtractClosure writes −H of the next recorded DNS stage into dstHat.
func (r *oracleRun) subtractClosure(_ float64, _, dstHat []complex128) error {
	if r.next >= len(r.stages) {
		return fmt.Errorf("studies: the oracle LES evaluated more stages (%d) than the DNS recorded; the two runs must share the stepper", r.next+1)
	}
	barHat := make([]complex128, len(dstHat))
	r.coarsener.ClosureHat(barHat, dstHat, r.stages[r.next])
	for i := range dstHat {
		dstHat[i] = -dstHat[i]
	}
	r.next++
	return nil
}

func (r *oracleRun) step() error {
	r.stages, r.next = r.stages[:0], 0
	if err := r.dns.Step(); err != nil {
		return err
	}
	if err := r.oracle.Step(); err != nil {
		return err
	}
	return r.bare.Step()
}

func (r *oracleRun) record(res *OracleResult, t float64) error {
	n := res.N
	res.FilteredDNS = make([]float64, n*n)
	r.coarsener.Filter(res.FilteredDNS, r.dns.Vorticity(nil))
	res.OracleLES = r.oracle.Vorticity(nil)
	res.NoClosureLES = r.bare.Vorticity(nil)

	oracle, err := metrics.RelativeL2(res.OracleLES, res.FilteredDNS)
	if err != nil {
		return err
	}
	bare, err := metrics.RelativeL2(res.NoClosureLES, res.FilteredDNS)
	if err != nil {
		return err
	}
	res.Times = append(res.Times, t)
	res.Oracle = append(res.Oracle, oracle)
	res.NoClosure = append(res.NoClosure, bare)
	return nil
}
