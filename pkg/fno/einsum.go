package fno

import (
	"github.com/closure-lab/closure/pkg/nn"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// GraphParamInference is the graph parameter that SetInference sets.
const GraphParamInference = "fno_inference"

// SetInference marks g as a graph that evaluates networks without differentiating them, for
// the layers built with ctx or any of its sub-scopes. Such layers compute their products
// with plain Einsum: they skip the identities of nn.FastEinsum, which copy operands that
// other nodes still use, and their values are the same. A gradient taken through such a
// graph is still correct, only computed the slower way GoMLX differentiates Einsum.
func SetInference(ctx *context.Context, g *Graph) {
	ctx.SetGraphParam(g, GraphParamInference, true)
}

// einsumFunc is the signature shared by nn.FastEinsum and plainEinsum.
type einsumFunc func(equation string, x, w *Node, trainW bool) *Node

// einsumFor returns plainEinsum in a graph marked by SetInference for ctx, nn.FastEinsum
// otherwise.
func einsumFor(ctx *context.Context, g *Graph) einsumFunc {
	if context.GetGraphParamOr(ctx, g, GraphParamInference, false) {
		return plainEinsum
	}
	return nn.FastEinsum
}

// plainEinsum returns Einsum(equation, x, w); trainW is ignored.
func plainEinsum(equation string, x, w *Node, _ bool) *Node {
	return Einsum(equation, x, w)
}
