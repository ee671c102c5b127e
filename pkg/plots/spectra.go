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

// Curve is one named curve y(x), for example a spectrum E(k).
type Curve struct {
	Name string
	X, Y []float64
	// Dashed draws the line dashed, for a curve that may hide an earlier one.
	Dashed bool
}

// RefSlope is a reference power law y = C·x^Exponent drawn as a dashed
// line, e.g. k^−3 for the enstrophy cascade.
type RefSlope struct {
	Exponent float64
	// Label is the legend entry. Empty means "k^<Exponent>", e.g. "k^-5/3".
	Label string
	// X0 and Y0 fix the line through (X0, Y0). Zero X0 anchors it at the
	// geometric middle of the first curve's x range, a factor 3 above that
	// curve, so it sits next to the data without covering it.
	X0, Y0 float64
}

// SpectraOptions are the settings of [Spectra]. The zero value is valid.
type SpectraOptions struct {
	Title string
	// XLabel and YLabel default to "wavenumber k" and "E(k)".
	XLabel, YLabel string
	// Slopes are reference power laws drawn as dashed gray lines.
	Slopes []RefSlope
	// Cutoff, when positive, draws a dotted vertical line at that
	// wavenumber (e.g. the filter cutoff), labelled CutoffLabel or
	// "cutoff k = <Cutoff>".
	Cutoff      float64
	CutoffLabel string
}

// Spectra returns a log-log plot of the named curves with a legend,
// reference slopes and an optional cutoff line. Points with x ≤ 0 or y ≤ 0
// (the k = 0 shell, empty shells) cannot be shown on log axes and are
// dropped. The figure is 5 x 3.8 inches. It returns an error if there are
// no curves, X and Y lengths differ, or a curve has no positive points.
func Spectra(curves []Curve, opts SpectraOptions) (*Figure, error) {
	if len(curves) == 0 {
		return nil, fmt.Errorf("plots: Spectra got no curves; pass at least one")
	}

	p := newPlot(opts.Title, orDefault(opts.XLabel, "wavenumber k"), orDefault(opts.YLabel, "E(k)"))
	setLogX(p)
	setLogY(p)
	p.Legend.Top = true

	var positives []plotter.XYs
	for k, curve := range curves {
		xy, err := positivePoints(curve)
		if err != nil {
			return nil, err
		}
		positives = append(positives, xy)
		if err := addLine(p, curve.Name, xy, k, curve.Dashed, nil); err != nil {
			return nil, err
		}
	}

	xmin, xmax, ymin, ymax := bounds(positives)
	drawn := positives
	for _, slope := range opts.Slopes {
		line, err := addSlope(p, slope, positives[0], xmin, xmax)
		if err != nil {
			return nil, err
		}
		drawn = append(drawn, line)
	}
	if opts.Cutoff > 0 {
		label := orDefault(opts.CutoffLabel, fmt.Sprintf("cutoff k = %g", opts.Cutoff))
		dotted := []vg.Length{vg.Points(1.5), vg.Points(2.5)}
		line := plotter.XYs{{X: opts.Cutoff, Y: ymin}, {X: opts.Cutoff, Y: ymax}}
		if err := addStyledLine(p, label, line, color.Black, dotted); err != nil {
			return nil, err
		}
		drawn = append(drawn, line)
	}

	entries := len(curves) + len(opts.Slopes)
	if opts.Cutoff > 0 {
		entries++
	}
	return legendFigure(p, 5*vg.Inch, 3.8*vg.Inch, entries, drawn), nil
}

func orDefault(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// positivePoints returns the points of curve with x > 0 and y > 0.
func positivePoints(curve Curve) (plotter.XYs, error) {
	if len(curve.X) != len(curve.Y) {
		return nil, fmt.Errorf("plots: curve %q has %d x values and %d y values; they must match", curve.Name, len(curve.X), len(curve.Y))
	}
	var xy plotter.XYs
	for i := range curve.X {
		if curve.X[i] > 0 && curve.Y[i] > 0 && !math.IsInf(curve.Y[i], 1) {
			xy = append(xy, plotter.XY{X: curve.X[i], Y: curve.Y[i]})
		}
	}
	if len(xy) == 0 {
		return nil, fmt.Errorf("plots: curve %q has no point with x > 0 and y > 0 to draw on log axes", curve.Name)
	}
	return xy, nil
}

// bounds returns the data range over all point sets.
func bounds(sets []plotter.XYs) (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, xy := range sets {
		for _, pt := range xy {
			xmin, xmax = math.Min(xmin, pt.X), math.Max(xmax, pt.X)
			ymin, ymax = math.Min(ymin, pt.Y), math.Max(ymax, pt.Y)
		}
	}
	return xmin, xmax, ymin, ymax
}

// addSlope draws the reference power law over the middle half (in log x)
// of [xmin, xmax].
func addSlope(p *plot.Plot, slope RefSlope, first plotter.XYs, xmin, xmax float64) (plotter.XYs, error) {
	x0, y0 := slope.X0, slope.Y0
	if x0 <= 0 {
		x0 = math.Sqrt(xmin * xmax)
		y0 = 3 * nearestY(first, x0)
	}
	if !(y0 > 0) {
		return nil, fmt.Errorf("plots: reference slope %q needs Y0 > 0 when X0 is set, got Y0=%g", slope.Label, y0)
	}

	logSpan := math.Log(xmax / xmin)
	from := xmin * math.Exp(0.25*logSpan)
	to := xmin * math.Exp(0.75*logSpan)
	if logSpan == 0 {
		from, to = x0/2, x0*2
	}
	line := plotter.XYs{
		{X: from, Y: y0 * math.Pow(from/x0, slope.Exponent)},
		{X: to, Y: y0 * math.Pow(to/x0, slope.Exponent)},
	}

	label := orDefault(slope.Label, "k^"+exponentLabel(slope.Exponent))
	dashed := []vg.Length{vg.Points(5), vg.Points(3)}
	return line, addStyledLine(p, label, line, refColor, dashed)
}

// refColor is the color of reference slopes.
var refColor = color.Gray{Y: 90}

// nearestY returns the y of the point whose x is nearest to x in log scale.
func nearestY(xy plotter.XYs, x float64) float64 {
	best, bestDist := xy[0].Y, math.Inf(1)
	for _, pt := range xy {
		if d := math.Abs(math.Log(pt.X / x)); d < bestDist {
			best, bestDist = pt.Y, d
		}
	}
	return best
}

// addLine adds a data line in the k-th series color, dashed when asked for, with markers
// when glyphs is non-nil.
func addLine(p *plot.Plot, name string, xy plotter.XYs, k int, dashed bool, glyphs *draw.GlyphStyle) error {
	line, err := plotter.NewLine(xy)
	if err != nil {
		return fmt.Errorf("plots: curve %q: %w", name, err)
	}
	line.Color = seriesColor(k)
	line.Dashes = lineDashes(k, dashed)
	line.Width = lineWidth
	p.Add(line)

	if glyphs != nil {
		scatter, err := plotter.NewScatter(xy)
		if err != nil {
			return fmt.Errorf("plots: curve %q: %w", name, err)
		}
		scatter.GlyphStyle = *glyphs
		scatter.Color = seriesColor(k)
		p.Add(scatter)
		if name != "" {
			p.Legend.Add(name, line, scatter)
		}
		return nil
	}
	if name != "" {
		p.Legend.Add(name, line)
	}
	return nil
}

// addStyledLine adds a thin dashed or dotted line with a legend entry.
func addStyledLine(p *plot.Plot, label string, xy plotter.XYs, c color.Color, dashes []vg.Length) error {
	line, err := plotter.NewLine(xy)
	if err != nil {
		return fmt.Errorf("plots: line %q: %w", label, err)
	}
	line.Color = c
	line.Width = 1
	line.Dashes = dashes
	p.Add(line)
	p.Legend.Add(label, line)
	return nil
}
