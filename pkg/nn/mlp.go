package nn

import (
	"fmt"
	"math"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Activation names an element-wise nonlinearity usable in MLP.
type Activation string

// Supported activations.
const (
	// ActivationSwish is x·sigmoid(x) (Ramachandran, Zoph and Le, "Searching for activation functions").
	ActivationSwish Activation = "swish"
	// ActivationGELU is the tanh approximation 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))
	// (Hendrycks and Gimpel, "Gaussian error linear units").
	ActivationGELU Activation = "gelu"
	// ActivationTanh is the hyperbolic tangent.
	ActivationTanh Activation = "tanh"
)

// Validate returns an error unless a is one of ActivationSwish, ActivationGELU or ActivationTanh.
func (a Activation) Validate() error {
	switch a {
	case ActivationSwish, ActivationGELU, ActivationTanh:
		return nil
	}
	return fmt.Errorf("nn: activation %q is not supported; use %q, %q or %q", string(a), ActivationSwish, ActivationGELU, ActivationTanh)
}

// Apply returns the activation applied element-wise to x. It panics on an unsupported
// activation; call Validate first where the name comes from a user.
func (a Activation) Apply(x *Node) *Node {
	switch a {
	case ActivationSwish:
		return Mul(x, Logistic(x))
	case ActivationGELU:
		cubic := Mul(Mul(x, x), x)
		inner := MulScalar(Add(x, MulScalar(cubic, 0.044715)), math.Sqrt(2/math.Pi))
		return MulScalar(Mul(x, AddScalar(Tanh(inner), 1)), 0.5)
	case ActivationTanh:
		return Tanh(x)
	}
	panic(a.Validate())
}

// MLP applies a multilayer perceptron to the last axis of x: one Dense layer per entry of
// widths, with the activation after every layer except the last, which is linear. Layer k
// stores its variables under the sub-scope "dense_k" of ctx. It panics if widths is empty.
func MLP(ctx *context.Context, x *Node, widths []int, activation Activation) *Node {
	if len(widths) == 0 {
		panic("nn.MLP: widths is empty; give at least the output width")
	}
	for k, width := range widths {
		x = Dense(ctx.In(fmt.Sprintf("dense_%d", k)), x, width)
		if k < len(widths)-1 {
			x = activation.Apply(x)
		}
	}
	return x
}
