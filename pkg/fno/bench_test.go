package fno

import (
	"fmt"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

// BenchmarkTrainingStep times one Adam step of the default FNO (4 layers, 8 modes, width 20)
// on a mean squared error, batch 32, two input channels and one output channel.
func BenchmarkTrainingStep(b *testing.B) {
	const batch = 32
	for _, n := range []int{32, 64} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			cfg := DefaultConfig(n)
			rng := rand.New(rand.NewPCG(1, uint64(n)))
			inputs := tensors.FromFlatDataAndDimensions(randomFloats(rng, batch*n*n*2), batch, n, n, 2)
			targets := tensors.FromFlatDataAndDimensions(randomFloats(rng, batch*n*n), batch, n, n, 1)
			times := tensors.FromFlatDataAndDimensions(randomFloats(rng, batch), batch)

			ctx := context.New()
			ctx.SetParam(context.ParamInitialSeed, int64(1))
			optimizer := optimizers.Adam().LearningRate(1e-3).Done()
			exec := context.MustNewExec(testBackend(), ctx, func(ctx *context.Context, x, t, target *Node) *Node {
				loss := ReduceAllMean(Square(Sub(cfg.Apply(ctx, x, t, 1), target)))
				optimizer.UpdateGraph(ctx, x.Graph(), loss)
				return loss
			})
			exec.MustExec(inputs, times, targets) // compile and create the variables

			b.ResetTimer()
			for range b.N {
				exec.MustExec(inputs, times, targets)
			}
		})
	}
}

// BenchmarkForward times one evaluation of the default FNO on a batch of 256 fields, the
// network evaluation of one sampler step for an ensemble of 32 members on 8 snapshots.
func BenchmarkForward(b *testing.B) {
	const batch = 256
	for _, c := range []struct {
		n         int
		inference bool
	}{{32, false}, {32, true}} {
		n := c.n
		b.Run(fmt.Sprintf("n=%d/inference=%t", n, c.inference), func(b *testing.B) {
			cfg := DefaultConfig(n)
			rng := rand.New(rand.NewPCG(2, uint64(n)))
			inputs := tensors.FromFlatDataAndDimensions(randomFloats(rng, batch*n*n*2), batch, n, n, 2)
			times := tensors.FromFlatDataAndDimensions(randomFloats(rng, batch), batch)
			ctx := context.New()
			ctx.SetParam(context.ParamInitialSeed, int64(1))
			exec := context.MustNewExec(testBackend(), ctx, func(ctx *context.Context, x, t *Node) *Node {
				if c.inference {
					SetInference(ctx, x.Graph())
				}
				return cfg.Apply(ctx, x, t, 1)
			})
			exec.MustExec(inputs, times)
			b.ResetTimer()
			for range b.N {
				exec.MustExec(inputs, times)
			}
		})
	}
}
