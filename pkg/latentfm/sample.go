package latentfm

import (
	"fmt"
	"math/rand/v2"

	"github.com/closure-lab/closure/pkg/flowmatch"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// sampler holds the compiled inference graphs; GoMLX caches one compilation per input shape.
type sampler struct {
	condition *context.Exec // ω̄ [B, N, N] -> c [B, ConditionDim]
	velocity  *context.Exec // (z [K, d], t [], c [K, ConditionDim]) -> v [K, d]
}

func (m *Model) newSampler() (*sampler, error) {
	condition, err := context.NewExec(m.backend, m.ctx, func(ctx *context.Context, omegaBar *Node) *Node {
		return m.encodeCondition(ctx, omegaBar)
	})
	if err != nil {
		return nil, fmt.Errorf("latentfm: building the condition graph failed: %w", err)
	}
	velocity, err := context.NewExec(m.backend, m.ctx, func(ctx *context.Context, z, t, c *Node) *Node {
		times := BroadcastToDims(Reshape(t, 1, 1), z.Shape().Dimensions[0], 1)
		return m.velocity(ctx, z, times, c)
	})
	if err != nil {
		return nil, fmt.Errorf("latentfm: building the velocity graph failed: %w", err)
	}
	return &sampler{condition: condition, velocity: velocity}, nil
}

// Sample draws an ensemble of closure fields for each condition. omegaBar holds B conditions
// as flat [B, N, N] with N the model's grid size. For each condition, Sample draws members
// latent noises from a PCG generator seeded with seed and integrates the learned flow from
// t=0 to t=1 with steps steps of solver ("euler", "midpoint", "heun" or "rk4"). steps <= 0
// and solver "" select Config.SampleSteps and Config.Solver. The latents are then decoded to
// fields of shape [B, members, N, N]. The number of network evaluations (NFE) is steps times
// the solver's evaluations per step, so one Euler step is 1 NFE. Sample returns an error for
// an untrained model or invalid arguments. A Model is not safe for concurrent use.
func (m *Model) Sample(omegaBar []float32, members, steps int, solver string, seed int64) ([]float32, error) {
	if !m.trained {
		return nil, fmt.Errorf("latentfm.Sample: the model is not trained; call Train or Load first")
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
	if m.sampler == nil {
		if m.sampler, err = m.newSampler(); err != nil {
			return nil, err
		}
	}

	// Encode each condition once and repeat it for its members.
	conditionTensor, err := m.sampler.condition.Exec1(tensors.FromFlatDataAndDimensions(omegaBar, batch, n, n))
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
	conditionInput := tensors.FromFlatDataAndDimensions(repeated, total, dc)

	d := m.config.Autoencoder.Latent
	z := make([]float32, total*d)
	flowmatch.SampleSource(rand.New(rand.NewPCG(uint64(seed), 0x1a7e17)), z)
	velocity := func(t float64, x, dst []float32) error {
		outputs, err := m.sampler.velocity.Exec(tensors.FromFlatDataAndDimensions(x, total, d), float32(t), conditionInput)
		if err != nil {
			return err
		}
		return outputs[0].ConstFlatData(func(flat any) { copy(dst, flat.([]float32)) })
	}
	if err := flowmatch.Integrate(scheme, velocity, z, flowmatch.UniformGrid(0, 1, steps)); err != nil {
		return nil, fmt.Errorf("latentfm.Sample: %w", err)
	}

	for k := range z {
		z[k] = z[k]*m.latent.Std[k%d] + m.latent.Mean[k%d]
	}
	return m.ae.Decode(z, n)
}

// squareFields returns (trainingN, count) when length holds count whole fields of
// trainingN x trainingN values.
func squareFields(length, trainingN int) (n, count int, err error) {
	if trainingN > 0 && length > 0 && length%(trainingN*trainingN) == 0 {
		return trainingN, length / (trainingN * trainingN), nil
	}
	return 0, 0, fmt.Errorf("%d condition values are not a whole number of %dx%d fields; pass omegaBar as [B, N, N]", length, trainingN, trainingN)
}
