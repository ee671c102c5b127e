package solver

import (
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/closure-lab/closure/pkg/spectral"
)

// BenchmarkStep times one step of the turbulent Kolmogorov setup with the
// "cnab2" stepper. batch=1 is one solver whose FFTs use GOMAXPROCS workers;
// batch=10 steps ten solvers at once on GOMAXPROCS goroutines with one FFT
// worker each, and one op is a step of all ten.
func BenchmarkStep(b *testing.B) {
	for _, n := range []int{64, 128, 256} {
		for _, batch := range []int{1, 10} {
			b.Run(fmt.Sprintf("N=%d/batch=%d", n, batch), func(b *testing.B) {
				benchmarkStep(b, n, batch)
			})
		}
	}
}

func benchmarkStep(b *testing.B, n, batch int) {
	p := KolmogorovTurbulent(n)
	p.Dt = 1e-4 // keeps the CFL check quiet for any N
	if batch > 1 {
		p.Workers = 1
	}

	solvers := make([]*Solver, batch)
	for m := range solvers {
		s, err := New(p)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.SetRandomVorticity(spectral.RandomField{Peak: 4, Energy: 0.5, Seed: uint64(m)}); err != nil {
			b.Fatal(err)
		}
		solvers[m] = s
	}

	workers := min(runtime.GOMAXPROCS(0), batch)
	for b.Loop() {
		stepAll(b, solvers, workers)
	}
}

func stepAll(b *testing.B, solvers []*Solver, workers int) {
	if workers == 1 {
		for _, s := range solvers {
			if err := s.Step(); err != nil {
				b.Fatal(err)
			}
		}
		return
	}

	var wg sync.WaitGroup
	next := make(chan *Solver, len(solvers))
	for _, s := range solvers {
		next <- s
	}
	close(next)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range next {
				if err := s.Step(); err != nil {
					b.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}
