package geometry

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func BenchmarkGeodesicDistances(b *testing.B) {
	for _, n := range []int{250, 1000} {
		b.Run(fmt.Sprintf("n=%d/k=10", n), func(b *testing.B) {
			dist, err := PairwiseDistances(gaussianCloud(rand.New(rand.NewPCG(1, 1)), n, 3))
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := GeodesicDistances(dist, 10); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{250, 1000} {
		b.Run(fmt.Sprintf("n=%d/k=10", n), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(2, 2))
			reference, err := PairwiseDistances(gaussianCloud(rng, n, 3))
			if err != nil {
				b.Fatal(err)
			}
			latent, err := PairwiseDistances(gaussianCloud(rng, n, 2))
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := Evaluate(reference, latent, 10); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
