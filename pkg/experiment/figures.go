package experiment

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/closure-lab/closure/internal/atomicfile"
	"github.com/closure-lab/closure/pkg/metrics"
	"github.com/closure-lab/closure/pkg/plots"
)

// Figure file names written by WriteFigures, relative to the output directory.
const (
	FigureVorticity = "vorticity.png"
	FigureSamples   = "closure_samples.png"
	FigureSpectra   = "closure_spectra.png"
	FigurePDF       = "closure_pdf.png"
	MetricsFile     = "metrics.json"
)

// WriteFigures writes the figures and metrics of an evaluation to dir and returns the paths
// written. The figures are the filtered vorticity of the first snapshot, its true closure
// against samples with the ensemble mean and standard deviation, the power spectra of truth
// and samples, and the PDF of closure values. The metrics go to MetricsFile as JSON.
func WriteFigures(dir string, length float64, ev *Evaluation, snapshots []Snapshot) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("experiment: creating figure directory: %w", err)
	}
	if len(snapshots) == 0 {
		return nil, fmt.Errorf("experiment: no snapshots to plot")
	}
	figures := map[string]func() (*plots.Figure, error){
		FigureVorticity: func() (*plots.Figure, error) { return VorticityFigure(snapshots[0], length) },
		FigureSamples:   func() (*plots.Figure, error) { return SamplesFigure(snapshots[0], length) },
		FigureSpectra:   func() (*plots.Figure, error) { return SpectraFigure(snapshots) },
		FigurePDF:       func() (*plots.Figure, error) { return PDFFigure(snapshots) },
	}

	var paths []string
	for _, name := range []string{FigureVorticity, FigureSamples, FigureSpectra, FigurePDF} {
		fig, err := figures[name]()
		if err != nil {
			return paths, fmt.Errorf("experiment: figure %s: %w", name, err)
		}
		path := filepath.Join(dir, name)
		if err := fig.Save(path); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}

	path := filepath.Join(dir, MetricsFile)
	if err := writeJSONAtomic(path, ev); err != nil {
		return paths, err
	}
	return append(paths, path), nil
}

// VorticityFigure draws the filtered vorticity ω̄ of a snapshot.
func VorticityFigure(s Snapshot, length float64) (*plots.Figure, error) {
	n := gridSide(len(s.OmegaBar))
	title := fmt.Sprintf("filtered vorticity ω̄, trajectory %d, t = %.4g", s.Trajectory, s.Time)
	return plots.FieldImage(s.OmegaBar, n, plots.FieldOptions{Title: title, L: length, Label: "ω̄"})
}

// SamplesFigure draws the true closure H of a snapshot beside two samples, the ensemble
// mean (one shared diverging color scale) and the ensemble standard deviation.
func SamplesFigure(s Snapshot, length float64) (*plots.Figure, error) {
	n := gridSide(len(s.Truth))
	mean, err := metrics.EnsembleMean(s.Members)
	if err != nil {
		return nil, err
	}
	spread, err := metrics.EnsembleSpread(s.Members)
	if err != nil {
		return nil, err
	}
	panels := []plots.Panel{{Title: "true H", Field: s.Truth}}
	for m := range min(2, len(s.Members)) {
		panels = append(panels, plots.Panel{Title: fmt.Sprintf("sample %d", m+1), Field: s.Members[m]})
	}
	panels = append(panels,
		plots.Panel{Title: fmt.Sprintf("mean of %d", len(s.Members)), Field: mean},
		plots.Panel{Title: "ensemble std", Field: spread.Std, Sequential: true},
	)
	return plots.FieldPanels(panels, n, plots.PanelOptions{L: length, Label: "H", SequentialLabel: "std H"})
}

// SpectraFigure draws the shell-summed power spectrum of the closure, averaged over
// snapshots: truth, individual samples and the ensemble mean.
func SpectraFigure(snapshots []Snapshot) (*plots.Figure, error) {
	n := gridSide(len(snapshots[0].Truth))
	var truth, samples, means []float64
	var k []float64
	for _, s := range snapshots {
		kk, p, err := metrics.PowerSpectrum(s.Truth, n)
		if err != nil {
			return nil, err
		}
		k, truth = kk, accumulate(truth, p, 1/float64(len(snapshots)))
		for _, member := range s.Members {
			_, p, err := metrics.PowerSpectrum(member, n)
			if err != nil {
				return nil, err
			}
			samples = accumulate(samples, p, 1/float64(len(snapshots)*len(s.Members)))
		}
		mean, err := metrics.EnsembleMean(s.Members)
		if err != nil {
			return nil, err
		}
		_, p, err = metrics.PowerSpectrum(mean, n)
		if err != nil {
			return nil, err
		}
		means = accumulate(means, p, 1/float64(len(snapshots)))
	}
	curves := []plots.Curve{
		{Name: "truth", X: k[1:], Y: truth[1:]},
		{Name: "samples", X: k[1:], Y: samples[1:]},
		{Name: "ensemble mean", X: k[1:], Y: means[1:]},
	}
	return plots.Spectra(curves, plots.SpectraOptions{
		Title: "closure power spectrum", YLabel: "P_H(k)", Cutoff: float64(n / 2), CutoffLabel: "LES Nyquist",
	})
}

// PDFFigure draws the probability density of closure values of truth and samples.
func PDFFigure(snapshots []Snapshot) (*plots.Figure, error) {
	var truth, samples []float64
	for _, s := range snapshots {
		truth = append(truth, s.Truth...)
		for _, member := range s.Members {
			samples = append(samples, member...)
		}
	}
	limit := 0.0
	for _, v := range truth {
		limit = math.Max(limit, math.Abs(v))
	}
	edges, err := metrics.UniformEdges(-1.2*limit, 1.2*limit, 60)
	if err != nil {
		return nil, err
	}
	ht, err := metrics.NewHistogram(truth, edges)
	if err != nil {
		return nil, err
	}
	hs, err := metrics.NewHistogram(samples, edges)
	if err != nil {
		return nil, err
	}
	return plots.Histograms([]plots.Density{
		{Name: "truth", Edges: edges, Density: ht.Density},
		{Name: "samples", Edges: edges, Density: hs.Density},
	}, plots.HistogramOptions{Title: "PDF of closure values", XLabel: "H", YLabel: "density", LogY: true})
}

func accumulate(sum, values []float64, weight float64) []float64 {
	if sum == nil {
		sum = make([]float64, len(values))
	}
	for i, v := range values {
		sum[i] += weight * v
	}
	return sum
}

func gridSide(size int) int {
	return int(math.Round(math.Sqrt(float64(size))))
}

// writeJSONAtomic writes v as indented JSON, ended by a newline, to path
// atomically.
func writeJSONAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("experiment: encoding %s: %w", path, err)
	}
	if err := atomicfile.WriteFile(path, append(data, '\n')); err != nil {
		return fmt.Errorf("experiment: %w", err)
	}
	return nil
}
