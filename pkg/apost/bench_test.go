package apost

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkSmagorinskyTerm times one evaluation of the Smagorinsky term
// (eight FFTs) per grid size.
func BenchmarkSmagorinskyTerm(b *testing.B) {
	for _, n := range []int{16, 32, 64} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			model, err := NewSmagorinskyModel(n, 1, DefaultSmagorinskyCoefficient)
			if err != nil {
				b.Fatal(err)
			}
			omega := make([]float64, n*n)
			for i := range omega {
				omega[i] = float64(i%7) - 3
			}
			h := make([]float64, n*n)
			for b.Loop() {
				model.Term(h, omega)
			}
		})
	}
}

// BenchmarkRun times a 0.1-time-unit run (10 steps) of the 64² DNS with four
// members of each closure on the 16² LES; the DNS dominates.
func BenchmarkRun(b *testing.B) {
	cfg := testConfig(b, 0.1, 4, None{}, Smagorinsky{}, Oracle{})
	for b.Loop() {
		if _, err := Run(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}
