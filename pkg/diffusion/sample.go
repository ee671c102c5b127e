package diffusion

import (
	"fmt"
	"math/rand/v2"

	"github.com/closure-lab/closure/pkg/fno"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// newScoreExec compiles (x [K, N, N], t [], ω̄ [K, N, N]) -> F [K, N, N], the network output
// whose division by σ_t is the score of normalized fields. A model with sensors takes a fourth
// input, the measured H [K, N, N].
func (m *Model) newScoreExec() (*context.Exec, error) {
	exec, err := fno.NewFieldExec(m.backend, m.ctx, m.mask, m.network)
	if err != nil {
		return nil, fmt.Errorf("diffusion: building the score graph failed: %w", err)
	}
	return exec, nil
}

// Sample draws an ensemble of closure fields for each condition. omegaBar holds B conditions
// as flat [B, N, N] with N the model's grid size; the result is [B, members, N, N] in the
// units of the training H.
//
// For each of the B·members samples, Sample draws normalized x from SamplePrior at
// Config.SampleTimeMax (unit data variance) with a PCG generator seeded by seed, and solves
// the reverse-time dynamics down to Config.SampleTimeMin with steps steps of sampler
// ("euler-maruyama", "pc" or "ode") on Config.Grid; steps <= 0 and sampler "" select
// Config.SampleSteps and Config.Sampler. The number of network evaluations (NFE) per step is
// 1 for "euler-maruyama", 1 + CorrectorSteps for "pc" and 2 for "ode". The same inputs and
// seed give bit-identical samples on the same machine. All samples go through the network
// as one batch. It returns an error for an untrained model, a model with sensors (use
// SampleMeasured) or invalid arguments.
func (m *Model) Sample(omegaBar []float32, members, steps int, sampler string, seed int64) ([]float32, error) {
	if err := fno.CheckMeasured("diffusion.Sample", m.config.Sensors, false, omegaBar, nil); err != nil {
		return nil, err
	}
	return m.sample("diffusion.Sample", omegaBar, nil, members, steps, sampler, seed)
}

// SampleMeasured is Sample for a model with sensors (Config.Sensors). measured holds one field
// [N, N] per condition, [B, N, N] in all, in the units of the training H; the model reads its
// values at the sensors and ignores the others.
func (m *Model) SampleMeasured(omegaBar, measured []float32, members, steps int, sampler string, seed int64) ([]float32, error) {
	if err := fno.CheckMeasured("diffusion.SampleMeasured", m.config.Sensors, true, omegaBar, measured); err != nil {
		return nil, err
	}
	return m.sample("diffusion.SampleMeasured", omegaBar, measured, members, steps, sampler, seed)
}

func (m *Model) sample(caller string, omegaBar, measured []float32, members, steps int, sampler string, seed int64) ([]float32, error) {
	if !m.trained {
		return nil, fmt.Errorf("%s: the model is not trained; call Train or Load first", caller)
	}
	if members < 1 {
		return nil, fmt.Errorf("%s: members=%d must be at least 1", caller, members)
	}
	if steps <= 0 {
		steps = m.config.SampleSteps
	}
	if sampler == "" {
		sampler = m.config.Sampler
	}
	scheme, err := ParseSampler(sampler)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", caller, err)
	}
	n := m.config.N
	if len(omegaBar) == 0 || len(omegaBar)%(n*n) != 0 {
		return nil, fmt.Errorf("%s: %d condition values are not a whole number of %dx%d fields; pass omegaBar as [B, N, N]", caller, len(omegaBar), n, n)
	}
	grid, err := TimeGrid(m.sde, Grid(m.config.Grid), m.config.SampleTimeMax, m.config.SampleTimeMin, steps, m.config.KarrasRho)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", caller, err)
	}
	if m.scoreExec == nil {
		if m.scoreExec, err = m.newScoreExec(); err != nil {
			return nil, err
		}
	}

	fieldSize := n * n
	total := len(omegaBar) / fieldSize * members
	inputs := fno.FieldInputs(omegaBar, measured, m.condition, m.field, n, members)
	score := func(t float64, x, dst []float32) error {
		inputs[0], inputs[1] = tensors.FromFlatDataAndDimensions(x, total, n, n), float32(t)
		outputs, err := m.scoreExec.Exec(inputs...)
		if err != nil {
			return err
		}
		invStd := float32(1 / m.sde.Std(t))
		return outputs[0].ConstFlatData(func(flat any) {
			for k, value := range flat.([]float32) {
				dst[k] = value * invStd
			}
		})
	}

	rng := rand.New(rand.NewPCG(uint64(seed), 0xd1ff))
	x := make([]float32, total*fieldSize)
	SamplePrior(m.sde, m.config.SampleTimeMax, 1, rng, x)
	opts := SampleOptions{Sampler: scheme, SampleDim: fieldSize, SNR: m.config.SNR, CorrectorSteps: m.config.CorrectorSteps}
	if err := Solve(m.sde, score, x, grid, rng, opts); err != nil {
		return nil, fmt.Errorf("%s: %w", caller, err)
	}
	m.field.Denormalize(x)
	return x, nil
}
