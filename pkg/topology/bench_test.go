package topology

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkRips times H0 and H1 of Rips without a threshold on a noisy
// circle and a noisy flat torus in R^4.
func BenchmarkRips(b *testing.B) {
	for _, n := range []int{200, 500, 1000} {
		rng := rand.New(rand.NewPCG(1, uint64(n)))
		clouds := map[string][][]float64{
			"circle": noisyCirclePoints(rng, n, 0.05),
			"torus":  flatTorusPoints(rng, n, 0.05),
		}
		for _, name := range []string{"circle", "torus"} {
			b.Run(fmt.Sprintf("%s/n=%d", name, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := Rips(clouds[name], RipsOptions{}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
