package latentfm

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/closure-lab/closure/pkg/flowmatch"
	"github.com/closure-lab/closure/pkg/train"
)

// otDataset returns the stage-2 pairs of minibatch OT coupling for the latent data set
// (standardized latents z1 [S, d] and condition features f [S, P]). In each of
// Config.OTNoiseDraws rounds, the examples are shuffled and split into groups of
// Config.OTBatchSize. Every group draws one N(0, I) noise per example, which carries the
// condition of that example, and couples noises to examples by an exact assignment
// (flowmatch.OTPairing) on the joint vectors [z, λ·f̃]. The result
// holds the arrays z0 [R·S, d], z1 [R·S, d] and f [R·S, P] for coupledLoss.
//
// Conditioning is why the cost includes the condition: every ω̄ in the data is distinct, so an
// assignment on z alone would give each condition noise picked for its latent, and the noise
// seen in training for a condition would no longer be N(0, I) as it is at sampling time. The
// term λ²‖f̃0 − f̃1‖² only lets a noise move to an example whose condition is close to the one
// it was drawn for; f̃ = f·√(d / Σ_p Var f_p) puts conditions and latents on the same scale.
func (m *Model) otDataset(latentSet *train.Dataset) (*train.Dataset, error) {
	z1, features := latentSet.Arrays[0].Data, latentSet.Arrays[1].Data
	d := m.config.Autoencoder.Latent
	count := len(z1) / d
	numModes := len(features) / count
	scale := m.config.OTConditionWeight * math.Sqrt(float64(d)/totalVariance(features, numModes))
	if math.IsNaN(scale) || math.IsInf(scale, 0) {
		scale = 0 // constant conditions: nothing to keep apart
	}

	rng := rand.New(rand.NewPCG(uint64(m.config.Seed), 0x07c0))
	draws := m.config.OTNoiseDraws
	out := &train.Dataset{Arrays: []train.Array{
		{Data: make([]float32, 0, draws*count*d), ExampleDims: []int{d}},
		{Data: make([]float32, 0, draws*count*d), ExampleDims: []int{d}},
		{Data: make([]float32, 0, draws*count*numModes), ExampleDims: []int{numModes}},
	}}
	joint := d + numModes
	for range draws {
		order := rng.Perm(count)
		for start := 0; start < count; start += m.config.OTBatchSize {
			group := order[start:min(start+m.config.OTBatchSize, count)]
			noise := make([]float32, len(group)*d)
			flowmatch.SampleSource(rng, noise)

			source := make([]float32, len(group)*joint)
			target := make([]float32, len(group)*joint)
			for k, example := range group {
				copy(source[k*joint:], noise[k*d:(k+1)*d])
				copy(target[k*joint:], z1[example*d:(example+1)*d])
				for p := range numModes {
					scaled := float32(scale) * features[example*numModes+p]
					source[k*joint+d+p], target[k*joint+d+p] = scaled, scaled
				}
			}
			pairing, err := flowmatch.OTPairing(source, target, joint)
			if err != nil {
				return nil, fmt.Errorf("latentfm: OT coupling of stage 2: %w", err)
			}

			for k, example := range group {
				out.Arrays[0].Data = append(out.Arrays[0].Data, noise[pairing[k]*d:(pairing[k]+1)*d]...)
				out.Arrays[1].Data = append(out.Arrays[1].Data, z1[example*d:(example+1)*d]...)
				out.Arrays[2].Data = append(out.Arrays[2].Data, features[example*numModes:(example+1)*numModes]...)
			}
		}
	}
	return out, nil
}

// totalVariance returns Σ_p Var(x_p) over the rows of x [S, width].
func totalVariance(x []float32, width int) float64 {
	count := len(x) / width
	var total float64
	for p := range width {
		var mean, squares float64
		for s := range count {
			mean += float64(x[s*width+p])
		}
		mean /= float64(count)
		for s := range count {
			difference := float64(x[s*width+p]) - mean
			squares += difference * difference
		}
		total += squares / float64(count)
	}
	return total
}
