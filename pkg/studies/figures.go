package studies

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/plots"
)

// TaylorGreenFigure plots the relative error against the exact Taylor–Green
// solution over time, one curve per run, on a logarithmic error axis.
// It returns an error when there is no run or no positive error to show.
func TaylorGreenFigure(runs []*TaylorGreenResult) (*plots.Figure, error) {
	var series []plots.Series
	for _, r := range runs {
		series = append(series, plots.Series{Name: r.Stepper, X: r.Times, Y: r.RelativeError})
	}
	return plots.Lines(series, plots.LineOptions{
		Title:  "Taylor–Green vortex: error against the exact solution",
		XLabel: "time t", YLabel: "relative L2 error", LogY: true,
	})
}

// ConvergenceFigure plots each stepper's error against the time step on
// log-log axes, with reference lines ∝ Δt² and ∝ Δt⁴ anchored at
// twice the largest error of the second- and fourth-order schemes.
func ConvergenceFigure(c *ConvergenceResult) (*plots.Figure, error) {
	var series []plots.Series
	for _, s := range c.Steppers {
		series = append(series, plots.Series{Name: s.Stepper, X: c.Dts, Y: s.Errors})
	}

	for _, ref := range []struct {
		order float64
		name  string
	}{{2, "∝ Δt²"}, {4, "∝ Δt⁴"}} {
		anchor := referenceAnchor(c, ref.order)
		if anchor == 0 {
			continue
		}
		y := make([]float64, len(c.Dts))
		for i, dt := range c.Dts {
			y[i] = 2 * anchor * math.Pow(dt/c.Dts[0], ref.order)
		}
		series = append(series, plots.Series{Name: ref.name, X: c.Dts, Y: y})
	}

	return plots.Lines(series, plots.LineOptions{
		Title:  fmt.Sprintf("temporal convergence at t = %g", c.Duration),
		XLabel: "time step Δt", YLabel: "relative L2 error", LogX: true, LogY: true, Markers: true,
	})
}

// referenceAnchor returns the largest coarsest-step error among steppers
// whose fitted order rounds to order, or 0 when there is none.
func referenceAnchor(c *ConvergenceResult, order float64) float64 {
	anchor := 0.0
	for _, s := range c.Steppers {
		if math.Round(s.Order) == order {
			anchor = math.Max(anchor, s.Errors[0])
		}
	}
	return anchor
}

// evaluationsPerStep is the number of advection evaluations of each stepper.
var evaluationsPerStep = map[string]int{"cnab2": 1, "cnrk2": 2, "cnrk3": 3, "ifrk4": 4}

// ConvergenceTable returns a Markdown table of each stepper's errors and
// fitted order.
func ConvergenceTable(c *ConvergenceResult) string {
	table := "| stepper | evaluations per step |"
	rule := "|---|---|"
	for _, dt := range c.Dts {
		table += fmt.Sprintf(" error at Δt = %g |", dt)
		rule += "---|"
	}
	table += " fitted order |\n" + rule + "---|\n"

	for _, s := range c.Steppers {
		table += fmt.Sprintf("| %s | %d |", s.Stepper, evaluationsPerStep[s.Stepper])
		for _, e := range s.Errors {
			table += fmt.Sprintf(" %.3g |", e)
		}
		table += fmt.Sprintf(" %.2f |\n", s.Order)
	}
	return table
}

// TaylorGreenTable returns a Markdown table of each run's final error and,
// for the Crank–Nicolson steppers "cnab2" and "cnrk2", the error that
// CrankNicolsonError predicts.
func TaylorGreenTable(runs []*TaylorGreenResult) string {
	table := "| stepper | Δt | decay rate 2ν k² + α | final time | final relative error | Crank–Nicolson prediction |\n|---|---|---|---|---|---|\n"
	for _, r := range runs {
		last := len(r.Times) - 1
		prediction := "–"
		if r.Stepper == "cnab2" || r.Stepper == "cnrk2" {
			steps := int(math.Round(r.Times[last] / r.Dt))
			prediction = fmt.Sprintf("%.3g", CrankNicolsonError(r.DecayRate, r.Dt, steps))
		}
		table += fmt.Sprintf("| %s | %g | %.4g | %.4g | %.3g | %s |\n", r.Stepper, r.Dt, r.DecayRate, r.Times[last], r.RelativeError[last], prediction)
	}
	return table
}

// VorticityFigure draws the DNS vorticity of trajectory snapshot index. It
// returns an error when the index is out of range.
func VorticityFigure(tr *Trajectory, index int) (*plots.Figure, error) {
	if index < 0 || index >= len(tr.Snapshots) {
		return nil, fmt.Errorf("studies: snapshot %d is outside the trajectory's %d snapshots", index, len(tr.Snapshots))
	}
	return plots.FieldImage(tr.Snapshots[index], tr.Params.N, plots.FieldOptions{
		Title: fmt.Sprintf("vorticity ω at t = %.4g (%s, %d²)", tr.Times[index], tr.Preset, tr.Params.N),
		L:     tr.Params.L, Label: "ω",
	})
}

// EnergyFigure plots the kinetic energy E = ½⟨u² + v²⟩ and the enstrophy
// Z = ½⟨ω²⟩ against time, spin-up included, on a logarithmic axis so that
// both are readable.
func EnergyFigure(tr *Trajectory) (*plots.Figure, error) {
	return plots.Lines([]plots.Series{
		{Name: "energy E", X: tr.SeriesTimes, Y: tr.Energy},
		{Name: "enstrophy Z", X: tr.SeriesTimes, Y: tr.Enstrophy},
	}, plots.LineOptions{
		Title:  fmt.Sprintf("energy and enstrophy (spin-up ends at t = %g)", tr.SpinUp),
		XLabel: "time t", YLabel: "domain average", LogY: true,
	})
}

// SpectrumFigure plots the time-averaged energy spectrum of the trajectory
// with reference slopes k⁻³ (enstrophy cascade) and k⁻⁵ᐟ³ (inverse energy
// cascade) and the 2/3-rule cutoff of the DNS grid. It shows the shells up to
// that cutoff, because the shells beyond it hold only the corners of the
// dealiased square and round-off.
func SpectrumFigure(tr *Trajectory) (*plots.Figure, error) {
	kmax := tr.Params.N/3 + 1
	return plots.Spectra([]plots.Curve{{Name: "DNS, time average", X: tr.Wavenumbers()[:kmax], Y: tr.MeanSpectrum[:kmax]}},
		plots.SpectraOptions{
			Title:       fmt.Sprintf("energy spectrum over %d snapshots", len(tr.Snapshots)),
			Slopes:      []plots.RefSlope{{Exponent: -3}, {Exponent: -5.0 / 3, Label: "k^-5/3"}},
			Cutoff:      float64(tr.Params.N / 3),
			CutoffLabel: "2/3-rule cutoff",
		})
}
