package autoencoder

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/nn"
	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// inferenceBatch is the number of fields per graph execution in Encode and Decode. It bounds
// memory and keeps the number of compiled shapes at two (full and last partial batch).
const inferenceBatch = 256

// Model is an autoencoder bound to a backend and a context holding its variables (under
// Scope). Other models may keep their own variables in the same context.
type Model struct {
	Config        Config
	Normalization Normalization

	backend backends.Backend
	ctx     *context.Context
	encode  *context.Exec
	decode  map[int]*context.Exec // by output grid size
}

// New returns an untrained autoencoder using ctx for its variables. Seed the weights with
// ctx.SetParam(context.ParamInitialSeed, seed) before the first training or inference call.
func New(backend backends.Backend, ctx *context.Context, cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Model{Config: cfg, Normalization: Normalization{Std: 1}, backend: backend, ctx: ctx.Checked(false), decode: map[int]*context.Exec{}}, nil
}

// Train fits the normalization on h (shape [S, N, N]) and trains the autoencoder on it. The
// validation fields (may be nil) are evaluated as cfg sets. The loss is FeatureLoss, and the
// fields are projected to their DFT features once before training, so a step costs the same
// at every N. With WithRegularizer the loss is RegularizedFeatureLoss, and the regularizer
// compares latent distances with the distances of ParsevalFeatures (RMS distances of the
// normalized band-limited fields); GA builds its geodesic table from the training fields.
func (m *Model) Train(h, validation []float32, cfg train.Config, opts ...TrainOption) (*train.History, error) {
	options := collectOptions(opts)
	m.Normalization = FitNormalization(h)
	features, err := m.normalizedFeatures(h)
	if err != nil {
		return nil, fmt.Errorf("autoencoder: training data: %w", err)
	}
	numModes := nn.NumModeFeatures(m.Config.Modes)
	data := &train.Dataset{Arrays: []train.Array{{Data: features, ExampleDims: []int{numModes}}}}

	var validationSet *train.Dataset
	if validation != nil {
		validationFeatures, err := m.normalizedFeatures(validation)
		if err != nil {
			return nil, fmt.Errorf("autoencoder: validation data: %w", err)
		}
		validationSet = &train.Dataset{Arrays: []train.Array{{Data: validationFeatures, ExampleDims: []int{numModes}}}}
	}
	if cfg.OptimizerScope == "" {
		cfg.OptimizerScope = Scope + "_adam"
	}
	if cfg.Description == "" {
		cfg.Description = "autoencoder"
	}

	var regularizerInputs []float32
	if options.regularizer.Active() {
		regularizerInputs = parsevalScaled(features, m.Config.Modes)
	}
	regularizer, err := buildRegularizer(options.regularizer, regularizerInputs, numModes)
	if err != nil {
		return nil, err
	}
	loss := func(ctx *context.Context, inputs []*Node) *Node {
		if regularizer == nil {
			return m.Config.FeatureLoss(ctx, inputs[0])
		}
		return m.Config.RegularizedFeatureLoss(ctx, inputs[0], regularizer)
	}
	m.encode, m.decode = nil, map[int]*context.Exec{} // graphs built before training used the old normalization
	return train.Run(m.backend, m.ctx, loss, data, validationSet, cfg)
}

// parsevalScaled returns a copy of the features [S, P] scaled by sqrt(w_p), the host
// counterpart of Config.ParsevalFeatures.
func parsevalScaled(features []float32, modes int) []float32 {
	scales := parsevalScales(modes)
	scaled := make([]float32, len(features))
	for k, value := range features {
		scaled[k] = value * scales[k%len(scales)]
	}
	return scaled
}

// normalizedFeatures returns the DFT features [S, P] of the normalized fields h [S, N, N].
func (m *Model) normalizedFeatures(h []float32) ([]float32, error) {
	fieldSize := m.Config.N * m.Config.N
	if len(h) == 0 || len(h)%fieldSize != 0 {
		return nil, fmt.Errorf("%d values are not a positive multiple of N*N=%d", len(h), fieldSize)
	}
	features, err := nn.ProjectToModes(m.backend, h, len(h)/fieldSize, m.Config.N, m.Config.Modes)
	if err != nil {
		return nil, err
	}
	m.Normalization.NormalizeFeatures(features, nn.NumModeFeatures(m.Config.Modes))
	return features, nil
}

// Encode returns the latents [count, Latent] of count fields h [count, n, n]. The grid size n
// is inferred from len(h) and must be at least 2·Modes+1.
func (m *Model) Encode(h []float32, count int) ([]float32, error) {
	n, err := gridSize(len(h), count)
	if err != nil {
		return nil, fmt.Errorf("autoencoder.Encode: %w", err)
	}
	if m.encode == nil {
		norm := m.Normalization
		m.encode, err = context.NewExec(m.backend, m.ctx, func(ctx *context.Context, h *Node) *Node {
			return m.Config.EncodeNormalized(ctx, norm.Normalize(h))
		})
		if err != nil {
			return nil, err
		}
	}
	return runBatched(m.encode, h, count, []int{n, n})
}

// Decode returns fields [S, n, n] for latents z [S, Latent], for any n ≥ 2·Modes+1.
func (m *Model) Decode(z []float32, n int) ([]float32, error) {
	if len(z)%m.Config.Latent != 0 {
		return nil, fmt.Errorf("autoencoder.Decode: %d latent values are not a multiple of Latent=%d", len(z), m.Config.Latent)
	}
	if n < 2*m.Config.Modes+1 {
		return nil, fmt.Errorf("autoencoder.Decode: grid size %d is below 2*Modes+1=%d", n, 2*m.Config.Modes+1)
	}
	exec := m.decode[n]
	if exec == nil {
		var err error
		norm := m.Normalization
		exec, err = context.NewExec(m.backend, m.ctx, func(ctx *context.Context, z *Node) *Node {
			return norm.Denormalize(m.Config.DecodeNormalized(ctx, z, n))
		})
		if err != nil {
			return nil, err
		}
		m.decode[n] = exec
	}
	return runBatched(exec, z, len(z)/m.Config.Latent, []int{m.Config.Latent})
}

// ReconstructionError returns the relative L2 error ‖D(E(h)) − h‖ / ‖h − mean(h)‖ over the
// fields h [count, n, n]. A value of 1 means no better than predicting the mean.
func (m *Model) ReconstructionError(h []float32, count int) (float64, error) {
	n, err := gridSize(len(h), count)
	if err != nil {
		return 0, fmt.Errorf("autoencoder.ReconstructionError: %w", err)
	}
	z, err := m.Encode(h, count)
	if err != nil {
		return 0, err
	}
	reconstruction, err := m.Decode(z, n)
	if err != nil {
		return 0, err
	}

	mean := FitNormalization(h).Mean
	var errorNorm, dataNorm float64
	for k := range h {
		difference := float64(reconstruction[k] - h[k])
		errorNorm += difference * difference
		dataNorm += float64(h[k]-mean) * float64(h[k]-mean)
	}
	if dataNorm == 0 {
		return 0, fmt.Errorf("autoencoder.ReconstructionError: the fields are constant, so the relative error is undefined")
	}
	return sqrtRatio(errorNorm, dataNorm), nil
}

// gridSize returns n for length = count·n·n.
func gridSize(length, count int) (int, error) {
	if count < 1 || length%count != 0 {
		return 0, fmt.Errorf("%d values cannot hold %d fields", length, count)
	}
	fieldSize := length / count
	n := 1
	for n*n < fieldSize {
		n++
	}
	if n*n != fieldSize {
		return 0, fmt.Errorf("each of the %d fields has %d values, not a square n*n", count, fieldSize)
	}
	return n, nil
}

// runBatched applies exec to values [count, exampleDims...] in chunks of inferenceBatch and
// concatenates the outputs.
func runBatched(exec *context.Exec, values []float32, count int, exampleDims []int) ([]float32, error) {
	exampleSize := len(values) / count
	var output []float32
	for start := 0; start < count; start += inferenceBatch {
		size := min(inferenceBatch, count-start)
		dims := append([]int{size}, exampleDims...)
		input := tensors.FromFlatDataAndDimensions(values[start*exampleSize:(start+size)*exampleSize], dims...)
		result, err := exec.Exec1(input)
		if err != nil {
			return nil, err
		}
		output = append(output, tensors.MustCopyFlatData[float32](result)...)
	}
	return output, nil
}
