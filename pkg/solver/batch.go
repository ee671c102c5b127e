package solver

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/closure-lab/closure/pkg/spectral"
)

// BatchSnapshotFunc receives the trajectory index, the time and the physical
// vorticity at a snapshot of RunBatch. It is called concurrently from
// different trajectories, so it must be safe for concurrent use; omega is
// reused between calls of one trajectory.
type BatchSnapshotFunc func(member int, t float64, omega []float64) error

// RunBatch integrates len(initial) trajectories with parameters p for
// `duration` time units. Trajectory m starts from the physical vorticity
// initial[m] (length N*N) and calls snap after every `every` time units as
// Advance does. Trajectories run on runtime.GOMAXPROCS(0) goroutines with one
// FFT worker each, so p.Workers is ignored. A failed trajectory does not stop
// the others. RunBatch returns the errors of all failed trajectories joined,
// each naming its index.
func RunBatch(p Params, initial [][]float64, duration, every float64, snap BatchSnapshotFunc) error {
	p.Workers = 1
	if err := p.Validate(); err != nil {
		return err
	}

	jobs := make(chan int)
	errs := make([]error, len(initial))
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(initial)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range jobs {
				errs[m] = runMember(p, m, initial[m], duration, every, snap)
			}
		}()
	}
	for m := range initial {
		jobs <- m
	}
	close(jobs)
	wg.Wait()

	return errors.Join(errs...)
}

func runMember(p Params, m int, omega0 []float64, duration, every float64, snap BatchSnapshotFunc) error {
	s, err := New(p)
	if err != nil {
		return fmt.Errorf("trajectory %d: %w", m, err)
	}
	if err := s.SetVorticity(omega0); err != nil {
		return fmt.Errorf("trajectory %d: %w", m, err)
	}

	var cb SnapshotFunc
	if snap != nil {
		cb = func(t float64, omega []float64) error { return snap(m, t, omega) }
	}
	if err := s.Advance(duration, every, cb); err != nil {
		return fmt.Errorf("trajectory %d: %w", m, err)
	}
	return nil
}

// RandomInitialConditions returns `count` physical vorticity fields for the
// grid of p, drawn from rf with seeds rf.Seed, rf.Seed+1, ….
func RandomInitialConditions(p Params, rf spectral.RandomField, count int) ([][]float64, error) {
	p.Workers = 1
	s, err := New(p)
	if err != nil {
		return nil, err
	}

	out := make([][]float64, count)
	for m := range out {
		member := rf
		member.Seed = rf.Seed + uint64(m)
		if err := s.SetRandomVorticity(member); err != nil {
			return nil, err
		}
		out[m] = s.Vorticity(nil)
	}
	return out, nil
}
