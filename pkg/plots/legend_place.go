package plots

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendCorner is a corner of the axes that a legend can sit in.
type legendCorner struct{ top, left bool }

// legendCorners are the corners a legend inside the axes may take, in order of preference:
// top right first, the place readers look for it.
var legendCorners = []legendCorner{{true, false}, {true, true}, {false, false}, {false, true}}

// samplesPerSegment is how many points along each line segment are tested for cover.
const samplesPerSegment = 16

// placeLegend moves p's legend to the corner of the axes on canvas c where it covers the
// least of the curves: each data point counts samplesPerSegment times, each sample along the
// segments between points once. Ties go to the earlier corner of legendCorners.
func placeLegend(p *plot.Plot, c draw.Canvas, curves []plotter.XYs) {
	if len(curves) == 0 {
		return
	}
	area := p.DataCanvas(c)
	toX, toY := p.Transforms(&area)
	var points []vg.Point
	for _, xy := range curves {
		for i, pt := range xy {
			current := vg.Point{X: toX(pt.X), Y: toY(pt.Y)}
			for range samplesPerSegment {
				points = append(points, current)
			}
			if i == 0 {
				continue
			}
			prev := vg.Point{X: toX(xy[i-1].X), Y: toY(xy[i-1].Y)}
			for s := 1; s < samplesPerSegment; s++ {
				f := vg.Length(s) / samplesPerSegment
				points = append(points, vg.Point{X: prev.X + f*(current.X-prev.X), Y: prev.Y + f*(current.Y-prev.Y)})
			}
		}
	}

	size := p.Legend.Rectangle(draw.Canvas{}).Size()
	best, bestCover := legendCorners[0], -1
	for _, corner := range legendCorners {
		box := legendBox(area.Rectangle, size, corner, p.Legend.XOffs, p.Legend.YOffs)
		cover := 0
		for _, pt := range points {
			if pt.X >= box.Min.X && pt.X <= box.Max.X && pt.Y >= box.Min.Y && pt.Y <= box.Max.Y {
				cover++
			}
		}
		if bestCover < 0 || cover < bestCover {
			best, bestCover = corner, cover
		}
	}
	p.Legend.Top, p.Legend.Left = best.top, best.left
}

// legendBox is the rectangle that a legend of the given size takes in a corner of area, grown
// by legendMargin on every side so that curves passing close to the text count as covered.
func legendBox(area vg.Rectangle, size vg.Point, corner legendCorner, xOffs, yOffs vg.Length) vg.Rectangle {
	var box vg.Rectangle
	if corner.left {
		box.Min.X = area.Min.X + xOffs
		box.Max.X = box.Min.X + size.X
	} else {
		box.Max.X = area.Max.X + xOffs
		box.Min.X = box.Max.X - size.X
	}
	if corner.top {
		box.Max.Y = area.Max.Y + yOffs
		box.Min.Y = box.Max.Y - size.Y
	} else {
		box.Min.Y = area.Min.Y + yOffs
		box.Max.Y = box.Min.Y + size.Y
	}
	box.Min.X -= legendMargin
	box.Min.Y -= legendMargin
	box.Max.X += legendMargin
	box.Max.Y += legendMargin
	return box
}

// drawPlot draws p on c, with its legend placed by placeLegend when curves are given.
func drawPlot(p *plot.Plot, c draw.Canvas, curves []plotter.XYs) {
	inner, drawLabel := detachLogYLabel(p, c)
	placeLegend(p, inner, curves)
	p.Draw(inner)
	drawLabel()
}

// detachLogYLabel works around the room gonum/plot v0.17.0 reserves for the label of the y
// axis. It places the label's box as if the label stood at the arithmetic middle of the axis
// range. On a logarithmic axis spanning decades that middle lies near the top, so a long
// label pushed the top of the axes down by up to a third of their height. On a log y axis it takes
// the label off p and returns the canvas left of it for the plot, with a function that draws
// the label centred on the axes and puts it back; otherwise c and a function that does nothing.
func detachLogYLabel(p *plot.Plot, c draw.Canvas) (draw.Canvas, func()) {
	label := p.Y.Label
	if _, isLog := p.Y.Scale.(plot.LogScale); !isLog || label.Text == "" {
		return c, func() {}
	}
	height := label.TextStyle.Height(label.Text)
	descent := label.TextStyle.FontExtents().Descent
	inner := draw.Crop(c, height+descent+label.Padding, 0, 0, 0)
	p.Y.Label.Text = ""
	return inner, func() {
		area := p.DataCanvas(inner)
		p.Y.Label.Text = label.Text
		style := label.TextStyle
		style.Rotation += math.Pi / 2
		c.FillText(style, vg.Point{X: c.Min.X + height - descent, Y: area.Center().Y}, label.Text)
	}
}
