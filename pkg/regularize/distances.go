package regularize

import (
	"fmt"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
)

// DistanceEpsilon is ε in the smoothed latent distance sqrt(‖z_i − z_j‖² + ε), in squared
// latent units. It bounds the gradient of the distance at coincident latents and adds at most
// sqrt(ε) = 1e-4 to each distance.
const DistanceEpsilon = 1e-8

// minDenominator keeps the ratio finite when every input distance of a batch is 0.
const minDenominator = 1e-30

// LatentDistances returns the smoothed pairwise distances sqrt(‖z_i − z_j‖² + epsilon) [B, B]
// of the latents z [B, d], differentiable everywhere for epsilon > 0. It forms the [B, B, d]
// differences, which keeps the squared distances exact and non-negative. It panics (GoMLX
// graph-building convention) unless z has rank 2.
func LatentDistances(z *Node, epsilon float64) *Node {
	if z.Rank() != 2 {
		panic(fmt.Sprintf("regularize.LatentDistances: latents must have shape [B, d], got %s", z.Shape()))
	}
	differences := Sub(InsertAxes(z, 1), InsertAxes(z, 0))
	squared := ReduceSum(Square(differences), -1)
	return Sqrt(AddScalar(squared, epsilon))
}

// InputDistances returns the Euclidean distances ‖x_i − x_j‖ [B, B] of the inputs x [B, D]
// without gradient. It uses the Gram form ‖x_i‖² + ‖x_j‖² − 2x_i·x_j on batch-centered
// inputs, so memory stays O(B² + BD) for wide inputs, and clips the rounding below 0. It
// panics unless x has rank 2.
func InputDistances(x *Node) *Node {
	if x.Rank() != 2 {
		panic(fmt.Sprintf("regularize.InputDistances: inputs must have shape [B, D], got %s", x.Shape()))
	}
	x = StopGradient(x)
	x = Sub(x, ReduceAndKeep(x, ReduceMean, 0))
	norms := ReduceSum(Square(x), -1)
	gram := Einsum("id,jd->ij", x, x)
	squared := Sub(Add(InsertAxes(norms, 1), InsertAxes(norms, 0)), MulScalar(gram, 2))
	return Sqrt(MaxScalar(squared, 0))
}

// DistanceMatching returns the scale-matched misfit between latent distances [B, B] and target
// distances [B, B] over the pairs i ≠ j:
//
//	Σ_{i≠j} (latent_ij − c·target_ij)² / Σ_{i≠j} target_ij²,
//
// which equals the same ratio of means over i < j for symmetric matrices. The scale c is fixed
// when scale > 0, and otherwise the least-squares optimum c = Σ latent·target / Σ target². No
// gradient flows into target. It panics unless both are [B, B] with the same B.
func DistanceMatching(latent, target *Node, scale float64) *Node {
	if latent.Rank() != 2 || !latent.Shape().Equal(target.Shape()) || latent.Shape().Dimensions[0] != latent.Shape().Dimensions[1] {
		panic(fmt.Sprintf("regularize.DistanceMatching: latent %s and target %s distances must both be [B, B]", latent.Shape(), target.Shape()))
	}
	target = StopGradient(ConvertDType(target, latent.DType()))
	mask := offDiagonal(latent)

	targetSquared := MaxScalar(ReduceAllSum(Mul(mask, Square(target))), minDenominator)
	var c *Node
	if scale > 0 {
		c = Scalar(latent.Graph(), latent.DType(), scale)
	} else {
		c = Div(ReduceAllSum(Mul(mask, Mul(latent, target))), targetSquared)
	}

	misfit := ReduceAllSum(Mul(mask, Square(Sub(latent, Mul(c, target)))))
	return Div(misfit, targetSquared)
}

// offDiagonal returns the [B, B] mask with 1 off the diagonal and 0 on it, in the dtype of
// square.
func offDiagonal(square *Node) *Node {
	shape := square.Shape()
	rows := Iota(square.Graph(), shape, 0)
	columns := Iota(square.Graph(), shape, 1)
	return ConvertDType(NotEqual(rows, columns), square.DType())
}
