package regularize

import (
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/closure-lab/closure/pkg/nn"
	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

var testBackend = sync.OnceValue(func() backends.Backend {
	backend, err := nn.NewBackend()
	if err != nil {
		panic(err)
	}
	return backend
})

// column returns the values as a [len, 1] tensor: one-dimensional points.
func column(values ...float32) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(values, len(values), 1)
}

// evaluate runs loss on x and z and returns the scalar.
func evaluate(t *testing.T, loss Loss, x, z *tensors.Tensor) float64 {
	t.Helper()
	result, err := context.ExecOnce(testBackend(), context.New(), func(ctx *context.Context, x, z *Node) *Node {
		return loss(ctx, x, z)
	}, x, z)
	if err != nil {
		t.Fatal(err)
	}
	return float64(tensors.ToScalar[float32](result))
}

func TestMPHandComputed(t *testing.T) {
	t.Parallel()
	// Inputs 0, 1, 3 give d_x = (1, 3, 2) over the pairs (01, 02, 12); latents 0, 1, 2 give
	// d_z = (1, 2, 1). Σd_x² = 14, Σd_z d_x = 9, Σd_z² = 6.
	// Optimal c = 9/14: misfit Σd_z² − c·Σd_z d_x = 3/14, loss 3/196.
	// Fixed c = 1: misfit 0 + 1 + 1 = 2, loss 2/14.
	// c = 0.5: misfit 0.25 + 0.25 + 0 = 0.5, loss 0.5/14.
	const tolerance = 1e-6 // float32 arithmetic and the smoothing ε = 1e-8
	x, z := column(0, 1, 3), column(0, 1, 2)
	cases := []struct {
		scale float64
		want  float64
	}{{0, 3.0 / 196}, {1, 2.0 / 14}, {0.5, 0.5 / 14}}
	for _, tc := range cases {
		if got := evaluate(t, MP(tc.scale), x, z); math.Abs(got-tc.want) > tolerance {
			t.Errorf("MP(scale=%g) = %g, want %g", tc.scale, got, tc.want)
		}
	}
}

func TestMPZeroForScaledCopy(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-6
	x := tensors.FromFlatDataAndDimensions([]float32{0, 0, 1, 0, 0, 2, 3, 1}, 4, 2)
	z := tensors.FromFlatDataAndDimensions([]float32{0, 0, 2, 0, 0, 4, 6, 2}, 4, 2)
	if got := evaluate(t, MP(0), x, z); got > tolerance {
		t.Errorf("MP of z = 2x with the optimal scale = %g, want 0", got)
	}
	if got := evaluate(t, MP(2), x, z); got > tolerance {
		t.Errorf("MP of z = 2x with scale 2 = %g, want 0", got)
	}
}

// squarePath returns the corners (0,0), (1,0), (1,1), (0,1). With k = 1 (ties to the smaller
// index) the neighbour graph is the path 3-0-1-2, so the geodesic distances are those of the
// positions 1, 2, 3, 0 on a line: G(2,3) = 3 while the Euclidean distance is 1.
func squarePath() []float32 { return []float32{0, 0, 1, 0, 1, 1, 0, 1} }

func TestGeodesicsTable(t *testing.T) {
	t.Parallel()
	table, err := NewGeodesics(squarePath(), 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	positions := []float64{1, 2, 3, 0}
	for i := range 4 {
		for j := range 4 {
			if want := math.Abs(positions[i] - positions[j]); table.Distance(i, j) != want {
				t.Errorf("geodesic (%d, %d) = %g, want %g", i, j, table.Distance(i, j), want)
			}
		}
	}
}

func TestGAHandComputed(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-6
	table, err := NewGeodesics(squarePath(), 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	x := tensors.FromFlatDataAndDimensions(squarePath(), 4, 2)

	// Latents at the path positions unroll the square exactly.
	if got := evaluate(t, GA(table, 0), x, column(1, 2, 3, 0)); got > tolerance {
		t.Errorf("GA of the unrolled path = %g, want 0", got)
	}
	if got := evaluate(t, GA(table, 1), x, column(1, 2, 3, 0)); got > tolerance {
		t.Errorf("GA(scale=1) of the unrolled path = %g, want 0", got)
	}

	// Latents 0, 1, 2, 3 over the pairs (01, 02, 03, 12, 13, 23): G = (1, 2, 1, 1, 2, 3),
	// d_z = (1, 2, 3, 1, 2, 1). ΣG² = 20, Σd_z G = 16, Σd_z² = 20.
	// Optimal c = 0.8: misfit 20 − 0.8·16 = 7.2, loss 0.36. Fixed c = 1: misfit 8, loss 0.4.
	z := column(0, 1, 2, 3)
	if got := evaluate(t, GA(table, 0), x, z); math.Abs(got-0.36) > tolerance {
		t.Errorf("GA = %g, want 0.36", got)
	}
	if got := evaluate(t, GA(table, 1), x, z); math.Abs(got-0.4) > tolerance {
		t.Errorf("GA(scale=1) = %g, want 0.4", got)
	}

	// MP compares with the Euclidean distances of the square, for which the path positions are
	// not an isometry.
	const minMPOfPath = 0.05
	if got := evaluate(t, MP(0), x, column(1, 2, 3, 0)); got < minMPOfPath {
		t.Errorf("MP of the unrolled path = %g, want above %g", got, minMPOfPath)
	}
}

func TestGeodesicsBlockLookup(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-6
	table, err := NewGeodesics(squarePath(), 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	// A batch of perturbed table points in another order: corners 2, 3 and 0, each moved by
	// 0.01. The block is the table's, except where the Euclidean distance is larger.
	batch := tensors.FromFlatDataAndDimensions([]float32{1.01, 1, 0, 0.99, 0.01, 0}, 3, 2)
	result, err := ExecOnce(testBackend(), func(x *Node) *Node { return table.Block(x) }, batch)
	if err != nil {
		t.Fatal(err)
	}
	block := tensors.MustCopyFlatData[float32](result)
	corners := []int{2, 3, 0}
	for a := range 3 {
		for b := range 3 {
			want := table.Distance(corners[a], corners[b])
			if got := float64(block[a*3+b]); math.Abs(got-want) > tolerance {
				t.Errorf("block[%d][%d] = %g, want G(%d, %d) = %g", a, b, got, corners[a], corners[b], want)
			}
		}
	}
}

func TestLatentDistanceGradientAtCoincidentLatents(t *testing.T) {
	t.Parallel()
	x := column(0, 1, 2)
	z := column(0.5, 0.5, 0.5) // all latents coincide: the plain distance has no gradient here
	result, err := context.ExecOnce(testBackend(), context.New(), func(ctx *context.Context, x, z *Node) *Node {
		return Gradient(MP(0)(ctx, x, z), z)[0]
	}, x, z)
	if err != nil {
		t.Fatal(err)
	}
	for k, value := range tensors.MustCopyFlatData[float32](result) {
		if math.IsNaN(float64(value)) || math.IsInf(float64(value), 0) {
			t.Errorf("gradient entry %d is %g, want finite", k, value)
		}
	}
}

func TestRegistry(t *testing.T) {
	t.Parallel()
	if kinds := Kinds(); len(kinds) != 3 || kinds[0] != KindGA || kinds[1] != KindMP || kinds[2] != KindNone {
		t.Errorf("Kinds() = %v, want [ga mp none]", kinds)
	}
	if kind, err := ParseKind(" MP "); err != nil || kind != KindMP {
		t.Errorf("ParseKind(\" MP \") = %q, %v; want mp", kind, err)
	}
	if _, err := ParseKind("joint"); err == nil || !strings.Contains(err.Error(), "ga, mp, none") {
		t.Errorf("ParseKind(\"joint\") error %v should list the kinds", err)
	}
	if err := (Spec{Kind: KindMP, Weight: -1}).Validate(); err == nil {
		t.Error("a negative weight was accepted")
	}
	if (Spec{}).Active() || (Spec{Kind: KindMP}).Active() || !(Spec{Kind: KindMP, Weight: 0.1}).Active() {
		t.Error("Active should be true only for a kind other than none with a positive weight")
	}

	// Two pairs of points far apart: the 1-nearest-neighbour graph is disconnected.
	_, err := New(Spec{Kind: KindGA, Weight: 1, Neighbors: 1}, []float32{0, 1, 100, 101}, 1)
	if err == nil || !strings.Contains(err.Error(), "increase k") {
		t.Errorf("GA on a disconnected graph: error %v should suggest a larger k", err)
	}

	// New applies the weight and the scale: on the case of TestMPHandComputed, MP is 2/14 with
	// the default c = 1, 0.5/14 with c = 0.5 and 3/196 with the batch-optimal c.
	const tolerance = 1e-6
	cases := []struct {
		spec Spec
		want float64
	}{
		{Spec{Kind: KindMP, Weight: 3}, 3 * 2.0 / 14},
		{Spec{Kind: KindMP, Weight: 3, Scale: 0.5}, 3 * 0.5 / 14},
		{Spec{Kind: KindMP, Weight: 3, OptimalScale: true}, 3 * 3.0 / 196},
	}
	for _, tc := range cases {
		loss, err := New(tc.spec, nil, 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := evaluate(t, loss, column(0, 1, 3), column(0, 1, 2)); math.Abs(got-tc.want) > tolerance {
			t.Errorf("New(%+v) loss = %g, want %g", tc.spec, got, tc.want)
		}
	}
	none, err := New(Spec{}, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := evaluate(t, none, column(0, 1, 3), column(0, 1, 2)); got != 0 {
		t.Errorf("none = %g, want 0", got)
	}
}

func TestLandmarksAreEvenlySpacedRows(t *testing.T) {
	t.Parallel()
	points := []float32{0, 0, 1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60, 7, 70, 8, 80, 9, 90} // 10 rows of 2
	got := Landmarks(points, 2, 4)
	want := []float32{0, 0, 2, 20, 5, 50, 7, 70} // rows ⌊i·10/4⌋ = 0, 2, 5, 7
	if len(got) != len(want) {
		t.Fatalf("Landmarks returned %d values, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("value %d: %g, want %g", i, got[i], want[i])
		}
	}
	if all := Landmarks(points, 2, 10); len(all) != len(points) {
		t.Errorf("with limit 10 for 10 rows Landmarks kept %d values, want all %d", len(all), len(points))
	}
}

// TestGAOnMoreTrainingPointsThanLandmarks builds GA from the 40 points 0..39 of a line with a
// table of 8 landmarks (0, 5, ..., 35) and evaluates the identity map on points off them. A
// target is max(G of the nearest landmarks, Euclidean distance). Of the pairs of 1, 3, 17, 22
// and 38, only (1, 3) has a larger landmark distance (5, not 2), so with Σ target² = 4595 over
// the 10 pairs the loss is (5 − 2)²/4595.
func TestGAOnMoreTrainingPointsThanLandmarks(t *testing.T) {
	t.Parallel()
	training := make([]float32, 40)
	for i := range training {
		training[i] = float32(i)
	}
	loss, err := New(Spec{Kind: KindGA, Weight: 1, Neighbors: 1, Landmarks: 8}, training, 1)
	if err != nil {
		t.Fatalf("GA with 8 landmarks of 40 points: %v", err)
	}
	x := column(1, 3, 17, 22, 38)
	if got, want := evaluate(t, loss, x, x), 9.0/4595; math.Abs(got-want) > 1e-6 {
		t.Errorf("GA of the identity on points off the landmarks = %g, want %g", got, want)
	}
	for _, landmarks := range []int{-1, MaxGeodesicPoints + 1} {
		if err := (Spec{Kind: KindGA, Weight: 1, Landmarks: landmarks}).Validate(); err == nil || !strings.Contains(err.Error(), "landmarks") {
			t.Errorf("Landmarks=%d: error %v, want one naming landmarks", landmarks, err)
		}
	}
}
