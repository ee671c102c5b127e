package nn

import (
	"fmt"
	"strings"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
)

// FastEinsum returns Einsum(equation, x, w) for a bilinear equation "X,W->Y" in which every
// label of each operand also appears in the other operand or in the output (batch,
// contracted or free axes, never a label summed inside one operand).
//
// The value equals Einsum. The gradient is computed as two Einsums, dL/dx = Einsum("Y,W->X",
// v, w) and dL/dw = Einsum("X,Y->W", x, v), where v is the adjoint of the output. GoMLX
// v0.26.0 differentiates DotGeneral by broadcasting a product over all axes and reducing it,
// which is slow on the pure-Go backend. When trainW is false, w gets no gradient.
//
// GoMLX attaches a custom gradient only to an identity node (IdentityWithCustomGradient), so
// x and w enter the product through such identities, and an identity on the output records
// v. Reverse-mode autodiff visits the newest node first, so v is recorded before the input
// identities need it. Their custom gradients ignore the adjoint that GoMLX's own DotGeneral
// gradient passes them, so the backends never evaluate that slower expression: simplego
// runs only the nodes that an output depends on, and XLA removes dead code.
//
// It panics (GoMLX graph-building convention) on an equation without exactly one "," and "->".
func FastEinsum(equation string, x, w *Node, trainW bool) *Node {
	inputs, output, ok := strings.Cut(equation, "->")
	xLabels, wLabels, ok2 := strings.Cut(inputs, ",")
	if !ok || !ok2 {
		panic(fmt.Sprintf("nn.FastEinsum: equation %q must have the form \"X,W->Y\"", equation))
	}

	var adjoint *Node
	wConstant := StopGradient(w)
	xIn := IdentityWithCustomGradient(x, func(_, _ *Node) *Node {
		return Einsum(output+","+wLabels+"->"+xLabels, adjoint, wConstant)
	})
	wIn := wConstant
	if trainW {
		wIn = IdentityWithCustomGradient(w, func(_, _ *Node) *Node {
			return Einsum(xLabels+","+output+"->"+wLabels, StopGradient(x), adjoint)
		})
	}
	return IdentityWithCustomGradient(Einsum(equation, xIn, wIn), func(_, v *Node) *Node {
		adjoint = v
		return v
	})
}
