package regularize_test

import (
	"math/rand/v2"
	"testing"

	"github.com/closure-lab/closure/pkg/regularize"
	"github.com/closure-lab/closure/pkg/topology"
)

const (
	// qualityNeighbors is the k of trustworthiness and continuity in the manifold tests.
	qualityNeighbors = 10
	// regularizerWeight is the weight of MP and GA, with the default scale c = 1. The
	// reconstruction loss is the mean squared error of unit-variance coordinates, and MP and
	// GA start near c² = 1 from small latents.
	regularizerWeight = 10.0
)

// manifoldSteps returns the number of training steps: fewer under -short.
func manifoldSteps() int {
	if testing.Short() {
		return 300
	}
	return 600
}

func TestMPPreservesCircleDistances(t *testing.T) {
	t.Parallel()
	const (
		// Relative RMS distance misfit after the best scale. A 2-dimensional latent can hold
		// the circle isometrically; MP reached 0.006 after 300 steps and the unregularized
		// autoencoder 0.17.
		maxMPDistortion    = 0.03
		maxDistortionRatio = 0.25
	)
	rng := rand.New(rand.NewPCG(11, 1))
	trainSet, testSet := circle(rng, 512), circle(rng, 200)
	reference := mustPairwise(t, mustPoints(t, testSet.embedded, testSet.count, ambientDim))

	steps := manifoldSteps()
	none := latentQuality(t, reference, trainVector(t, trainSet.embedded, testSet.embedded, 2, steps, regularize.Spec{}), 2, qualityNeighbors)
	mpLatents := trainVector(t, trainSet.embedded, testSet.embedded, 2, steps, regularize.Spec{Kind: regularize.KindMP, Weight: regularizerWeight})
	mp := latentQuality(t, reference, mpLatents, 2, qualityNeighbors)
	t.Logf("circle none: %+v", none)
	t.Logf("circle MP:   %+v", mp)

	if mp.Distortion > maxMPDistortion {
		t.Errorf("MP distortion %.4f, want below %g", mp.Distortion, maxMPDistortion)
	}
	if mp.Distortion > maxDistortionRatio*none.Distortion {
		t.Errorf("MP distortion %.4f is not below %g x the unregularized %.4f", mp.Distortion, maxDistortionRatio, none.Distortion)
	}

	// The latent circle of MP has one long H1 bar: the loop, born at about the sample spacing
	// and dying when the Rips complex fills the disk, at an edge length near the diameter.
	const (
		minLoopFraction   = 0.5 // minimum ratio of the longest bar to the latent diameter
		maxSecondFraction = 0.1 // maximum ratio of the second bar to the latent diameter
		topologySample    = 120 // farthest-point sample keeps Rips fast
	)
	points := mustPoints(t, mpLatents, testSet.count, 2)
	indices, err := topology.FarthestPointSample(points, topologySample, 1)
	if err != nil {
		t.Fatal(err)
	}
	sample := make([][]float64, len(indices))
	for k, index := range indices {
		sample[k] = points[index]
	}
	diagrams, err := topology.Rips(sample, topology.RipsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	diameter := 0.0
	for _, row := range mustPairwise(t, sample) {
		for _, value := range row {
			diameter = max(diameter, value)
		}
	}
	bars := diagrams[1].MostPersistent(2)
	t.Logf("latent H1 bars %v, diameter %.3f", bars, diameter)
	if len(bars) == 0 || bars[0].Persistence() < minLoopFraction*diameter {
		t.Fatalf("no H1 bar longer than %g x the diameter %.3f: %v", minLoopFraction, diameter, bars)
	}
	if len(bars) > 1 && bars[1].Persistence() > maxSecondFraction*diameter {
		t.Errorf("second H1 bar %v is longer than %g x the diameter %.3f", bars[1], maxSecondFraction, diameter)
	}
}

func TestMPPreservesTorusDistances(t *testing.T) {
	t.Parallel()
	const (
		// The torus of R³ fits a 3-dimensional latent isometrically; MP reached 0.044 after 300
		// steps and the unregularized autoencoder 0.21.
		maxMPDistortion    = 0.08
		maxDistortionRatio = 0.5
	)
	rng := rand.New(rand.NewPCG(12, 1))
	trainSet, testSet := torus(rng, 1024), torus(rng, 300)
	reference := mustPairwise(t, mustPoints(t, testSet.embedded, testSet.count, ambientDim))

	steps := manifoldSteps()
	none := latentQuality(t, reference, trainVector(t, trainSet.embedded, testSet.embedded, 3, steps, regularize.Spec{}), 3, qualityNeighbors)
	mp := latentQuality(t, reference, trainVector(t, trainSet.embedded, testSet.embedded, 3, steps, regularize.Spec{Kind: regularize.KindMP, Weight: regularizerWeight}), 3, qualityNeighbors)
	t.Logf("torus none: %+v", none)
	t.Logf("torus MP:   %+v", mp)

	if mp.Distortion > maxMPDistortion {
		t.Errorf("MP distortion %.4f, want below %g", mp.Distortion, maxMPDistortion)
	}
	if mp.Distortion > maxDistortionRatio*none.Distortion {
		t.Errorf("MP distortion %.4f is not below %g x the unregularized %.4f", mp.Distortion, maxDistortionRatio, none.Distortion)
	}
}

func TestGAUnrollsSwissRoll(t *testing.T) {
	t.Parallel()
	const (
		// Spearman correlation of latent distances with the true geodesic distances. GA reached
		// 0.994 after 300 steps, MP and the unregularized autoencoder about 0.37, because a
		// 2-dimensional latent cannot keep the Euclidean distances of the roll.
		minGASpearman = 0.97
		neighbors     = 8
	)
	rng := rand.New(rand.NewPCG(13, 1))
	trainSet, _ := swissRoll(rng, 800)
	testSet, unrolled := swissRoll(rng, 300)
	geodesic := mustPairwise(t, unrolled)

	steps := manifoldSteps()
	results := map[regularize.Kind]float64{}
	for _, spec := range []regularize.Spec{
		{Kind: regularize.KindNone},
		{Kind: regularize.KindMP, Weight: regularizerWeight},
		{Kind: regularize.KindGA, Weight: regularizerWeight, Neighbors: neighbors},
	} {
		quality := latentQuality(t, geodesic, trainVector(t, trainSet.embedded, testSet.embedded, 2, steps, spec), 2, qualityNeighbors)
		t.Logf("Swiss roll %s: %+v", spec.Kind, quality)
		results[spec.Kind] = quality.Spearman
	}

	if results[regularize.KindGA] < minGASpearman {
		t.Errorf("GA Spearman %.4f, want above %g", results[regularize.KindGA], minGASpearman)
	}
	for _, other := range []regularize.Kind{regularize.KindNone, regularize.KindMP} {
		if results[regularize.KindGA] <= results[other] {
			t.Errorf("GA Spearman %.4f is not above %s %.4f", results[regularize.KindGA], other, results[other])
		}
	}
}
