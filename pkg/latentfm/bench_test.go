package latentfm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/closure-lab/closure/pkg/autoencoder"
	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// randomData returns count random pairs on an n x n grid (values only matter for timing).
func randomData(count, n int) Data {
	rng := rand.New(rand.NewPCG(1, 2))
	data := Data{N: n, OmegaBar: make([]float32, count*n*n), H: make([]float32, count*n*n)}
	for k := range data.H {
		data.OmegaBar[k] = float32(rng.NormFloat64())
		data.H[k] = float32(rng.NormFloat64())
	}
	return data
}

// BenchmarkTrainStep times one optimizer step, batch 64, with DefaultConfig(n) networks. The
// reported s/step excludes the first step (graph compilation); ns/op includes it.
func BenchmarkTrainStep(b *testing.B) {
	for _, n := range []int{16, 32} {
		data := randomData(256, n)

		b.Run(fmt.Sprintf("autoencoder/n=%d", n), func(b *testing.B) {
			backend, err := nn.NewBackend()
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.New()
			ctx.SetParam(context.ParamInitialSeed, int64(1))
			model, err := autoencoder.New(backend, ctx, autoencoder.DefaultConfig(n))
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			history, err := model.Train(data.H, nil, train.Config{Steps: b.N + 1, BatchSize: 64, LearningRate: 1e-3})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(history.StepTime.Seconds(), "s/step")
		})

		b.Run(fmt.Sprintf("flowmatching/n=%d", n), func(b *testing.B) {
			model, err := New(DefaultConfig(n))
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			history, err := model.Train(data, nil, TrainOptions{AESteps: 1, FMSteps: b.N + 1, ReflowSteps: -1})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(history.FlowMatching.StepTime.Seconds(), "s/step")
		})

		// reflow: b.N + 1 student steps, after drawing ReflowPairs teacher pairs per example of
		// the 256-example data set with the default teacher solver (8 RK4 steps).
		b.Run(fmt.Sprintf("reflow/n=%d", n), func(b *testing.B) {
			model, err := New(DefaultConfig(n))
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			history, err := model.Train(data, nil, TrainOptions{AESteps: 1, FMSteps: 1, ReflowSteps: b.N + 1})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(history.Reflow.StepTime.Seconds(), "s/step")
			b.ReportMetric(history.ReflowPairTime.Seconds()/float64(len(data.H)/(n*n)*model.Config().ReflowPairs), "s/pair")
		})
	}
}

// BenchmarkSample times one Sample call of a DefaultConfig(n) model for B conditions × M
// members; ns/op divided by B·M is the time per sample. The weights come from one training
// step of each stage because the cost of sampling does not depend on them; Sample integrates
// the reflow student, which has the teacher's architecture and cost.
func BenchmarkSample(b *testing.B) {
	for _, n := range []int{16, 32} {
		model, err := New(DefaultConfig(n))
		if err != nil {
			b.Fatal(err)
		}
		data := randomData(64, n)
		if _, err := model.Train(data, nil, TrainOptions{AESteps: 1, FMSteps: 1, ReflowSteps: 1}); err != nil {
			b.Fatal(err)
		}

		for _, tc := range []struct {
			conditions, members, steps int
			solver                     string
		}{
			{1, 1, 1, "euler"},
			{64, 1, 1, "euler"},
			{1, 64, 1, "euler"},
			{1, 64, 8, "heun"},
			{64, 1, 8, "heun"},
		} {
			name := fmt.Sprintf("n=%d/B=%d/M=%d/%s-%d", n, tc.conditions, tc.members, tc.solver, tc.steps)
			b.Run(name, func(b *testing.B) {
				omegaBar := data.OmegaBar[:tc.conditions*n*n]
				if _, err := model.Sample(omegaBar, tc.members, tc.steps, tc.solver, 1); err != nil { // compile
					b.Fatal(err)
				}
				b.ResetTimer()
				for range b.N {
					if _, err := model.Sample(omegaBar, tc.members, tc.steps, tc.solver, 1); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
