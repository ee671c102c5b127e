package plots

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata from the current output")

const (
	// goldenDPI keeps the golden PNGs small.
	goldenDPI = 72
	// channelTolerance is the largest per-channel difference (of 255) that
	// counts as equal; it absorbs anti-aliasing differences.
	channelTolerance = 48
	// maxBadFraction is the largest fraction of pixels allowed to differ by
	// more than channelTolerance; it absorbs font rasterization differences,
	// which touch only the text pixels.
	maxBadFraction = 0.01
)

// checkGolden renders fig as PNG at goldenDPI and compares it with
// testdata/name.png, or rewrites that file under -update.
func checkGolden(t *testing.T, name string, fig *Figure) {
	t.Helper()
	fig.DPI = goldenDPI
	got, err := fig.PNG()
	if err != nil {
		t.Fatalf("rendering %s: %v", name, err)
	}
	path := filepath.Join("testdata", name+".png")

	if *update {
		if err := writeFileAtomic(path, got); err != nil {
			t.Fatalf("updating golden %s: %v", path, err)
		}
		return
	}

	wantBytes, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden %s: %v (run go test -update to create it)", path, err)
	}
	gotImg, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		t.Fatalf("decoding rendered %s: %v", name, err)
	}
	wantImg, err := png.Decode(bytes.NewReader(wantBytes))
	if err != nil {
		t.Fatalf("decoding golden %s: %v", path, err)
	}

	if gotImg.Bounds() != wantImg.Bounds() {
		t.Fatalf("%s size = %v, golden %v", name, gotImg.Bounds(), wantImg.Bounds())
	}
	bad := countDifferentPixels(gotImg, wantImg)
	total := gotImg.Bounds().Dx() * gotImg.Bounds().Dy()
	if frac := float64(bad) / float64(total); frac > maxBadFraction {
		out := filepath.Join(t.TempDir(), name+".png")
		os.WriteFile(out, got, 0o644)
		t.Errorf("%s differs from golden in %.2f%% of pixels (max %.2f%%); output written to %s", name, 100*frac, 100*maxBadFraction, out)
	}
}

func countDifferentPixels(a, b image.Image) int {
	var bad int
	bounds := a.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			for _, d := range []int{int(r1) - int(r2), int(g1) - int(g2), int(b1) - int(b2), int(a1) - int(a2)} {
				if abs(d)>>8 > channelTolerance {
					bad++
					break
				}
			}
		}
	}
	return bad
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// syntheticField returns a smooth periodic test field on an N x N grid of
// side 2π, scaled by amp and shifted in x by shift.
func syntheticField(n int, amp, shift float64) []float64 {
	f := make([]float64, n*n)
	for i := range n {
		for j := range n {
			x := 2*math.Pi*float64(j)/float64(n) + shift
			y := 2 * math.Pi * float64(i) / float64(n)
			f[i*n+j] = amp * (math.Sin(3*x)*math.Cos(2*y) + 0.5*math.Cos(5*x+y))
		}
	}
	return f
}

func TestGoldenFieldImage(t *testing.T) {
	fig, err := FieldImage(syntheticField(48, 1, 0), 48, FieldOptions{Title: "vorticity ω", Label: "ω"})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "field", fig)
}

func TestGoldenFieldPanels(t *testing.T) {
	const n = 48
	truth := syntheticField(n, 1, 0)
	sample1 := syntheticField(n, 0.9, 0.2)
	sample2 := syntheticField(n, 1.1, -0.2)
	mean := make([]float64, n*n)
	std := make([]float64, n*n)
	for i := range mean {
		mean[i] = (sample1[i] + sample2[i]) / 2
		std[i] = math.Abs(sample1[i]-sample2[i]) / math.Sqrt2
	}

	fig, err := FieldPanels([]Panel{
		{Title: "truth", Field: truth},
		{Title: "sample 1", Field: sample1},
		{Title: "sample 2", Field: sample2},
		{Title: "ensemble mean", Field: mean},
		{Title: "ensemble std", Field: std, Sequential: true},
	}, n, PanelOptions{Label: "H", SequentialLabel: "std H"})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "panels", fig)
}

// syntheticSpectrum returns E(k) = k^slope·exp(−(k/kd)²) for k = 1..kmax.
func syntheticSpectrum(kmax int, slope, kd float64) (k, e []float64) {
	for i := 1; i <= kmax; i++ {
		x := float64(i)
		k = append(k, x)
		e = append(e, math.Pow(x, slope)*math.Exp(-(x/kd)*(x/kd)))
	}
	return k, e
}

func TestGoldenSpectra(t *testing.T) {
	k1, e1 := syntheticSpectrum(45, -3, 30)
	k2, e2 := syntheticSpectrum(45, -3, 12)
	fig, err := Spectra([]Curve{
		{Name: "filtered DNS", X: k1, Y: e1},
		{Name: "LES, no closure", X: k2, Y: e2},
	}, SpectraOptions{
		Title:  "energy spectrum",
		Slopes: []RefSlope{{Exponent: -3}, {Exponent: -5.0 / 3}},
		Cutoff: 16,
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "spectra", fig)
}

func TestGoldenLines(t *testing.T) {
	var times, closure, noClosure, spread []float64
	for i := range 21 {
		tm := float64(i) * 2.5
		times = append(times, tm)
		closure = append(closure, 0.01*math.Exp(tm/25))
		noClosure = append(noClosure, 0.05*math.Exp(tm/8))
		spread = append(spread, 0.3*0.01*math.Exp(tm/25))
	}
	nfe := []float64{1, 2, 4, 8, 16, 32, 64}
	var errNFE, errBars []float64
	for _, v := range nfe {
		errNFE = append(errNFE, 0.05+0.5/v)
		errBars = append(errBars, 0.1/v)
	}

	fig, err := Lines([]Series{
		{Name: "closure (mean ± std)", X: times, Y: closure, YErr: spread, Band: true},
		{Name: "no closure", X: times, Y: noClosure},
	}, LineOptions{Title: "a posteriori error", XLabel: "time t", YLabel: "relative L2 error", LogY: true})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "lines_time", fig)

	fig, err = Lines([]Series{{Name: "flow matching", X: nfe, Y: errNFE, YErr: errBars}},
		LineOptions{Title: "error against NFE", XLabel: "NFE", YLabel: "relative L2 error", LogX: true, LogY: true, Markers: true})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "lines_nfe", fig)
}

// gaussianDensity returns a normal PDF sampled as bin densities.
func gaussianDensity(name string, mu, sigma float64) Density {
	d := Density{Name: name}
	for b := 0; b <= 40; b++ {
		d.Edges = append(d.Edges, -5+0.25*float64(b))
	}
	for b := range 40 {
		x := (d.Edges[b] + d.Edges[b+1]) / 2
		z := (x - mu) / sigma
		d.Density = append(d.Density, math.Exp(-0.5*z*z)/(sigma*math.Sqrt(2*math.Pi)))
	}
	return d
}

func TestGoldenHistograms(t *testing.T) {
	fig, err := Histograms([]Density{
		gaussianDensity("truth", 0, 1),
		gaussianDensity("model", 0.3, 1.2),
	}, HistogramOptions{Title: "PDF of H", XLabel: "H", LogY: true})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "histograms", fig)
}
