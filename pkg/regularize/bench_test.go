package regularize

import (
	"fmt"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

func randomMatrix(rng *rand.Rand, rows, columns int) []float32 {
	values := make([]float32, rows*columns)
	for k := range values {
		values[k] = float32(rng.NormFloat64())
	}
	return values
}

// BenchmarkLossGradient times the loss and its gradient with respect to the latents for a
// batch of 64 inputs of width 289 (the mode features of 8 modes) and 16 latents.
func BenchmarkLossGradient(b *testing.B) {
	const batch, width, latent = 64, 289, 16
	rng := rand.New(rand.NewPCG(1, 1))
	x := tensors.FromFlatDataAndDimensions(randomMatrix(rng, batch, width), batch, width)
	z := tensors.FromFlatDataAndDimensions(randomMatrix(rng, batch, latent), batch, latent)

	table, err := NewGeodesics(randomMatrix(rng, 1024, width), width, DefaultNeighbors)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		loss Loss
	}{{"mp", MP(1)}, {"ga/S=1024", GA(table, 1)}} {
		b.Run(tc.name, func(b *testing.B) {
			exec, err := context.NewExec(testBackend(), context.New(), func(ctx *context.Context, x, z *Node) []*Node {
				value := tc.loss(ctx, x, z)
				return []*Node{value, Gradient(value, z)[0]}
			})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := exec.Exec(x, z); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNewGeodesics(b *testing.B) {
	for _, count := range []int{256, 1024} {
		b.Run(fmt.Sprintf("S=%d/D=289", count), func(b *testing.B) {
			points := randomMatrix(rand.New(rand.NewPCG(2, 2)), count, 289)
			for b.Loop() {
				if _, err := NewGeodesics(points, 289, DefaultNeighbors); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
