package nn

import (
	"fmt"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// FastDot returns x·w, contracting the last axis of x (shape [..., K]) with the first axis of
// w (shape [K, M]), giving shape [..., M]. It is FastEinsum("bk,km->bm") on x with its
// leading axes merged: the value equals Dot(x, w), and the gradient is the two standard
// products dL/dx = v·wᵀ and dL/dw = xᵀ·v.
//
// It panics (GoMLX graph-building convention) when the shapes do not match.
func FastDot(x, w *Node) *Node {
	if w.Rank() != 2 {
		panic(fmt.Sprintf("nn.FastDot: weights must have rank 2 [K, M], got shape %s", w.Shape()))
	}
	k, m := w.Shape().Dimensions[0], w.Shape().Dimensions[1]
	if x.Rank() < 1 || x.Shape().Dimensions[x.Rank()-1] != k {
		panic(fmt.Sprintf("nn.FastDot: last axis of x %s must match the first axis of w %s", x.Shape(), w.Shape()))
	}

	outDims := append([]int{}, x.Shape().Dimensions...)
	outDims[len(outDims)-1] = m
	x2 := x
	if x.Rank() != 2 {
		x2 = Reshape(x, -1, k)
	}
	y := FastEinsum("bk,km->bm", x2, w, true)
	if x.Rank() != 2 {
		y = Reshape(y, outDims...)
	}
	return y
}

// Dense applies an affine layer y = x·W + b to the last axis of x, creating (or reusing) the
// variables "weights" [inDim, outDim] and "biases" [outDim] in ctx. Weights use the context's
// default initializer (He normal in GoMLX v0.26.0) and biases start at zero. The product uses
// FastDot, so training is fast on the pure-Go backend.
func Dense(ctx *context.Context, x *Node, outDim int) *Node {
	inDim := x.Shape().Dimensions[x.Rank()-1]
	dtype := x.DType()

	w := ctx.VariableWithShape("weights", shapes.Make(dtype, inDim, outDim)).ValueGraph(x.Graph())
	b := ctx.VariableWithShape("biases", shapes.Make(dtype, outDim)).ValueGraph(x.Graph())

	y := FastDot(x, w)
	return Add(y, ExpandLeftToRank(b, y.Rank()))
}
