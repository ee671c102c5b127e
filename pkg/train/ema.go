package train

import (
	"fmt"
	"strings"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// emaWarmup sets the decay of the first steps: step k uses min(EMADecay, k/(k+emaWarmup)).
// Step 0 therefore copies the weights, so the averages need no zero-bias correction, and the
// early, poorly trained weights lose their weight in the average quickly. TensorFlow's
// ExponentialMovingAverage with num_updates uses (1+k)/(10+k)
// (https://www.tensorflow.org/api_docs/python/tf/train/ExponentialMovingAverage). The form
// here is shifted by one step so that the first average equals the weights.
const emaWarmup = 10

// emaDecayAt returns the decay used after optimizer step k (counted from 0).
func emaDecayAt(decay float64, k int) float64 {
	return min(decay, float64(k)/float64(k+emaWarmup))
}

// emaRoot returns the absolute scope holding the averages of a run with optimizerScope.
func emaRoot(optimizerScope string) string { return "/" + optimizerScope + "_ema" }

// updateAverages adds to the training graph of g the update a ← a + (1 − decay)(w − a) of the
// average a of every trainable variable w that the optimizer changed in g. The form keeps a
// variable that did not change bit for bit equal to its average.
func updateAverages(ctx *context.Context, g *Graph, decay *Node, optimizerScope string) {
	var updated []*context.Variable
	for v := range ctx.IterVariables() {
		if v.Trainable && v.ChangedInGraph(g) && !strings.HasPrefix(v.Scope(), emaRoot(optimizerScope)) {
			updated = append(updated, v)
		}
	}
	root := emaRoot(optimizerScope)
	for _, v := range updated {
		weights := v.ValueGraph(g)
		average := ctx.InAbsPath(root+strings.TrimSuffix(v.Scope(), "/")).
			VariableWithValue(v.Name(), tensors.FromShape(v.Shape())).SetTrainable(false)
		old := average.ValueGraph(g)
		rate := OneMinus(ConvertDType(decay, weights.DType()))
		average.SetValueGraph(Add(old, Mul(rate, Sub(weights, old))))
	}
}

// CopyAverages sets every variable whose moving average a Run with optimizerScope kept (see
// Config.EMADecay) to that average. Run calls it at the end; call it yourself only on a
// context restored from a checkpoint of an unfinished run.
func CopyAverages(ctx *context.Context, optimizerScope string) error {
	root := emaRoot(optimizerScope) + "/"
	var averages []*context.Variable
	for v := range ctx.IterVariables() {
		if strings.HasPrefix(v.Scope()+"/", root) {
			averages = append(averages, v)
		}
	}
	for _, average := range averages {
		scope := strings.TrimPrefix(average.Scope(), root[:len(root)-1])
		if scope == "" {
			scope = "/"
		}
		target := ctx.GetVariableByScopeAndName(scope, average.Name())
		if target == nil {
			return fmt.Errorf("train: the moving average %s has no variable %s/%s to set", average.ScopeAndName(), scope, average.Name())
		}
		value, err := average.Value()
		if err != nil {
			return fmt.Errorf("train: reading the moving average %s: %w", average.ScopeAndName(), err)
		}
		clone, err := value.LocalClone()
		if err != nil {
			return fmt.Errorf("train: copying the moving average %s: %w", average.ScopeAndName(), err)
		}
		if err := target.SetValue(clone); err != nil {
			return fmt.Errorf("train: setting %s to its moving average: %w", target.ScopeAndName(), err)
		}
	}
	return nil
}
