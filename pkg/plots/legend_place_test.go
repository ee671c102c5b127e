package plots

import (
	"testing"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// TestLegendAvoidsTheCurves places the legend of one curve through chosen corners of the axes
// and checks that it takes the first free corner in the order top right, top left, bottom
// right, bottom left.
func TestLegendAvoidsTheCurves(t *testing.T) {
	line := func(points ...float64) plotter.XYs {
		var xy plotter.XYs
		for i := 0; i < len(points); i += 2 {
			xy = append(xy, plotter.XY{X: points[i], Y: points[i+1]})
		}
		return xy
	}
	cases := []struct {
		name      string
		xy        plotter.XYs
		top, left bool
	}{
		{"falling: top right is free", line(0, 10, 10, 0), true, false},
		{"rising: top right is taken", line(0, 0, 10, 10), true, true},
		{"top edge and a diagonal: only bottom right is free", line(0, 10, 10, 10, 0, 0), false, false},
		{"top and right edges: only bottom left is free", line(0, 10, 10, 10, 10, 0), false, true},
	}
	for _, c := range cases {
		p := newPlot("legend placement", "x", "y")
		if err := addLine(p, "a curve with a long name", c.xy, 0, false, nil); err != nil {
			t.Fatal(err)
		}
		canvas := draw.New(vgimg.New(5*vg.Inch, 3.8*vg.Inch))
		placeLegend(p, canvas, []plotter.XYs{c.xy})
		if p.Legend.Top != c.top || p.Legend.Left != c.left {
			t.Errorf("%s: legend top=%v left=%v, want top=%v left=%v", c.name, p.Legend.Top, p.Legend.Left, c.top, c.left)
		}
	}
}

// TestLogAxisLabelKeepsTheAxesTall checks that a long label on a logarithmic y axis spanning
// two decades leaves the top of the axes where a linear axis with the same label has it.
func TestLogAxisLabelKeepsTheAxesTall(t *testing.T) {
	label := "relative L2 error of the ensemble mean"
	xy := plotter.XYs{{X: 1, Y: 88}, {X: 2, Y: 8}, {X: 64, Y: 1}}
	top := func(logY bool) vg.Length {
		p := newPlot("error against steps", "steps", label)
		if logY {
			setLogY(p)
		}
		if err := addLine(p, "diffusion", xy, 0, false, nil); err != nil {
			t.Fatal(err)
		}
		canvas := draw.New(vgimg.New(5*vg.Inch, 3.8*vg.Inch))
		inner, drawLabel := detachLogYLabel(p, canvas)
		area := p.DataCanvas(inner)
		drawLabel()
		if p.Y.Label.Text != label {
			t.Errorf("log=%v: the label %q was not put back", logY, p.Y.Label.Text)
		}
		return area.Max.Y
	}
	linear, logarithmic := top(false), top(true)
	if logarithmic < linear-vg.Points(1) {
		t.Errorf("top of the axes at %v on a log axis, %v on a linear one; the long label lowers the log axes", logarithmic, linear)
	}
}
