package diffusion

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/nn"
	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// scope is the context scope of the score network variables.
const scope = "diffusion"

// Data is a set of S training pairs: OmegaBar and H are flat float32 slices of shape
// [S, N, N] holding the filtered vorticity (the condition) and the closure field.
type Data = fno.FieldPairs

// Model is a conditional score-based diffusion model of the closure H given ω̄ in physical
// space. Create it with New or Load. Its methods must not be called concurrently, because
// they share compiled graphs and the weights.
type Model struct {
	config    Config
	sde       SDE
	backend   backends.Backend
	ctx       *context.Context
	field     fno.Normalization // normalization of H
	condition fno.Normalization // normalization of ω̄
	mask      []float32         // sensor mask [N, N], nil without sensors
	trained   bool

	scoreExec *context.Exec
}

// New validates cfg and returns an untrained model on the pure-Go backend (nn.NewBackend).
func New(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sde, err := cfg.NewSDE()
	if err != nil {
		return nil, err
	}
	backend, err := nn.NewBackend()
	if err != nil {
		return nil, err
	}

	ctx := context.New().Checked(false)
	ctx.SetParam(context.ParamInitialSeed, cfg.Seed)
	identity := fno.Normalization{Std: 1}
	m := &Model{config: cfg, sde: sde, backend: backend, ctx: ctx, field: identity, condition: identity}
	if cfg.Sensors.Enabled() {
		m.mask = cfg.Sensors.Mask(cfg.N)
	}
	return m, nil
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.config }

// SDE returns the forward SDE of the model.
func (m *Model) SDE() SDE { return m.sde }

// marginal returns α(t) and σ_t of the configured SDE as graph nodes, for t of any shape.
func (m *Model) marginal(t *Node) (alpha, std *Node) {
	switch sde := m.sde.(type) {
	case VE:
		std = MulScalar(Exp(MulScalar(t, math.Log(sde.SigmaMax/sde.SigmaMin))), sde.SigmaMin)
		return OnesLike(t), std
	case VP:
		integrated := Add(MulScalar(t, sde.BetaMin), MulScalar(Square(t), 0.5*(sde.BetaMax-sde.BetaMin)))
		alpha = Exp(MulScalar(integrated, -0.5))
		return alpha, Sqrt(OneMinus(Exp(Neg(integrated))))
	}
	panic(fmt.Sprintf("diffusion: unsupported SDE type %T", m.sde))
}

// network returns F(x_t, ω̄, t) [B, N, N] for x_t and normalized ω̄ [B, N, N] and t [B]. The
// score is F/σ_t. For a model with sensors, measured [B, N, N] contains the normalized H whose
// values at the sensors are measured. Without sensors it is ignored and may be nil. The input
// is scaled by 1/√(α² + σ²), the inverse standard deviation of
// x_t for unit-variance data (the input preconditioning of Karras et al., "Elucidating the
// design space of diffusion-based generative models"), so the network input has values of
// order one at every noise level.
func (m *Model) network(ctx *context.Context, xt, omegaBar, measured, t *Node) *Node {
	alpha, std := m.marginal(t)
	inputScale := Rsqrt(Add(Square(alpha), Square(std)))
	batch, n := xt.Shape().Dimensions[0], xt.Shape().Dimensions[1]
	scaled := Mul(xt, Reshape(inputScale, batch, 1, 1))

	inputs := fno.StackInputs([]*Node{scaled, omegaBar}, measured, m.mask) // [B, N, N, 2], or 4 with sensors
	output := m.config.FNO.Apply(ctx.In(scope), inputs, t, 1)
	return Reshape(output, batch, n, n)
}

// scoreMatchingLoss is the denoising score-matching loss with weighting λ(t) = σ_t² for
// normalized fields H [B, N, N] and conditions ω̄ [B, N, N]: with t ~ U(TrainTimeMin,
// TrainTimeMax), z ~ N(0, I) and x_t = α(t)H + σ_t z, it is the mean over values of
// (σ_t·s_θ(x_t, t) + z)² = (F + z)². A model with sensors also receives the values of H at the
// sensors, noise-free. Reference: Y. Song et al., "Score-based generative
// modeling through stochastic differential equations" (ICLR 2021), eq. (7).
func (m *Model) scoreMatchingLoss(ctx *context.Context, inputs []*Node) *Node {
	h, omegaBar := inputs[0], inputs[1]
	g := h.Graph()
	batch := h.Shape().Dimensions[0]

	uniform := ctx.RandomUniform(g, shapes.Make(h.DType(), batch))
	t := AddScalar(MulScalar(uniform, m.config.TrainTimeMax-m.config.TrainTimeMin), m.config.TrainTimeMin)
	z := ctx.RandomNormal(g, h.Shape())
	alpha, std := m.marginal(t)
	xt := Add(Mul(h, Reshape(alpha, batch, 1, 1)), Mul(z, Reshape(std, batch, 1, 1)))

	prediction := m.network(ctx, xt, omegaBar, h, t)
	return ReduceAllMean(Square(Add(prediction, z)))
}
