package plots

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/vg"
)

// pixelTolerance is the largest per-channel difference (of 255) between a
// rendered pixel and the colormap color; the renderer only rounds.
const pixelTolerance = 2

func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decoding PNG: %v", err)
	}
	return img
}

// centrePixel returns the color at the centre of a panel's data area.
func centrePixel(img image.Image, fig *Figure, panel int) color.NRGBA {
	r := fig.dataRects[panel]
	scale := float64(fig.DPI) / 72
	x := int(float64(r.Min.X+r.Max.X) / 2 * scale)
	y := img.Bounds().Dy() - int(float64(r.Min.Y+r.Max.Y)/2*scale)
	return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
}

func assertColor(t *testing.T, what string, got color.NRGBA, cmap palette.ColorMap, v float64) {
	t.Helper()
	want := color.NRGBAModel.Convert(colorAt(cmap, v)).(color.NRGBA)
	for _, d := range []int{int(got.R) - int(want.R), int(got.G) - int(want.G), int(got.B) - int(want.B)} {
		if abs(d) > pixelTolerance {
			t.Errorf("%s: pixel %v, want colormap color %v at %g", what, got, want, v)
			return
		}
	}
}

func TestZeroFieldCentreIsMiddleColor(t *testing.T) {
	t.Parallel()
	const n = 16
	fig, err := FieldImage(make([]float64, n*n), n, FieldOptions{Title: "zero"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := fig.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, data)

	cmap := DivergingColorMap(1)
	got := centrePixel(img, fig, 0)
	assertColor(t, "zero field centre", got, cmap, 0)

	// The middle of the diverging map is a neutral gray.
	if abs(int(got.R)-int(got.G)) > 8 || abs(int(got.G)-int(got.B)) > 8 {
		t.Errorf("middle color %v is not neutral gray", got)
	}
}

func TestSymmetricLimit(t *testing.T) {
	t.Parallel()
	if got := SymmetricLimit([]float64{-1, 2}, []float64{-3, math.NaN(), math.Inf(1)}); got != 3 {
		t.Errorf("SymmetricLimit = %g, want 3", got)
	}
	if got := SymmetricLimit(make([]float64, 4)); got != 1 {
		t.Errorf("SymmetricLimit of a zero field = %g, want 1", got)
	}
	cmap := DivergingColorMap(2.5)
	if cmap.Min() != -2.5 || cmap.Max() != 2.5 {
		t.Errorf("DivergingColorMap(2.5) range = [%g, %g], want [-2.5, 2.5]", cmap.Min(), cmap.Max())
	}
	seq := SequentialColorMap(4)
	if seq.Min() != 0 || seq.Max() != 4 {
		t.Errorf("SequentialColorMap(4) range = [%g, %g], want [0, 4]", seq.Min(), seq.Max())
	}
}

func constant(n int, v float64) []float64 {
	f := make([]float64, n*n)
	for i := range f {
		f[i] = v
	}
	return f
}

// Diverging panels share the limit of the largest |value| and sequential
// panels share a scale that starts at zero.
func TestPanelsShareColorScales(t *testing.T) {
	t.Parallel()
	const n = 8
	fig, err := FieldPanels([]Panel{
		{Title: "a", Field: constant(n, -2)},
		{Title: "b", Field: constant(n, 1)},
		{Title: "std a", Field: constant(n, 0.5), Sequential: true},
		{Title: "std b", Field: constant(n, 0), Sequential: true},
	}, n, PanelOptions{Cols: 2})
	if err != nil {
		t.Fatal(err)
	}
	fig.DPI = 72
	data, err := fig.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, data)

	diverging := DivergingColorMap(2)
	sequential := SequentialColorMap(0.5)
	assertColor(t, "panel a (-2)", centrePixel(img, fig, 0), diverging, -2)
	assertColor(t, "panel b (1)", centrePixel(img, fig, 1), diverging, 1)
	assertColor(t, "panel std a (0.5)", centrePixel(img, fig, 2), sequential, 0.5)
	assertColor(t, "panel std b (0)", centrePixel(img, fig, 3), sequential, 0)

	// Panels of one row have data areas of equal size that line up.
	a, b := fig.dataRects[0], fig.dataRects[1]
	if a.Min.Y != b.Min.Y || a.Size() != b.Size() {
		t.Errorf("row panels not aligned: %v and %v", a, b)
	}
	if d := a.Size().X - a.Size().Y; d > 0.01 || d < -0.01 {
		t.Errorf("panel data area %v is not square", a.Size())
	}
}

// Row i of the field is y_i, drawn with y increasing upwards.
func TestFieldRasterOrientation(t *testing.T) {
	t.Parallel()
	const n = 4
	f := make([]float64, n*n)
	for i := range n {
		for j := range n {
			f[i*n+j] = float64(i) // increases with y
		}
	}
	cmap := SequentialColorMap(3)
	img := fieldRaster(f, n, 2, cmap)

	if img.Bounds().Dx() != 8 || img.Bounds().Dy() != 8 {
		t.Fatalf("raster size %v, want 8x8", img.Bounds())
	}
	top := img.NRGBAAt(0, 0)
	bottom := img.NRGBAAt(0, 7)
	wantTop := color.NRGBAModel.Convert(colorAt(cmap, 3)).(color.NRGBA)
	wantBottom := color.NRGBAModel.Convert(colorAt(cmap, 0)).(color.NRGBA)
	if top != wantTop || bottom != wantBottom {
		t.Errorf("raster top %v bottom %v, want %v and %v", top, bottom, wantTop, wantBottom)
	}
}

func TestSaveFormatsAndAtomicity(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fig, err := FieldImage(syntheticField(8, 1, 0), 8, FieldOptions{Title: "f"})
	if err != nil {
		t.Fatal(err)
	}
	fig.Width, fig.Height, fig.DPI = 3*vg.Inch, 2*vg.Inch, 100

	pngPath := filepath.Join(dir, "f.png")
	if err := fig.Save(pngPath); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	img := decodePNG(t, data)
	if img.Bounds().Dx() != 300 || img.Bounds().Dy() != 200 {
		t.Errorf("PNG size %v, want 300x200 (3 x 2 inches at 100 dpi)", img.Bounds())
	}

	svgPath := filepath.Join(dir, "f.SVG")
	if err := fig.Save(svgPath); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(svgPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(svg), "<svg") {
		t.Error("SVG output has no <svg element")
	}

	pdfPath := filepath.Join(dir, "f.pdf")
	if err := fig.Save(pdfPath); err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(pdfPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Error("PDF output does not start with %PDF")
	}

	if err := fig.Save(filepath.Join(dir, "f.gif")); err == nil {
		t.Error("Save with .gif returned no error")
	}
	if err := fig.Save(filepath.Join(dir, "noext")); err == nil {
		t.Error("Save without extension returned no error")
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only f.png, f.SVG and f.pdf (no temporary files)", names)
	}
}

func TestPNGBytesMatchSavedFile(t *testing.T) {
	t.Parallel()
	k, e := syntheticSpectrum(10, -3, 100)
	fig, err := Spectra([]Curve{{Name: "E", X: k, Y: e}}, SpectraOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := fig.PNG()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.png")
	if err := fig.Save(path); err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, saved) {
		t.Error("PNG() bytes differ from the saved .png file")
	}
}

func TestConstructorErrors(t *testing.T) {
	t.Parallel()
	if _, err := FieldImage(make([]float64, 10), 4, FieldOptions{}); err == nil {
		t.Error("FieldImage with len != n*n returned no error")
	}
	if _, err := FieldPanels(nil, 4, PanelOptions{}); err == nil {
		t.Error("FieldPanels with no panels returned no error")
	}
	if _, err := FieldImage(make([]float64, 16), 4, FieldOptions{Limit: -1}); err == nil {
		t.Error("FieldImage with negative limit returned no error")
	}
	if _, err := Spectra([]Curve{{Name: "zero", X: []float64{0, 1}, Y: []float64{1, 0}}}, SpectraOptions{}); err == nil {
		t.Error("Spectra with no positive point returned no error")
	}
	if _, err := Lines([]Series{{Name: "short", X: []float64{1, 2}, Y: []float64{1}}}, LineOptions{}); err == nil {
		t.Error("Lines with mismatched lengths returned no error")
	}
	if _, err := Histograms([]Density{{Name: "bad", Edges: []float64{0, 1}, Density: []float64{1, 2}}}, HistogramOptions{}); err == nil {
		t.Error("Histograms with wrong edge count returned no error")
	}
}

func TestTickLabels(t *testing.T) {
	t.Parallel()
	var values []float64
	for _, tick := range (evenTicks{}).Ticks(-1.5, 1.5) {
		values = append(values, tick.Value)
	}
	if len(values) != 3 || values[0] != -1 || values[1] != 0 || values[2] != 1 {
		t.Errorf("evenTicks(-1.5, 1.5) = %v, want [-1 0 1]", values)
	}

	cases := map[float64]string{0: "0", 0.25: "π/4", 0.5: "π/2", 0.75: "3π/4", 1: "π", 1.5: "3π/2", 2: "2π"}
	for m, want := range cases {
		if got := piLabel(m); got != want {
			t.Errorf("piLabel(%g) = %q, want %q", m, got, want)
		}
	}
	if got := exponentLabel(-5.0 / 3); got != "-5/3" {
		t.Errorf("exponentLabel(-5/3) = %q, want -5/3", got)
	}
	if got := powerLabel(-5); got != "1e-5" {
		t.Errorf("powerLabel(-5) = %q, want 1e-5", got)
	}
}

// With a log y axis a zero-density bin splits the outline into two runs.
func TestStepRunsSplitAtEmptyBins(t *testing.T) {
	t.Parallel()
	d := Density{Edges: []float64{0, 1, 2, 3}, Density: []float64{0.5, 0, 0.5}}
	if runs := stepRuns(d, true); len(runs) != 2 {
		t.Errorf("log-y runs = %d, want 2", len(runs))
	}
	if runs := stepRuns(d, false); len(runs) != 1 || len(runs[0]) != 4 {
		t.Errorf("linear runs = %v, want one run of 4 points", runs)
	}
}

func BenchmarkFieldPanelsPNG(b *testing.B) {
	const n = 128
	panels := []Panel{
		{Title: "truth", Field: syntheticField(n, 1, 0)},
		{Title: "sample", Field: syntheticField(n, 0.9, 0.2)},
		{Title: "std", Field: constant(n, 0.1), Sequential: true},
	}
	for b.Loop() {
		fig, err := FieldPanels(panels, n, PanelOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := fig.PNG(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSeriesBeyondPaletteAreDashed checks that series sharing a palette color get different
// dash patterns: solid on the first pass, then dashed, then dotted.
func TestSeriesBeyondPaletteAreDashed(t *testing.T) {
	n := len(seriesColors)
	for i := range n {
		if d := seriesDashes(i); d != nil {
			t.Errorf("series %d has dashes %v, want a solid line on the first pass", i, d)
		}
	}
	dashed, dotted := seriesDashes(n), seriesDashes(2*n)
	if len(dashed) == 0 || len(dotted) == 0 {
		t.Fatalf("series %d and %d have dashes %v and %v, want patterns", n, 2*n, dashed, dotted)
	}
	if dashed[0] == dotted[0] {
		t.Errorf("the second and third passes share the dash pattern %v", dashed)
	}
}

// TestCrowdedLegendMovesBesideAxes checks that a line plot keeps its 5-inch width up to
// crowdedLegend series and widens for the legend column beyond that.
func TestCrowdedLegendMovesBesideAxes(t *testing.T) {
	makeSeries := func(n int) []Series {
		var series []Series
		for i := range n {
			series = append(series, Series{Name: fmt.Sprintf("closure %d", i), X: []float64{0, 1}, Y: []float64{0, float64(i)}})
		}
		return series
	}
	few, err := Lines(makeSeries(crowdedLegend), LineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if few.Width != 5*vg.Inch {
		t.Errorf("figure with %d series is %v wide, want 5 inches", crowdedLegend, few.Width)
	}
	many, err := Lines(makeSeries(crowdedLegend+1), LineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if many.Width <= 5*vg.Inch {
		t.Errorf("figure with %d series is %v wide, want wider than 5 inches for the legend column", crowdedLegend+1, many.Width)
	}
	if _, err := many.PNG(); err != nil {
		t.Errorf("rendering the figure with a legend column: %v", err)
	}
}

func TestLogTicksLabelNarrowAxes(t *testing.T) {
	t.Parallel()
	labels := func(lo, hi float64) []string {
		var out []string
		for _, tick := range (logTicks{}).Ticks(lo, hi) {
			if tick.Label != "" {
				out = append(out, tick.Label)
			}
		}
		return out
	}
	// Step counts 1 to 4: less than a decade, so every integer is labelled.
	if got := strings.Join(labels(1, 4), " "); got != "1 2 3 4" {
		t.Errorf("labels on [1, 4] = %q, want \"1 2 3 4\"", got)
	}
	// Errors between 0.86 and 0.93 hold no power of ten and only the tick 0.9.
	if got := labels(0.86, 0.93); len(got) < 2 {
		t.Errorf("labels on [0.86, 0.93] = %q, want at least two", got)
	}
	// Four decades keep the powers of ten as the only labels.
	if got := strings.Join(labels(1e-3, 10), " "); got != "0.001 0.01 0.1 1 10" {
		t.Errorf("labels on [1e-3, 10] = %q, want the powers of ten", got)
	}
}

// TestDashedLineLeavesEarlierLineVisible draws a second series exactly on the first and
// counts the pixels of the first series' color. Drawn solid, the second hides the first
// except in the legend. Drawn dashed, it lets the first show in its gaps.
func TestDashedLineLeavesEarlierLineVisible(t *testing.T) {
	firstColorPixels := func(dashed bool) int {
		x, y := []float64{0, 1, 2, 3}, []float64{1, 2, 1.5, 3}
		fig, err := Lines([]Series{{Name: "filtered DNS", X: x, Y: y}, {Name: "oracle", X: x, Y: y, Dashed: dashed}}, LineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		data, err := fig.PNG()
		if err != nil {
			t.Fatal(err)
		}
		img := decodePNG(t, data)
		want := color.NRGBAModel.Convert(seriesColor(0)).(color.NRGBA)
		count := 0
		for py := img.Bounds().Min.Y; py < img.Bounds().Max.Y; py++ {
			for px := img.Bounds().Min.X; px < img.Bounds().Max.X; px++ {
				got := color.NRGBAModel.Convert(img.At(px, py)).(color.NRGBA)
				if abs(int(got.R)-int(want.R))+abs(int(got.G)-int(want.G))+abs(int(got.B)-int(want.B)) < 24 {
					count++
				}
			}
		}
		return count
	}
	hidden, uncovered := firstColorPixels(false), firstColorPixels(true)
	if uncovered < 2*hidden || uncovered-hidden < 200 {
		t.Errorf("pixels of the first series' color: %d with a solid second line, %d with a dashed one; want the dashed one to uncover the first line", hidden, uncovered)
	}
}

// TestLogAxesWithOnePointRender draws series whose points share one x value (a comparison at
// a single step count) or one y value on log axes: gonum/plot would widen such an axis to
// reach zero, where log ticks never ended.
func TestLogAxesWithOnePointRender(t *testing.T) {
	cases := map[string][]Series{
		"one x value":  {{Name: "a", X: []float64{1}, Y: []float64{0.8}}, {Name: "b", X: []float64{1}, Y: []float64{0.9}}},
		"one y value":  {{Name: "a", X: []float64{1, 2, 4}, Y: []float64{0.5, 0.5, 0.5}}},
		"single point": {{Name: "a", X: []float64{0.5}, Y: []float64{0.5}}},
	}
	for name, series := range cases {
		fig, err := Lines(series, LineOptions{LogX: true, LogY: true, Markers: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := fig.PNG(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if ticks := (logTicks{}).Ticks(0, 2); len(ticks) != 0 {
		t.Errorf("log ticks from 0 to 2: %d ticks, want none", len(ticks))
	}
}
