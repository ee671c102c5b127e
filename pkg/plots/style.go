package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// seriesColors are the line colors, in order: a qualitative palette that
// stays distinct in print and for common color-vision deficiencies (the
// Okabe-Ito colors, from M. Okabe, K. Ito, "Color universal design", 2008).
var seriesColors = []color.Color{
	color.RGBA{R: 0, G: 0, B: 0, A: 255},
	color.RGBA{R: 0, G: 114, B: 178, A: 255},
	color.RGBA{R: 213, G: 94, B: 0, A: 255},
	color.RGBA{R: 0, G: 158, B: 115, A: 255},
	color.RGBA{R: 204, G: 121, B: 167, A: 255},
	color.RGBA{R: 86, G: 180, B: 233, A: 255},
	color.RGBA{R: 230, G: 159, B: 0, A: 255},
}

// seriesColor returns the color of the i-th series, cycling the palette.
func seriesColor(i int) color.Color {
	return seriesColors[i%len(seriesColors)]
}

// seriesDashes returns the dash pattern of the i-th series: solid for the first pass through
// the palette, then dashed, then dotted, so that series sharing a color stay apart.
func seriesDashes(i int) []vg.Length {
	switch (i / len(seriesColors)) % 3 {
	case 0:
		return nil
	case 1:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	default:
		return []vg.Length{vg.Points(1.5), vg.Points(2)}
	}
}

// lineDashes returns the dash pattern of the i-th series, dashed when asked for: a curve that
// lies on an earlier one (the oracle on the filtered DNS) then leaves it visible in its gaps.
// A series already dashed by seriesDashes keeps its pattern.
func lineDashes(i int, dashed bool) []vg.Length {
	if d := seriesDashes(i); d != nil || !dashed {
		return d
	}
	return []vg.Length{vg.Points(5), vg.Points(4)}
}

// lineWidth is the width of data lines.
const lineWidth = vg.Length(1.5)

// newPlot returns a plot with the project's text sizes and labels.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 12
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	for _, axis := range []*plot.Axis{&p.X, &p.Y} {
		axis.Label.TextStyle.Font.Size = 11
		axis.Tick.Label.Font.Size = 9
		axis.Tick.Marker = evenTicks{}
	}
	p.Legend.TextStyle.Font.Size = 9
	return p
}

// domainTicks returns ticks at 0, L/4, …, L, labelled in multiples of π
// when L is an integer multiple of π (as for the usual 2π-periodic domain),
// and as decimals otherwise.
func domainTicks(L float64) plot.Ticker {
	ticks := make(plot.ConstantTicks, 0, 5)
	turns := L / math.Pi
	inPi := math.Abs(turns-math.Round(turns)) < 1e-9 && math.Round(turns) > 0
	for q := range 5 {
		v := L * float64(q) / 4
		label := fmt.Sprintf("%.3g", v)
		if inPi {
			label = piLabel(turns * float64(q) / 4)
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
	}
	return ticks
}

// piLabel formats m·π for m a multiple of 1/4.
func piLabel(m float64) string {
	switch {
	case m == 0:
		return "0"
	case m == 1:
		return "π"
	case m == math.Round(m):
		return fmt.Sprintf("%gπ", m)
	case 2*m == math.Round(2*m):
		if m == 0.5 {
			return "π/2"
		}
		return fmt.Sprintf("%gπ/2", 2*m)
	default:
		if m == 0.25 {
			return "π/4"
		}
		return fmt.Sprintf("%gπ/4", 4*m)
	}
}

// paddings returns how far the data area of p sits inside canvas c on each
// side.
func paddings(p *plot.Plot, c draw.Canvas) (left, right, bottom, top vg.Length) {
	d := p.DataCanvas(c)
	return d.Min.X - c.Min.X, c.Max.X - d.Max.X, d.Min.Y - c.Min.Y, c.Max.Y - d.Max.Y
}

// evenTicks places labelled ticks at the multiples of a round step (1, 2
// or 5 times a power of ten) inside [min, max], about five of them. For a
// symmetric range the ticks include zero.
type evenTicks struct{}

// Ticks implements plot.Ticker.
func (evenTicks) Ticks(lo, hi float64) []plot.Tick {
	step := roundStep((hi - lo) / 4)
	var ticks []plot.Tick
	for k := math.Ceil(lo/step - 1e-9); k*step <= hi+1e-9*step; k++ {
		v := k * step
		if v == 0 {
			v = 0 // print −0 as 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: fmt.Sprintf("%.4g", v)})
	}
	return ticks
}

// roundStep returns 1, 2, 5 or 10 times the power of ten nearest below x.
func roundStep(x float64) float64 {
	power := math.Pow(10, math.Floor(math.Log10(x)))
	switch m := x / power; {
	case m < 1.5:
		return power
	case m < 3:
		return 2 * power
	case m < 7:
		return 5 * power
	default:
		return 10 * power
	}
}

// logTicks labels the powers of ten on a log axis, with unlabelled minor
// ticks at 2..9 times each power. An axis spanning at most two decades also
// labels 2 and 5 times each power, one spanning at most one decade labels
// every tick, and one spanning more than eight decades labels only the even
// powers. An axis so narrow that fewer than two ticks would be labelled gets
// evenTicks instead, such as errors between 0.86 and 0.93.
type logTicks struct{}

// Ticks implements plot.Ticker. A range that a log axis cannot show (lo not positive, or an
// infinite end) gets no ticks: log10 of 0 would make the loop below run for ever.
func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || math.IsInf(hi, 0) || !(hi >= lo) {
		return nil
	}
	first := int(math.Floor(math.Log10(lo)))
	last := int(math.Ceil(math.Log10(hi)))
	decades := last - first
	span := math.Log10(hi / lo)

	inside := func(v float64) bool { return v >= lo*(1-1e-12) && v <= hi*(1+1e-12) }
	var ticks []plot.Tick
	for k := first; k <= last; k++ {
		power := math.Pow10(k)
		if inside(power) {
			label := powerLabel(k)
			if decades > 8 && k%2 != 0 {
				label = ""
			}
			ticks = append(ticks, plot.Tick{Value: power, Label: label})
		}
		for m := 2; m <= 9; m++ {
			v := float64(m) * power
			if !inside(v) {
				continue
			}
			label := ""
			if span <= 1 || (span <= 2 && (m == 2 || m == 5)) {
				label = fmt.Sprintf("%g", v)
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: label})
		}
	}
	labelled := 0
	for _, tick := range ticks {
		if tick.Label != "" {
			labelled++
		}
	}
	if labelled < 2 {
		return evenTicks{}.Ticks(lo, hi)
	}
	return ticks
}

// powerLabel formats 10^k as a decimal between 0.001 and 10000 and as
// "1e<k>" outside.
func powerLabel(k int) string {
	if k >= -3 && k <= 4 {
		return fmt.Sprintf("%g", math.Pow10(k))
	}
	return fmt.Sprintf("1e%d", k)
}

// widenFlatLogAxes gives a log axis whose data all sit at one value v the range v/√10 to
// v·√10. gonum/plot would widen it to v − 1 to v + 1, which for v ≤ 1 reaches zero or below,
// where a log scale is undefined.
func widenFlatLogAxes(p *plot.Plot) {
	for _, axis := range []*plot.Axis{&p.X, &p.Y} {
		if _, isLog := axis.Scale.(plot.LogScale); isLog && axis.Min == axis.Max && axis.Min > 0 {
			axis.Min, axis.Max = axis.Min/math.Sqrt(10), axis.Max*math.Sqrt(10)
		}
	}
}

// setLogX and setLogY switch an axis to log scale with logTicks.
func setLogX(p *plot.Plot) { p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, logTicks{} }
func setLogY(p *plot.Plot) { p.Y.Scale, p.Y.Tick.Marker = plot.LogScale{}, logTicks{} }

// exponentLabel formats a power-law exponent as an integer or a fraction
// with a small denominator (−5/3), or as a decimal otherwise.
func exponentLabel(e float64) string {
	for den := 1; den <= 6; den++ {
		num := e * float64(den)
		if math.Abs(num-math.Round(num)) < 1e-9 {
			if den == 1 {
				return fmt.Sprintf("%d", int(math.Round(num)))
			}
			return fmt.Sprintf("%d/%d", int(math.Round(num)), den)
		}
	}
	return fmt.Sprintf("%.3g", e)
}
