package apost

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"github.com/closure-lab/closure/pkg/plots"
)

// Figure file names written by WriteFigures, and the JSON file of WriteJSON.
const (
	FigureError       = "apost_error.png"
	FigureErrorLinear = "apost_error_linear.png"
	FigureEnergy      = "apost_energy.png"
	FigureEnstrophy   = "apost_enstrophy.png"
	FigureTransfer    = "apost_transfer.png"
	FigureShells      = "apost_transfer_shells.png"
	FigureSpectra     = "apost_spectra.png"
	FigurePDF         = "apost_pdf.png"
	FigureFields      = "apost_fields.png"
	ResultFile        = "apost_result.json"
)

// referenceName labels the filtered DNS in figures.
const referenceName = "filtered DNS"

// ErrorFigure plots the relative L2 error of each closure's ensemble mean
// against time on a log axis, with a band of ± one standard deviation of
// the members' errors. Closures whose error is never positive (such as a
// zero-length run) are left out, and it returns an error when none is left.
func ErrorFigure(res *Result) (*plots.Figure, error) {
	series := errorSeries(res, anyPositive)
	if len(series) == 0 {
		return nil, fmt.Errorf("apost: no closure has a positive error to plot")
	}
	return plots.Lines(series, plots.LineOptions{
		Title: "a-posteriori error", XLabel: "time t", YLabel: "‖ω̄ − ω̄_DNS‖ / ‖ω̄_DNS‖", LogY: true,
	})
}

// roundOffError is the largest relative error that ErrorFigureLinear treats as round-off.
const roundOffError = 1e-6

// ErrorFigureLinear plots the same errors as ErrorFigure on a linear axis, which separates
// closures whose errors differ by tens of percent. Closures whose error never
// exceeds roundOffError, such as the oracle, are left out; it returns an error when none is
// left.
func ErrorFigureLinear(res *Result) (*plots.Figure, error) {
	series := errorSeries(res, func(errors []float64) bool {
		return slices.ContainsFunc(errors, func(e float64) bool { return e > roundOffError })
	})
	if len(series) == 0 {
		return nil, fmt.Errorf("apost: no closure has an error above round-off (%g) to plot", roundOffError)
	}
	return plots.Lines(series, plots.LineOptions{
		Title: "a-posteriori error", XLabel: "time t", YLabel: "‖ω̄ − ω̄_DNS‖ / ‖ω̄_DNS‖",
	})
}

// errorSeries returns the error series of the closures whose ensemble-mean errors pass keep,
// each with a band of ± one standard deviation of the members' errors.
func errorSeries(res *Result, keep func(errors []float64) bool) []plots.Series {
	var series []plots.Series
	for _, cr := range res.Closures {
		s := plots.Series{Name: cr.Name, X: res.Times, Y: floats(cr.MeanError), Band: true}
		if res.Members > 1 {
			s.YErr = memberStd(cr.MemberError)
		}
		if keep(s.Y) {
			series = append(series, s)
		}
	}
	return series
}

// EnergyFigure plots the ensemble-mean kinetic energy ½⟨ū²+v̄²⟩ of each
// closure and of the filtered DNS against time.
func EnergyFigure(res *Result) (*plots.Figure, error) {
	return seriesFigure(res, "kinetic energy", "½<|ū|²>", res.Reference.Energy,
		func(cr ClosureResult) []Float { return cr.Energy })
}

// EnstrophyFigure plots the ensemble-mean enstrophy ½⟨ω̄²⟩ of each closure
// and of the filtered DNS against time.
func EnstrophyFigure(res *Result) (*plots.Figure, error) {
	return seriesFigure(res, "enstrophy", "½<ω̄²>", res.Reference.Enstrophy,
		func(cr ClosureResult) []Float { return cr.Enstrophy })
}

// TransferFigure plots the rate ⟨ω̄H⟩ at which each closure term removes resolved enstrophy
// against time, beside the DNS's own closure term (ClosureResult.Transfer). A closure whose
// curve falls below zero feeds enstrophy into the resolved scales.
func TransferFigure(res *Result) (*plots.Figure, error) {
	return seriesFigure(res, "enstrophy transfer of the closure", "<ω̄H>", floats(res.Reference.Transfer),
		func(cr ClosureResult) []Float { return cr.Transfer })
}

// TransferShellsFigure plots each closure's enstrophy transfer by wavenumber shell
// (ClosureResult.TransferSpectrum) beside the DNS's own, for the shells up to the LES cutoff.
// A shell below zero is fed enstrophy by the closure. Closures whose transfer is zero in every
// shell (none) are left out.
func TransferShellsFigure(res *Result) (*plots.Figure, error) {
	if len(res.Reference.TransferSpectrum) == 0 {
		return nil, fmt.Errorf("apost: the result has no transfer by shell (a result written before it existed?)")
	}
	shells := min(res.LESGrid/2+1, len(res.Wavenumbers))
	k := res.Wavenumbers[1:shells]
	series := []plots.Series{{Name: referenceName, X: k, Y: res.Reference.TransferSpectrum[1:shells]}}
	for _, cr := range res.Closures {
		if slices.ContainsFunc(cr.TransferSpectrum, func(v float64) bool { return v != 0 }) {
			series = append(series, plots.Series{Name: cr.Name, X: k, Y: cr.TransferSpectrum[1:shells], Dashed: onReference(cr)})
		}
	}
	return plots.Lines(series, plots.LineOptions{
		Title:  fmt.Sprintf("enstrophy transfer by shell, t ≥ %g", res.TransferFrom),
		XLabel: "wavenumber k", YLabel: "T(k), summing to <ω̄H>",
	})
}

// onReference reports whether a closure's curves lie on the filtered DNS's by construction,
// as the oracle's do. Such curves are drawn dashed, so that the DNS's stay visible.
func onReference(cr ClosureResult) bool { return cr.Name == Oracle{}.Name() }

func seriesFigure(res *Result, title, label string, reference []float64, pick func(ClosureResult) []Float) (*plots.Figure, error) {
	series := []plots.Series{{Name: referenceName, X: res.Times, Y: reference}}
	for _, cr := range res.Closures {
		y := floats(pick(cr))
		if anyFinite(y) {
			series = append(series, plots.Series{Name: cr.Name, X: res.Times, Y: y, Dashed: onReference(cr)})
		}
	}
	return plots.Lines(series, plots.LineOptions{Title: title, XLabel: "time t", YLabel: label})
}

// SpectraFigure plots the energy spectra of the filtered DNS and of each
// closure's members, averaged over the window, with the LES cutoff. Shells
// above k = n/2 hold only the corners of the square of LES modes and are
// left out.
func SpectraFigure(res *Result) (*plots.Figure, error) {
	shells := min(res.LESGrid/2+1, len(res.Wavenumbers))
	k := res.Wavenumbers[:shells]
	curves := []plots.Curve{{Name: referenceName, X: k, Y: res.Reference.Spectrum[:shells]}}
	for _, cr := range res.Closures {
		if anyPositive(cr.Spectrum) {
			curves = append(curves, plots.Curve{Name: cr.Name, X: k, Y: cr.Spectrum[:shells], Dashed: onReference(cr)})
		}
	}
	return plots.Spectra(curves, plots.SpectraOptions{
		Title:  fmt.Sprintf("energy spectrum, t ≥ %g", res.AverageFrom),
		Cutoff: float64(res.LESGrid/2 - 1), CutoffLabel: "LES cutoff",
	})
}

// PDFFigure plots the PDF of ω̄ values of the filtered DNS and of each
// closure's members over the window, on a log density axis.
func PDFFigure(res *Result) (*plots.Figure, error) {
	densities := []plots.Density{{Name: referenceName, Edges: res.PDFEdges, Density: res.Reference.PDF}}
	for _, cr := range res.Closures {
		if anyPositive(cr.PDF) {
			densities = append(densities, plots.Density{Name: cr.Name, Edges: res.PDFEdges, Density: cr.PDF, Dashed: onReference(cr)})
		}
	}
	return plots.Histograms(densities, plots.HistogramOptions{
		Title: fmt.Sprintf("vorticity PDF, t ≥ %g", res.AverageFrom), XLabel: "ω̄", LogY: true,
	})
}

// FieldsFigure shows the final ω̄ of the filtered DNS and of the first
// member of each closure that finished, on one color scale.
func FieldsFigure(res *Result) (*plots.Figure, error) {
	panels := []plots.Panel{{Title: referenceName, Field: res.Reference.Final}}
	for _, cr := range res.Closures {
		for m, field := range cr.Final {
			if field != nil {
				panels = append(panels, plots.Panel{Title: fmt.Sprintf("%s #%d", cr.Name, m), Field: field})
				break
			}
		}
	}
	return plots.FieldPanels(panels, res.LESGrid, plots.PanelOptions{L: res.Length, Cols: 3, Label: "ω̄"})
}

// WriteFigures saves every figure of res as PNG into dir and returns the
// paths written.
func WriteFigures(dir string, res *Result) ([]string, error) {
	figures := []struct {
		name string
		make func(*Result) (*plots.Figure, error)
	}{
		{FigureError, ErrorFigure}, {FigureErrorLinear, ErrorFigureLinear}, {FigureEnergy, EnergyFigure}, {FigureEnstrophy, EnstrophyFigure},
		{FigureTransfer, TransferFigure}, {FigureShells, TransferShellsFigure}, {FigureSpectra, SpectraFigure}, {FigurePDF, PDFFigure}, {FigureFields, FieldsFigure},
	}

	var paths []string
	for _, f := range figures {
		fig, err := f.make(res)
		if err != nil {
			return paths, fmt.Errorf("apost: figure %s: %w", f.name, err)
		}
		path := filepath.Join(dir, f.name)
		if err := fig.Save(path); err != nil {
			return paths, fmt.Errorf("apost: saving figure %s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// WriteJSON writes res as indented JSON to path, atomically.
func WriteJSON(path string, res *Result) error {
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fmt.Errorf("apost: encoding result: %w", err)
	}
	if err := writeFileAtomic(path, data); err != nil {
		return fmt.Errorf("apost: writing %s: %w", path, err)
	}
	return nil
}

func floats(values []Float) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = float64(v)
	}
	return out
}

// memberStd returns, per output, the standard deviation of the finite
// member errors (0 with fewer than two).
func memberStd(errs [][]Float) []float64 {
	out := make([]float64, len(errs))
	for i, row := range errs {
		var sum, sq float64
		count := 0
		for _, e := range row {
			v := float64(e)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue
			}
			sum += v
			sq += v * v
			count++
		}
		if count > 1 {
			mean := sum / float64(count)
			out[i] = math.Sqrt(math.Max(0, (sq-float64(count)*mean*mean)/float64(count-1)))
		}
	}
	return out
}

func anyPositive(values []float64) bool {
	for _, v := range values {
		if v > 0 && !math.IsInf(v, 0) {
			return true
		}
	}
	return false
}

func anyFinite(values []float64) bool {
	for _, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			return true
		}
	}
	return false
}
