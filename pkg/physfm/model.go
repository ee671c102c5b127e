package physfm

import (
	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/nn"
	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// scope is the context scope of the velocity network variables.
const scope = "physfm"

// Data is a set of S training pairs: OmegaBar and H are flat float32 slices of shape
// [S, N, N] holding the filtered vorticity (the condition) and the closure field.
type Data = fno.FieldPairs

// Model is a conditional flow-matching model of the closure H given ω̄ in physical space.
// Create it with New or Load. Its methods must not be called concurrently, because they
// share compiled graphs and the weights.
type Model struct {
	config    Config
	backend   backends.Backend
	ctx       *context.Context
	field     fno.Normalization // normalization of H
	condition fno.Normalization // normalization of ω̄
	mask      []float32         // sensor mask [N, N], nil without sensors
	trained   bool

	velocityExec *context.Exec
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
	identity := fno.Normalization{Std: 1}
	m := &Model{config: cfg, backend: backend, ctx: ctx, field: identity, condition: identity}
	if cfg.Sensors.Enabled() {
		m.mask = cfg.Sensors.Mask(cfg.N)
	}
	return m, nil
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.config }

// velocity returns v(x_t, t | ω̄, measurements) [B, N, N] for x_t and normalized ω̄ [B, N, N]
// and t [B]. For a model with sensors, measured [B, N, N] contains the normalized H whose
// values at the sensors are measured. Without sensors it is ignored and may be nil.
func (m *Model) velocity(ctx *context.Context, xt, omegaBar, measured, t *Node) *Node {
	batch, n := xt.Shape().Dimensions[0], xt.Shape().Dimensions[1]
	inputs := fno.StackInputs([]*Node{xt, omegaBar}, measured, m.mask) // [B, N, N, 2], or 4 with sensors
	output := m.config.FNO.Apply(ctx.In(scope), inputs, t, 1)
	return Reshape(output, batch, n, n)
}

// flowMatchingLoss is the conditional flow-matching loss for normalized fields x1 = H
// [B, N, N] and conditions ω̄ [B, N, N]: with x0 ~ N(0, I), t ~ U(0, 1) per example and
// x_t = (1 − t)x0 + t·x1, it is the mean over values of (v(x_t, t | ω̄) − (x1 − x0))². A model
// with sensors also receives the values of x1 at the sensors, noise-free.
// Reference: Y. Lipman, R. T. Q. Chen, H. Ben-Hamu, M. Nickel and M. Le, "Flow matching for
// generative modeling" (ICLR 2023), with the linear (rectified) path.
func (m *Model) flowMatchingLoss(ctx *context.Context, inputs []*Node) *Node {
	x1, omegaBar := inputs[0], inputs[1]
	g := x1.Graph()
	batch := x1.Shape().Dimensions[0]

	x0 := ctx.RandomNormal(g, x1.Shape())
	t := ctx.RandomUniform(g, shapes.Make(x1.DType(), batch))
	tField := Reshape(t, batch, 1, 1)
	xt := Add(Mul(OneMinus(tField), x0), Mul(tField, x1))
	target := Sub(x1, x0)

	prediction := m.velocity(ctx, xt, omegaBar, x1, t)
	return ReduceAllMean(Square(Sub(prediction, target)))
}
