package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Panel is one field of a panel figure.
type Panel struct {
	// Title is drawn above the panel, e.g. "truth" or "ensemble std".
	Title string
	// Field is the N x N row-major field.
	Field []float64
	// Sequential draws a non-negative field (an ensemble standard
	// deviation) with the sequential colormap on [0, limit] instead of the
	// diverging one. Negative values are drawn as zero.
	Sequential bool
}

// PanelOptions are the settings of [FieldPanels]. The zero value is valid.
type PanelOptions struct {
	// L is the side of the periodic domain; the axes run from 0 to L.
	// Zero means 2π.
	L float64
	// Limit is the color limit shared by all diverging panels, which span
	// [−Limit, Limit]. Zero means the max |value| over those panels.
	Limit float64
	// SequentialLimit is the upper color limit shared by all sequential
	// panels, which span [0, SequentialLimit]. Zero means their max value.
	SequentialLimit float64
	// Cols is the number of panels per row. Zero puts all in one row.
	Cols int
	// Label and SequentialLabel name the quantity on the diverging and
	// sequential colorbars, e.g. "ω" and "std ω".
	Label, SequentialLabel string
}

// FieldOptions are the settings of [FieldImage]. The zero value is valid.
type FieldOptions struct {
	// Title is drawn above the field.
	Title string
	// L is the side of the periodic domain. Zero means 2π.
	L float64
	// Limit is the color limit: the diverging colormap spans
	// [−Limit, Limit] and the sequential one [0, Limit]. Zero means the
	// max |value| (diverging) or the max value (sequential).
	Limit float64
	// Sequential selects the sequential colormap for a non-negative field.
	Sequential bool
	// Label names the quantity on the colorbar.
	Label string
}

// FieldImage returns a heat map of the N x N row-major field with a
// colorbar, axes x and y from 0 to L, and a title. A signed field uses the
// diverging colormap centred at zero with symmetric limits; set
// opts.Sequential for a non-negative field. The figure is 5 x 4.2 inches.
// It returns an error if len(field) != n*n or a setting is invalid.
func FieldImage(field []float64, n int, opts FieldOptions) (*Figure, error) {
	panel := Panel{Title: opts.Title, Field: field, Sequential: opts.Sequential}
	popts := PanelOptions{L: opts.L, Label: opts.Label, SequentialLabel: opts.Label}
	if opts.Sequential {
		popts.SequentialLimit = opts.Limit
	} else {
		popts.Limit = opts.Limit
	}

	fig, err := FieldPanels([]Panel{panel}, n, popts)
	if err != nil {
		return nil, err
	}
	fig.Width, fig.Height = 5*vg.Inch, 4.2*vg.Inch
	return fig, nil
}

// FieldPanels returns a grid of N x N fields, e.g. truth | sample 1 |
// sample 2 | ensemble mean | ensemble std, each with its title. All
// diverging panels share one symmetric color scale and all sequential
// panels share one scale starting at zero; each scale in use gets one
// colorbar at the right of the figure. Each panel is 2.6 x 2.9 inches and
// each colorbar adds 0.95 inch of width. It returns an error if there are
// no panels, a field has the wrong length, or a limit is negative.
func FieldPanels(panels []Panel, n int, opts PanelOptions) (*Figure, error) {
	if len(panels) == 0 {
		return nil, fmt.Errorf("plots: FieldPanels got no panels; pass at least one")
	}
	if n <= 0 {
		return nil, fmt.Errorf("plots: grid size n=%d must be positive", n)
	}
	for k, p := range panels {
		if len(p.Field) != n*n {
			return nil, fmt.Errorf("plots: panel %d (%q) has %d values, want n*n = %d; pass a row-major N x N field", k, p.Title, len(p.Field), n*n)
		}
	}
	if opts.L < 0 || opts.Limit < 0 || opts.SequentialLimit < 0 {
		return nil, fmt.Errorf("plots: L=%g, Limit=%g and SequentialLimit=%g must not be negative; use 0 for the default", opts.L, opts.Limit, opts.SequentialLimit)
	}

	layout := newPanelLayout(panels, n, opts)
	fig := &Figure{
		Width:  vg.Length(layout.cols)*2.6*vg.Inch + vg.Length(len(layout.scales))*colorBarSlot,
		Height: vg.Length(layout.rows) * 2.9 * vg.Inch,
		DPI:    DefaultDPI,
	}
	fig.render = func(c draw.Canvas) { fig.dataRects = layout.draw(c) }
	return fig, nil
}

// colorScale is one color scale of a panel figure and its colorbar label.
type colorScale struct {
	cmap  palette.ColorMap
	label string
}

type panelLayout struct {
	panels     []Panel
	n          int
	L          float64
	rows, cols int
	diverging  *colorScale
	sequential *colorScale
	scales     []*colorScale
}

const colorBarSlot = 0.95 * vg.Inch

func newPanelLayout(panels []Panel, n int, opts PanelOptions) *panelLayout {
	lay := &panelLayout{panels: panels, n: n, L: opts.L, cols: opts.Cols}
	if lay.L == 0 {
		lay.L = 2 * math.Pi
	}
	if lay.cols <= 0 || lay.cols > len(panels) {
		lay.cols = len(panels)
	}
	lay.rows = (len(panels) + lay.cols - 1) / lay.cols

	var signed, positive [][]float64
	for _, p := range panels {
		if p.Sequential {
			positive = append(positive, p.Field)
		} else {
			signed = append(signed, p.Field)
		}
	}

	if len(signed) > 0 {
		limit := opts.Limit
		if limit == 0 {
			limit = SymmetricLimit(signed...)
		}
		lay.diverging = &colorScale{cmap: DivergingColorMap(limit), label: opts.Label}
		lay.scales = append(lay.scales, lay.diverging)
	}
	if len(positive) > 0 {
		limit := opts.SequentialLimit
		if limit == 0 {
			limit = maxValue(positive...)
		}
		lay.sequential = &colorScale{cmap: SequentialColorMap(limit), label: opts.SequentialLabel}
		lay.scales = append(lay.scales, lay.sequential)
	}
	return lay
}

// maxValue returns the largest finite value over the fields, or 1 when none
// is positive.
func maxValue(fields ...[]float64) float64 {
	var m float64
	for _, f := range fields {
		for _, v := range f {
			if v > m && !math.IsInf(v, 1) {
				m = v
			}
		}
	}
	if m == 0 {
		return 1
	}
	return m
}

// draw renders the panels and colorbars onto c and returns the data area
// of each panel.
func (lay *panelLayout) draw(c draw.Canvas) []vg.Rectangle {
	gridWidth := c.Size().X - vg.Length(len(lay.scales))*colorBarSlot
	tileW := gridWidth / vg.Length(lay.cols)
	tileH := c.Size().Y / vg.Length(lay.rows)

	rects := make([]vg.Rectangle, 0, len(lay.panels))
	for k, panel := range lay.panels {
		row, col := k/lay.cols, k%lay.cols
		tile := subCanvas(c, c.Min.X+vg.Length(col)*tileW, c.Max.Y-vg.Length(row+1)*tileH, tileW, tileH)

		scale := lay.diverging
		if panel.Sequential {
			scale = lay.sequential
		}
		p := lay.fieldPlot(panel, scale.cmap)
		square := fitSquare(p, tile)
		p.Draw(square)
		rects = append(rects, p.DataCanvas(square).Rectangle)
	}

	bottom, top := rects[0].Min.Y, rects[0].Max.Y
	for _, r := range rects {
		bottom = min(bottom, r.Min.Y)
		top = max(top, r.Max.Y)
	}
	for k, scale := range lay.scales {
		slot := subCanvas(c, c.Min.X+gridWidth+vg.Length(k)*colorBarSlot, c.Min.Y, colorBarSlot, c.Size().Y)
		drawColorBar(slot, scale, bottom, top)
	}
	return rects
}

// fieldPlot returns the heat map plot of one panel.
func (lay *panelLayout) fieldPlot(panel Panel, cmap palette.ColorMap) *plot.Plot {
	p := newPlot(panel.Title, "x", "y")
	img := fieldRaster(panel.Field, lay.n, rasterScale(lay.n), cmap)
	p.Add(plotter.NewImage(img, 0, 0, lay.L, lay.L))

	p.X.Min, p.X.Max = 0, lay.L
	p.Y.Min, p.Y.Max = 0, lay.L
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Tick.Marker = domainTicks(lay.L)
	p.Y.Tick.Marker = domainTicks(lay.L)
	return p
}

// subCanvas returns the part of c with lower-left corner (x, y) and the
// given size.
func subCanvas(c draw.Canvas, x, y, w, h vg.Length) draw.Canvas {
	return draw.Canvas{
		Canvas:    c.Canvas,
		Rectangle: vg.Rectangle{Min: vg.Point{X: x, Y: y}, Max: vg.Point{X: x + w, Y: y + h}},
	}
}

// fitSquare returns the largest canvas centred in tile on which p's data
// area is square.
func fitSquare(p *plot.Plot, tile draw.Canvas) draw.Canvas {
	left, right, bottom, top := paddings(p, tile)
	size := tile.Size()
	side := min(size.X-left-right, size.Y-bottom-top)
	w, h := side+left+right, side+bottom+top
	return subCanvas(tile, tile.Min.X+(size.X-w)/2, tile.Min.Y+(size.Y-h)/2, w, h)
}

// colorBarWidth is the width of the color strip of a colorbar.
const colorBarWidth = 0.16 * vg.Inch

// drawColorBar draws a vertical colorbar in slot whose color strip spans
// the heights bottom to top, aligned with the field panels.
func drawColorBar(slot draw.Canvas, scale *colorScale, bottom, top vg.Length) {
	p := newPlot("", "", scale.label)
	p.Add(&plotter.ColorBar{ColorMap: scale.cmap, Vertical: true})
	p.HideX()
	p.Y.Padding = 0
	p.Y.Tick.Marker = evenTicks{}

	left, right, below, above := paddings(p, slot)
	x := slot.Min.X + 0.1*vg.Inch
	bar := subCanvas(slot, x, bottom-below, left+colorBarWidth+right, top-bottom+below+above)
	p.Draw(bar)
}
