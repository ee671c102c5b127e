package regularize

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/closure-lab/closure/pkg/geometry"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// MaxGeodesicPoints bounds the points of a Geodesics table. The table puts S² float32
// distances in every graph that uses it (64 MiB at the bound) and needs a float64 copy during
// the precomputation, so larger data sets are subsampled (Landmarks).
const MaxGeodesicPoints = 4096

// Landmarks returns at most limit of the count = len(points)/dim points of dimension dim
// (row-major): all of them when count ≤ limit, else the rows ⌊i·count/limit⌋ for i < limit,
// evenly spaced through the data set. It panics when limit < 1.
func Landmarks(points []float32, dim, limit int) []float32 {
	if limit < 1 {
		panic(fmt.Sprintf("regularize.Landmarks: limit %d must be positive", limit))
	}
	count := len(points) / dim
	if count <= limit {
		return points
	}
	landmarks := make([]float32, 0, limit*dim)
	for i := range limit {
		row := i * count / limit
		landmarks = append(landmarks, points[row*dim:(row+1)*dim]...)
	}
	slog.Info("geodesic table on evenly spaced landmarks of the training set", "landmarks", limit, "points", count)
	return landmarks
}

// Geodesics is a table of geodesic distances between the S points of a training set,
// estimated by shortest paths on their k-nearest-neighbour graph (geometry.GeodesicDistances),
// together with the points, so a graph can look up the block of any batch.
type Geodesics struct {
	// Neighbors is the k of the k-nearest-neighbour graph.
	Neighbors int

	points    []float32 // [S, dim] row-major
	norms     []float32 // [S], squared norms of the points
	distances []float32 // [S, S] row-major
	count     int
	dim       int
}

// NewGeodesics computes the geodesic distances of count = len(points)/dim points of dimension
// dim (row-major) on their k-nearest-neighbour graph. It returns an error when the sizes do not
// match, count exceeds MaxGeodesicPoints, or the graph is disconnected (then raise k).
func NewGeodesics(points []float32, dim, k int) (*Geodesics, error) {
	if dim < 1 || len(points) == 0 || len(points)%dim != 0 {
		return nil, fmt.Errorf("regularize: %d values are not a positive multiple of the dimension %d", len(points), dim)
	}
	count := len(points) / dim
	if count > MaxGeodesicPoints {
		return nil, fmt.Errorf("regularize: %d points exceed MaxGeodesicPoints=%d for the geodesic table; subsample the training set", count, MaxGeodesicPoints)
	}

	start := time.Now()
	cloud, err := geometry.FromFloat32(points, count, dim)
	if err != nil {
		return nil, err
	}
	geodesic, err := geometry.GeodesicDistancesOfPoints(cloud, k)
	if err != nil {
		return nil, fmt.Errorf("regularize: geodesic table: %w", err)
	}

	table := &Geodesics{Neighbors: k, points: slices.Clone(points), count: count, dim: dim,
		norms: make([]float32, count), distances: make([]float32, count*count)}
	for i := range count {
		for c := range dim {
			value := points[i*dim+c]
			table.norms[i] += value * value
		}
		for j := range count {
			table.distances[i*count+j] = float32(geodesic[i][j])
		}
	}
	slog.Info("geodesic table computed", "points", count, "dim", dim, "neighbors", k, "elapsed", time.Since(start))
	return table, nil
}

// Len returns the number of points S of the table.
func (g *Geodesics) Len() int { return g.count }

// Distance returns the geodesic distance between training points i and j, in float32
// precision. It panics when an index is outside [0, Len()).
func (g *Geodesics) Distance(i, j int) float64 {
	if i < 0 || j < 0 || i >= g.count || j >= g.count {
		panic(fmt.Sprintf("regularize.Geodesics.Distance: indices (%d, %d) outside [0, %d)", i, j, g.count))
	}
	return float64(g.distances[i*g.count+j])
}

// Block returns the target distances [B, B] for a batch x [B, dim], without gradient. Each
// row of x is matched to its nearest table point n(i) by Euclidean distance, and the target is
// max(G[n(i), n(j)], ‖x_i − x_j‖). For rows that are table points this is the table entry,
// because a graph path is never shorter than the straight line. Other rows get the distances
// of their nearest table point, kept at least Euclidean, so two new rows close to the same
// table point get their Euclidean distance.
//
// The lookup costs O(B·S·dim) per batch. It panics when the last axis of x is not dim.
func (g *Geodesics) Block(x *Node) *Node {
	if x.Rank() != 2 || x.Shape().Dimensions[1] != g.dim {
		panic(fmt.Sprintf("regularize.Geodesics.Block: batch must have shape [B, %d], got %s", g.dim, x.Shape()))
	}
	graph := x.Graph()
	dtype := x.DType()
	x = StopGradient(x)

	points := ConvertDType(Const(graph, tensors.FromFlatDataAndDimensions(g.points, g.count, g.dim)), dtype)
	norms := ConvertDType(Const(graph, g.norms), dtype)
	rowNorms := ReduceSum(Square(x), -1)
	squared := Sub(Add(InsertAxes(rowNorms, 1), InsertAxes(norms, 0)), MulScalar(Einsum("bd,sd->bs", x, points), 2))
	nearest := ArgMin(squared, 1) // [B] int32

	batch := x.Shape().Dimensions[0]
	rows := BroadcastToDims(InsertAxes(nearest, 1), batch, batch)
	columns := BroadcastToDims(InsertAxes(nearest, 0), batch, batch)
	table := ConvertDType(Const(graph, tensors.FromFlatDataAndDimensions(g.distances, g.count, g.count)), dtype)
	block := Gather(table, Stack([]*Node{rows, columns}, -1))

	return Max(block, InputDistances(x))
}
