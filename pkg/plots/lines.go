package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one named curve of a line plot, with an optional symmetric
// uncertainty.
type Series struct {
	Name string
	X, Y []float64
	// YErr, if not nil, is the half-width of the uncertainty at each point
	// (e.g. one standard deviation over seeds or ensemble members).
	YErr []float64
	// Band draws YErr as a shaded band Y ± YErr instead of error bars.
	Band bool
	// Dashed draws the line dashed, for a curve that may hide an earlier one.
	Dashed bool
}

// LineOptions are the settings of [Lines]. The zero value is valid.
type LineOptions struct {
	Title          string
	XLabel, YLabel string
	// LogX and LogY select logarithmic axes. Points that are not positive
	// on a log axis are dropped, and a band's lower edge is clipped at
	// 1e-3 times its point's Y.
	LogX, LogY bool
	// Markers draws a marker at every point, useful for few points such
	// as error against NFE.
	Markers bool
}

// Lines returns a line plot of the series against a parameter (error
// against time, error against NFE), with legend, optional log axes and
// optional error bars or bands. The figure is 5 x 3.8 inches. It returns an
// error if there are no series, lengths differ, or a series has no point
// that the axes can show.
func Lines(series []Series, opts LineOptions) (*Figure, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("plots: Lines got no series; pass at least one")
	}

	p := newPlot(opts.Title, opts.XLabel, opts.YLabel)
	p.Legend.Top = true
	if opts.LogX {
		setLogX(p)
	}
	if opts.LogY {
		setLogY(p)
	}

	var glyphs *draw.GlyphStyle
	if opts.Markers {
		glyphs = &draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: vg.Points(2.5)}
	}

	var curves []plotter.XYs
	for k, s := range series {
		xy, errs, err := visiblePoints(s, opts.LogX, opts.LogY)
		if err != nil {
			return nil, err
		}
		curves = append(curves, xy)
		if errs != nil {
			if err := addUncertainty(p, xy, errs, s.Band, opts.LogY, seriesColor(k)); err != nil {
				return nil, fmt.Errorf("plots: series %q: %w", s.Name, err)
			}
		}
		if err := addLine(p, s.Name, xy, k, s.Dashed, glyphs); err != nil {
			return nil, err
		}
	}
	return legendFigure(p, 5*vg.Inch, 3.8*vg.Inch, len(series), curves), nil
}

// visiblePoints returns the points of s (and their errors) that the axes
// can show: finite, and positive on a log axis.
func visiblePoints(s Series, logX, logY bool) (plotter.XYs, []float64, error) {
	if len(s.X) != len(s.Y) {
		return nil, nil, fmt.Errorf("plots: series %q has %d x values and %d y values; they must match", s.Name, len(s.X), len(s.Y))
	}
	if s.YErr != nil && len(s.YErr) != len(s.Y) {
		return nil, nil, fmt.Errorf("plots: series %q has %d YErr values for %d points; they must match", s.Name, len(s.YErr), len(s.Y))
	}

	var xy plotter.XYs
	var errs []float64
	for i := range s.X {
		x, y := s.X[i], s.Y[i]
		if !isFinite(x) || !isFinite(y) || (logX && x <= 0) || (logY && y <= 0) {
			continue
		}
		xy = append(xy, plotter.XY{X: x, Y: y})
		if s.YErr != nil {
			errs = append(errs, math.Abs(s.YErr[i]))
		}
	}
	if len(xy) == 0 {
		return nil, nil, fmt.Errorf("plots: series %q has no finite point that the axes can show (log axes need positive values)", s.Name)
	}
	return xy, errs, nil
}

func isFinite(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0)
}

// bandFloor is the smallest lower band edge on a log y axis, relative to
// the point's value.
const bandFloor = 1e-3

// addUncertainty draws Y ± errs as error bars or as a translucent band.
func addUncertainty(p *plot.Plot, xy plotter.XYs, errs []float64, band, logY bool, c color.Color) error {
	lower := func(i int) float64 {
		lo := xy[i].Y - errs[i]
		if logY {
			lo = math.Max(lo, bandFloor*xy[i].Y)
		}
		return lo
	}

	if band {
		poly := make(plotter.XYs, 0, 2*len(xy))
		for i := range xy {
			poly = append(poly, plotter.XY{X: xy[i].X, Y: xy[i].Y + errs[i]})
		}
		for i := len(xy) - 1; i >= 0; i-- {
			poly = append(poly, plotter.XY{X: xy[i].X, Y: lower(i)})
		}
		polygon, err := plotter.NewPolygon(poly)
		if err != nil {
			return err
		}
		r, g, b, _ := c.RGBA()
		polygon.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 60}
		polygon.LineStyle.Width = 0
		p.Add(polygon)
		return nil
	}

	bars := make(plotter.YErrors, len(xy))
	for i := range xy {
		bars[i] = struct{ Low, High float64 }{Low: xy[i].Y - lower(i), High: errs[i]}
	}
	ebars, err := plotter.NewYErrorBars(errorPoints{XYs: xy, YErrors: bars})
	if err != nil {
		return err
	}
	ebars.Color = c
	ebars.Width = 1
	p.Add(ebars)
	return nil
}

// errorPoints joins points and their y errors for plotter.NewYErrorBars.
type errorPoints struct {
	plotter.XYs
	plotter.YErrors
}
