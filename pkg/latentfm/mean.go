package latentfm

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/train"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

const (
	// meanScope is the context scope of the mean network.
	meanScope = "mean"
	// meanEMADecay is the moving-average decay of the mean network's weights.
	meanEMADecay = 0.999
	// meanStage names the mean network's training stage in progress reports and checkpoints.
	meanStage = "mean"
)

// meanModel is the mean-network state of a Model: the normalizations of its input ω̄ and
// output H, and its compiled inference graph.
type meanModel struct {
	omega, h fno.Normalization
	exec     *context.Exec
}

// meanField returns μ(ω̄) [B, N, N] in normalized units of H for normalized ω̄ [B, N, N].
// With sensors the network also reads the normalized H measured [B, N, N] at the sensors
// (fno.SensorChannels). Without sensors, measured is ignored and may be nil. The network has
// no time input, so the FNO's time embedding is fed t = 0.
func (m *Model) meanField(ctx *context.Context, omegaBar, measured *Node) *Node {
	batch, n := omegaBar.Shape().Dimensions[0], omegaBar.Shape().Dimensions[1]
	t := Zeros(omegaBar.Graph(), shapes.Make(omegaBar.DType(), batch))
	inputs := fno.StackInputs([]*Node{omegaBar}, measured, m.mask)
	out := m.config.MeanNetwork.Apply(ctx.In(meanScope), inputs, t, 1)
	return Reshape(out, batch, n, n)
}

// trainMean runs stage 0: the mean network fitted by least squares to H given ω̄, so that
// it estimates the conditional mean E[H | ω̄]. val may be nil.
func (m *Model) trainMean(data Data, val *Data, count int, opts TrainOptions) (*train.History, error) {
	m.mean = &meanModel{omega: fno.FitNormalization(data.OmegaBar), h: fno.FitNormalization(data.H)}
	n := m.config.N
	dataset := func(d Data) *train.Dataset {
		return &train.Dataset{Arrays: []train.Array{
			{Data: m.mean.omega.Normalize(d.OmegaBar), ExampleDims: []int{n, n}},
			{Data: m.mean.h.Normalize(d.H), ExampleDims: []int{n, n}},
		}}
	}
	var valSet *train.Dataset
	if val != nil {
		valSet = dataset(*val)
	}
	loss := func(ctx *context.Context, inputs []*Node) *Node {
		// With sensors the network reads the target at the sensor points.
		return ReduceAllMean(Square(Sub(m.meanField(ctx, inputs[0], inputs[1]), inputs[1])))
	}

	stage := m.stageConfig(meanStage, m.config.MeanSteps, m.config.MeanBatchSize, m.config.MeanLearningRate, count, opts)
	stage.OptimizerScope = scope + "_mean_adam"
	stage.EMADecay = meanEMADecay
	history, err := train.Run(m.backend, m.ctx, loss, dataset(data), valSet, stage)
	if err != nil {
		return history, fmt.Errorf("latentfm: stage 0 (mean network): %w", err)
	}
	return history, nil
}

// meanExec returns the compiled inference graph of the mean network (fno.SetInference),
// built on first use. Its inputs are normalized ω̄ [B, N, N] and, with sensors, the
// normalized measured H [B, N, N].
func (m *Model) meanExec() (*context.Exec, error) {
	if m.mean.exec != nil {
		return m.mean.exec, nil
	}
	evaluate := func(ctx *context.Context, omegaBar, measured *Node) *Node {
		fno.SetInference(ctx, omegaBar.Graph())
		return m.meanField(ctx, omegaBar, measured)
	}
	var exec *context.Exec
	var err error
	if m.mask == nil {
		exec, err = context.NewExec(m.backend, m.ctx, func(ctx *context.Context, omegaBar *Node) *Node {
			return evaluate(ctx, omegaBar, nil)
		})
	} else {
		exec, err = context.NewExec(m.backend, m.ctx, evaluate)
	}
	if err != nil {
		return nil, fmt.Errorf("latentfm: building the mean network graph failed: %w", err)
	}
	m.mean.exec = exec
	return exec, nil
}

// meanFields returns μ(ω̄) [count, N, N] in physical units for omegaBar [count, N, N]. With
// sensors the network reads measured [count, N, N] at the sensor points. Without sensors,
// measured is ignored.
func (m *Model) meanFields(omegaBar, measured []float32, count int) ([]float32, error) {
	exec, err := m.meanExec()
	if err != nil {
		return nil, err
	}
	n := m.config.N
	normalized := m.mean.omega.Normalize(omegaBar)
	var normalizedMeasured []float32
	if m.mask != nil {
		normalizedMeasured = m.mean.h.Normalize(measured)
	}
	fields := make([]float32, 0, len(omegaBar))
	for start := 0; start < count; start += inferenceBatch {
		size := min(inferenceBatch, count-start)
		block := func(fields []float32) *tensors.Tensor {
			return tensors.FromFlatDataAndDimensions(fields[start*n*n:(start+size)*n*n], size, n, n)
		}
		inputs := []any{block(normalized)}
		if m.mask != nil {
			inputs = append(inputs, block(normalizedMeasured))
		}
		out, err := exec.Exec1(inputs...)
		if err != nil {
			return nil, fmt.Errorf("latentfm: evaluating the mean network failed: %w", err)
		}
		fields = append(fields, tensors.MustCopyFlatData[float32](out)...)
	}
	m.mean.h.Denormalize(fields)
	return fields, nil
}

// residual returns data with H replaced by H − μ(ω̄), and the relative error of the mean
// ‖μ − H‖/‖H − mean(H)‖.
func (m *Model) residual(data Data, count int) (Data, float64, error) {
	mu, err := m.meanFields(data.OmegaBar, data.H, count)
	if err != nil {
		return Data{}, 0, err
	}
	var average float64
	for _, value := range data.H {
		average += float64(value)
	}
	average /= float64(len(data.H))

	residual := make([]float32, len(data.H))
	var errorNorm, dataNorm float64
	for k, value := range data.H {
		residual[k] = value - mu[k]
		errorNorm += float64(residual[k]) * float64(residual[k])
		dataNorm += (float64(value) - average) * (float64(value) - average)
	}
	if dataNorm == 0 {
		return Data{}, 0, fmt.Errorf("latentfm: the closure fields are constant, so the mean network's relative error is undefined")
	}
	return Data{OmegaBar: data.OmegaBar, H: residual, N: data.N}, math.Sqrt(errorNorm / dataNorm), nil
}

// addMean adds μ(ω̄_b) to each of the members fields of condition b in fields
// [B·members, N, N]. measured [B, N, N] is read at the sensors of a model with sensors.
func (m *Model) addMean(fields, omegaBar, measured []float32, members int) error {
	n := m.config.N
	size := n * n
	batch := len(omegaBar) / size
	mu, err := m.meanFields(omegaBar, measured, batch)
	if err != nil {
		return err
	}
	for k := range batch * members {
		b := k / members
		field, mean := fields[k*size:(k+1)*size], mu[b*size:(b+1)*size]
		for i := range field {
			field[i] += mean[i]
		}
	}
	return nil
}

// Mean returns the mean network's estimate μ(ω̄) of E[H | ω̄] for conditions omegaBar
// [B, N, N], as [B, N, N]. It returns an error for a model without a trained mean network and
// for a model with sensors, which MeanMeasured evaluates.
func (m *Model) Mean(omegaBar []float32) ([]float32, error) {
	if m.mask != nil {
		return nil, fmt.Errorf("latentfm.Mean: the mean network reads sensors (%s); call MeanMeasured with the measured H", m.config.Sensors)
	}
	return m.evaluateMean("latentfm.Mean", omegaBar, nil)
}

// MeanMeasured is Mean for a model with sensors (Config.Sensors): it returns the estimate of
// E[H | ω̄, H at the sensors], reading measured [B, N, N] at the sensor points.
func (m *Model) MeanMeasured(omegaBar, measured []float32) ([]float32, error) {
	if !m.config.Sensors.Enabled() {
		return nil, fmt.Errorf("latentfm.MeanMeasured: the model has no sensors; call Mean")
	}
	if err := fno.CheckMeasured("latentfm.MeanMeasured", m.config.Sensors, true, omegaBar, measured); err != nil {
		return nil, err
	}
	return m.evaluateMean("latentfm.MeanMeasured", omegaBar, measured)
}

// evaluateMean returns μ for omegaBar [B, N, N] and measured (nil without sensors), with
// errors prefixed by caller.
func (m *Model) evaluateMean(caller string, omegaBar, measured []float32) ([]float32, error) {
	if m.mean == nil {
		return nil, fmt.Errorf("%s: the model has no trained mean network; set Config.MeanNetwork and train", caller)
	}
	_, batch, err := squareFields(len(omegaBar), m.config.N)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", caller, err)
	}
	return m.meanFields(omegaBar, measured, batch)
}
