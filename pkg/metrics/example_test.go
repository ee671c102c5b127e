package metrics_test

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/metrics"
)

// A single Fourier mode cos(3x + 4y) on a 32 x 32 grid puts all its power,
// A²/2 = 0.5, in shell k = 5.
func ExamplePowerSpectrum() {
	const n = 32
	f := make([]float64, n*n)
	for i := range n {
		for j := range n {
			f[i*n+j] = math.Cos(2 * math.Pi * float64(3*j+4*i) / n)
		}
	}

	k, power, err := metrics.PowerSpectrum(f, n)
	if err != nil {
		panic(err)
	}
	for s := range k {
		if power[s] > 1e-12 {
			fmt.Printf("P(%g) = %.3f\n", k[s], power[s])
		}
	}
	// Output: P(5) = 0.500
}

// Members stored as float32 for learning are converted with Float64s.
func ExampleSpreadSkillRatio() {
	members := [][]float64{
		metrics.Float64s([]float32{0.9, 2.1, 2.8}),
		metrics.Float64s([]float32{1.1, 1.9, 3.2}),
	}
	truth := []float64{1.2, 2.0, 2.7}

	s, err := metrics.SpreadSkillRatio(members, truth)
	if err != nil {
		panic(err)
	}
	fmt.Printf("spread %.3f, RMSE %.3f, corrected ratio %.2f\n", s.Spread, s.RMSE, s.CorrectedRatio)
	// Output: spread 0.200, RMSE 0.208, corrected ratio 1.18
}
