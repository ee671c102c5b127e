package studies

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/closure-lab/closure/pkg/autoencoder"
	"github.com/closure-lab/closure/pkg/geometry"
	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/regularize"
	"github.com/closure-lab/closure/pkg/topology"
	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// LatentGeometryConfig sets up the regularizer comparison on one synthetic
// manifold.
type LatentGeometryConfig struct {
	// TrainPoints and TestPoints are the sizes of the two samples; the
	// metrics and diagrams use the test sample.
	TrainPoints, TestPoints int
	// Steps is the number of training steps of each autoencoder.
	Steps int
	// Weight is the weight λ of the MP and GA regularizers.
	Weight float64
	// Neighbors is the k of trustworthiness, continuity and the GA graph.
	Neighbors int
	// TopologyPoints is the size of the farthest-point sample on which the
	// Rips persistence is computed.
	TopologyPoints int
	// Seed seeds the samples; the weights use a fixed seed.
	Seed uint64
}

// LatentGeometryConfigFor returns the comparison sized for preset p: 300
// training steps for "tiny" and 1000 otherwise, 512 training and 200 test
// points, weight 10, k = 8 and 100 points for the persistence.
func LatentGeometryConfigFor(p preset.Preset) LatentGeometryConfig {
	cfg := LatentGeometryConfig{
		TrainPoints: 512, TestPoints: 200, Steps: 1000, Weight: 10,
		Neighbors: 8, TopologyPoints: 100, Seed: 1,
	}
	if p.Name == "tiny" {
		cfg.Steps = 300
	}
	return cfg
}

// RegularizerResult is the latent geometry of one regularizer on one
// manifold.
type RegularizerResult struct {
	Regularizer regularize.Kind
	// Latents are the latent codes of the test points, [count][LatentDim].
	Latents [][]float64
	// Quality compares the latent distances with Manifold.Reference.
	Quality geometry.Quality
	// ReconstructionError is ‖D(E(p)) − p‖/‖p − mean(p)‖ on the test points.
	ReconstructionError float64
	// Diagrams are the H0 and H1 Rips diagrams of the latents of the
	// farthest-point sample, after scaling to unit RMS pairwise distance.
	Diagrams []topology.Diagram
	// Bottleneck holds the bottleneck distances of Diagrams[0] and
	// Diagrams[1] to the data's diagrams.
	Bottleneck [2]float64
}

// ManifoldStudy is the regularizer comparison on one manifold.
type ManifoldStudy struct {
	// Manifold is the test sample.
	Manifold *Manifold
	// TopologySample indexes the farthest-point sample of the test points.
	TopologySample []int
	// DataDiagrams are the H0 and H1 Rips diagrams of the sampled test
	// points under the reference distances (Manifold.Reference), scaled to
	// unit RMS pairwise distance.
	DataDiagrams []topology.Diagram
	// Results holds one entry per regularizer: none, MP, GA.
	Results []RegularizerResult
}

// LatentGeometry trains a vector autoencoder (autoencoder.NewVector with
// the default architecture) on a sample of the named manifold with each of
// the regularizers none, MP and GA. On a test sample it measures how well
// each latent keeps the manifold's distances (geometry.Evaluate against
// Manifold.Reference) and its topology: the Rips persistence and the
// bottleneck distances to the diagrams of the reference distances, so the
// Swiss roll is compared with its unrolled sheet. Before the persistence
// both point clouds are scaled to unit RMS pairwise distance, because the
// latent scale of an autoencoder is arbitrary.
func LatentGeometry(name string, cfg LatentGeometryConfig) (*ManifoldStudy, error) {
	trainSet, err := SampleManifold(name, cfg.TrainPoints, cfg.Seed)
	if err != nil {
		return nil, err
	}
	testSet, err := SampleManifold(name, cfg.TestPoints, cfg.Seed+1)
	if err != nil {
		return nil, err
	}

	study := &ManifoldStudy{Manifold: testSet}
	study.TopologySample, err = topology.FarthestPointSample(testSet.Points, min(cfg.TopologyPoints, cfg.TestPoints), cfg.Seed)
	if err != nil {
		return nil, err
	}
	if study.DataDiagrams, err = scaledDiagrams(testSet.Reference, study.TopologySample); err != nil {
		return nil, err
	}

	specs := []regularize.Spec{
		{Kind: regularize.KindNone},
		{Kind: regularize.KindMP, Weight: cfg.Weight},
		{Kind: regularize.KindGA, Weight: cfg.Weight, Neighbors: cfg.Neighbors},
	}
	for _, spec := range specs {
		result, err := trainOnManifold(trainSet, testSet, spec, cfg)
		if err != nil {
			return nil, fmt.Errorf("studies: %s regularizer on the %s: %w", spec.Kind, name, err)
		}
		latentDistances, err := geometry.PairwiseDistances(result.Latents)
		if err != nil {
			return nil, err
		}
		if result.Diagrams, err = scaledDiagrams(latentDistances, study.TopologySample); err != nil {
			return nil, err
		}
		for dim := range result.Bottleneck {
			if result.Bottleneck[dim], err = topology.Bottleneck(study.DataDiagrams[dim], result.Diagrams[dim]); err != nil {
				return nil, err
			}
		}
		study.Results = append(study.Results, *result)
	}
	return study, nil
}

// trainOnManifold trains one vector autoencoder and returns its test latents,
// their quality and the reconstruction error.
func trainOnManifold(trainSet, testSet *Manifold, spec regularize.Spec, cfg LatentGeometryConfig) (*RegularizerResult, error) {
	backend, err := nn.NewBackend()
	if err != nil {
		return nil, err
	}
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(7))
	model, err := autoencoder.NewVector(backend, ctx, autoencoder.DefaultVectorConfig(ManifoldAmbientDim, trainSet.LatentDim))
	if err != nil {
		return nil, err
	}

	trainCfg := train.Config{
		Steps: cfg.Steps, BatchSize: 64, LearningRate: 3e-3, WarmupSteps: cfg.Steps / 20,
		MinLearningRateFraction: 0.05, Seed: cfg.Seed,
	}
	if _, err := model.Train(trainSet.Float32(), nil, trainCfg, autoencoder.WithRegularizer(spec)); err != nil {
		return nil, err
	}

	testPoints := testSet.Float32()
	result := &RegularizerResult{Regularizer: spec.Kind}
	if result.ReconstructionError, err = model.ReconstructionError(testPoints); err != nil {
		return nil, err
	}
	codes, err := model.Encode(testPoints)
	if err != nil {
		return nil, err
	}
	if result.Latents, err = geometry.FromFloat32(codes, len(testSet.Points), trainSet.LatentDim); err != nil {
		return nil, err
	}
	latentDistances, err := geometry.PairwiseDistances(result.Latents)
	if err != nil {
		return nil, err
	}
	if result.Quality, err = geometry.Evaluate(testSet.Reference, latentDistances, cfg.Neighbors); err != nil {
		return nil, err
	}
	return result, nil
}

// scaledDiagrams returns the H0 and H1 Rips diagrams of the points indexed
// by indices under the distance matrix dist, scaled to unit RMS pairwise
// distance.
func scaledDiagrams(dist [][]float64, indices []int) ([]topology.Diagram, error) {
	sub := make([][]float64, len(indices))
	sum, pairs := 0.0, 0
	for a, i := range indices {
		sub[a] = make([]float64, len(indices))
		for b, j := range indices {
			sub[a][b] = dist[i][j]
			if b > a {
				sum += dist[i][j] * dist[i][j]
				pairs++
			}
		}
	}
	if pairs == 0 || sum == 0 {
		return nil, fmt.Errorf("studies: persistence of %d coincident points is undefined; use more distinct points", len(indices))
	}

	scale := 1 / math.Sqrt(sum/float64(pairs))
	for a := range sub {
		for b := range sub[a] {
			sub[a][b] *= scale
		}
	}
	return topology.RipsDistances(sub, topology.RipsOptions{})
}

// LatentGeometryPath returns the scratch file of the named preset's manifold
// studies: os.TempDir()/closure-notebooks/<preset>-latent-geometry.gob.
func LatentGeometryPath(presetName string) string {
	return filepath.Join(os.TempDir(), ScratchDir, presetName+"-latent-geometry.gob")
}

// SaveLatentGeometry writes the manifold studies to path with encoding/gob,
// atomically.
func SaveLatentGeometry(path string, studies []*ManifoldStudy) error {
	return saveGob(path, "manifold studies", studies)
}

// LoadLatentGeometry reads manifold studies written by SaveLatentGeometry. It
// returns an error naming the path when the file is missing; run the cell
// that computes the studies first.
func LoadLatentGeometry(path string) ([]*ManifoldStudy, error) {
	var studies []*ManifoldStudy
	if err := loadGob(path, "manifold studies", &studies); err != nil {
		return nil, err
	}
	return studies, nil
}
