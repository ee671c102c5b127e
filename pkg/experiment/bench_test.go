package experiment

import (
	"fmt"
	"testing"

	"github.com/closure-lab/closure/pkg/diffusion"
	"github.com/closure-lab/closure/pkg/latentfm"
	"github.com/closure-lab/closure/pkg/physfm"
	"github.com/closure-lab/closure/pkg/preset"
)

// benchPreset is the tiny preset with the training budget of quickPreset.
func benchPreset(b *testing.B) preset.Preset {
	p, err := preset.Get("tiny")
	if err != nil {
		b.Fatal(err)
	}
	p.Training.AutoencoderSteps, p.Training.FlowSteps, p.Training.BatchSize = 10, 10, 8
	return p
}

// benchModel trains a model of kind for a few steps on random 16² fields with the configuration
// of the cut-down tiny preset. The weights are far from trained, which does not change the cost
// of sampling.
func benchModel(b *testing.B, p preset.Preset, kind ModelKind) *ClosureModel {
	split := syntheticSplit(p.LESGridSize(), 16)
	model := &ClosureModel{Kind: kind}
	var err error
	switch kind {
	case KindLatentFM:
		if model.latent, err = latentfm.New(LatentFMConfig(p)); err == nil {
			_, err = model.latent.Train(latentfm.Data{OmegaBar: split.OmegaBar, H: split.Closure, N: split.N}, nil, latentfm.TrainOptions{})
		}
	case KindDiffusion:
		if model.score, err = diffusion.New(DiffusionConfig(p)); err == nil {
			_, err = model.score.Train(diffusion.Data{OmegaBar: split.OmegaBar, H: split.Closure, N: split.N}, nil, diffusion.TrainOptions{})
		}
	case KindFlowMatching:
		if model.flow, err = physfm.New(FlowMatchingConfig(p)); err == nil {
			_, err = model.flow.Train(physfm.Data{OmegaBar: split.OmegaBar, H: split.Closure, N: split.N}, nil, physfm.TrainOptions{})
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	return model
}

// BenchmarkModelSample reports the wall time per closure sample ("s/sample") of one sampler
// step of each model kind at 16², for 4 conditions × 16 members in one call and for one
// sample alone.
func BenchmarkModelSample(b *testing.B) {
	p := benchPreset(b)
	split := syntheticSplit(p.LESGridSize(), 4)
	for _, kind := range ModelKinds {
		model := benchModel(b, p, kind)
		for _, shape := range []struct{ conditions, members int }{{4, 16}, {1, 1}} {
			b.Run(fmt.Sprintf("%s/batch=%d", kind, shape.conditions*shape.members), func(b *testing.B) {
				omegaBar := split.OmegaBar[:shape.conditions*split.N*split.N]
				if _, err := model.Sample("", omegaBar, shape.members, 1, 1); err != nil { // compile
					b.Fatal(err)
				}
				b.ResetTimer()
				for range b.N {
					if _, err := model.Sample("", omegaBar, shape.members, 1, 1); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(b.Elapsed().Seconds()/float64(b.N*shape.conditions*shape.members), "s/sample")
			})
		}
	}
}
