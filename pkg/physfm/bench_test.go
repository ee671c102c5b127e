package physfm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/closure-lab/closure/pkg/flowmatch"
)

// benchData returns count random pairs on an n x n grid.
func benchData(n, count int) Data {
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	data := Data{N: n, OmegaBar: make([]float32, count*n*n), H: make([]float32, count*n*n)}
	for k := range data.H {
		data.OmegaBar[k], data.H[k] = float32(rng.NormFloat64()), float32(rng.NormFloat64())
	}
	return data
}

// BenchmarkTrainingStep reports the mean time of one flow-matching Adam step ("s/step",
// train.History.StepTime, compilation excluded) of the default model, batch 32.
func BenchmarkTrainingStep(b *testing.B) {
	for _, n := range []int{32, 64} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			model, err := New(DefaultConfig(n))
			if err != nil {
				b.Fatal(err)
			}
			history, err := model.Train(benchData(n, 32), nil, TrainOptions{Steps: 1 + b.N})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(history.StepTime.Seconds(), "s/step")
		})
	}
}

// BenchmarkSample reports the time per sample ("s/sample") of the default (untrained) model
// at 32x32 for 4 conditions x 8 members, against the number of Euler steps (1 NFE
// per step).
func BenchmarkSample(b *testing.B) {
	const n, conditions, members = 32, 4, 8
	model, err := New(DefaultConfig(n))
	if err != nil {
		b.Fatal(err)
	}
	model.trained = true // timing only: the weights keep their initial values
	omegaBar := benchData(n, conditions).OmegaBar
	for _, steps := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("steps=%d", steps), func(b *testing.B) {
			if _, err := model.Sample(omegaBar, members, 1, string(flowmatch.Euler), 1); err != nil { // compile
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := model.Sample(omegaBar, members, steps, string(flowmatch.Euler), 1); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N*conditions*members), "s/sample")
		})
	}
}
