package diffusion_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/closure-lab/closure/pkg/diffusion"
)

// ExampleSolve samples Gaussian data N(2, 0.5²) with the probability-flow ODE driven by the
// exact score, starting from the VE marginal at t = 1.
func ExampleSolve() {
	sde := diffusion.VE{SigmaMin: 0.01, SigmaMax: 26}
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 4000)
	diffusion.SamplePrior(sde, 1, 0.25, rng, x)
	for k := range x {
		x[k] += 2 // the marginal at t = 1 has mean α(1)·2 = 2
	}

	grid, err := diffusion.TimeGrid(sde, diffusion.GridKarras, 1, 1e-3, 40, 7)
	if err != nil {
		panic(err)
	}
	opts := diffusion.SampleOptions{Sampler: diffusion.ProbabilityFlow, SampleDim: 1}
	if err := diffusion.Solve(sde, diffusion.GaussianScore(sde, 2, 0.25), x, grid, rng, opts); err != nil {
		panic(err)
	}

	var mean, square float64
	for _, value := range x {
		mean += float64(value)
		square += float64(value) * float64(value)
	}
	mean /= float64(len(x))
	fmt.Printf("mean %.1f, standard deviation %.1f\n", mean, math.Sqrt(square/float64(len(x))-mean*mean))
	// Output: mean 2.0, standard deviation 0.5
}
