package studies

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/geometry"
	"github.com/closure-lab/closure/pkg/latentfm"
	"github.com/closure-lab/closure/pkg/topology"
	"gonum.org/v1/gonum/mat"
)

// ClosureTopologyConfig sets up the persistence study of closure snapshots.
type ClosureTopologyConfig struct {
	// Modes is the number of leading principal components of H kept as the
	// coordinates of a snapshot; 0 means 8.
	Modes int
	// TopologyPoints is the size of the farthest-point sample for the Rips
	// persistence; 0 means 150.
	TopologyPoints int
	// Neighbors is the k of trustworthiness and continuity; 0 means 8.
	Neighbors int
}

// ClosureTopology is the comparison of the closure snapshots of a data split
// with their latent codes.
type ClosureTopology struct {
	// Snapshots is the number of snapshots of the split.
	Snapshots int
	// ExplainedVariance is the fraction of the variance of H that the kept
	// principal components carry.
	ExplainedVariance float64
	// Modes are the principal-component coefficients of each snapshot,
	// [Snapshots][Modes], and Latents its latent code [Snapshots][d].
	Modes, Latents [][]float64
	// Quality compares the latent distances with the distances of Modes.
	Quality geometry.Quality
	// ModeDiagrams and LatentDiagrams are the H0 and H1 Rips diagrams of
	// the farthest-point sample, each cloud scaled to unit RMS pairwise
	// distance.
	ModeDiagrams, LatentDiagrams []topology.Diagram
	// Bottleneck holds the bottleneck distances between the H0 and the H1
	// diagrams of the modes and the latents.
	Bottleneck [2]float64
}

// ClosureTopologyOf projects the closure terms H of split onto their leading
// principal components and encodes them with the stage-1 autoencoder of
// model. It compares the two point clouds by their distances
// (geometry.Evaluate, with the component distances as the reference) and by
// their Rips persistence and bottleneck distances. It returns an error when
// the split has no more snapshots than cfg.Modes.
//
// NOTE: with a conditional encoder (latentfm.Config.ConditionalEncoder) the
// latent codes depend on ω̄ too, and the autoencoder's Encode of H alone
// is not the code the model uses.
func ClosureTopologyOf(split *dataset.SplitData, model *latentfm.Model, cfg ClosureTopologyConfig) (*ClosureTopology, error) {
	cfg = cfg.withDefaults()
	if split.Snapshots <= cfg.Modes {
		return nil, fmt.Errorf("studies: %d snapshots are too few for %d principal components; use a larger split", split.Snapshots, cfg.Modes)
	}

	out := &ClosureTopology{Snapshots: split.Snapshots}
	var err error
	if out.Modes, out.ExplainedVariance, err = principalCoefficients(split.Closure, split.Snapshots, cfg.Modes); err != nil {
		return nil, err
	}
	codes, err := model.Autoencoder().Encode(split.Closure, split.Snapshots)
	if err != nil {
		return nil, fmt.Errorf("studies: encoding %d closure snapshots: %w", split.Snapshots, err)
	}
	if out.Latents, err = geometry.FromFloat32(codes, split.Snapshots, len(codes)/split.Snapshots); err != nil {
		return nil, err
	}

	modeDistances, err := geometry.PairwiseDistances(out.Modes)
	if err != nil {
		return nil, err
	}
	latentDistances, err := geometry.PairwiseDistances(out.Latents)
	if err != nil {
		return nil, err
	}
	if out.Quality, err = geometry.Evaluate(modeDistances, latentDistances, cfg.Neighbors); err != nil {
		return nil, err
	}

	sample, err := topology.FarthestPointSample(out.Modes, min(cfg.TopologyPoints, split.Snapshots), 1)
	if err != nil {
		return nil, err
	}
	if out.ModeDiagrams, err = scaledDiagrams(modeDistances, sample); err != nil {
		return nil, err
	}
	if out.LatentDiagrams, err = scaledDiagrams(latentDistances, sample); err != nil {
		return nil, err
	}
	for dim := range out.Bottleneck {
		if out.Bottleneck[dim], err = topology.Bottleneck(out.ModeDiagrams[dim], out.LatentDiagrams[dim]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c ClosureTopologyConfig) withDefaults() ClosureTopologyConfig {
	if c.Modes == 0 {
		c.Modes = 8
	}
	if c.TopologyPoints == 0 {
		c.TopologyPoints = 150
	}
	if c.Neighbors == 0 {
		c.Neighbors = 8
	}
	return c
}

// principalCoefficients returns the coefficients of the count fields
// (flat [count, size]) on their leading `modes` principal components, from
// the thin SVD of the centred data matrix, and the fraction of the variance
// those components carry.
func principalCoefficients(fields []float32, count, modes int) ([][]float64, float64, error) {
	size := len(fields) / count
	mean := make([]float64, size)
	for s := range count {
		for k := range size {
			mean[k] += float64(fields[s*size+k]) / float64(count)
		}
	}
	centred := mat.NewDense(count, size, nil)
	for s := range count {
		for k := range size {
			centred.Set(s, k, float64(fields[s*size+k])-mean[k])
		}
	}

	var svd mat.SVD
	if !svd.Factorize(centred, mat.SVDThin) {
		return nil, 0, fmt.Errorf("studies: the SVD of %d x %d closure snapshots did not converge", count, size)
	}
	values := svd.Values(nil)
	var u mat.Dense
	svd.UTo(&u)

	total, kept := 0.0, 0.0
	for i, v := range values {
		total += v * v
		if i < modes {
			kept += v * v
		}
	}
	coefficients := make([][]float64, count)
	for s := range coefficients {
		coefficients[s] = make([]float64, modes)
		for m := range modes {
			coefficients[s][m] = u.At(s, m) * values[m]
		}
	}
	if total == 0 {
		return nil, 0, fmt.Errorf("studies: the %d closure snapshots are all equal; principal components are undefined", count)
	}
	return coefficients, kept / total, nil
}
