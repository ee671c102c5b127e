package fno

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/nn"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/context/initializers"
)

// Config is the architecture of a Fourier neural operator. DefaultConfig documents the
// defaults.
type Config struct {
	// Layers is the number of Fourier layers.
	Layers int `json:"layers"`
	// Modes is the maximum wavenumber m kept by each spectral convolution, |kx|, |ky| ≤ m.
	Modes int `json:"modes"`
	// Width is the number of channels inside the Fourier layers.
	Width int `json:"width"`
	// ProjectionHidden is the hidden width of the pointwise two-layer projection to the output.
	ProjectionHidden int `json:"projection_hidden"`
	// TimeEmbedding is the (even) number of time features.
	TimeEmbedding int `json:"time_embedding"`
	// TimeFeatures selects the time features: TimeFeaturesSinusoidal (also the empty string,
	// as in configurations saved before the field existed) or TimeFeaturesGaussianFourier.
	TimeFeatures string `json:"time_features,omitempty"`
	// TimeMaxFrequency is the highest frequency of the sinusoidal time features, in cycles per
	// unit time.
	TimeMaxFrequency float64 `json:"time_max_frequency"`
	// TimeFourierScale is the standard deviation of the random frequencies of the Gaussian
	// Fourier time features, in cycles per unit time. The NCSN++ configurations of Song et al.
	// use 16. With times in [0, 1] and few features, 4 fits better in pkg/diffusion's tests.
	TimeFourierScale float64 `json:"time_fourier_scale,omitempty"`
	// Positions appends sin and cos of x and y (4 channels, period of the domain) to the input,
	// so the operator can depend on position, as it must when the forcing is not
	// translation invariant.
	Positions bool `json:"positions"`
	// Activation is the nonlinearity after every Fourier layer but the last and inside the
	// projection.
	Activation nn.Activation `json:"activation"`
}

// The time features a Config can select.
const (
	// TimeFeaturesSinusoidal is nn.TimeEmbedding: sines and cosines of frequencies spaced
	// geometrically from 1 to TimeMaxFrequency.
	TimeFeaturesSinusoidal = "sinusoidal"
	// TimeFeaturesGaussianFourier is nn.GaussianFourierEmbedding: sines and cosines of fixed
	// random frequencies drawn from N(0, TimeFourierScale²).
	TimeFeaturesGaussianFourier = "gaussian-fourier"
)

// DefaultConfig returns the architecture for an n x n grid: 4 Fourier layers of width 20 with
// min(8, (n−1)/2) modes, a projection with 128 hidden channels,
// 32 sinusoidal time features with frequencies up to 16, position channels and GELU
// activations. TimeFeatures stays empty (sinusoidal), so the configuration encodes as it did
// before the field existed; Gaussian Fourier features need TimeFourierScale set as well.
func DefaultConfig(n int) Config {
	return Config{
		Layers:           4,
		Modes:            max(1, min(8, (n-1)/2)),
		Width:            20,
		ProjectionHidden: 128,
		TimeEmbedding:    32,
		TimeMaxFrequency: 16,
		Positions:        true,
		Activation:       nn.ActivationGELU,
	}
}

// Validate returns an error naming the first invalid field for an n x n grid and how to fix it.
func (c Config) Validate(n int) error {
	switch {
	case c.Layers < 1:
		return fmt.Errorf("fno: Layers=%d must be at least 1", c.Layers)
	case c.Modes < 1 || n < 2*c.Modes+1:
		return fmt.Errorf("fno: Modes=%d must be in [1, (N-1)/2=%d] for grid size N=%d", c.Modes, (n-1)/2, n)
	case c.Width < 1 || c.ProjectionHidden < 1:
		return fmt.Errorf("fno: Width=%d and ProjectionHidden=%d must be at least 1", c.Width, c.ProjectionHidden)
	case c.TimeEmbedding < 2 || c.TimeEmbedding%2 != 0:
		return fmt.Errorf("fno: TimeEmbedding=%d must be a positive even number", c.TimeEmbedding)
	case c.TimeFeatures != "" && c.TimeFeatures != TimeFeaturesSinusoidal && c.TimeFeatures != TimeFeaturesGaussianFourier:
		return fmt.Errorf("fno: TimeFeatures=%q is unknown; use %q or %q", c.TimeFeatures, TimeFeaturesSinusoidal, TimeFeaturesGaussianFourier)
	case c.TimeFeatures == TimeFeaturesGaussianFourier && !(c.TimeFourierScale > 0):
		return fmt.Errorf("fno: invalid TimeFourierScale=%g for %q time features: set a positive scale, for example 4 for times in [0, 1]", c.TimeFourierScale, TimeFeaturesGaussianFourier)
	case c.TimeFeatures != TimeFeaturesGaussianFourier && !(c.TimeMaxFrequency >= 1):
		return fmt.Errorf("fno: TimeMaxFrequency=%g must be at least 1", c.TimeMaxFrequency)
	}
	if err := c.Activation.Validate(); err != nil {
		return fmt.Errorf("fno: %w", err)
	}
	return nil
}

// Apply evaluates the operator on inputs [B, N, N, Cin] (channels last, any N ≥ 2·Modes+1)
// at times t ([B] or [B, 1]) and returns [B, N, N, outChannels]. The layers are:
//
//  1. lifting: a pointwise Dense layer from Cin (+4 position channels) to Width;
//  2. Layers Fourier layers h ← σ(FiLM_l(K_l h + W_l h)), where K_l is a SpectralConvolution,
//     W_l a pointwise Dense layer, and FiLM_l(z) = z·(1 + γ_l(t)) + β_l(t) with γ_l, β_l
//     per-channel functions of the time embedding; the last layer has no σ;
//  3. projection: pointwise Dense to ProjectionHidden, σ, Dense to outChannels.
//
// The FiLM layers and the last Dense layer are initialized to zero, so an untrained network
// returns 0.
//
// The time embedding is the time features of TimeFeatures followed by a Dense layer of width
// 4·Width and σ.
// Variables live under ctx's current scope. Reference: Z. Li et al., "Fourier neural
// operator for parametric partial differential equations" (ICLR 2021); E. Perez et al.,
// "FiLM: visual reasoning with a general conditioning layer" (AAAI 2018).
//
// It panics (GoMLX graph-building convention) on an invalid configuration or shapes.
func (c Config) Apply(ctx *context.Context, inputs, t *Node, outChannels int) *Node {
	if inputs.Rank() != 4 || inputs.Shape().Dimensions[1] != inputs.Shape().Dimensions[2] {
		panic(fmt.Sprintf("fno.Config.Apply: inputs must have shape [B, N, N, C], got %s", inputs.Shape()))
	}
	if err := c.Validate(inputs.Shape().Dimensions[1]); err != nil {
		panic(err)
	}

	if c.Positions {
		inputs = Concatenate([]*Node{inputs, positionChannels(inputs)}, -1)
	}
	h := pointwiseDense(ctx.In("lift"), inputs, c.Width)

	embedding := c.timeFeatures(ctx, t)
	embedding = applyActivation(c.Activation, nn.Dense(ctx.In("time"), embedding, 4*c.Width))

	for layer := range c.Layers {
		scope := ctx.In(fmt.Sprintf("fourier_%d", layer))
		h = c.fourierLayer(scope, h, embedding, layer < c.Layers-1)
	}

	h = applyActivation(c.Activation, pointwiseDense(ctx.In("project_hidden"), h, c.ProjectionHidden))
	return pointwiseDense(zeroInitialized(ctx).In("project_out"), h, outChannels)
}

// timeFeatures returns the [B, TimeEmbedding] time features of t that c.TimeFeatures selects.
func (c Config) timeFeatures(ctx *context.Context, t *Node) *Node {
	if c.TimeFeatures == TimeFeaturesGaussianFourier {
		return nn.GaussianFourierEmbedding(ctx.In("time_features"), t, c.TimeEmbedding, c.TimeFourierScale)
	}
	return nn.TimeEmbedding(t, c.TimeEmbedding, c.TimeMaxFrequency)
}

// fourierLayer returns σ(FiLM(K h + W h)) for h [B, N, N, Width] and the time embedding
// [B, E]; activate false omits σ.
func (c Config) fourierLayer(ctx *context.Context, h, embedding *Node, activate bool) *Node {
	z := Add(spectralLayer(ctx.In("spectral"), h, c.Modes, c.Width), pointwiseDense(ctx.In("pointwise"), h, c.Width))

	// Two Dense layers, not one sliced in two: simplego v0.26.0 cannot differentiate Slice.
	batch := embedding.Shape().Dimensions[0]
	scale := Reshape(nn.Dense(zeroInitialized(ctx).In("film_scale"), embedding, c.Width), batch, 1, 1, c.Width)
	shift := Reshape(nn.Dense(zeroInitialized(ctx).In("film_shift"), embedding, c.Width), batch, 1, 1, c.Width)
	z = Add(Mul(z, OnePlus(scale)), shift)

	if activate {
		z = applyActivation(c.Activation, z)
	}
	return z
}

// zeroInitialized returns ctx with zero initial weights. The FiLM layers and the output
// layer start at zero, so the network starts as a time-independent operator with output 0,
// which keeps the first losses of order one (with He-initialized FiLM weights, the initial
// score-matching loss of a small test model was about 57).
func zeroInitialized(ctx *context.Context) *context.Context {
	return ctx.WithInitializer(initializers.Zero)
}

// positionChannels returns [B, N, N, 4] holding sin(2πx/L), cos(2πx/L), sin(2πy/L) and
// cos(2πy/L) at the grid points x_j = jL/N, y_i = iL/N.
func positionChannels(inputs *Node) *Node {
	batch, n := inputs.Shape().Dimensions[0], inputs.Shape().Dimensions[1]
	values := make([]float32, n*n*4)
	for i := range n {
		for j := range n {
			x, y := 2*math.Pi*float64(j)/float64(n), 2*math.Pi*float64(i)/float64(n)
			copy(values[(i*n+j)*4:], []float32{float32(math.Sin(x)), float32(math.Cos(x)), float32(math.Sin(y)), float32(math.Cos(y))})
		}
	}
	positions := ConvertDType(Reshape(Const(inputs.Graph(), values), 1, n, n, 4), inputs.DType())
	return BroadcastToDims(positions, batch, n, n, 4)
}
