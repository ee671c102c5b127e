package regularize_test

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/closure-lab/closure/pkg/autoencoder"
	"github.com/closure-lab/closure/pkg/geometry"
	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/regularize"
	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// ambientDim is the dimension of the space the synthetic manifolds are embedded in.
const ambientDim = 32

var manifoldBackend = sync.OnceValue(func() backends.Backend {
	backend, err := nn.NewBackend()
	if err != nil {
		panic(err)
	}
	return backend
})

// manifold is a sample of a known manifold: intrinsic coordinates (for the true geodesic
// distances) and the points embedded in R^ambientDim.
type manifold struct {
	embedded []float32   // [count, ambientDim]
	local    [][]float64 // [count][3], coordinates in the low-dimensional space
	count    int
}

// orthonormalColumns returns a fixed random ambientDim x m matrix with orthonormal columns
// (Gram–Schmidt on Gaussian columns), stored by column.
func orthonormalColumns(m int) [][]float64 {
	rng := rand.New(rand.NewPCG(42, 42))
	columns := make([][]float64, m)
	for c := range columns {
		column := make([]float64, ambientDim)
		for k := range column {
			column[k] = rng.NormFloat64()
		}
		for _, previous := range columns[:c] {
			var dot float64
			for k := range column {
				dot += column[k] * previous[k]
			}
			for k := range column {
				column[k] -= dot * previous[k]
			}
		}
		var norm float64
		for _, value := range column {
			norm += value * value
		}
		for k := range column {
			column[k] /= math.Sqrt(norm)
		}
		columns[c] = column
	}
	return columns
}

// embed maps points of R^m into R^ambientDim by the fixed isometry orthonormalColumns(m).
func embed(local [][]float64) manifold {
	columns := orthonormalColumns(len(local[0]))
	embedded := make([]float32, len(local)*ambientDim)
	for i, point := range local {
		for c, coordinate := range point {
			for k := range ambientDim {
				embedded[i*ambientDim+k] += float32(coordinate * columns[c][k])
			}
		}
	}
	return manifold{embedded: embedded, local: local, count: len(local)}
}

// circle samples count points of the unit circle at uniform random angles.
func circle(rng *rand.Rand, count int) manifold {
	local := make([][]float64, count)
	for i := range local {
		angle := 2 * math.Pi * rng.Float64()
		local[i] = []float64{math.Cos(angle), math.Sin(angle)}
	}
	return embed(local)
}

// torus samples count points of the torus of radii R = 2, r = 1 in R³ at uniform random angles.
func torus(rng *rand.Rand, count int) manifold {
	const major, minor = 2.0, 1.0
	local := make([][]float64, count)
	for i := range local {
		theta, phi := 2*math.Pi*rng.Float64(), 2*math.Pi*rng.Float64()
		radius := major + minor*math.Cos(phi)
		local[i] = []float64{radius * math.Cos(theta), radius * math.Sin(theta), minor * math.Sin(phi)}
	}
	return embed(local)
}

// Swiss roll: the spiral (t cos t, t sin t), t in [rollStart, rollEnd], extruded along a
// height in [0, rollHeight].
const (
	rollStart  = 1.5 * math.Pi
	rollEnd    = 4.5 * math.Pi
	rollHeight = 10.0
)

// swissRoll samples count points of the Swiss roll, uniform in t and height. It also returns
// their unrolled coordinates (arc length along the spiral, height). The roll is flat in these,
// so its geodesic distances are their Euclidean distances.
func swissRoll(rng *rand.Rand, count int) (manifold, [][]float64) {
	local := make([][]float64, count)
	unrolled := make([][]float64, count)
	for i := range local {
		t := rollStart + (rollEnd-rollStart)*rng.Float64()
		height := rollHeight * rng.Float64()
		local[i] = []float64{t * math.Cos(t), height, t * math.Sin(t)}
		unrolled[i] = []float64{spiralArcLength(t), height}
	}
	return embed(local), unrolled
}

// spiralArcLength returns the arc length of the spiral r = t from t = 0, ½(t·sqrt(1+t²) + asinh t).
func spiralArcLength(t float64) float64 {
	return 0.5 * (t*math.Sqrt(1+t*t) + math.Asinh(t))
}

// trainVector trains a small vector autoencoder on the training points with spec and returns
// the latents of the test points.
func trainVector(t *testing.T, trainPoints, testPoints []float32, latent, steps int, spec regularize.Spec) []float32 {
	t.Helper()
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(7))
	model, err := autoencoder.NewVector(manifoldBackend(), ctx, autoencoder.DefaultVectorConfig(ambientDim, latent))
	if err != nil {
		t.Fatal(err)
	}
	cfg := train.Config{Steps: steps, BatchSize: 64, LearningRate: 3e-3, WarmupSteps: steps / 20, MinLearningRateFraction: 0.05, Seed: 1}
	if _, err := model.Train(trainPoints, nil, cfg, autoencoder.WithRegularizer(spec)); err != nil {
		t.Fatal(err)
	}
	relativeError, err := model.ReconstructionError(testPoints)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s (weight %g): relative reconstruction error %.4f", kindName(spec), spec.Weight, relativeError)
	latents, err := model.Encode(testPoints)
	if err != nil {
		t.Fatal(err)
	}
	return latents
}

func kindName(spec regularize.Spec) string {
	if spec.Kind == "" {
		return string(regularize.KindNone)
	}
	return string(spec.Kind)
}

// latentQuality returns the geometry.Quality of the latents [count, latent] against the
// reference distances.
func latentQuality(t *testing.T, reference [][]float64, latents []float32, latent, k int) geometry.Quality {
	t.Helper()
	points, err := geometry.FromFloat32(latents, len(reference), latent)
	if err != nil {
		t.Fatal(err)
	}
	dist, err := geometry.PairwiseDistances(points)
	if err != nil {
		t.Fatal(err)
	}
	quality, err := geometry.Evaluate(reference, dist, k)
	if err != nil {
		t.Fatal(err)
	}
	return quality
}

func mustPairwise(t *testing.T, points [][]float64) [][]float64 {
	t.Helper()
	dist, err := geometry.PairwiseDistances(points)
	if err != nil {
		t.Fatal(err)
	}
	return dist
}

func mustPoints(t *testing.T, values []float32, count, dim int) [][]float64 {
	t.Helper()
	points, err := geometry.FromFloat32(values, count, dim)
	if err != nil {
		t.Fatal(err)
	}
	return points
}
