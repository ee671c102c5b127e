package latentfm

import (
	"fmt"
	"math/rand/v2"

	"github.com/closure-lab/closure/pkg/flowmatch"
	"github.com/closure-lab/closure/pkg/fno"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Flow selects the velocity network that Sample integrates.
type Flow string

// Flows known to SampleFlow.
const (
	// FlowAuto is the student when the model has one (reflow ran), otherwise the teacher.
	FlowAuto Flow = ""
	// FlowTeacher is the network trained by flow matching in stage 2.
	FlowTeacher Flow = "teacher"
	// FlowStudent is the network trained by reflow in stage 3; its flow is close to straight,
	// so one Euler step (1 NFE) lands near the teacher's ODE endpoint of the same noise.
	FlowStudent Flow = "student"
)

// sampler holds the compiled inference graphs of one network; GoMLX caches one compilation
// per input shape.
type sampler struct {
	condition *context.Exec // ω̄ [B, N, N] -> c [B, ConditionDim]
	features  *context.Exec // DFT features of normalized ω̄ [B, P] -> c [B, ConditionDim]
	velocity  *context.Exec // (z [K, d], t [], c [K, ConditionDim]) -> v [K, d]
}

// samplerFor returns the (cached) sampler of the networks under the context scope network.
func (m *Model) samplerFor(network string) (*sampler, error) {
	if s := m.samplers[network]; s != nil {
		return s, nil
	}
	condition, err := context.NewExec(m.backend, m.ctx, func(ctx *context.Context, omegaBar *Node) *Node {
		return m.encodeCondition(ctx, omegaBar, network)
	})
	if err != nil {
		return nil, fmt.Errorf("latentfm: building the condition graph failed: %w", err)
	}
	features, err := context.NewExec(m.backend, m.ctx, func(ctx *context.Context, features *Node) *Node {
		return m.conditionFromFeatures(ctx, features, network)
	})
	if err != nil {
		return nil, fmt.Errorf("latentfm: building the condition-feature graph failed: %w", err)
	}
	velocity, err := context.NewExec(m.backend, m.ctx, func(ctx *context.Context, z, t, c *Node) *Node {
		times := BroadcastToDims(Reshape(t, 1, 1), z.Shape().Dimensions[0], 1)
		return m.velocity(ctx, z, times, c, network)
	})
	if err != nil {
		return nil, fmt.Errorf("latentfm: building the velocity graph failed: %w", err)
	}
	s := &sampler{condition: condition, features: features, velocity: velocity}
	m.samplers[network] = s
	return s, nil
}

// integrate advances the standardized latents z [K, d] from t=0 to t=1 along the flow of s
// for the encoded conditions c [K, ConditionDim].
func (s *sampler) integrate(scheme flowmatch.Solver, steps int, z []float32, conditions *tensors.Tensor, d int) error {
	count := len(z) / d
	velocity := func(t float64, x, dst []float32) error {
		outputs, err := s.velocity.Exec(tensors.FromFlatDataAndDimensions(x, count, d), float32(t), conditions)
		if err != nil {
			return err
		}
		return outputs[0].ConstFlatData(func(flat any) { copy(dst, flat.([]float32)) })
	}
	return flowmatch.Integrate(scheme, velocity, z, flowmatch.UniformGrid(0, 1, steps))
}

// HasStudent reports whether the model holds a reflow student (stage 3 ran).
func (m *Model) HasStudent() bool { return m.student }

// Sample draws an ensemble of closure fields for each condition. omegaBar holds B conditions
// as flat [B, N, N] with N the model's grid size. For each condition, Sample draws members
// latent noises from a PCG generator seeded with seed and integrates the learned flow from
// t=0 to t=1 with steps steps of solver ("euler", "midpoint", "heun" or "rk4"). steps <= 0
// and solver "" select Config.SampleSteps and Config.Solver. The latents are then decoded to
// fields of shape [B, members, N, N]. The number of network evaluations (NFE) is steps times
// the solver's evaluations per step, so one Euler step is 1 NFE.
//
// Sample integrates the reflow student when the model has one (for every step count and
// solver) and the teacher otherwise; SampleFlow chooses explicitly. It returns an error for an
// untrained model, invalid arguments or a model with sensors (use SampleMeasured). A Model is
// not safe for concurrent use.
func (m *Model) Sample(omegaBar []float32, members, steps int, solver string, seed int64) ([]float32, error) {
	return m.SampleFlow(FlowAuto, omegaBar, members, steps, solver, seed)
}

// SampleFlow is Sample with the velocity network chosen by flow. FlowStudent returns an error
// when the model has no student (Config.ReflowSteps = 0 or trained by an older build).
func (m *Model) SampleFlow(flow Flow, omegaBar []float32, members, steps int, solver string, seed int64) ([]float32, error) {
	if err := fno.CheckMeasured("latentfm.Sample", m.config.Sensors, false, omegaBar, nil); err != nil {
		return nil, err
	}
	return m.sample(flow, omegaBar, nil, members, steps, solver, seed)
}

// SampleMeasured is Sample for a model with sensors (Config.Sensors). measured holds one
// field per condition, [B, N, N], and the mean network reads its values at the sensors.
func (m *Model) SampleMeasured(omegaBar, measured []float32, members, steps int, solver string, seed int64) ([]float32, error) {
	if err := fno.CheckMeasured("latentfm.SampleMeasured", m.config.Sensors, true, omegaBar, measured); err != nil {
		return nil, err
	}
	return m.sample(FlowAuto, omegaBar, measured, members, steps, solver, seed)
}

// sample implements SampleFlow and SampleMeasured. measured is nil without sensors.
func (m *Model) sample(flow Flow, omegaBar, measured []float32, members, steps int, solver string, seed int64) ([]float32, error) {
	network, err := m.network(flow)
	if err != nil {
		return nil, fmt.Errorf("latentfm.Sample: %w", err)
	}
	if members < 1 {
		return nil, fmt.Errorf("latentfm.Sample: members=%d must be at least 1", members)
	}
	if steps <= 0 {
		steps = m.config.SampleSteps
	}
	if solver == "" {
		solver = m.config.Solver
	}
	scheme, err := flowmatch.ParseSolver(solver)
	if err != nil {
		return nil, fmt.Errorf("latentfm.Sample: %w", err)
	}
	n, batch, err := squareFields(len(omegaBar), m.config.N)
	if err != nil {
		return nil, fmt.Errorf("latentfm.Sample: %w", err)
	}
	s, err := m.samplerFor(network)
	if err != nil {
		return nil, err
	}

	// Encode each condition once and repeat it for its members.
	conditionTensor, err := s.condition.Exec1(tensors.FromFlatDataAndDimensions(omegaBar, batch, n, n))
	if err != nil {
		return nil, fmt.Errorf("latentfm.Sample: encoding the conditions failed: %w", err)
	}
	conditions := tensors.MustCopyFlatData[float32](conditionTensor)
	dc := m.config.ConditionDim
	total := batch * members
	repeated := make([]float32, total*dc)
	for k := range total {
		b := k / members
		copy(repeated[k*dc:(k+1)*dc], conditions[b*dc:(b+1)*dc])
	}

	d := m.config.Autoencoder.Latent
	z := make([]float32, total*d)
	flowmatch.SampleSource(rand.New(rand.NewPCG(uint64(seed), 0x1a7e17)), z)
	if err := s.integrate(scheme, steps, z, tensors.FromFlatDataAndDimensions(repeated, total, dc), d); err != nil {
		return nil, fmt.Errorf("latentfm.Sample: %w", err)
	}

	for k := range z {
		z[k] = z[k]*m.latent.Std[k%d] + m.latent.Mean[k%d]
	}
	fields, err := m.decodeFields(z, omegaBar, members, n)
	if err != nil || m.mean == nil {
		return fields, err
	}
	if err := m.addMean(fields, omegaBar, measured, members); err != nil {
		return nil, fmt.Errorf("latentfm.Sample: %w", err)
	}
	return fields, nil
}

// network returns the context scope of the networks selected by flow.
func (m *Model) network(flow Flow) (string, error) {
	if !m.trained {
		return "", fmt.Errorf("the model is not trained; call Train or Load first")
	}
	switch flow {
	case FlowAuto:
		if m.student {
			return studentScope, nil
		}
		return scope, nil
	case FlowTeacher:
		return scope, nil
	case FlowStudent:
		if !m.student {
			return "", fmt.Errorf("the model has no reflow student; train with Config.ReflowSteps > 0 or sample with FlowTeacher")
		}
		return studentScope, nil
	}
	return "", fmt.Errorf("unknown flow %q; use %q, %q or %q (automatic)", flow, FlowTeacher, FlowStudent, FlowAuto)
}

// squareFields returns (trainingN, count) when length holds count whole fields of
// trainingN x trainingN values.
func squareFields(length, trainingN int) (n, count int, err error) {
	if trainingN > 0 && length > 0 && length%(trainingN*trainingN) == 0 {
		return trainingN, length / (trainingN * trainingN), nil
	}
	return 0, 0, fmt.Errorf("%d condition values are not a whole number of %dx%d fields; pass omegaBar as [B, N, N]", length, trainingN, trainingN)
}
