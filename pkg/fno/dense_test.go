package fno

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/closure-lab/closure/pkg/nn"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// TestPointwiseDenseMatchesNNDense checks that the grouped product gives nn.Dense's value and
// weight gradient when both read the same variables, on rows that split into groups.
func TestPointwiseDenseMatchesNNDense(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-4 // float32 sums of 3·20 products of order-one terms, relative to max |value|
	rng := rand.New(rand.NewPCG(3, 4))
	inputs := tensors.FromFlatDataAndDimensions(randomFloats(rng, 3*40*40*20), 3, 40, 40, 20)
	if groups := rowGroups(3*40*40, 20); groups == 1 {
		t.Fatalf("rowGroups(%d, 20) = 1, so this case does not exercise the grouped product", 3*40*40)
	}

	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, int64(5))
	exec := context.MustNewExec(testBackend(), ctx, func(ctx *context.Context, x *Node) []*Node {
		scope := ctx.In("layer")
		grouped := pointwiseDense(scope, x, 20)
		reference := nn.Dense(scope.Reuse(), x, 20)
		weights := scope.GetVariable("weights").ValueGraph(x.Graph())
		loss := func(y *Node) *Node { return ReduceAllSum(Mul(Sin(y), y)) }
		return []*Node{
			grouped, reference,
			Gradient(loss(grouped), weights)[0], Gradient(loss(reference), weights)[0],
		}
	})
	outputs := exec.MustExec(inputs)

	pairs := []struct {
		name      string
		got, want []float32
	}{
		{"value", outputs[0].Value().([][][][]float32)[0][0][0], outputs[1].Value().([][][][]float32)[0][0][0]},
		{"weight gradient", flatten(outputs[2].Value().([][]float32)), flatten(outputs[3].Value().([][]float32))},
	}
	for _, pair := range pairs {
		scale := 0.0
		for _, v := range pair.want {
			scale = max(scale, math.Abs(float64(v)))
		}
		for i := range pair.want {
			if math.Abs(float64(pair.got[i]-pair.want[i])) > tolerance*scale {
				t.Errorf("%s[%d] = %g, nn.Dense gives %g", pair.name, i, pair.got[i], pair.want[i])
			}
		}
	}
}

func flatten(rows [][]float32) []float32 {
	var flat []float32
	for _, row := range rows {
		flat = append(flat, row...)
	}
	return flat
}
