package autoencoder

import (
	"math"
	"slices"

	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/regularize"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Scope is the context scope that holds the autoencoder variables.
const Scope = "autoencoder"

// Normalize returns (h − Mean)/Std.
func (n Normalization) Normalize(h *Node) *Node {
	return MulScalar(AddScalar(h, -n.Mean), 1/n.Std)
}

// Denormalize returns x·Std + Mean, the inverse of Normalize.
func (n Normalization) Denormalize(x *Node) *Node {
	return AddScalar(MulScalar(x, n.Std), n.Mean)
}

// EncodeFeatures maps the truncated DFT features of normalized fields, [B, P] with
// P = nn.NumModeFeatures(Modes), to latents [B, Latent].
func (c Config) EncodeFeatures(ctx *context.Context, features *Node) *Node {
	widths := append(slices.Clone(c.Hidden), c.Latent)
	return nn.MLP(ctx.In(Scope).In("encoder"), features, widths, c.Activation)
}

// DecodeFeatures maps latents [B, Latent] to the DFT features [B, P] of normalized fields.
func (c Config) DecodeFeatures(ctx *context.Context, z *Node) *Node {
	widths := slices.Clone(c.Hidden)
	slices.Reverse(widths)
	widths = append(widths, nn.NumModeFeatures(c.Modes))
	return nn.MLP(ctx.In(Scope).In("decoder"), z, widths, c.Activation)
}

// EncodeNormalized maps normalized fields x [B, N', N'] (any N' ≥ 2·Modes+1) to latents [B, Latent].
func (c Config) EncodeNormalized(ctx *context.Context, x *Node) *Node {
	return c.EncodeFeatures(ctx, nn.ToModes(x, c.Modes))
}

// DecodeNormalized maps latents z [B, Latent] to normalized fields [B, n, n]; n may differ from
// c.N (resolution transfer) but must be at least 2·Modes+1.
func (c Config) DecodeNormalized(ctx *context.Context, z *Node, n int) *Node {
	return nn.FromModes(c.DecodeFeatures(ctx, z), c.Modes, n)
}

// FeatureLoss returns the reconstruction loss of normalized mode features [B, P]: the
// Parseval-weighted squared error Σ_p w_p (ĉ_p − c_p)² (see nn.ModeWeights), averaged over the
// batch. It equals the mean squared error on the grid of the normalized fields minus their
// energy outside |k| ≤ Modes, which no decoder output can represent; so it has the gradient
// of the grid loss without any N x N operation.
func (c Config) FeatureLoss(ctx *context.Context, features *Node) *Node {
	reconstruction := c.DecodeFeatures(ctx, c.EncodeFeatures(ctx, features))
	return c.featureError(features, reconstruction)
}

// RegularizedFeatureLoss returns FeatureLoss plus regularizer(ctx, ParsevalFeatures(features), z)
// with z the latents of the batch, encoded once for both terms. The regularizer carries its
// own weight (see regularize.New).
func (c Config) RegularizedFeatureLoss(ctx *context.Context, features *Node, regularizer regularize.Loss) *Node {
	z := c.EncodeFeatures(ctx, features)
	reconstruction := c.featureError(features, c.DecodeFeatures(ctx, z))
	return Add(reconstruction, regularizer(ctx, c.ParsevalFeatures(features), z))
}

// ParsevalFeatures returns the mode features [B, P] scaled by sqrt(w_p) (nn.ModeWeights), so
// their Euclidean distances equal the RMS grid distances of the band-limited fields. The
// regularizers compare latent distances with these.
func (c Config) ParsevalFeatures(features *Node) *Node {
	scales := Const(features.Graph(), [][]float32{parsevalScales(c.Modes)})
	return Mul(features, ConvertDType(scales, features.DType()))
}

// featureError returns the Parseval-weighted squared error of reconstructed features,
// averaged over the batch.
func (c Config) featureError(features, reconstruction *Node) *Node {
	weights := Const(features.Graph(), [][]float32{nn.ModeWeights(c.Modes)})
	squared := Mul(Square(Sub(reconstruction, features)), ConvertDType(weights, features.DType()))
	return ReduceAllMean(ReduceSum(squared, -1))
}

// parsevalScales returns sqrt(w_p) for the features of Modes(m).
func parsevalScales(m int) []float32 {
	scales := nn.ModeWeights(m)
	for p, weight := range scales {
		scales[p] = float32(math.Sqrt(float64(weight)))
	}
	return scales
}

// NormalizeFeatures turns the DFT features of raw fields [S, P] in place into the features of
// the normalized fields: the mean mode becomes (c_0 − Mean)/Std and the others c_p/Std.
func (n Normalization) NormalizeFeatures(features []float32, numModes int) {
	for k := range features {
		if k%numModes == 0 {
			features[k] -= n.Mean
		}
		features[k] /= n.Std
	}
}
