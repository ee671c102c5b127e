package studies

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/metrics"
	"github.com/closure-lab/closure/pkg/preset"
)

// ClosureConfig selects how ClosureStatistics bins the values of H. The zero
// value uses 61 bins over ±6 standard deviations.
type ClosureConfig struct {
	// Bins is the number of histogram bins; 0 means 61.
	Bins int
	// Range is the half-width of the histogram in units of the rms of H; 0 means 6.
	Range float64
}

// ClosureStats are the statistics of the closure term H over the snapshots
// of a trajectory, on the LES grid of N x N points.
type ClosureStats struct {
	N int
	// OmegaBar[i] and H[i] are ω̄ and H of trajectory snapshot i (length N*N).
	OmegaBar [][]float64
	H        [][]float64
	// Mean and RMS are the mean and root-mean-square of H over all points
	// and snapshots; Skewness and Flatness are its standardized third and
	// fourth moments (3 for a Gaussian).
	Mean, RMS, Skewness, Flatness float64
	// HSpectrum[k] and OmegaBarSpectrum[k] are the shell-summed power spectra
	// of H and ω̄ (metrics.PowerSpectrum) averaged over snapshots, shell k in
	// units of 2π/L.
	HSpectrum        []float64
	OmegaBarSpectrum []float64
	// PDF is the density of H/RMS. GaussianPDF[b] is the standard normal
	// density averaged over bin b of PDF.Edges, the reference for PDF.
	PDF         metrics.Histogram
	GaussianPDF []float64
}

// NewCoarsener builds the preset's filter from the DNS grid to the LES grid.
func NewCoarsener(p preset.Preset) (*filter.Coarsener, error) {
	cfg, err := p.FilterConfig()
	if err != nil {
		return nil, err
	}
	return filter.New(cfg)
}

// ClosureStatistics filters every snapshot of tr with the preset's filter,
// computes (ω̄, H) with H = (u·∇ω)‾ − ū·∇ω̄, and returns their spectra and the
// PDF of H. It returns an error when tr has no snapshots or was run on a grid
// other than the preset's.
func ClosureStatistics(p preset.Preset, tr *Trajectory, cfg ClosureConfig) (*ClosureStats, error) {
	if len(tr.Snapshots) == 0 {
		return nil, fmt.Errorf("studies: trajectory of preset %q has no snapshots; run it with Snapshots > 0", tr.Preset)
	}
	c, err := NewCoarsener(p)
	if err != nil {
		return nil, err
	}
	if tr.Params.N != c.Config().N {
		return nil, fmt.Errorf("studies: trajectory grid %d differs from the filter's DNS grid %d; run the trajectory with the same preset", tr.Params.N, c.Config().N)
	}

	n := c.LESGrid().N
	st := &ClosureStats{N: n}
	for _, omega := range tr.Snapshots {
		bar, h := make([]float64, n*n), make([]float64, n*n)
		c.Closure(bar, h, omega)
		st.OmegaBar = append(st.OmegaBar, bar)
		st.H = append(st.H, h)
	}

	if err := st.spectra(); err != nil {
		return nil, err
	}
	st.moments()
	if err := st.histogram(cfg); err != nil {
		return nil, err
	}
	return st, nil
}

func (st *ClosureStats) spectra() error {
	for i := range st.H {
		_, ph, err := metrics.PowerSpectrum(st.H[i], st.N)
		if err != nil {
			return err
		}
		_, pw, err := metrics.PowerSpectrum(st.OmegaBar[i], st.N)
		if err != nil {
			return err
		}
		if st.HSpectrum == nil {
			st.HSpectrum = make([]float64, len(ph))
			st.OmegaBarSpectrum = make([]float64, len(pw))
		}
		for k := range ph {
			st.HSpectrum[k] += ph[k] / float64(len(st.H))
			st.OmegaBarSpectrum[k] += pw[k] / float64(len(st.H))
		}
	}
	return nil
}

func (st *ClosureStats) moments() {
	count := 0.0
	for _, h := range st.H {
		for _, v := range h {
			st.Mean += v
			count++
		}
	}
	st.Mean /= count

	var m2, m3, m4 float64
	for _, h := range st.H {
		for _, v := range h {
			d := v - st.Mean
			m2 += d * d
			m3 += d * d * d
			m4 += d * d * d * d
		}
	}
	m2, m3, m4 = m2/count, m3/count, m4/count

	sumSquares := 0.0
	for _, h := range st.H {
		for _, v := range h {
			sumSquares += v * v
		}
	}
	st.RMS = math.Sqrt(sumSquares / count)
	st.Skewness = m3 / math.Pow(m2, 1.5)
	st.Flatness = m4 / (m2 * m2)
}

func (st *ClosureStats) histogram(cfg ClosureConfig) error {
	bins, width := cfg.Bins, cfg.Range
	if bins == 0 {
		bins = 61
	}
	if width == 0 {
		width = 6
	}
	if st.RMS == 0 {
		return fmt.Errorf("studies: the closure term is zero on every snapshot, so its PDF is undefined; check the filter ratio")
	}

	edges, err := metrics.UniformEdges(-width, width, bins)
	if err != nil {
		return err
	}
	var values []float64
	for _, h := range st.H {
		for _, v := range h {
			values = append(values, v/st.RMS)
		}
	}
	if st.PDF, err = metrics.NewHistogram(values, edges); err != nil {
		return err
	}

	st.GaussianPDF = make([]float64, bins)
	for b := range bins {
		a, z := edges[b], edges[b+1]
		st.GaussianPDF[b] = (normalCDF(z) - normalCDF(a)) / (z - a)
	}
	return nil
}

func normalCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// Wavenumbers returns the shell wavenumbers 0, 1, … of the spectra in units
// of 2π/L.
func (st *ClosureStats) Wavenumbers() []float64 {
	k := make([]float64, len(st.HSpectrum))
	for i := range k {
		k[i] = float64(i)
	}
	return k
}
