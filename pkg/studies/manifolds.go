package studies

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/closure-lab/closure/pkg/geometry"
)

// ManifoldAmbientDim is the dimension of the space the synthetic manifolds
// are embedded in.
const ManifoldAmbientDim = 32

// Manifold names accepted by SampleManifold.
const (
	ManifoldCircle    = "circle"
	ManifoldTorus     = "torus"
	ManifoldSwissRoll = "swiss-roll"
)

// Parameters of the synthetic manifolds: the torus radii and the Swiss roll
// (t cos t, h, t sin t) with t in [rollStart, rollEnd] and h in [0, rollHeight].
const (
	torusMajor = 2.0
	torusMinor = 1.0
	rollStart  = 1.5 * math.Pi
	rollEnd    = 4.5 * math.Pi
	rollHeight = 10.0
)

// embeddingSeed fixes the random isometry from the intrinsic space into
// R^ManifoldAmbientDim, so every sample of a manifold lies on the same copy.
const embeddingSeed = 42

// Manifold is a sample of a synthetic manifold with known geometry, embedded
// isometrically in R^ManifoldAmbientDim by a fixed random orthonormal map.
type Manifold struct {
	// Name is one of ManifoldNames.
	Name string
	// LatentDim is the smallest latent dimension that holds the manifold
	// without tearing it: 2 for the circle (a loop in the plane), 3 for the
	// torus and 2 for the Swiss roll (a flat sheet).
	LatentDim int
	// Points are the embedded points, [count][ManifoldAmbientDim].
	Points [][]float64
	// Reference is the count x count matrix of distances that a good
	// latent keeps: Euclidean for the circle and the torus, geodesic
	// (distances in the unrolled sheet) for the Swiss roll.
	Reference [][]float64
	// Color is an intrinsic coordinate of each point for coloring plots:
	// the angle for the circle and the torus, the spiral parameter t for
	// the Swiss roll.
	Color []float64
}

// ManifoldNames returns the names of the synthetic manifolds.
func ManifoldNames() []string {
	return []string{ManifoldCircle, ManifoldTorus, ManifoldSwissRoll}
}

// SampleManifold draws count points of the named manifold, uniform in its
// parameters (angles, or spiral parameter and height), with the given seed.
// It returns an error for an unknown name or a count below 2.
func SampleManifold(name string, count int, seed uint64) (*Manifold, error) {
	if count < 2 {
		return nil, fmt.Errorf("studies: manifold sample of %d points is too small; use at least 2", count)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	intrinsic := make([][]float64, count)
	color := make([]float64, count)
	var reference [][]float64
	m := &Manifold{Name: name, Color: color}

	switch name {
	case ManifoldCircle:
		m.LatentDim = 2
		for i := range intrinsic {
			angle := 2 * math.Pi * rng.Float64()
			intrinsic[i] = []float64{math.Cos(angle), math.Sin(angle)}
			color[i] = angle
		}
	case ManifoldTorus:
		m.LatentDim = 3
		for i := range intrinsic {
			theta, phi := 2*math.Pi*rng.Float64(), 2*math.Pi*rng.Float64()
			radius := torusMajor + torusMinor*math.Cos(phi)
			intrinsic[i] = []float64{radius * math.Cos(theta), radius * math.Sin(theta), torusMinor * math.Sin(phi)}
			color[i] = theta
		}
	case ManifoldSwissRoll:
		m.LatentDim = 2
		unrolled := make([][]float64, count)
		for i := range intrinsic {
			t := rollStart + (rollEnd-rollStart)*rng.Float64()
			height := rollHeight * rng.Float64()
			intrinsic[i] = []float64{t * math.Cos(t), height, t * math.Sin(t)}
			unrolled[i] = []float64{spiralArcLength(t), height}
			color[i] = t
		}
		var err error
		if reference, err = geometry.PairwiseDistances(unrolled); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("studies: unknown manifold %q; use one of %v", name, ManifoldNames())
	}

	m.Points = embedIsometric(intrinsic)
	if reference == nil {
		var err error
		if reference, err = geometry.PairwiseDistances(m.Points); err != nil {
			return nil, err
		}
	}
	m.Reference = reference
	return m, nil
}

// Float32 returns the points as a flat float32 slice [count, ManifoldAmbientDim].
func (m *Manifold) Float32() []float32 {
	out := make([]float32, 0, len(m.Points)*ManifoldAmbientDim)
	for _, point := range m.Points {
		for _, x := range point {
			out = append(out, float32(x))
		}
	}
	return out
}

// spiralArcLength returns the arc length of the spiral r = t from t = 0,
// ½(t·sqrt(1+t²) + asinh t).
func spiralArcLength(t float64) float64 {
	return 0.5 * (t*math.Sqrt(1+t*t) + math.Asinh(t))
}

// embedIsometric maps points of R^m into R^ManifoldAmbientDim by a fixed
// matrix with orthonormal columns (Gram–Schmidt on Gaussian columns), which
// keeps all distances.
func embedIsometric(intrinsic [][]float64) [][]float64 {
	columns := orthonormalColumns(len(intrinsic[0]))
	out := make([][]float64, len(intrinsic))
	for i, point := range intrinsic {
		row := make([]float64, ManifoldAmbientDim)
		for c, coordinate := range point {
			for k := range row {
				row[k] += coordinate * columns[c][k]
			}
		}
		out[i] = row
	}
	return out
}

func orthonormalColumns(m int) [][]float64 {
	rng := rand.New(rand.NewPCG(embeddingSeed, embeddingSeed))
	columns := make([][]float64, m)
	for c := range columns {
		column := make([]float64, ManifoldAmbientDim)
		for k := range column {
			column[k] = rng.NormFloat64()
		}
		for _, previous := range columns[:c] {
			dot := 0.0
			for k := range column {
				dot += column[k] * previous[k]
			}
			for k := range column {
				column[k] -= dot * previous[k]
			}
		}
		norm := 0.0
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
