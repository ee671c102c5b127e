package autoencoder

import (
	"fmt"
	"math"
	"slices"

	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/regularize"
	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// VectorScope is the context scope that holds the variables of a VectorModel.
const VectorScope = "vector_autoencoder"

// VectorConfig is the architecture of a vector autoencoder for points in R^Dim: an MLP
// encoder to R^Latent and an MLP decoder back, with no DFT.
type VectorConfig struct {
	// Dim is the dimension D of the points.
	Dim int `json:"dim"`
	// Latent is the latent dimension d.
	Latent int `json:"latent"`
	// Hidden lists the hidden widths of the encoder MLP; the decoder uses them in reverse.
	Hidden []int `json:"hidden"`
	// Activation is the nonlinearity of the MLPs.
	Activation nn.Activation `json:"activation"`
}

// DefaultVectorConfig returns a configuration for points in R^dim with the given latent
// dimension: two hidden layers of width 64 and the swish activation.
func DefaultVectorConfig(dim, latent int) VectorConfig {
	return VectorConfig{Dim: dim, Latent: latent, Hidden: []int{64, 64}, Activation: nn.ActivationSwish}
}

// Validate returns an error naming the first invalid field.
func (c VectorConfig) Validate() error {
	switch {
	case c.Dim < 1:
		return fmt.Errorf("autoencoder: vector Dim=%d must be at least 1", c.Dim)
	case c.Latent < 1:
		return fmt.Errorf("autoencoder: vector Latent=%d must be at least 1", c.Latent)
	}
	for k, width := range c.Hidden {
		if width < 1 {
			return fmt.Errorf("autoencoder: vector Hidden[%d]=%d must be at least 1", k, width)
		}
	}
	return c.Activation.Validate()
}

// Encode maps normalized points x [B, Dim] to latents [B, Latent].
func (c VectorConfig) Encode(ctx *context.Context, x *Node) *Node {
	widths := append(slices.Clone(c.Hidden), c.Latent)
	return nn.MLP(ctx.In(VectorScope).In("encoder"), x, widths, c.Activation)
}

// Decode maps latents z [B, Latent] to normalized points [B, Dim].
func (c VectorConfig) Decode(ctx *context.Context, z *Node) *Node {
	widths := slices.Clone(c.Hidden)
	slices.Reverse(widths)
	widths = append(widths, c.Dim)
	return nn.MLP(ctx.In(VectorScope).In("decoder"), z, widths, c.Activation)
}

// Loss returns the reconstruction loss of normalized points x [B, Dim] plus
// regularizer(ctx, x, z) when regularizer is not nil. The reconstruction loss is the mean
// squared error over batch and coordinates. Normalized coordinates have unit mean variance, so
// it is about the squared relative error.
func (c VectorConfig) Loss(ctx *context.Context, x *Node, regularizer regularize.Loss) *Node {
	z := c.Encode(ctx, x)
	loss := ReduceAllMean(Square(Sub(c.Decode(ctx, z), x)))
	if regularizer != nil {
		loss = Add(loss, regularizer(ctx, x, z))
	}
	return loss
}

// VectorNormalization is the map x = (p − Mean)/Std with a per-coordinate mean and one
// standard deviation for all coordinates, a similarity: it scales every distance by 1/Std.
type VectorNormalization struct {
	Mean []float32 `json:"mean"`
	Std  float32   `json:"std"`
}

// FitVectorNormalization returns the per-coordinate mean of the rows of points ([count, dim],
// row-major) and the root mean square deviation over all coordinates. Constant points get
// Std = 1.
func FitVectorNormalization(points []float32, dim int) VectorNormalization {
	count := len(points) / dim
	mean := make([]float64, dim)
	for k, value := range points[:count*dim] {
		mean[k%dim] += float64(value)
	}
	for c := range mean {
		mean[c] /= float64(max(1, count))
	}

	var variance float64
	for k, value := range points[:count*dim] {
		deviation := float64(value) - mean[k%dim]
		variance += deviation * deviation
	}
	variance /= float64(max(1, count*dim))

	normalization := VectorNormalization{Mean: make([]float32, dim), Std: 1}
	for c, value := range mean {
		normalization.Mean[c] = float32(value)
	}
	if variance > 0 {
		normalization.Std = float32(math.Sqrt(variance))
	}
	return normalization
}

// apply returns the normalized copy of points [count, dim].
func (n VectorNormalization) apply(points []float32) []float32 {
	normalized := make([]float32, len(points))
	for k, value := range points {
		normalized[k] = (value - n.Mean[k%len(n.Mean)]) / n.Std
	}
	return normalized
}

// VectorModel is a vector autoencoder bound to a backend and a context holding its variables
// (under VectorScope).
type VectorModel struct {
	Config        VectorConfig
	Normalization VectorNormalization

	backend backends.Backend
	ctx     *context.Context
	encode  *context.Exec
	decode  *context.Exec
}

// NewVector returns an untrained vector autoencoder using ctx for its variables. Seed the
// weights with ctx.SetParam(context.ParamInitialSeed, seed) before the first training call.
func NewVector(backend backends.Backend, ctx *context.Context, cfg VectorConfig) (*VectorModel, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	identity := VectorNormalization{Mean: make([]float32, cfg.Dim), Std: 1}
	return &VectorModel{Config: cfg, Normalization: identity, backend: backend, ctx: ctx.Checked(false)}, nil
}

// Train fits the normalization on points ([S, Dim], row-major) and trains the autoencoder on
// the normalized points with VectorConfig.Loss. The validation points (may be nil) are
// evaluated as cfg sets. With WithRegularizer the regularizer receives the normalized points
// as x, and GA builds its geodesic table from the normalized training points.
func (m *VectorModel) Train(points, validation []float32, cfg train.Config, opts ...TrainOption) (*train.History, error) {
	options := collectOptions(opts)
	dim := m.Config.Dim
	if err := checkRows(points, dim); err != nil {
		return nil, fmt.Errorf("autoencoder: training points: %w", err)
	}
	m.Normalization = FitVectorNormalization(points, dim)
	data := &train.Dataset{Arrays: []train.Array{{Data: m.Normalization.apply(points), ExampleDims: []int{dim}}}}

	var validationSet *train.Dataset
	if validation != nil {
		if err := checkRows(validation, dim); err != nil {
			return nil, fmt.Errorf("autoencoder: validation points: %w", err)
		}
		validationSet = &train.Dataset{Arrays: []train.Array{{Data: m.Normalization.apply(validation), ExampleDims: []int{dim}}}}
	}
	if cfg.OptimizerScope == "" {
		cfg.OptimizerScope = VectorScope + "_adam"
	}
	if cfg.Description == "" {
		cfg.Description = "vector autoencoder"
	}

	regularizer, err := buildRegularizer(options.regularizer, data.Arrays[0].Data, dim)
	if err != nil {
		return nil, err
	}
	loss := func(ctx *context.Context, inputs []*Node) *Node {
		return m.Config.Loss(ctx, inputs[0], regularizer)
	}
	m.encode, m.decode = nil, nil // graphs built before training used the old normalization
	return train.Run(m.backend, m.ctx, loss, data, validationSet, cfg)
}

// Encode returns the latents [count, Latent] of points [count, Dim].
func (m *VectorModel) Encode(points []float32) ([]float32, error) {
	if err := checkRows(points, m.Config.Dim); err != nil {
		return nil, fmt.Errorf("autoencoder.VectorModel.Encode: %w", err)
	}
	if m.encode == nil {
		var err error
		norm := m.Normalization
		m.encode, err = context.NewExec(m.backend, m.ctx, func(ctx *context.Context, p *Node) *Node {
			mean := ConvertDType(Const(p.Graph(), [][]float32{norm.Mean}), p.DType())
			return m.Config.Encode(ctx, MulScalar(Sub(p, mean), 1/norm.Std))
		})
		if err != nil {
			return nil, err
		}
	}
	return runBatched(m.encode, points, len(points)/m.Config.Dim, []int{m.Config.Dim})
}

// Decode returns the points [count, Dim] of latents z [count, Latent].
func (m *VectorModel) Decode(z []float32) ([]float32, error) {
	if err := checkRows(z, m.Config.Latent); err != nil {
		return nil, fmt.Errorf("autoencoder.VectorModel.Decode: %w", err)
	}
	if m.decode == nil {
		var err error
		norm := m.Normalization
		m.decode, err = context.NewExec(m.backend, m.ctx, func(ctx *context.Context, z *Node) *Node {
			mean := ConvertDType(Const(z.Graph(), [][]float32{norm.Mean}), z.DType())
			return Add(MulScalar(m.Config.Decode(ctx, z), norm.Std), mean)
		})
		if err != nil {
			return nil, err
		}
	}
	return runBatched(m.decode, z, len(z)/m.Config.Latent, []int{m.Config.Latent})
}

// ReconstructionError returns the relative L2 error ‖D(E(p)) − p‖ / ‖p − mean(p)‖ over the
// points [count, Dim], with the per-coordinate mean. A value of 1 means no better than
// predicting the mean.
func (m *VectorModel) ReconstructionError(points []float32) (float64, error) {
	z, err := m.Encode(points)
	if err != nil {
		return 0, err
	}
	reconstruction, err := m.Decode(z)
	if err != nil {
		return 0, err
	}

	mean := FitVectorNormalization(points, m.Config.Dim).Mean
	var errorNorm, dataNorm float64
	for k, value := range points {
		difference := float64(reconstruction[k] - value)
		deviation := float64(value - mean[k%m.Config.Dim])
		errorNorm += difference * difference
		dataNorm += deviation * deviation
	}
	if dataNorm == 0 {
		return 0, fmt.Errorf("autoencoder.VectorModel.ReconstructionError: the points are all equal, so the relative error is undefined")
	}
	return sqrtRatio(errorNorm, dataNorm), nil
}

// checkRows returns an error unless values holds a positive number of rows of width dim.
func checkRows(values []float32, dim int) error {
	if len(values) == 0 || len(values)%dim != 0 {
		return fmt.Errorf("%d values are not a positive multiple of the row width %d", len(values), dim)
	}
	return nil
}
