package plots

import (
	"fmt"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Density is one named histogram density: Density[b] is the PDF on the bin
// [Edges[b], Edges[b+1]), as returned by metrics.NewHistogram.
type Density struct {
	Name    string
	Edges   []float64
	Density []float64
	// Dashed draws the outline dashed, for a density that may hide an earlier one.
	Dashed bool
}

// HistogramOptions are the settings of [Histograms]. The zero value is
// valid.
type HistogramOptions struct {
	Title string
	// XLabel and YLabel default to "value" and "PDF".
	XLabel, YLabel string
	// LogY selects a logarithmic density axis, which shows the tails.
	// Empty bins cannot be shown on it and leave gaps in the outline.
	LogY bool
}

// Histograms returns an overlay of PDFs drawn as step outlines, one color
// per density, with a legend. The figure is 5 x 3.8 inches. It returns an
// error if there are no densities, len(Edges) != len(Density)+1, or with
// LogY a density has no positive bin.
func Histograms(densities []Density, opts HistogramOptions) (*Figure, error) {
	if len(densities) == 0 {
		return nil, fmt.Errorf("plots: Histograms got no densities; pass at least one")
	}

	p := newPlot(opts.Title, orDefault(opts.XLabel, "value"), orDefault(opts.YLabel, "PDF"))
	p.Legend.Top = true
	if opts.LogY {
		setLogY(p)
	}

	var outlines []plotter.XYs
	for k, d := range densities {
		if len(d.Edges) != len(d.Density)+1 || len(d.Density) == 0 {
			return nil, fmt.Errorf("plots: density %q has %d edges and %d bins; want bins+1 edges and at least one bin", d.Name, len(d.Edges), len(d.Density))
		}
		runs := stepRuns(d, opts.LogY)
		if len(runs) == 0 {
			return nil, fmt.Errorf("plots: density %q has no positive bin to draw on a log axis", d.Name)
		}
		for r, run := range runs {
			outlines = append(outlines, stepOutline(run))
			line, err := plotter.NewLine(run)
			if err != nil {
				return nil, fmt.Errorf("plots: density %q: %w", d.Name, err)
			}
			line.StepStyle = plotter.PostStep
			line.Color = seriesColor(k)
			line.Dashes = lineDashes(k, d.Dashed)
			line.Width = lineWidth
			p.Add(line)
			if r == 0 && d.Name != "" {
				p.Legend.Add(d.Name, line)
			}
		}
	}
	return legendFigure(p, 5*vg.Inch, 3.8*vg.Inch, len(densities), outlines), nil
}

// stepOutline returns the corners of the post-step line through run, so that its segments are
// the horizontal and vertical pieces that the plot draws.
func stepOutline(run plotter.XYs) plotter.XYs {
	outline := plotter.XYs{run[0]}
	for _, pt := range run[1:] {
		outline = append(outline, plotter.XY{X: pt.X, Y: outline[len(outline)-1].Y}, pt)
	}
	return outline
}

// stepRuns returns the step outline of d as runs of points (left edge,
// density) closed by the run's right edge. With logY, bins with zero
// density split the outline, because log axes cannot show zero.
func stepRuns(d Density, logY bool) []plotter.XYs {
	var runs []plotter.XYs
	var run plotter.XYs
	flush := func(rightEdge float64) {
		if len(run) > 0 {
			run = append(run, plotter.XY{X: rightEdge, Y: run[len(run)-1].Y})
			runs = append(runs, run)
			run = nil
		}
	}

	for b, v := range d.Density {
		if logY && !(v > 0) {
			flush(d.Edges[b])
			continue
		}
		run = append(run, plotter.XY{X: d.Edges[b], Y: v})
	}
	flush(d.Edges[len(d.Edges)-1])
	return runs
}
