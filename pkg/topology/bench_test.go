package topology

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkRips times H0 and H1 of Rips without a threshold on evenly spaced
// points of the unit circle, on a noisy circle (noise 0.05) and on a noisy
// flat torus in R^4 (noise 0.05).
func BenchmarkRips(b *testing.B) {
	for _, n := range []int{200, 500, 1000} {
		rng := rand.New(rand.NewPCG(1, uint64(n)))
		clouds := []struct {
			name   string
			points [][]float64
		}{
			{"circle", circlePoints(n, 1, 0, 0)},
			{"noisy_circle", noisyCirclePoints(rng, n, 0.05)},
			{"noisy_torus", flatTorusPoints(rng, n, 0.05)},
		}
		for _, cloud := range clouds {
			b.Run(fmt.Sprintf("%s/n=%d", cloud.name, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := Rips(cloud.points, RipsOptions{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkBottleneck times the exact bottleneck distance between random
// diagrams of n finite pairs each.
func BenchmarkBottleneck(b *testing.B) {
	for _, n := range []int{50, 200} {
		rng := rand.New(rand.NewPCG(2, uint64(n)))
		x, y := randomDiagram(rng, n), randomDiagram(rng, n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Bottleneck(x, y); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
