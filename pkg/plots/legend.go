package plots

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// crowdedLegend is the number of legend entries above which a line plot draws its legend in a
// column beside the axes, where it cannot hide the data.
const crowdedLegend = 6

// legendMargin is the space between the axes and a legend drawn beside them.
const legendMargin = vg.Length(8)

// legendFigure wraps p as a figure whose axes take w x h. Up to crowdedLegend entries the
// legend takes the corner of the axes where it covers the least of curves (placeLegend). With
// more, it moves to a column at the right of the axes, top-aligned with them, and the figure
// widens by that column.
func legendFigure(p *plot.Plot, w, h vg.Length, entries int, curves []plotter.XYs) *Figure {
	widenFlatLogAxes(p)
	if entries <= crowdedLegend {
		return &Figure{Width: w, Height: h, DPI: DefaultDPI, render: func(c draw.Canvas) { drawPlot(p, c, curves) }}
	}
	legend := p.Legend
	legend.Left, legend.Top = true, true
	p.Legend = plot.NewLegend()
	size := legend.Rectangle(draw.Canvas{}).Size()
	column := size.X + 2*legendMargin

	top := vg.Length(0)
	if p.Title.Text != "" {
		top = p.Title.TextStyle.Rectangle(p.Title.Text).Size().Y + p.Title.Padding
	}
	return &Figure{Width: w + column, Height: h, DPI: DefaultDPI, render: func(c draw.Canvas) {
		drawPlot(p, draw.Crop(c, 0, -column, 0, 0), nil)
		width := c.Max.X - c.Min.X
		legend.Draw(draw.Crop(c, width-column+legendMargin, 0, 0, -top))
	}}
}
