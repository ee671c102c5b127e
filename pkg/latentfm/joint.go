package latentfm

import (
	"github.com/closure-lab/closure/pkg/nn"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/ml/context"
)

const (
	// jointVarianceWeight weighs the penalty mean_k (log Var_batch z_k)² that keeps every raw
	// latent coordinate near unit variance during joint training.
	jointVarianceWeight = 0.1
	// batchVarianceFloor is added to batch variances before division and logarithms.
	batchVarianceFloor = 1e-6
)

// regularizedLoss is the stage-1 loss for Config.Regularizer other than none and for the
// conditional autoencoder (Config.ConditionalDecoder), whose encoder and decoder also read the
// autoencoder's encoding of the condition (coderCondition). With Config.AugmentX or
// AugmentYPeriod each pair of H and ω̄ features is first translated at random
// (shiftFeatures). inputs are the
// DFT features of normalized H [B, P_H], of normalized ω̄ [B, P_c], and the H features
// scaled by √w_p [B, P_H] (see stage1Dataset). The loss is the
// autoencoder's Parseval-weighted reconstruction error (autoencoder.Config.FeatureLoss) plus
// RegularizerWeight times:
//
//   - joint: the teacher's conditional flow-matching loss on the batch-standardized latents
//     (z − mean_B z)/std_B z, with gradients into the encoder, plus jointVarianceWeight times
//     mean_k (log Var_B z_k)². Standardizing by the batch statistics makes the FM term
//     invariant to the latent scale, so the encoder cannot lower it by shrinking the latents
//     toward a point (latent collapse), and the penalty pins the raw scale near 1;
//   - none: nothing (the conditional autoencoder alone);
//   - mp or ga: the loss m.regularizer of package regularize (which includes the weight) of
//     the scaled H features, whose Euclidean distances are the RMS distances of the
//     band-limited normalized fields, and the raw latents.
func (m *Model) regularizedLoss(ctx *context.Context, inputs []*Node) *Node {
	features, conditionFeatures := inputs[0], inputs[1]
	ae := m.config.Autoencoder
	if m.config.AugmentX || m.config.AugmentYPeriod > 0 {
		dy, dx := m.randomShifts(ctx, features.Graph(), features.Shape().Dimensions[0])
		features = shiftFeatures(features, dy, dx, ae.Modes, m.config.N)
		conditionFeatures = shiftFeatures(conditionFeatures, dy, dx, m.config.ConditionModes, m.config.N)
	}
	var c *Node
	if m.config.conditional() {
		c = m.coderCondition(ctx, conditionFeatures)
	}
	z := m.encodeLatent(ctx, features, c)
	reconstruction := m.decodeLatent(ctx, z, c)
	weights := ConvertDType(Const(features.Graph(), [][]float32{nn.ModeWeights(ae.Modes)}), features.DType())
	loss := ReduceAllMean(ReduceSum(Mul(Square(Sub(reconstruction, features)), weights), -1))

	if m.config.Regularizer == RegularizerJoint {
		mean := ReduceAndKeep(z, ReduceMean, 0)
		centered := Sub(z, mean)
		variance := AddScalar(ReduceAndKeep(Square(centered), ReduceMean, 0), batchVarianceFloor)
		standardized := Div(centered, Sqrt(variance))
		flowMatching := m.flowMatchingLoss(ctx, []*Node{standardized, conditionFeatures})
		penalty := ReduceAllMean(Square(Log(variance)))
		regularizer := Add(flowMatching, MulScalar(penalty, jointVarianceWeight))
		return Add(loss, MulScalar(regularizer, m.config.RegularizerWeight))
	}
	if m.regularizer == nil {
		return loss
	}
	return Add(loss, m.regularizer(ctx, inputs[2], z))
}
