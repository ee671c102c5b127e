package fno

import (
	"math"

	"github.com/closure-lab/closure/pkg/nn"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
)

// applyActivation returns a.Apply(x), except for nn.ActivationGELU, which it evaluates as
// x·σ(2u) with u = √(2/π)(x + 0.044715x³). Because 1 + tanh(u) = 2σ(2u), this is the same
// tanh-approximated GELU as nn.ActivationGELU up to float round-off, with fewer element-wise
// operations. The logistic function also costs about half as much as tanh on simplego
// v0.26.0, which evaluates both in float64 (4.2M elements: about 0.14 s against 0.3 s on a
// loaded 2-core machine).
func applyActivation(a nn.Activation, x *Node) *Node {
	if a != nn.ActivationGELU {
		return a.Apply(x)
	}
	cubic := Mul(Mul(x, x), x)
	argument := MulScalar(Add(x, MulScalar(cubic, 0.044715)), 2*math.Sqrt(2/math.Pi))
	return Mul(x, Logistic(argument))
}
