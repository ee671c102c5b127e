package experiment

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/solver"
)

// GenerateOptions tunes Generate. The zero value generates every trajectory on all cores.
type GenerateOptions struct {
	// Shard selects the trajectories of one worker of a sharded generation; the zero
	// value means all of them.
	Shard dataset.Shard
	// Workers is the number of trajectories simulated at once; 0 means GOMAXPROCS.
	Workers int
	// Progress, when set, is called after each snapshot with the simulated time done and
	// the total over all pending trajectories. It is called from several goroutines.
	Progress func(done, total float64)
}

// Generate simulates the DNS trajectories of a preset, filters each snapshot to the LES
// grid and writes (ω̄, H) pairs to the data set in dir. It resumes an interrupted run:
// trajectories already written and intact are skipped. A trajectory that blows up is
// reported with its index, time and step, and the others go on; Generate then returns
// the joined errors and the data set stays incomplete.
func Generate(ctx context.Context, p preset.Preset, dir string, opts GenerateOptions) (*dataset.Writer, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	// One trajectory runs per core, so each solver uses one FFT goroutine.
	params, err := p.SolverParams()
	if err != nil {
		return nil, err
	}
	params.Workers = 1
	filterConfig, err := p.FilterConfig()
	if err != nil {
		return nil, err
	}
	writer, err := dataset.OpenWriter(dir, DatasetConfig(p, opts.Shard))
	if err != nil {
		return nil, err
	}

	pending := writer.Pending()
	if len(pending) == 0 {
		return writer, nil
	}
	slog.Info("generating closure data", "preset", p.Name, "dir", dir, "trajectories", len(pending),
		"dns", p.Flow.GridSize, "les", p.LESGridSize(), "shard", opts.Shard.String())

	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	progress := newProgressCounter(opts.Progress, float64(len(pending))*trajectoryDuration(p))

	jobs := make(chan int)
	errs := make([]error, len(pending))
	var wg sync.WaitGroup
	for range min(workers, len(pending)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				k := pending[i]
				tr, err := simulateTrajectory(ctx, p, params, filterConfig, k, progress)
				if err == nil {
					err = writer.Add(*tr)
				}
				if err != nil {
					errs[i] = fmt.Errorf("trajectory %d: %w", k, err)
					slog.Error("trajectory failed", "trajectory", k, "err", err)
				}
			}
		}()
	}
	for i := range pending {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	return writer, errors.Join(errs...)
}

// trajectoryDuration returns the simulated time of one trajectory: spin-up plus snapshots.
func trajectoryDuration(p preset.Preset) float64 {
	return p.Data.SpinUp + p.Data.Interval*float64(p.Data.Snapshots)
}

// simulateTrajectory runs trajectory k from its seeded initial field and returns its
// filtered snapshots and closure terms.
func simulateTrajectory(ctx context.Context, p preset.Preset, params solver.Params, fc filter.Config, k int, progress *progressCounter) (*dataset.Trajectory, error) {
	s, err := solver.New(params)
	if err != nil {
		return nil, err
	}
	if err := s.SetRandomVorticity(p.InitialField(k)); err != nil {
		return nil, err
	}
	coarsener, err := filter.New(fc)
	if err != nil {
		return nil, err
	}

	d := p.Data
	if d.SpinUp > 0 {
		// Spin-up runs in chunks of one snapshot interval so that cancellation and
		// progress reports come at the same rate as during sampling.
		chunks := int(d.SpinUp/d.Interval + 0.5)
		spin := func(t float64, _ []float64) error {
			progress.add(d.Interval)
			return ctx.Err()
		}
		if err := s.Advance(d.Interval*float64(chunks), d.Interval, spin); err != nil {
			return nil, err
		}
	}

	n := p.LESGridSize()
	size := n * n
	tr := &dataset.Trajectory{
		Index:    k,
		Time:     make([]float64, 0, d.Snapshots),
		OmegaBar: make([]float32, 0, d.Snapshots*size),
		Closure:  make([]float32, 0, d.Snapshots*size),
	}
	omegaBar := make([]float64, size)
	h := make([]float64, size)
	record := func(t float64, omega []float64) error {
		coarsener.Closure(omegaBar, h, omega)
		tr.Time = append(tr.Time, t)
		tr.OmegaBar = appendFloat32(tr.OmegaBar, omegaBar)
		tr.Closure = appendFloat32(tr.Closure, h)
		progress.add(d.Interval)
		return ctx.Err()
	}
	if err := s.Advance(d.Interval*float64(d.Snapshots), d.Interval, record); err != nil {
		return nil, err
	}
	return tr, nil
}

func appendFloat32(dst []float32, src []float64) []float32 {
	for _, v := range src {
		dst = append(dst, float32(v))
	}
	return dst
}

// progressCounter adds up simulated time from several goroutines and forwards it.
type progressCounter struct {
	mu     sync.Mutex
	done   float64
	total  float64
	report func(done, total float64)
}

func newProgressCounter(report func(done, total float64), total float64) *progressCounter {
	return &progressCounter{report: report, total: total}
}

func (c *progressCounter) add(dt float64) {
	if c.report == nil {
		return
	}
	c.mu.Lock()
	c.done += dt
	done := c.done
	c.mu.Unlock()
	c.report(done, c.total)
}
