package latentfm

import (
	"fmt"
	"math"
	"slices"

	"github.com/closure-lab/closure/pkg/autoencoder"
	"github.com/closure-lab/closure/pkg/nn"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// coderConditionScope is the context scope, under autoencoder.Scope, of the condition encoder
// that feeds the conditional decoder (and encoder). It is trained in stage 1 only and is
// separate from the velocity network's condition encoder, which stage 2 trains.
const coderConditionScope = "condition"

// conditional reports whether stage 1 trains a conditional autoencoder.
func (c Config) conditional() bool { return c.ConditionalDecoder || c.ConditionalEncoder }

// coderCondition maps the DFT features of normalized ω̄ [B, P_c] to the autoencoder's
// condition encoding [B, ConditionDim].
func (m *Model) coderCondition(ctx *context.Context, conditionFeatures *Node) *Node {
	widths := append(slices.Clone(m.config.ConditionHidden), m.config.ConditionDim)
	return nn.MLP(ctx.In(autoencoder.Scope).In(coderConditionScope), conditionFeatures, widths, m.config.Activation)
}

// encodeLatent maps the DFT features of normalized H [B, P_H] to latents [B, Latent]. With
// ConditionalEncoder the encoder also reads the condition encoding c [B, ConditionDim].
func (m *Model) encodeLatent(ctx *context.Context, features, c *Node) *Node {
	ae := m.config.Autoencoder
	if m.config.ConditionalEncoder {
		features = Concatenate([]*Node{features, c}, -1)
	}
	return ae.EncodeFeatures(ctx, features)
}

// decodeLatent maps latents [B, Latent] to the DFT features of normalized H [B, P_H]. With
// ConditionalDecoder the decoder reads [z, c] with c [B, ConditionDim].
func (m *Model) decodeLatent(ctx *context.Context, z, c *Node) *Node {
	if m.config.ConditionalDecoder {
		z = Concatenate([]*Node{z, c}, -1)
	}
	return m.config.Autoencoder.DecodeFeatures(ctx, z)
}

// conditionalCoder holds the compiled inference graphs of a conditional autoencoder. They
// capture the normalizations of H and ω̄ when built, so Train drops them.
type conditionalCoder struct {
	condition *context.Exec         // ω̄ [B, N, N] -> c [B, ConditionDim]
	encode    *context.Exec         // (H [B, N, N], ω̄ [B, N, N]) -> z [B, Latent]
	decode    map[int]*context.Exec // (z [B, Latent], c [B, ConditionDim]) -> H [B, n, n], by n
}

// coder returns the (cached) inference graphs of the conditional autoencoder.
func (m *Model) coder() (*conditionalCoder, error) {
	if m.coderGraphs != nil {
		return m.coderGraphs, nil
	}
	hNorm, omegaNorm := m.ae.Normalization, m.condition
	ae := m.config.Autoencoder
	condition, err := context.NewExec(m.backend, m.ctx, func(ctx *context.Context, omegaBar *Node) *Node {
		return m.coderCondition(ctx, nn.ToModes(omegaNorm.Normalize(omegaBar), m.config.ConditionModes))
	})
	if err != nil {
		return nil, fmt.Errorf("latentfm: building the autoencoder's condition graph failed: %w", err)
	}
	encode, err := context.NewExec(m.backend, m.ctx, func(ctx *context.Context, h, omegaBar *Node) *Node {
		c := m.coderCondition(ctx, nn.ToModes(omegaNorm.Normalize(omegaBar), m.config.ConditionModes))
		return m.encodeLatent(ctx, nn.ToModes(hNorm.Normalize(h), ae.Modes), c)
	})
	if err != nil {
		return nil, fmt.Errorf("latentfm: building the conditional encoder graph failed: %w", err)
	}
	m.coderGraphs = &conditionalCoder{condition: condition, encode: encode, decode: map[int]*context.Exec{}}
	return m.coderGraphs, nil
}

// decoderFor returns the (cached) conditional decoding graph to n x n fields.
func (m *Model) decoderFor(coder *conditionalCoder, n int) (*context.Exec, error) {
	if exec := coder.decode[n]; exec != nil {
		return exec, nil
	}
	hNorm, modes := m.ae.Normalization, m.config.Autoencoder.Modes
	exec, err := context.NewExec(m.backend, m.ctx, func(ctx *context.Context, z, c *Node) *Node {
		return hNorm.Denormalize(nn.FromModes(m.decodeLatent(ctx, z, c), modes, n))
	})
	if err != nil {
		return nil, fmt.Errorf("latentfm: building the conditional decoder graph failed: %w", err)
	}
	coder.decode[n] = exec
	return exec, nil
}

// encodeFields returns the latents [count, Latent] of the fields h [count, N, N] whose
// conditions are omegaBar [count, N, N].
func (m *Model) encodeFields(h, omegaBar []float32, count int) ([]float32, error) {
	if !m.config.conditional() {
		return m.ae.Encode(h, count)
	}
	coder, err := m.coder()
	if err != nil {
		return nil, err
	}
	n := m.config.N
	var latents []float32
	for start := 0; start < count; start += inferenceBatch {
		size := min(inferenceBatch, count-start)
		field := func(values []float32) *tensors.Tensor {
			return tensors.FromFlatDataAndDimensions(values[start*n*n:(start+size)*n*n], size, n, n)
		}
		z, err := coder.encode.Exec1(field(h), field(omegaBar))
		if err != nil {
			return nil, fmt.Errorf("latentfm: encoding fields failed: %w", err)
		}
		latents = append(latents, tensors.MustCopyFlatData[float32](z)...)
	}
	return latents, nil
}

// decodeFields returns the fields [K, n, n] of the latents z [K, Latent], where latent k
// belongs to condition k/members of omegaBar [B, n, n] (K = B·members).
func (m *Model) decodeFields(z, omegaBar []float32, members, n int) ([]float32, error) {
	if !m.config.ConditionalDecoder {
		return m.ae.Decode(z, n)
	}
	coder, err := m.coder()
	if err != nil {
		return nil, err
	}
	decode, err := m.decoderFor(coder, n)
	if err != nil {
		return nil, err
	}
	d, dc := m.config.Autoencoder.Latent, m.config.ConditionDim
	batch := len(omegaBar) / (n * n)
	encoded, err := coder.condition.Exec1(tensors.FromFlatDataAndDimensions(omegaBar, batch, n, n))
	if err != nil {
		return nil, fmt.Errorf("latentfm: encoding the decoder's conditions failed: %w", err)
	}
	conditions := tensors.MustCopyFlatData[float32](encoded)

	total := len(z) / d
	var fields []float32
	for start := 0; start < total; start += inferenceBatch {
		size := min(inferenceBatch, total-start)
		repeated := make([]float32, size*dc)
		for k := range size {
			b := (start + k) / members
			copy(repeated[k*dc:(k+1)*dc], conditions[b*dc:(b+1)*dc])
		}
		out, err := decode.Exec1(tensors.FromFlatDataAndDimensions(z[start*d:(start+size)*d], size, d),
			tensors.FromFlatDataAndDimensions(repeated, size, dc))
		if err != nil {
			return nil, fmt.Errorf("latentfm: decoding latents failed: %w", err)
		}
		fields = append(fields, tensors.MustCopyFlatData[float32](out)...)
	}
	return fields, nil
}

// inferenceBatch is the number of fields per execution of the conditional autoencoder graphs.
const inferenceBatch = 256

// reconstructionError returns the relative L2 error ‖D(E(H, c), c) − H‖/‖H − mean(H)‖ over
// data, with c the encoding of data.OmegaBar when the autoencoder is conditional.
func (m *Model) reconstructionError(data Data, count int) (float64, error) {
	if !m.config.conditional() {
		return m.ae.ReconstructionError(data.H, count)
	}
	z, err := m.encodeFields(data.H, data.OmegaBar, count)
	if err != nil {
		return 0, err
	}
	reconstruction, err := m.decodeFields(z, data.OmegaBar, 1, m.config.N)
	if err != nil {
		return 0, err
	}
	mean := autoencoder.FitNormalization(data.H).Mean
	var errorNorm, dataNorm float64
	for k, value := range data.H {
		difference := float64(reconstruction[k] - value)
		errorNorm += difference * difference
		dataNorm += float64(value-mean) * float64(value-mean)
	}
	if dataNorm == 0 {
		return 0, fmt.Errorf("latentfm: the closure fields are constant, so the relative reconstruction error is undefined")
	}
	return math.Sqrt(errorNorm / dataNorm), nil
}

// shiftFeatures returns the DFT features [B, P] (layout of nn.Modes(modes)) of the fields
// translated by dy rows and dx columns, where dy and dx are [B, 1] grid-cell counts on an
// n x n grid: the coefficient of wavenumber (ky, kx) is multiplied by exp(−iθ) with
// θ = 2π(ky·dy + kx·dx)/n (the DFT shift theorem), and the mean is unchanged.
func shiftFeatures(features, dy, dx *Node, modes, n int) *Node {
	g := features.Graph()
	dtype := features.DType()
	all := nn.Modes(modes)
	pairs := (len(all) - 1) / 2
	ky, kx := make([]float32, pairs), make([]float32, pairs)
	for q := range pairs {
		ky[q], kx[q] = float32(all[1+2*q].KY), float32(all[1+2*q].KX)
	}

	scale := 2 * math.Pi / float64(n)
	theta := Add(Mul(dy, ConvertDType(Const(g, [][]float32{ky}), dtype)), Mul(dx, ConvertDType(Const(g, [][]float32{kx}), dtype)))
	theta = MulScalar(theta, scale)
	cos, sin := Cos(theta), Sin(theta)

	batch := features.Shape().Dimensions[0]
	complexParts := Reshape(Slice(features, AxisRange(), AxisRangeToEnd(1)), batch, pairs, 2)
	re := Reshape(Slice(complexParts, AxisRange(), AxisRange(), AxisElem(0)), batch, pairs)
	im := Reshape(Slice(complexParts, AxisRange(), AxisRange(), AxisElem(1)), batch, pairs)
	shiftedRe := Add(Mul(re, cos), Mul(im, sin))
	shiftedIm := Sub(Mul(im, cos), Mul(re, sin))
	shifted := Reshape(Stack([]*Node{shiftedRe, shiftedIm}, -1), batch, 2*pairs)
	return Concatenate([]*Node{Slice(features, AxisRange(), AxisRange(0, 1)), shifted}, -1)
}

// randomShifts draws per-example translations [B, 1] for stage-1 augmentation: dx uniform
// over the n columns when Config.AugmentX is set, and dy uniform over the multiples of
// Config.AugmentYPeriod rows when it is positive (zero otherwise).
func (m *Model) randomShifts(ctx *context.Context, g *Graph, batch int) (dy, dx *Node) {
	n := m.config.N
	uniformCells := func(count int) *Node {
		u := ctx.RandomUniform(g, shapes.Make(dtypes.Float32, batch, 1))
		return Floor(MulScalar(u, float64(count)))
	}
	dx, dy = Zeros(g, shapes.Make(dtypes.Float32, batch, 1)), Zeros(g, shapes.Make(dtypes.Float32, batch, 1))
	if m.config.AugmentX {
		dx = uniformCells(n)
	}
	if period := m.config.AugmentYPeriod; period > 0 {
		dy = MulScalar(uniformCells(n/period), float64(period))
	}
	return dy, dx
}
