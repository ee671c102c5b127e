package studies

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"github.com/closure-lab/closure/pkg/topology"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Panel size and resolution of the scatter and persistence figures.
const (
	scatterPanelSize = 3 * vg.Inch
	scatterDPI       = 110
)

// colorRangeFraction is the part of the Kindlmann colormap that the latent
// scatter plots use, from its black end.
const colorRangeFraction = 0.8

// Glyph colors of the persistence diagrams: H0 blue, H1 orange (two of the
// Okabe–Ito colors that package plots uses for lines).
var (
	colorH0 = color.RGBA{R: 0, G: 114, B: 178, A: 255}
	colorH1 = color.RGBA{R: 213, G: 94, B: 0, A: 255}
)

// LatentScatterPNG draws the latents of every regularizer of study side by
// side as a PNG: the first two latent coordinates, each point colored by its
// intrinsic coordinate Manifold.Color on the Moreland Kindlmann map (dark for
// low values). A 3-dimensional latent (the torus) is shown by its first two
// coordinates.
func LatentScatterPNG(study *ManifoldStudy) ([]byte, error) {
	low, high := math.Inf(1), math.Inf(-1)
	for _, c := range study.Manifold.Color {
		low, high = math.Min(low, c), math.Max(high, c)
	}
	// The top of the Kindlmann map is near white, invisible on the page, so
	// the color range stops at colorRangeFraction of the map.
	cmap := moreland.Kindlmann()
	cmap.SetMin(low)
	cmap.SetMax(low + (high-low)/colorRangeFraction + 1e-12)

	var row []*plot.Plot
	for _, r := range study.Results {
		xy := make(plotter.XYs, len(r.Latents))
		for i, z := range r.Latents {
			xy[i].X, xy[i].Y = z[0], z[1]
		}
		scatter, err := plotter.NewScatter(xy)
		if err != nil {
			return nil, err
		}
		scatter.GlyphStyleFunc = func(i int) draw.GlyphStyle {
			c, err := cmap.At(study.Manifold.Color[i])
			if err != nil {
				c = color.Gray{Y: 128}
			}
			return draw.GlyphStyle{Color: c, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}
		}
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%s: %s", study.Manifold.Name, r.Regularizer)
		p.X.Label.Text, p.Y.Label.Text = "z₁", "z₂"
		p.Add(scatter)
		row = append(row, p)
	}
	return panelsPNG([][]*plot.Plot{row})
}

// PersistencePNG draws one persistence diagram panel per entry of diagrams
// (each the H0 and H1 diagrams of one point cloud), titled by titles, as a
// PNG. Each pair is a point (birth, death): H0 blue circles, H1 orange
// triangles. Essential classes (death +Inf) are drawn on a dashed line above
// the largest finite death. It returns an error when the counts differ.
func PersistencePNG(diagrams [][]topology.Diagram, titles []string) ([]byte, error) {
	if len(diagrams) != len(titles) || len(diagrams) == 0 {
		return nil, fmt.Errorf("studies: %d diagram sets and %d titles; give one title per set", len(diagrams), len(titles))
	}
	var row []*plot.Plot
	for k, set := range diagrams {
		p, err := persistencePlot(set, titles[k])
		if err != nil {
			return nil, err
		}
		row = append(row, p)
	}
	return panelsPNG([][]*plot.Plot{row})
}

func persistencePlot(set []topology.Diagram, title string) (*plot.Plot, error) {
	top := 0.0
	for _, d := range set {
		for _, pair := range d.Pairs {
			if !pair.IsEssential() {
				top = math.Max(top, pair.Death)
			}
		}
	}
	top = 1.1*top + 0.05
	essential := 1.05 * top

	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text, p.Y.Label.Text = "birth", "death"
	diagonal, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: essential, Y: essential}})
	if err != nil {
		return nil, err
	}
	diagonal.Color = color.Gray{Y: 150}
	infinity, err := plotter.NewLine(plotter.XYs{{X: 0, Y: essential}, {X: essential, Y: essential}})
	if err != nil {
		return nil, err
	}
	infinity.Color, infinity.Dashes = color.Gray{Y: 150}, []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(diagonal, infinity)

	glyphs := []draw.GlyphStyle{
		{Color: colorH0, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}},
		{Color: colorH1, Radius: vg.Points(3), Shape: draw.TriangleGlyph{}},
	}
	for _, d := range set {
		if d.Dim > 1 || len(d.Pairs) == 0 {
			continue
		}
		xy := make(plotter.XYs, len(d.Pairs))
		for i, pair := range d.Pairs {
			xy[i].X, xy[i].Y = pair.Birth, pair.Death
			if pair.IsEssential() {
				xy[i].Y = essential
			}
		}
		scatter, err := plotter.NewScatter(xy)
		if err != nil {
			return nil, err
		}
		scatter.GlyphStyle = glyphs[d.Dim]
		p.Add(scatter)
		p.Legend.Add(fmt.Sprintf("H%d", d.Dim), scatter)
	}
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.YPosition = draw.PosBottom
	return p, nil
}

// panelsPNG renders a grid of plots, one scatterPanelSize square each, as PNG.
func panelsPNG(rows [][]*plot.Plot) ([]byte, error) {
	cols := len(rows[0])
	canvas := vgimg.NewWith(
		vgimg.UseWH(vg.Length(cols)*scatterPanelSize, vg.Length(len(rows))*scatterPanelSize),
		vgimg.UseDPI(scatterDPI))
	dc := draw.New(canvas)
	tiles := draw.Tiles{Rows: len(rows), Cols: cols, PadX: vg.Points(12), PadY: vg.Points(12),
		PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6)}
	canvases := plot.Align(rows, tiles, dc)
	for i, row := range rows {
		for j, p := range row {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}

	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("studies: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// LatentGeometryTable formats the metrics of the manifold studies as a
// markdown table: one row per manifold and regularizer with the
// reconstruction error, distortion, trustworthiness, continuity, Spearman
// correlation and the H0 and H1 bottleneck distances to the data.
func LatentGeometryTable(studies []*ManifoldStudy) string {
	var b bytes.Buffer
	b.WriteString("| manifold | regularizer | reconstruction error | distortion | trustworthiness | continuity | Spearman | bottleneck H0 | bottleneck H1 |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|\n")
	for _, s := range studies {
		for _, r := range s.Results {
			q := r.Quality
			fmt.Fprintf(&b, "| %s | %s | %.3f | %.3f | %.4f | %.4f | %.3f | %.3f | %.3f |\n",
				s.Manifold.Name, r.Regularizer, r.ReconstructionError, q.Distortion,
				q.Trustworthiness, q.Continuity, q.Spearman, r.Bottleneck[0], r.Bottleneck[1])
		}
	}
	return b.String()
}
