package fno

import (
	"math"
	"testing"

	"github.com/closure-lab/closure/pkg/nn"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
)

// TestApplyActivationMatchesNN checks that the logistic form of GELU equals nn's tanh form, in
// value and gradient, at points spanning both tails.
func TestApplyActivationMatchesNN(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-6 // float32 round-off of values and derivatives of order one
	points := []float32{-8, -3, -1.5, -0.5, -1e-3, 0, 1e-3, 0.5, 1.5, 3, 8}

	exec := MustNewExec(testBackend(), func(x *Node) []*Node {
		fast := applyActivation(nn.ActivationGELU, x)
		reference := nn.ActivationGELU.Apply(x)
		fastGradient := Gradient(ReduceAllSum(fast), x)[0]
		referenceGradient := Gradient(ReduceAllSum(reference), x)[0]
		return []*Node{fast, reference, fastGradient, referenceGradient}
	})
	outputs := exec.MustExec(points)
	fast, reference := outputs[0].Value().([]float32), outputs[1].Value().([]float32)
	fastGradient, referenceGradient := outputs[2].Value().([]float32), outputs[3].Value().([]float32)

	for i, x := range points {
		if math.Abs(float64(fast[i]-reference[i])) > tolerance*max(1, math.Abs(float64(x))) {
			t.Errorf("GELU(%g) = %g, nn gives %g", x, fast[i], reference[i])
		}
		if math.Abs(float64(fastGradient[i]-referenceGradient[i])) > tolerance {
			t.Errorf("GELU'(%g) = %g, nn gives %g", x, fastGradient[i], referenceGradient[i])
		}
	}
}
