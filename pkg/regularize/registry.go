package regularize

import (
	"fmt"
	"slices"
	"strings"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Loss is a latent regularizer as a graph function: x are the inputs [B, D], z the latents
// [B, d] of the same batch, and the result a scalar. Implementations panic (GoMLX
// graph-building convention) on shapes they cannot use.
type Loss func(ctx *context.Context, x, z *Node) *Node

// Kind names a regularizer.
type Kind string

// Supported kinds.
const (
	// KindNone adds no penalty.
	KindNone Kind = "none"
	// KindMP is the metric-preserving penalty MP.
	KindMP Kind = "mp"
	// KindGA is the geometry-aware penalty GA on k-nearest-neighbour geodesic distances.
	KindGA Kind = "ga"
)

// DefaultNeighbors is the k of the GA neighbour graph when Spec.Neighbors is 0.
const DefaultNeighbors = 10

// DefaultScale is the fixed scale c when Spec.Scale is 0: latent distances equal input
// distances, which suits inputs normalized to unit variance.
const DefaultScale = 1.0

// Spec selects a regularizer and its settings; the zero value is KindNone.
type Spec struct {
	// Kind is the regularizer; empty means KindNone.
	Kind Kind `json:"kind,omitempty"`
	// Weight λ multiplies the loss; it must be non-negative.
	Weight float64 `json:"weight,omitempty"`
	// Scale is the fixed distance scale c > 0 of MP and GA; 0 means DefaultScale. It is in
	// latent units per input unit.
	Scale float64 `json:"scale,omitempty"`
	// OptimalScale replaces the fixed scale by the batch-optimal c = Σ d_z d_x / Σ d_x². The
	// loss is then homogeneous of degree 2 in z, so training can lower it by shrinking the
	// latents instead of fixing their geometry.
	OptimalScale bool `json:"optimal_scale,omitempty"`
	// Neighbors is the k of the GA neighbour graph; 0 means DefaultNeighbors.
	Neighbors int `json:"neighbors,omitempty"`
	// Landmarks caps the training points in the GA geodesic table; 0 means MaxGeodesicPoints.
	// A larger training set is subsampled to evenly spaced rows (Landmarks), and a batch row
	// that is not a landmark takes the distances of its nearest one (Geodesics.Block).
	Landmarks int `json:"landmarks,omitempty"`
}

// Active reports whether s adds a penalty: a kind other than none with a positive weight.
func (s Spec) Active() bool {
	return s.Kind != "" && s.Kind != KindNone && s.Weight > 0
}

// Validate returns an error naming the first invalid field.
func (s Spec) Validate() error {
	if _, ok := constructors[s.kind()]; !ok {
		return fmt.Errorf("regularize: kind %q is not supported; use one of %s", s.Kind, kindList())
	}
	switch {
	case !(s.Weight >= 0):
		return fmt.Errorf("regularize: weight %g must be non-negative", s.Weight)
	case !(s.Scale >= 0):
		return fmt.Errorf("regularize: scale %g must be non-negative (0 for DefaultScale=%g)", s.Scale, DefaultScale)
	case s.Neighbors < 0:
		return fmt.Errorf("regularize: neighbors %d must be non-negative (0 for %d)", s.Neighbors, DefaultNeighbors)
	case s.Landmarks < 0 || s.Landmarks > MaxGeodesicPoints:
		return fmt.Errorf("regularize: landmarks %d must be in [0, %d] (0 for %d)", s.Landmarks, MaxGeodesicPoints, MaxGeodesicPoints)
	}
	return nil
}

func (s Spec) kind() Kind {
	if s.Kind == "" {
		return KindNone
	}
	return s.Kind
}

// scale returns the scale argument of MP and GA: 0 for the batch-optimal scale.
func (s Spec) scale() float64 {
	switch {
	case s.OptimalScale:
		return 0
	case s.Scale == 0:
		return DefaultScale
	}
	return s.Scale
}

func (s Spec) landmarks() int {
	if s.Landmarks == 0 {
		return MaxGeodesicPoints
	}
	return s.Landmarks
}

func (s Spec) neighbors() int {
	if s.Neighbors == 0 {
		return DefaultNeighbors
	}
	return s.Neighbors
}

// constructor builds the unweighted loss of one kind. Its inputs are the training inputs,
// count rows of dim values in row-major order, in the representation the loss receives as x.
// Only kinds that precompute something from the data (GA) read them.
type constructor func(spec Spec, inputs []float32, dim int) (Loss, error)

// constructors is the registry of kinds: the one place that maps a name to a regularizer.
var constructors = map[Kind]constructor{
	KindNone: func(Spec, []float32, int) (Loss, error) { return None, nil },
	KindMP:   func(spec Spec, _ []float32, _ int) (Loss, error) { return MP(spec.scale()), nil },
	KindGA: func(spec Spec, inputs []float32, dim int) (Loss, error) {
		table, err := NewGeodesics(Landmarks(inputs, dim, spec.landmarks()), dim, spec.neighbors())
		if err != nil {
			return nil, err
		}
		return GA(table, spec.scale()), nil
	},
}

// Kinds returns the supported kinds in sorted order.
func Kinds() []Kind {
	kinds := make([]Kind, 0, len(constructors))
	for kind := range constructors {
		kinds = append(kinds, kind)
	}
	slices.Sort(kinds)
	return kinds
}

// ParseKind returns the Kind named name (case-insensitive), or an error listing the kinds.
func ParseKind(name string) (Kind, error) {
	kind := Kind(strings.ToLower(strings.TrimSpace(name)))
	if _, ok := constructors[kind]; !ok {
		return "", fmt.Errorf("regularize: kind %q is not supported; use one of %s", name, kindList())
	}
	return kind, nil
}

func kindList() string {
	names := make([]string, 0, len(constructors))
	for _, kind := range Kinds() {
		names = append(names, string(kind))
	}
	return strings.Join(names, ", ")
}

// New returns the loss Weight · L_kind(x, z) of spec, built from the training inputs (count
// rows of dim values, row-major; GA computes its geodesic table from them, the other kinds
// ignore them). It returns an error when spec is invalid or the construction fails.
func New(spec Spec, inputs []float32, dim int) (Loss, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	loss, err := constructors[spec.kind()](spec, inputs, dim)
	if err != nil {
		return nil, err
	}
	return Weighted(loss, spec.Weight), nil
}

// Weighted returns the loss weight · loss(ctx, x, z).
func Weighted(loss Loss, weight float64) Loss {
	return func(ctx *context.Context, x, z *Node) *Node {
		return MulScalar(loss(ctx, x, z), weight)
	}
}

// None is the loss of KindNone: a zero scalar of the dtype of z.
func None(_ *context.Context, _, z *Node) *Node {
	return ScalarZero(z.Graph(), z.DType())
}

// MP returns the metric-preserving loss
//
//	mean_{i<j} (‖z_i − z_j‖ − c‖x_i − x_j‖)² / mean_{i<j} ‖x_i − x_j‖²
//
// over the batch, with smoothed latent distances (LatentDistances) and Euclidean input
// distances (InputDistances). The scale c is fixed when scale > 0, and otherwise the
// batch-optimal c = Σ d_z d_x / Σ d_x².
func MP(scale float64) Loss {
	return func(_ *context.Context, x, z *Node) *Node {
		checkBatch(x, z)
		return DistanceMatching(LatentDistances(z, DistanceEpsilon), InputDistances(x), scale)
	}
}

// GA returns the geometry-aware loss: MP with the input distances replaced by the geodesic
// distances of table.Block(x). The batch x must be in the representation the table was
// computed from.
func GA(table *Geodesics, scale float64) Loss {
	return func(_ *context.Context, x, z *Node) *Node {
		checkBatch(x, z)
		return DistanceMatching(LatentDistances(z, DistanceEpsilon), table.Block(x), scale)
	}
}

// checkBatch panics unless x [B, D] and z [B, d] share the batch size.
func checkBatch(x, z *Node) {
	if x.Rank() != 2 || z.Rank() != 2 || x.Shape().Dimensions[0] != z.Shape().Dimensions[0] {
		panic(fmt.Sprintf("regularize: inputs %s and latents %s must be [B, D] and [B, d] with the same B", x.Shape(), z.Shape()))
	}
}
