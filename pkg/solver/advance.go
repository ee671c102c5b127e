package solver

import (
	"fmt"
	"math"
)

// SnapshotFunc receives the time and the physical vorticity (length N*N) at a
// snapshot. omega is reused between calls: copy it to keep it. A non-nil
// error stops Advance.
type SnapshotFunc func(t float64, omega []float64) error

// stepsIn returns span/dt as an integer, or an error if span is not a
// positive multiple of dt within relative round-off.
func stepsIn(span, dt float64, what string) (int, error) {
	// multipleTol is the relative mismatch allowed between span and k·dt.
	const multipleTol = 1e-9
	k := math.Round(span / dt)
	if !(span > 0) || k < 1 || math.Abs(span-k*dt) > multipleTol*span {
		return 0, fmt.Errorf("solver: %s %g is not a positive multiple of dt=%g; use a multiple such as %g",
			what, span, dt, math.Max(1, k)*dt)
	}
	return int(k), nil
}

// Advance takes round(duration/dt) steps and calls snap, if not nil, after
// every `every` time units, including at the end. snap is not called for the
// initial state. duration and every must be positive multiples of dt, and
// every = 0 means every = duration. It returns the first error of Step or
// snap.
func (s *Solver) Advance(duration, every float64, snap SnapshotFunc) error {
	dt := s.params.Dt
	total, err := stepsIn(duration, dt, "duration")
	if err != nil {
		return err
	}
	if every == 0 {
		every = duration
	}
	stride, err := stepsIn(every, dt, "snapshot interval")
	if err != nil {
		return err
	}

	var omega []float64
	for k := 1; k <= total; k++ {
		if err := s.Step(); err != nil {
			return err
		}
		if snap == nil || k%stride != 0 {
			continue
		}
		omega = s.Vorticity(omega)
		if err := snap(s.time, omega); err != nil {
			return fmt.Errorf("solver: snapshot at t=%g: %w", s.time, err)
		}
	}
	return nil
}
