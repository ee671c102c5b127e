package latentfm

import (
	"fmt"
	"slices"

	"github.com/closure-lab/closure/pkg/autoencoder"
	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/regularize"
	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Context scopes of the networks: scope holds the condition encoder and velocity network
// trained by flow matching (the teacher), studentScope the copies trained by reflow.
const (
	scope        = "latentfm"
	studentScope = "latentfm_student"
)

// Data is a set of S training pairs: OmegaBar and H are flat float32 slices of shape
// [S, N, N] holding the filtered vorticity (the condition) and the closure field.
type Data struct {
	OmegaBar, H []float32
	N           int
}

// count returns S, or an error when the slices do not hold whole N x N fields of equal count.
func (d *Data) count(n int) (int, error) {
	if d.N != n {
		return 0, fmt.Errorf("latentfm: data grid size N=%d differs from the model's N=%d", d.N, n)
	}
	fieldSize := n * n
	if len(d.H) == 0 || len(d.H)%fieldSize != 0 || len(d.OmegaBar) != len(d.H) {
		return 0, fmt.Errorf("latentfm: data must hold S fields of %d values in both OmegaBar and H, got %d and %d values", fieldSize, len(d.OmegaBar), len(d.H))
	}
	return len(d.H) / fieldSize, nil
}

// standardization is the per-coordinate affine map applied to latents: z_std = (z − Mean)/Std.
type standardization struct {
	Mean []float32 `json:"mean"`
	Std  []float32 `json:"std"`
}

// Model is a latent flow-matching closure model. Create it with New or Load. Its methods must
// not be called concurrently, because they share compiled graphs and the weights.
type Model struct {
	config    Config
	backend   backends.Backend
	ctx       *context.Context
	ae        *autoencoder.Model
	latent    standardization
	condition autoencoder.Normalization // normalization of ω̄
	trained   bool
	// student is true once stage 3 (reflow) has trained the networks under studentScope.
	student bool

	samplers map[string]*sampler // by network scope
	// regularizer is the weighted mp or ga loss of stage 1, built from the training data.
	regularizer regularize.Loss
	// coderGraphs are the inference graphs of the conditional autoencoder, built on first use.
	coderGraphs *conditionalCoder
	// mean is the mean network's state, nil without Config.MeanNetwork or before stage 0.
	mean *meanModel
	// mask is the sensor mask [N, N] of Config.Sensors, nil without sensors.
	mask []float32
}

// New validates cfg and returns an untrained model on the pure-Go backend (nn.NewBackend).
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	backend, err := nn.NewBackend()
	if err != nil {
		return nil, err
	}

	ctx := context.New().Checked(false)
	ctx.SetParam(context.ParamInitialSeed, cfg.Seed)
	ae, err := autoencoder.New(backend, ctx, cfg.Autoencoder)
	if err != nil {
		return nil, err
	}
	m := &Model{config: cfg, backend: backend, ctx: ctx, ae: ae, condition: autoencoder.Normalization{Std: 1}, samplers: map[string]*sampler{}}
	if cfg.Sensors.Enabled() {
		m.mask = cfg.Sensors.Mask(cfg.N)
	}
	return m, nil
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.config }

// Autoencoder returns the stage-1 autoencoder, for reconstruction diagnostics.
func (m *Model) Autoencoder() *autoencoder.Model { return m.ae }

// encodeCondition maps ω̄ [B, N', N'] (any N' ≥ 2·ConditionModes+1) to c [B, ConditionDim]
// with the condition encoder under the context scope network (scope or studentScope).
func (m *Model) encodeCondition(ctx *context.Context, omegaBar *Node, network string) *Node {
	return m.conditionFromFeatures(ctx, nn.ToModes(m.condition.Normalize(omegaBar), m.config.ConditionModes), network)
}

// conditionFromFeatures maps the DFT features of normalized ω̄ [B, P] to c [B, ConditionDim].
func (m *Model) conditionFromFeatures(ctx *context.Context, features *Node, network string) *Node {
	widths := append(slices.Clone(m.config.ConditionHidden), m.config.ConditionDim)
	return nn.MLP(ctx.In(network).In("condition"), features, widths, m.config.Activation)
}

// velocity returns v(z_t, t, c) [B, Latent] for z_t [B, Latent], t [B, 1] and c [B, ConditionDim].
func (m *Model) velocity(ctx *context.Context, zt, t, c *Node, network string) *Node {
	embedding := nn.TimeEmbedding(t, m.config.TimeEmbedding, 16)
	input := Concatenate([]*Node{zt, embedding, c}, -1)
	widths := append(slices.Clone(m.config.VelocityHidden), m.config.Autoencoder.Latent)
	return nn.MLP(ctx.In(network).In("velocity"), input, widths, m.config.Activation)
}

// flowMatchingLoss is the conditional flow-matching loss of the teacher for standardized
// latents z1 [B, Latent] and the DFT features of normalized conditions [B, P]: t ~ U(0, 1) and
// z0 ~ N(0, I) per example (independent coupling), drawn from the context's random-number
// state.
func (m *Model) flowMatchingLoss(ctx *context.Context, inputs []*Node) *Node {
	z1 := inputs[0]
	z0 := ctx.RandomNormal(z1.Graph(), z1.Shape())
	return m.pairLoss(ctx, z0, z1, inputs[1], scope, 0)
}

// coupledLoss returns the flow-matching loss of the networks under network for given pairs:
// inputs are z0 [B, Latent], z1 [B, Latent] and condition features [B, P]. Stage 2 uses it
// with OT-coupled pairs and stage 3 (reflow) with teacher-coupled pairs. zeroTimeFraction is
// the fraction of examples trained at t = 0 (see pairLoss).
func (m *Model) coupledLoss(network string, zeroTimeFraction float64) func(ctx *context.Context, inputs []*Node) *Node {
	return func(ctx *context.Context, inputs []*Node) *Node {
		return m.pairLoss(ctx, inputs[0], inputs[1], inputs[2], network, zeroTimeFraction)
	}
}

// pairLoss is the mean of ‖v(z_t, t, c) − (z1 − z0)‖² over the batch and latent coordinates,
// with z_t = (1−t)·z0 + t·z1. Each example draws t ~ U(0, 1) from the context's random-number
// state, except that a random zeroTimeFraction of them use t = 0, the only time that one
// Euler step evaluates.
func (m *Model) pairLoss(ctx *context.Context, z0, z1, conditionFeatures *Node, network string, zeroTimeFraction float64) *Node {
	batch := z1.Shape().Dimensions[0]
	g := z1.Graph()
	t := ctx.RandomUniform(g, shapes.Make(z1.DType(), batch, 1))
	if zeroTimeFraction > 0 {
		atZero := LessThan(ctx.RandomUniform(g, t.Shape()), Scalar(g, t.DType(), zeroTimeFraction))
		t = Where(atZero, ZerosLike(t), t)
	}
	zt := Add(Mul(OneMinus(t), z0), Mul(t, z1))
	target := Sub(z1, z0)

	prediction := m.velocity(ctx, zt, t, m.conditionFromFeatures(ctx, conditionFeatures, network), network)
	return ReduceAllMean(Square(Sub(prediction, target)))
}
