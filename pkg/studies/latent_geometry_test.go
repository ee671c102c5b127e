package studies

import (
	"bytes"
	"image/png"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/geometry"
	"github.com/closure-lab/closure/pkg/regularize"
	"github.com/closure-lab/closure/pkg/topology"
)

// distanceTolerance bounds round-off in distances of unit-size points.
const distanceTolerance = 1e-9

func TestSampleManifoldCircleIsometric(t *testing.T) {
	t.Parallel()
	m, err := SampleManifold(ManifoldCircle, 50, 3)
	if err != nil {
		t.Fatal(err)
	}
	if m.LatentDim != 2 {
		t.Errorf("circle latent dimension %d, want 2", m.LatentDim)
	}
	for i, point := range m.Points {
		if len(point) != ManifoldAmbientDim {
			t.Fatalf("point %d has %d coordinates, want %d", i, len(point), ManifoldAmbientDim)
		}
		norm := 0.0
		for _, x := range point {
			norm += x * x
		}
		if math.Abs(math.Sqrt(norm)-1) > distanceTolerance {
			t.Errorf("point %d has norm %g, want 1 for the embedded unit circle", i, math.Sqrt(norm))
		}
	}
	// The chord between angles a and b is 2 sin(|a − b|/2).
	want := 2 * math.Abs(math.Sin((m.Color[0]-m.Color[1])/2))
	if got := m.Reference[0][1]; math.Abs(got-want) > distanceTolerance {
		t.Errorf("distance of points 0 and 1 is %g, want the chord %g", got, want)
	}
}

func TestSampleManifoldSwissRollGeodesic(t *testing.T) {
	t.Parallel()
	m, err := SampleManifold(ManifoldSwissRoll, 60, 4)
	if err != nil {
		t.Fatal(err)
	}
	euclidean, err := geometry.PairwiseDistances(m.Points)
	if err != nil {
		t.Fatal(err)
	}
	longer := 0
	for i := range euclidean {
		for j := range euclidean[i] {
			if m.Reference[i][j] < euclidean[i][j]-distanceTolerance {
				t.Fatalf("geodesic %g of pair (%d, %d) is shorter than the straight line %g", m.Reference[i][j], i, j, euclidean[i][j])
			}
			if m.Reference[i][j] > 1.5*euclidean[i][j] {
				longer++
			}
		}
	}
	if longer == 0 {
		t.Error("no pair has a geodesic 1.5 times its straight-line distance; the roll is not rolled")
	}
}

func TestSampleManifoldRejectsInput(t *testing.T) {
	t.Parallel()
	if _, err := SampleManifold("sphere", 10, 1); err == nil {
		t.Error("unknown manifold accepted")
	}
	if _, err := SampleManifold(ManifoldTorus, 1, 1); err == nil {
		t.Error("sample of one point accepted")
	}
}

func TestScaledDiagramsScaleInvariant(t *testing.T) {
	t.Parallel()
	const (
		// minLoop is the minimum persistence of the circle's loop at unit RMS
		// distance (RMS chord sqrt(2), loop from about 0.1 to sqrt(3)/sqrt(2)).
		minLoop = 0.8
		// maxScaleBottleneck bounds round-off between the two scalings.
		maxScaleBottleneck = 1e-9
	)
	m, err := SampleManifold(ManifoldCircle, 80, 5)
	if err != nil {
		t.Fatal(err)
	}
	indices := make([]int, len(m.Points))
	for i := range indices {
		indices[i] = i
	}
	scaled := make([][]float64, len(m.Reference))
	for i, row := range m.Reference {
		scaled[i] = make([]float64, len(row))
		for j, d := range row {
			scaled[i][j] = 5 * d
		}
	}

	original, err := scaledDiagrams(m.Reference, indices)
	if err != nil {
		t.Fatal(err)
	}
	enlarged, err := scaledDiagrams(scaled, indices)
	if err != nil {
		t.Fatal(err)
	}
	bars := original[1].MostPersistent(2)
	if len(bars) == 0 || bars[0].Persistence() < minLoop {
		t.Errorf("circle H1 bars %v lack a loop of persistence %g", bars, minLoop)
	}
	if len(bars) > 1 && bars[1].Persistence() > minLoop/4 {
		t.Errorf("second H1 bar %v is long; the circle has one loop", bars[1])
	}
	for dim := range 2 {
		distance, err := topology.Bottleneck(original[dim], enlarged[dim])
		if err != nil {
			t.Fatal(err)
		}
		if distance > maxScaleBottleneck {
			t.Errorf("H%d bottleneck %g between the cloud and 5 times it, want below %g", dim, distance, maxScaleBottleneck)
		}
	}
}

func TestLatentGeometryCircleMP(t *testing.T) {
	t.Parallel()
	const (
		// MP reached a distortion of 0.006 and an H1 bottleneck of 0.009 with
		// 300 steps; the unregularized autoencoder 0.14 and 0.14.
		maxMPDistortion = 0.03
		maxMPBottleneck = 0.05
	)
	cfg := LatentGeometryConfig{TrainPoints: 512, TestPoints: 200, Steps: 300, Weight: 10, Neighbors: 8, TopologyPoints: 100, Seed: 1}
	study, err := LatentGeometry(ManifoldCircle, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(study.Results) != 3 {
		t.Fatalf("got %d regularizers, want none, MP and GA", len(study.Results))
	}
	none, mp := study.Results[0], study.Results[1]
	if mp.Regularizer != regularize.KindMP {
		t.Fatalf("second result is %q, want %q", mp.Regularizer, regularize.KindMP)
	}
	if mp.Quality.Distortion > maxMPDistortion {
		t.Errorf("MP distortion %.4f, want below %g", mp.Quality.Distortion, maxMPDistortion)
	}
	if mp.Quality.Distortion >= none.Quality.Distortion {
		t.Errorf("MP distortion %.4f is not below the unregularized %.4f", mp.Quality.Distortion, none.Quality.Distortion)
	}
	if mp.Bottleneck[1] > maxMPBottleneck {
		t.Errorf("MP H1 bottleneck %.4f, want below %g", mp.Bottleneck[1], maxMPBottleneck)
	}
	if got := len(study.TopologySample); got != cfg.TopologyPoints {
		t.Errorf("topology sample of %d points, want %d", got, cfg.TopologyPoints)
	}

	scatter, err := LatentScatterPNG(study)
	if err != nil {
		t.Fatal(err)
	}
	checkPNGWidth(t, scatter, 3*3*scatterDPI)
	diagrams, err := PersistencePNG([][]topology.Diagram{study.DataDiagrams, mp.Diagrams}, []string{"data", "MP"})
	if err != nil {
		t.Fatal(err)
	}
	checkPNGWidth(t, diagrams, 2*3*scatterDPI)

	table := LatentGeometryTable([]*ManifoldStudy{study})
	if rows := strings.Count(table, "\n| circle |"); rows != 3 {
		t.Errorf("table has %d circle rows, want 3:\n%s", rows, table)
	}
}

func TestPersistencePNGTitleCount(t *testing.T) {
	t.Parallel()
	if _, err := PersistencePNG([][]topology.Diagram{{}}, nil); err == nil {
		t.Error("one diagram set with no title accepted")
	}
}

func TestLatentGeometrySaveLoadInfinity(t *testing.T) {
	t.Parallel()
	study := &ManifoldStudy{
		Manifold:     &Manifold{Name: ManifoldCircle, LatentDim: 2},
		DataDiagrams: []topology.Diagram{{Dim: 0, Pairs: []topology.Pair{{Birth: 0, Death: math.Inf(1)}}}},
	}
	path := filepath.Join(t.TempDir(), "geometry.gob")
	if err := SaveLatentGeometry(path, []*ManifoldStudy{study}); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadLatentGeometry(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) != 1 || !loaded[0].DataDiagrams[0].Pairs[0].IsEssential() {
		t.Errorf("loaded %+v, want one study with an essential H0 class", loaded)
	}
}

func TestPrincipalCoefficientsRankTwo(t *testing.T) {
	t.Parallel()
	// Fields a_s·u + b_s·v of two orthogonal patterns span two components,
	// so two components carry all the variance and keep all distances.
	const count, size = 20, 16
	fields := make([]float32, count*size)
	for s := range count {
		a, b := math.Sin(float64(s)), math.Cos(3*float64(s))
		for k := range size {
			u, v := float64(k%2), float64(1-k%2)
			fields[s*size+k] = float32(a*u + 2*b*v)
		}
	}
	coefficients, explained, err := principalCoefficients(fields, count, 2)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(explained-1) > 1e-6 {
		t.Errorf("two components explain %g of the variance, want 1", explained)
	}

	fieldDistance := 0.0
	for k := range size {
		d := float64(fields[k] - fields[size+k])
		fieldDistance += d * d
	}
	coefficientDistance := math.Hypot(coefficients[0][0]-coefficients[1][0], coefficients[0][1]-coefficients[1][1])
	if math.Abs(coefficientDistance-math.Sqrt(fieldDistance)) > 1e-5 {
		t.Errorf("coefficient distance %g, field distance %g; want equal", coefficientDistance, math.Sqrt(fieldDistance))
	}
}

func TestClosureTopologyTooFewSnapshots(t *testing.T) {
	t.Parallel()
	split := &dataset.SplitData{N: 2, Snapshots: 3, Closure: make([]float32, 12)}
	if _, err := ClosureTopologyOf(split, nil, ClosureTopologyConfig{Modes: 3}); err == nil {
		t.Error("3 snapshots for 3 components accepted")
	}
}

func checkPNGWidth(t *testing.T, data []byte, wantWidth int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if got := img.Bounds().Dx(); got != wantWidth {
		t.Errorf("PNG width %d pixels, want %d", got, wantWidth)
	}
}
