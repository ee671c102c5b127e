package studies

import (
	"fmt"
	"math"
	"strings"

	"github.com/closure-lab/closure/pkg/apost"
	"github.com/closure-lab/closure/pkg/plots"
	"github.com/closure-lab/closure/pkg/preset"
)

// APosterioriTable formats the a-posteriori result as a markdown table with
// one row per closure: the relative L2 error of the ensemble mean at each of
// the given times (the nearest output time), the relative ensemble spread and
// the spread-skill ratio at the final time, and the number of members that
// blew up. The relative spread divides the RMS spread of ω̄ by the RMS of the
// filtered DNS vorticity, sqrt(2Z), so it compares with the relative error.
// The last column is the closure's enstrophy transfer ⟨ω̄H⟩ (apost.ClosureResult.Transfer)
// averaged over the second half of the outputs, with the filtered DNS's value in the header.
// A negative value is net backscatter.
func APosterioriTable(res *apost.Result, times []float64) string {
	var b strings.Builder
	b.WriteString("| closure |")
	for _, t := range times {
		fmt.Fprintf(&b, " error at t = %g |", res.Times[nearestIndex(res.Times, t)])
	}
	b.WriteString(" spread / RMS ω̄ (final) | spread-skill (final) | failed members |")
	fmt.Fprintf(&b, " ⟨ω̄H⟩, second half (DNS %s) |\n|---|", formatMetric(secondHalfMean(res.Reference.Transfer)))
	b.WriteString(strings.Repeat("---|", len(times)+4))
	b.WriteString("\n")

	last := len(res.Times) - 1
	rms := math.Sqrt(2 * res.Reference.Enstrophy[last])
	for _, cr := range res.Closures {
		fmt.Fprintf(&b, "| %s |", MarkdownCell(cr.Name))
		for _, t := range times {
			fmt.Fprintf(&b, " %s |", formatMetric(float64(cr.MeanError[nearestIndex(res.Times, t)])))
		}
		fmt.Fprintf(&b, " %s | %s | %d of %d | %s |\n",
			formatMetric(float64(cr.Spread[last])/rms), formatMetric(float64(cr.SpreadSkill[last])),
			len(cr.Failures), res.Members, formatMetric(secondHalfMean(cr.Transfer)))
	}
	return b.String()
}

// MarkdownCell returns text for a Markdown table cell, with its pipes escaped so that a
// closure name such as "latent FM, |k| ≥ 3.5" does not split the cell.
func MarkdownCell(text string) string { return strings.ReplaceAll(text, "|", `\|`) }

// secondHalfMean returns the mean of the finite values in the second half of series, NaN
// when there is none.
func secondHalfMean(series []apost.Float) float64 {
	var sum float64
	count := 0
	for _, v := range series[len(series)/2:] {
		if x := float64(v); !math.IsNaN(x) && !math.IsInf(x, 0) {
			sum += x
			count++
		}
	}
	if count == 0 {
		return math.NaN()
	}
	return sum / float64(count)
}

// spreadFloor is the relative ensemble spread below which a closure counts as
// deterministic: identical members still show a spread of about 1e-16 from
// the round-off of the ensemble variance.
const spreadFloor = 1e-10

// EnsembleSpreadFigure plots, for every closure whose ensemble has a relative
// spread above spreadFloor at some output, the relative error of the ensemble mean and the relative
// ensemble spread (RMS spread of ω̄ over the RMS of the filtered DNS, sqrt(2Z))
// against time. A calibrated ensemble has a spread close to its error. It
// returns an error when no closure has a spread, as for deterministic
// closures only.
func EnsembleSpreadFigure(res *apost.Result) (*plots.Figure, error) {
	var series []plots.Series
	for _, cr := range res.Closures {
		spread := make([]float64, len(res.Times))
		stochastic := false
		for i := range res.Times {
			spread[i] = float64(cr.Spread[i]) / math.Sqrt(2*res.Reference.Enstrophy[i])
			stochastic = stochastic || spread[i] > spreadFloor
		}
		if !stochastic {
			continue
		}
		meanError := make([]float64, len(res.Times))
		for i, e := range cr.MeanError {
			meanError[i] = float64(e)
		}
		series = append(series,
			plots.Series{Name: cr.Name + ": error of the mean", X: res.Times, Y: meanError},
			plots.Series{Name: cr.Name + ": ensemble spread", X: res.Times, Y: spread})
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("studies: no closure of the result has a positive ensemble spread; add a stochastic closure with at least two members")
	}
	return plots.Lines(series, plots.LineOptions{
		Title: "ensemble spread and error", XLabel: "time t", YLabel: "relative to RMS of ω̄_DNS", LogY: true,
	})
}

// PredecessorOptionsFor returns the predecessor comparison sized for preset
// p: for "tiny" a 64² DNS and 16² LES, for "small" a 128² DNS and 32² LES,
// and otherwise the published 256² DNS and 64² LES. All use the published
// time step, span t = 30 → 50 and report times.
func PredecessorOptionsFor(p preset.Preset) apost.PredecessorOptions {
	switch p.Name {
	case "tiny":
		return apost.PredecessorOptions{DNSGrid: 64}
	case "small":
		return apost.PredecessorOptions{DNSGrid: 128}
	default:
		return apost.PredecessorOptions{}
	}
}

// PredecessorMarkdown formats the predecessor comparison as a markdown table,
// one column per report time, with the published errors in the first two
// rows, followed by the list of differences between the two setups.
func PredecessorMarkdown(c *apost.PredecessorComparison) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Relative vorticity error of the ensemble mean, %d² DNS → %d² LES, Δt = %g, t = %g → %g, %d member(s), %.0f s wall time.\n\n",
		c.DNSGrid, c.LESGrid, c.Dt, c.Start, c.End, c.Members, c.WallSeconds)
	b.WriteString("| run |")
	for _, t := range c.Times {
		fmt.Fprintf(&b, " t = %g |", t)
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(c.Times)) + "\n")

	row := func(name string, values []apost.Float) {
		fmt.Fprintf(&b, "| %s |", name)
		for _, v := range values {
			fmt.Fprintf(&b, " %s |", formatMetric(float64(v)))
		}
		b.WriteString("\n")
	}
	row("published, their learned closure", c.PublishedWithClosure)
	row("published, no closure", c.PublishedWithoutClosure)
	for _, r := range c.Measured {
		row("this run, "+r.Closure, r.Errors)
	}

	b.WriteString("\nHow the setups differ:\n\n")
	for _, d := range c.Differences {
		b.WriteString("- " + d + "\n")
	}
	return b.String()
}

// formatMetric prints a metric with three significant digits, or "–" when
// it is undefined (NaN or infinite).
func formatMetric(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return fmt.Sprintf("%.3g", v)
}

// nearestIndex returns the index of the time in times nearest to t.
func nearestIndex(times []float64, t float64) int {
	best := 0
	for i, ti := range times {
		if math.Abs(ti-t) < math.Abs(times[best]-t) {
			best = i
		}
	}
	return best
}
