package latentfm

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/closure-lab/closure/pkg/flowmatch"
	"github.com/closure-lab/closure/pkg/train"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

const (
	// reflowChunk is the number of pairs integrated per teacher graph execution.
	reflowChunk = 1024
	// reflowZeroTimeFraction is the fraction of reflow examples trained at t = 0. The student's
	// one-step (1 NFE) Euler sample is z0 + v(0, z0), so this puts extra weight on it, as the
	// one-step distillation of Liu, Gong and Liu trains only at t = 0; the rest, at t ~ U(0, 1),
	// keeps the student's multi-step flow valid.
	reflowZeroTimeFraction = 0.25
)

// reflow runs stage 3, the reflow of Liu, Gong and Liu, "Flow straight and fast: learning to
// generate and transfer data with rectified flow" (ICLR 2023). For each training condition it
// draws Config.ReflowPairs noises z0 ~ N(0, I), maps each to z1 = ODE_teacher(z0 | c) with
// ReflowSolverSteps steps of ReflowSolver, and trains the student networks (initialized as a
// copy of the teacher) on the linear interpolant of these coupled pairs. The student's flow
// is close to straight, so one Euler step from z0 lands near the teacher's endpoint and keeps
// the ensemble spread that the independent coupling loses at 1 NFE. latentSet holds the
// standardized latents and condition features of the training set. It returns the training
// history and the wall time spent drawing the teacher pairs.
func (m *Model) reflow(latentSet *train.Dataset, steps int, opts TrainOptions) (*train.History, time.Duration, error) {
	start := time.Now()
	pairs, err := m.teacherPairs(latentSet.Arrays[1].Data, latentSet.Arrays[1].ExampleDims[0])
	if err != nil {
		return nil, 0, err
	}
	pairTime := time.Since(start)

	if err := m.copyNetworks(scope, studentScope); err != nil {
		return nil, pairTime, err
	}
	delete(m.samplers, studentScope)
	count, _ := pairs.Len()
	stage := m.stageConfig("reflow", steps, m.config.ReflowBatchSize, m.config.ReflowLearningRate, count, opts)
	stage.OptimizerScope = studentScope + "_adam"
	history, err := train.Run(m.backend, m.ctx, m.coupledLoss(studentScope, reflowZeroTimeFraction), pairs, nil, stage)
	if err != nil {
		return history, pairTime, fmt.Errorf("latentfm: stage 3 (reflow): %w", err)
	}
	m.student = true
	return history, pairTime, nil
}

// teacherPairs returns the reflow data set: arrays z0, z1 = ODE_teacher(z0 | c) and the
// condition features, Config.ReflowPairs rows per condition of features [S, numModes].
func (m *Model) teacherPairs(features []float32, numModes int) (*train.Dataset, error) {
	teacher, err := m.samplerFor(scope)
	if err != nil {
		return nil, err
	}
	scheme, _ := flowmatch.ParseSolver(m.config.ReflowSolver) // checked by Validate
	d, dc := m.config.Autoencoder.Latent, m.config.ConditionDim
	count := len(features) / numModes
	rows := count * m.config.ReflowPairs

	repeated := make([]float32, rows*numModes)
	for row := range rows {
		example := row / m.config.ReflowPairs
		copy(repeated[row*numModes:(row+1)*numModes], features[example*numModes:(example+1)*numModes])
	}
	z0 := make([]float32, rows*d)
	flowmatch.SampleSource(rand.New(rand.NewPCG(uint64(m.config.Seed), 0x4ef10e)), z0)
	z1 := make([]float32, rows*d)
	copy(z1, z0)

	for start := 0; start < rows; start += reflowChunk {
		size := min(reflowChunk, rows-start)
		chunkFeatures := tensors.FromFlatDataAndDimensions(repeated[start*numModes:(start+size)*numModes], size, numModes)
		conditions, err := teacher.features.Exec1(chunkFeatures)
		if err != nil {
			return nil, fmt.Errorf("latentfm: stage 3 (reflow): encoding the conditions failed: %w", err)
		}
		if dims := conditions.Shape().Dimensions; dims[1] != dc {
			return nil, fmt.Errorf("latentfm: stage 3 (reflow): condition encoding has shape %v, want [%d, %d]", dims, size, dc)
		}
		if err := teacher.integrate(scheme, m.config.ReflowSolverSteps, z1[start*d:(start+size)*d], conditions, d); err != nil {
			return nil, fmt.Errorf("latentfm: stage 3 (reflow): teacher ODE: %w", err)
		}
	}

	return &train.Dataset{Arrays: []train.Array{
		{Data: z0, ExampleDims: []int{d}},
		{Data: z1, ExampleDims: []int{d}},
		{Data: repeated, ExampleDims: []int{numModes}},
	}}, nil
}

// copyNetworks sets every variable under the context scope from to a copy of its value under
// the scope to, creating the variables that do not exist yet. Optimizer state lives in other
// scopes and is not copied.
func (m *Model) copyNetworks(from, to string) error {
	prefix := "/" + from + "/"
	type record struct {
		scope, name string
		value       *tensors.Tensor
	}
	var copies []record
	for v := range m.ctx.IterVariables() {
		if !strings.HasPrefix(v.Scope()+"/", prefix) {
			continue
		}
		value, err := v.Value()
		if err != nil {
			return fmt.Errorf("latentfm: reading %s failed: %w", v.ScopeAndName(), err)
		}
		clone, err := value.LocalClone()
		if err != nil {
			return fmt.Errorf("latentfm: copying %s failed: %w", v.ScopeAndName(), err)
		}
		copies = append(copies, record{scope: "/" + to + "/" + strings.TrimPrefix(v.Scope()+"/", prefix), name: v.Name(), value: clone})
	}
	if len(copies) == 0 {
		return fmt.Errorf("latentfm: no variables under scope %q to copy; train stage 2 first", from)
	}

	for _, c := range copies {
		c.scope = strings.TrimSuffix(c.scope, "/")
		if existing := m.ctx.GetVariableByScopeAndName(c.scope, c.name); existing != nil {
			if err := existing.SetValue(c.value); err != nil {
				return fmt.Errorf("latentfm: setting %s/%s failed: %w", c.scope, c.name, err)
			}
			continue
		}
		m.ctx.InAbsPath(c.scope).Checked(false).VariableWithValue(c.name, c.value)
	}
	return nil
}
