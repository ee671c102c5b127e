package physfm

import (
	"fmt"
	"math/rand/v2"

	"github.com/closure-lab/closure/pkg/flowmatch"
	"github.com/closure-lab/closure/pkg/fno"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// newVelocityExec compiles (x [K, N, N], t [], ω̄ [K, N, N]) -> v [K, N, N], with a fourth
// input, the measured H [K, N, N], for a model with sensors.
func (m *Model) newVelocityExec() (*context.Exec, error) {
	exec, err := fno.NewFieldExec(m.backend, m.ctx, m.mask, m.velocity)
	if err != nil {
		return nil, fmt.Errorf("physfm: building the velocity graph failed: %w", err)
	}
	return exec, nil
}

// Sample draws an ensemble of closure fields for each condition. omegaBar holds B conditions
// as flat [B, N, N] with N the model's grid size; the result is [B, members, N, N] in the
// units of the training H.
//
// For each of the B·members samples, Sample draws the normalized source x0 ~ N(0, I) from a
// PCG generator seeded with seed and integrates the learned velocity from t = 0 to t = 1
// with steps steps of solver ("euler", "midpoint", "heun" or "rk4"); steps <= 0 and solver
// "" select Config.SampleSteps and Config.Solver. The number of network evaluations (NFE) is
// steps times the solver's evaluations per step, so one Euler step is 1 NFE. The same
// inputs and seed give bit-identical samples on the same machine. All samples go through the
// network as one batch. It returns an error for an untrained model, a model with sensors
// (use SampleMeasured) or invalid arguments.
func (m *Model) Sample(omegaBar []float32, members, steps int, solver string, seed int64) ([]float32, error) {
	if err := fno.CheckMeasured("physfm.Sample", m.config.Sensors, false, omegaBar, nil); err != nil {
		return nil, err
	}
	return m.sample("physfm.Sample", omegaBar, nil, members, steps, solver, seed)
}

// SampleMeasured is Sample for a model with sensors (Config.Sensors). measured holds one field
// [N, N] per condition, [B, N, N] in all, in the units of the training H; the model reads its
// values at the sensors and ignores the others.
func (m *Model) SampleMeasured(omegaBar, measured []float32, members, steps int, solver string, seed int64) ([]float32, error) {
	if err := fno.CheckMeasured("physfm.SampleMeasured", m.config.Sensors, true, omegaBar, measured); err != nil {
		return nil, err
	}
	return m.sample("physfm.SampleMeasured", omegaBar, measured, members, steps, solver, seed)
}

func (m *Model) sample(caller string, omegaBar, measured []float32, members, steps int, solver string, seed int64) ([]float32, error) {
	if !m.trained {
		return nil, fmt.Errorf("%s: the model is not trained; call Train or Load first", caller)
	}
	if members < 1 {
		return nil, fmt.Errorf("%s: members=%d must be at least 1", caller, members)
	}
	if steps <= 0 {
		steps = m.config.SampleSteps
	}
	if solver == "" {
		solver = m.config.Solver
	}
	scheme, err := flowmatch.ParseSolver(solver)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", caller, err)
	}
	n := m.config.N
	if len(omegaBar) == 0 || len(omegaBar)%(n*n) != 0 {
		return nil, fmt.Errorf("%s: %d condition values are not a whole number of %dx%d fields; pass omegaBar as [B, N, N]", caller, len(omegaBar), n, n)
	}
	if m.velocityExec == nil {
		if m.velocityExec, err = m.newVelocityExec(); err != nil {
			return nil, err
		}
	}

	fieldSize := n * n
	total := len(omegaBar) / fieldSize * members
	inputs := fno.FieldInputs(omegaBar, measured, m.condition, m.field, n, members)
	velocity := func(t float64, x, dst []float32) error {
		inputs[0], inputs[1] = tensors.FromFlatDataAndDimensions(x, total, n, n), float32(t)
		outputs, err := m.velocityExec.Exec(inputs...)
		if err != nil {
			return err
		}
		return outputs[0].ConstFlatData(func(flat any) { copy(dst, flat.([]float32)) })
	}

	x := make([]float32, total*fieldSize)
	flowmatch.SampleSource(rand.New(rand.NewPCG(uint64(seed), 0xf10e)), x)
	if err := flowmatch.Integrate(scheme, velocity, x, flowmatch.UniformGrid(0, 1, steps)); err != nil {
		return nil, fmt.Errorf("%s: %w", caller, err)
	}
	m.field.Denormalize(x)
	return x, nil
}
