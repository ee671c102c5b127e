package studies

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/plots"
	"github.com/closure-lab/closure/pkg/preset"
)

// TransferFigure plots the transfer functions G(kx, 0) of the sharp, box and
// Gaussian filters of the preset's ratio along the kx axis of the DNS grid,
// with the LES truncation at kx = N_LES/2 drawn as a vertical line. The sharp
// filter has G = 1 before truncation, so it is drawn with the truncation
// applied, as the step it acts as.
func TransferFigure(p preset.Preset) (*plots.Figure, error) {
	var series []plots.Series
	n := p.Flow.GridSize
	for _, kind := range []filter.Kind{filter.Sharp, filter.Box, filter.Gaussian} {
		c, err := filter.New(filter.Config{N: n, L: p.Flow.Length, Ratio: p.Filter.Ratio, Kind: kind})
		if err != nil {
			return nil, err
		}
		var k, g []float64
		for kx := 0; kx <= n/2; kx++ {
			gain := c.Transfer(kx, 0)
			if kind == filter.Sharp && kx >= p.LESGridSize()/2 {
				gain = 0
			}
			k = append(k, float64(kx))
			g = append(g, gain)
		}
		series = append(series, plots.Series{Name: kind.String(), X: k, Y: g})
	}

	cut := float64(p.LESGridSize() / 2)
	series = append(series, plots.Series{Name: "LES truncation", X: []float64{cut, cut}, Y: []float64{0, 1}})
	return plots.Lines(series, plots.LineOptions{
		Title:  fmt.Sprintf("filter transfer functions, Δ = L/%d", p.LESGridSize()),
		XLabel: "wavenumber kx (ky = 0)", YLabel: "G(kx, 0)",
	})
}

// FilterFigure draws the DNS vorticity ω of snapshot index, its filtered
// field ω̄ interpolated back to the DNS grid, and the sub-filter part ω − ω̄,
// on one shared color scale.
func FilterFigure(p preset.Preset, tr *Trajectory, index int) (*plots.Figure, error) {
	if index < 0 || index >= len(tr.Snapshots) {
		return nil, fmt.Errorf("studies: snapshot %d is outside the trajectory's %d snapshots", index, len(tr.Snapshots))
	}
	c, err := NewCoarsener(p)
	if err != nil {
		return nil, err
	}

	omega := tr.Snapshots[index]
	n, nLES := tr.Params.N, c.LESGrid().N
	bar := make([]float64, nLES*nLES)
	c.Filter(bar, omega)
	barFine, err := Interpolate(bar, nLES, n)
	if err != nil {
		return nil, err
	}
	sub := make([]float64, len(omega))
	for i := range omega {
		sub[i] = omega[i] - barFine[i]
	}

	return plots.FieldPanels([]plots.Panel{
		{Title: fmt.Sprintf("ω (DNS %d²)", n), Field: omega},
		{Title: fmt.Sprintf("filtered (LES %d², interpolated)", nLES), Field: barFine},
		{Title: "sub-filter part", Field: sub},
	}, n, plots.PanelOptions{L: tr.Params.L, Label: "ω"})
}

// ClosureFieldFigure draws the closure term H of snapshot index on the LES
// grid. It returns an error when the index is out of range.
func ClosureFieldFigure(st *ClosureStats, length float64, index int) (*plots.Figure, error) {
	if index < 0 || index >= len(st.H) {
		return nil, fmt.Errorf("studies: snapshot %d is outside the %d closure snapshots", index, len(st.H))
	}
	return plots.FieldImage(st.H[index], st.N, plots.FieldOptions{
		Title: fmt.Sprintf("closure term H on the %d² LES grid", st.N),
		L:     length, Label: "H",
	})
}

// ClosureSpectrumFigure plots the snapshot-averaged power spectra of H and ω̄
// with the 2/3-rule cutoff of the LES grid. It shows the shells up to N_LES/2,
// the edge of the LES band, beyond which only corner modes remain.
func ClosureSpectrumFigure(st *ClosureStats) (*plots.Figure, error) {
	kmax := st.N/2 + 1
	k := st.Wavenumbers()[:kmax]
	return plots.Spectra([]plots.Curve{
		{Name: "closure H", X: k, Y: st.HSpectrum[:kmax]},
		{Name: "filtered vorticity", X: k, Y: st.OmegaBarSpectrum[:kmax]},
	}, plots.SpectraOptions{
		Title:       fmt.Sprintf("power spectra on the LES grid (%d snapshots)", len(st.H)),
		YLabel:      "P(k)",
		Cutoff:      float64(st.N / 3),
		CutoffLabel: "LES 2/3-rule cutoff",
	})
}

// ClosurePDFFigure plots the PDF of H/rms(H) over all points and snapshots
// against the standard normal density, on a logarithmic density axis. The
// normal density is drawn only down to the smallest nonzero density that the
// sample can show, one value in a bin, so that its far tails do not stretch
// the axis.
func ClosurePDFFigure(st *ClosureStats) (*plots.Figure, error) {
	reference := make([]float64, len(st.GaussianPDF))
	for b, d := range st.GaussianPDF {
		resolution := 1 / (float64(st.PDF.Inside) * (st.PDF.Edges[b+1] - st.PDF.Edges[b]))
		if d >= resolution {
			reference[b] = d
		}
	}
	return plots.Histograms([]plots.Density{
		{Name: "H / rms(H)", Edges: st.PDF.Edges, Density: st.PDF.Density},
		{Name: "standard normal", Edges: st.PDF.Edges, Density: reference},
	}, plots.HistogramOptions{
		Title:  fmt.Sprintf("PDF of the closure term (flatness %.2f, Gaussian 3)", st.Flatness),
		XLabel: "H / rms(H)", LogY: true,
	})
}

// SpreadFigure draws H of the unperturbed DNS state beside H of two states
// with the same ω̄ but perturbed sub-filter modes, and the standard deviation
// of H over all perturbed states.
func SpreadFigure(s *SpreadSample, length float64) (*plots.Figure, error) {
	if len(s.Members) < 2 {
		return nil, fmt.Errorf("studies: the spread sample has %d members; the figure shows two", len(s.Members))
	}
	return plots.FieldPanels([]plots.Panel{
		{Title: "H of the DNS state", Field: s.H},
		{Title: "H, sub-filter phases 1", Field: s.Members[0]},
		{Title: "H, sub-filter phases 2", Field: s.Members[1]},
		{Title: fmt.Sprintf("std of H over %d states", len(s.Members)), Field: s.Std, Sequential: true},
	}, s.N, plots.PanelOptions{L: length, Label: "H", SequentialLabel: "std H", Cols: 4})
}

// OracleFigure plots the relative error against the filtered DNS over time of
// the LES driven by the true closure and of the LES without closure.
func OracleFigure(r *OracleResult) (*plots.Figure, error) {
	return plots.Lines([]plots.Series{
		{Name: "oracle LES (true H)", X: r.Times, Y: r.Oracle},
		{Name: "LES without closure", X: r.Times, Y: r.NoClosure},
	}, plots.LineOptions{
		Title:  fmt.Sprintf("LES on %d² against the filtered DNS", r.N),
		XLabel: "time since start t", YLabel: "relative L2 error", LogY: true,
	})
}

// OracleFieldsFigure draws the filtered DNS, the oracle LES and the LES
// without closure at the end of the run on one shared color scale.
func OracleFieldsFigure(r *OracleResult, length float64) (*plots.Figure, error) {
	end := r.Times[len(r.Times)-1]
	return plots.FieldPanels([]plots.Panel{
		{Title: fmt.Sprintf("filtered DNS, t = %.3g", end), Field: r.FilteredDNS},
		{Title: "oracle LES", Field: r.OracleLES},
		{Title: "LES without closure", Field: r.NoClosureLES},
	}, r.N, plots.PanelOptions{L: length, Label: "ω"})
}

// SpreadTable returns a Markdown table with one row per perturbed snapshot:
// its time, the sub-filter share of the enstrophy, the change of ω̄, the
// spread ratio and the mean relative difference of H.
func SpreadTable(r *SpreadResult, tr *Trajectory) string {
	table := "| snapshot time | sub-filter enstrophy share | max change of ω̄ | spread of H / rms H | mean ‖H_m − H‖/‖H‖ |\n|---|---|---|---|---|\n"
	for _, s := range r.Samples {
		table += fmt.Sprintf("| %.4g | %.3g | %.2g | %.3f | %.3f |\n", tr.Times[s.Snapshot], s.SubfilterEnstrophy, s.OmegaBarChange, s.SpreadRatio, s.RelativeDifference)
	}
	return table
}
