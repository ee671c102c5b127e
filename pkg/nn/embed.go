package nn

import (
	"fmt"
	"math"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/initializers"
)

// TimeEmbedding maps times t (shape [B] or [B, 1], values typically in [0, 1]) to sinusoidal
// features of shape [B, dim]. The first dim/2 columns are sin(2π f_k t) and the last dim/2
// are cos(2π f_k t), with frequencies f_k geometrically spaced from 1 to maxFrequency.
// References: Vaswani et al., "Attention is all you need" (positional encoding); Tancik et
// al., "Fourier features let networks learn high frequency functions".
// It panics if dim is not a positive even number or maxFrequency < 1.
func TimeEmbedding(t *Node, dim int, maxFrequency float64) *Node {
	if dim <= 0 || dim%2 != 0 {
		panic(fmt.Sprintf("nn.TimeEmbedding: dim=%d must be a positive even number", dim))
	}
	if maxFrequency < 1 {
		panic(fmt.Sprintf("nn.TimeEmbedding: maxFrequency=%g must be at least 1", maxFrequency))
	}

	half := dim / 2
	freqs := make([]float32, half)
	for k := range half {
		exponent := 0.0
		if half > 1 {
			exponent = float64(k) / float64(half-1)
		}
		freqs[k] = float32(2 * math.Pi * math.Pow(maxFrequency, exponent))
	}

	t = Reshape(t, -1, 1)
	angle := Mul(t, ConvertDType(Const(t.Graph(), [][]float32{freqs}), t.DType()))
	return Concatenate([]*Node{Sin(angle), Cos(angle)}, -1)
}

// GaussianFourierFrequencies is the name of the variable that GaussianFourierEmbedding creates.
const GaussianFourierFrequencies = "gaussian_fourier_frequencies"

// GaussianFourierEmbedding maps times t (shape [B] or [B, 1]) to Gaussian Fourier features
// of shape [B, dim]: the first dim/2 columns are sin(2π f_k t) and the last dim/2 are
// cos(2π f_k t). The frequencies f_k are drawn once from N(0, scale²) and kept in the
// non-trainable variable GaussianFourierFrequencies [dim/2] of ctx, so training leaves them
// unchanged, checkpoints carry them and the context's seed makes them reproducible.
//
// References: M. Tancik et al., "Fourier features let networks learn high frequency functions
// in low dimensional domains" (NeurIPS 2020); Y. Song et al., "Score-based generative
// modeling through stochastic differential equations" (ICLR 2021), whose NCSN++ networks
// embed the noise level this way (scale 16 in their configurations).
//
// It panics (GoMLX graph-building convention) if dim is not a positive even number or scale
// is not positive.
func GaussianFourierEmbedding(ctx *context.Context, t *Node, dim int, scale float64) *Node {
	if dim <= 0 || dim%2 != 0 {
		panic(fmt.Sprintf("nn.GaussianFourierEmbedding: dim=%d must be a positive even number", dim))
	}
	if !(scale > 0) {
		panic(fmt.Sprintf("nn.GaussianFourierEmbedding: scale=%g must be positive", scale))
	}
	init := ctx.WithInitializer(initializers.RandomNormalFn(ctx, scale))
	variable := init.VariableWithShape(GaussianFourierFrequencies, shapes.Make(t.DType(), dim/2))
	variable.SetTrainable(false)
	frequencies := StopGradient(variable.ValueGraph(t.Graph()))

	t = Reshape(t, -1, 1)
	angle := Mul(t, MulScalar(Reshape(frequencies, 1, dim/2), 2*math.Pi))
	return Concatenate([]*Node{Sin(angle), Cos(angle)}, -1)
}
