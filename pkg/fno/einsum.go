package fno

import (
	"fmt"
	"strings"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// GraphParamInference is the graph parameter that SetInference sets.
const GraphParamInference = "fno_inference"

// SetInference marks g as a graph that evaluates networks without differentiating them, for
// the layers built with ctx or any of its sub-scopes. Such layers compute their products
// with plain Einsum: they skip the gradient carriers of fastEinsum, which cost a pass over
// every operand and output, and their values are the same. A gradient taken through such a
// graph is still correct, only computed the slower way GoMLX differentiates Einsum.
func SetInference(ctx *context.Context, g *Graph) {
	ctx.SetGraphParam(g, GraphParamInference, true)
}

// einsumFunc is the signature shared by fastEinsum and plainEinsum.
type einsumFunc func(equation string, x, w *Node, trainW bool) *Node

// einsumFor returns plainEinsum in a graph marked by SetInference for ctx, fastEinsum
// otherwise.
func einsumFor(ctx *context.Context, g *Graph) einsumFunc {
	if context.GetGraphParamOr(ctx, g, GraphParamInference, false) {
		return plainEinsum
	}
	return fastEinsum
}

// plainEinsum returns Einsum(equation, x, w); trainW is ignored.
func plainEinsum(equation string, x, w *Node, _ bool) *Node {
	return Einsum(equation, x, w)
}

// fastEinsum returns Einsum(equation, x, w) for a bilinear equation "X,W->Y" in which every
// label of each operand also appears in the other operand or in the output (batch,
// contracted or free axes, never a label summed inside one operand).
//
// The value equals Einsum. The gradient is computed as two Einsums, dL/dx = Einsum("Y,W->X",
// v, w) and dL/dw = Einsum("X,Y->W", x, v), where v is the adjoint of the output. GoMLX
// v0.26.0 differentiates DotGeneral by broadcasting a product over all axes and reducing it,
// which is slow on the pure-Go backend. nn.FastDot documents the same detour for matrix
// products. When trainW is false, w is treated as a constant and gets no gradient.
//
// It panics (GoMLX graph-building convention) on an equation without exactly one "," and "->".
func fastEinsum(equation string, x, w *Node, trainW bool) *Node {
	inputs, output, ok := strings.Cut(equation, "->")
	xLabels, wLabels, ok2 := strings.Cut(inputs, ",")
	if !ok || !ok2 {
		panic(fmt.Sprintf("fno.fastEinsum: equation %q must have the form \"X,W->Y\"", equation))
	}

	// The carriers are created before the output identity, so reverse-mode differentiation,
	// which visits the newest node first, records adjoint before a carrier needs it.
	var adjoint *Node
	xCarrier := IdentityWithCustomGradient(x, func(_, _ *Node) *Node {
		return Einsum(output+","+wLabels+"->"+xLabels, adjoint, StopGradient(w))
	})
	carrier := ReduceAllSum(xCarrier)
	if trainW {
		wCarrier := IdentityWithCustomGradient(w, func(_, _ *Node) *Node {
			return Einsum(xLabels+","+output+"->"+wLabels, StopGradient(x), adjoint)
		})
		carrier = Add(carrier, ReduceAllSum(wCarrier))
	}

	y := Einsum(equation, StopGradient(x), StopGradient(w))
	y = Add(y, MulScalar(carrier, 0))
	return IdentityWithCustomGradient(y, func(_, v *Node) *Node {
		adjoint = v
		return v
	})
}
