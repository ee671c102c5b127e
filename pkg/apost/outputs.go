package apost

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/metrics"
)

// outputs accumulates the Result during a run. Its fields are exported for
// encoding/gob, which stores them in checkpoints.
type outputs struct {
	Result *Result
	// WindowStart is the first step whose output enters the averages.
	WindowStart int
	Window      windowSums
}

// windowSums are the running sums behind the averaged spectra and PDFs.
type windowSums struct {
	RefSpectrum   []float64
	RefSamples    int
	RefCounts     []int
	RefOutside    int
	Spectrum      [][]float64 // per closure, summed over members and outputs
	SpectrumCount []int       // member-outputs per closure
	Counts        [][]int
	Outside       []int
	// RefTransfer and Transfer sum the transfer by shell of the DNS's closure term and of
	// each closure's members from runner.shellStart on.
	RefTransfer shellSums
	Transfer    []shellSums
}

func newOutputs(r *runner) *outputs {
	cfg := r.cfg
	res := &Result{
		StartTime: cfg.StartTime, Duration: cfg.Duration, Dt: cfg.DNS.Dt,
		DNSGrid: cfg.DNS.N, LESGrid: r.les.N, Length: cfg.DNS.L,
		Members: cfg.Members, Seed: cfg.Seed,
	}

	windowSteps := int(math.Round(cfg.AverageWindow / cfg.DNS.Dt))
	o := &outputs{Result: res, WindowStart: r.steps.total - windowSteps}
	res.AverageFrom = r.time(o.WindowStart)

	shells := r.lesGrid.SpectrumLen()
	res.Wavenumbers = make([]float64, shells)
	for k := range res.Wavenumbers {
		res.Wavenumbers[k] = float64(k)
	}
	res.PDFEdges = pdfEdges(cfg, r.filteredDNS())

	bins := len(res.PDFEdges) - 1
	o.Window.RefSpectrum = make([]float64, shells)
	o.Window.RefCounts = make([]int, bins)
	for _, e := range r.ensembles {
		res.Closures = append(res.Closures, ClosureResult{Name: e.closure.Name()})
		o.Window.Spectrum = append(o.Window.Spectrum, make([]float64, shells))
		o.Window.Counts = append(o.Window.Counts, make([]int, bins))
	}
	o.Window.SpectrumCount = make([]int, len(r.ensembles))
	o.Window.Outside = make([]int, len(r.ensembles))
	o.Window.Transfer = make([]shellSums, len(r.ensembles))
	return o
}

// pdfEdges returns uniform edges on [−R, R], R = cfg.PDFRange or twice the
// largest |ω̄| of the filtered initial field.
func pdfEdges(cfg Config, bar []float64) []float64 {
	limit := cfg.PDFRange
	if limit == 0 {
		for _, v := range bar {
			limit = math.Max(limit, 2*math.Abs(v))
		}
	}
	if limit == 0 {
		limit = 1
	}
	bins := cfg.PDFBins
	if bins == 0 {
		bins = DefaultPDFBins
	}
	// UniformEdges fails only for bins <= 0 or an empty range, excluded above.
	edges, _ := metrics.UniformEdges(-limit, limit, bins)
	return edges
}

// filteredDNS returns ω̄ of the current DNS state on the LES grid.
func (r *runner) filteredDNS() []float64 {
	bar, _ := r.filteredDNSHat()
	return bar
}

// filteredDNSHat returns ω̄ of the current DNS state and its half spectrum.
func (r *runner) filteredDNSHat() ([]float64, []complex128) {
	barHat := make([]complex128, r.lesGrid.SpectralSize())
	r.coarsener.FilterHat(barHat, r.dns.VorticityHat())
	bar := make([]float64, r.lesGrid.Size())
	r.lesGrid.Inverse(bar, barHat)
	return bar, barHat
}

// record appends the metrics of the current step to the result.
func (o *outputs) record(r *runner) error {
	res := o.Result
	res.Times = append(res.Times, r.time(r.step))
	inWindow := r.step >= o.WindowStart

	bar, barHat := r.filteredDNSHat()
	res.Reference.Energy = append(res.Reference.Energy, r.lesGrid.KineticEnergy(barHat))
	res.Reference.Enstrophy = append(res.Reference.Enstrophy, r.lesGrid.Enstrophy(barHat))
	transfer, rms := interval(r.reference.sums)
	res.Reference.Transfer = appendPadded(res.Reference.Transfer, transfer, len(res.Times))
	res.Reference.ClosureRMS = appendPadded(res.Reference.ClosureRMS, rms, len(res.Times))
	if inWindow {
		addSpectrum(o.Window.RefSpectrum, r.lesGrid.EnergySpectrum(make([]float64, r.lesGrid.SpectrumLen()), barHat))
		o.Window.RefSamples++
		outside, err := addHistogram(o.Window.RefCounts, bar, res.PDFEdges)
		if err != nil {
			return fmt.Errorf("apost: PDF of the filtered DNS at t=%g: %w", r.time(r.step), err)
		}
		o.Window.RefOutside += outside
	}

	for ci, e := range r.ensembles {
		if err := o.recordEnsemble(r, ci, e, bar, inWindow); err != nil {
			return err
		}
	}
	o.drainShells(r)
	return nil
}

// drainShells moves the transfer by shell sampled since the previous output into the window
// sums, which checkpoints keep.
func (o *outputs) drainShells(r *runner) {
	w := &o.Window
	if len(w.Transfer) < len(r.ensembles) { // a checkpoint written before these sums existed
		w.Transfer = append(w.Transfer, make([]shellSums, len(r.ensembles)-len(w.Transfer))...)
	}
	w.RefTransfer.drain(&r.reference.shells)
	for ci, e := range r.ensembles {
		for _, s := range e.shells {
			if s != nil {
				w.Transfer[ci].drain(&s.sums)
			}
		}
	}
}

// recordEnsemble appends closure ci's metrics against the filtered DNS bar.
func (o *outputs) recordEnsemble(r *runner, ci int, e *ensemble, bar []float64, inWindow bool) error {
	cr := &o.Result.Closures[ci]
	t := r.time(r.step)

	errs := make([]Float, len(e.members))
	var alive [][]float64
	var energy, enstrophy float64
	var fields [][]float32
	if r.cfg.RecordFields {
		fields = make([][]float32, len(e.members))
	}

	for m, s := range e.members {
		errs[m] = Float(math.NaN())
		if s == nil {
			continue
		}
		omega := s.Vorticity(e.states[m])
		alive = append(alive, omega)
		if rel, err := metrics.RelativeL2(omega, bar); err == nil {
			errs[m] = Float(rel)
		}
		energy += s.KineticEnergy()
		enstrophy += s.Enstrophy()
		if fields != nil {
			fields[m] = make([]float32, len(omega))
			toFloat32(fields[m], omega)
		}

		if inWindow {
			addSpectrum(o.Window.Spectrum[ci], s.EnergySpectrum())
			o.Window.SpectrumCount[ci]++
			outside, err := addHistogram(o.Window.Counts[ci], omega, o.Result.PDFEdges)
			if err != nil {
				return fmt.Errorf("apost: PDF of closure %q, member %d at t=%g: %w", cr.Name, m, t, err)
			}
			o.Window.Outside[ci] += outside
		}
	}

	count := float64(len(alive))
	cr.MemberError = append(cr.MemberError, errs)
	cr.Energy = append(cr.Energy, Float(energy/count))
	cr.Enstrophy = append(cr.Enstrophy, Float(enstrophy/count))
	cr.MeanError = append(cr.MeanError, meanError(alive, bar))
	transfer, rms := Float(0), Float(0)
	if e.coupled {
		transfer, rms = interval(e.budgets)
	}
	cr.Transfer = appendPadded(cr.Transfer, transfer, len(o.Result.Times))
	cr.ClosureRMS = appendPadded(cr.ClosureRMS, rms, len(o.Result.Times))
	spread, skill := spreadSkill(alive, bar)
	cr.Spread = append(cr.Spread, spread)
	cr.SpreadSkill = append(cr.SpreadSkill, skill)
	if fields != nil {
		cr.Fields = append(cr.Fields, fields)
	}
	return nil
}

// appendPadded appends v to series so that it has length n, first filling outputs that a
// checkpoint written before the series existed left out with NaN.
func appendPadded(series []Float, v Float, n int) []Float {
	for len(series) < n-1 {
		series = append(series, Float(math.NaN()))
	}
	return append(series, v)
}

func meanError(alive [][]float64, bar []float64) Float {
	if len(alive) == 0 {
		return Float(math.NaN())
	}
	mean, err := metrics.EnsembleMean(alive)
	if err != nil {
		return Float(math.NaN())
	}
	rel, err := metrics.RelativeL2(mean, bar)
	if err != nil {
		return Float(math.NaN())
	}
	return Float(rel)
}

// spreadSkill returns the RMS spread and the corrected spread-skill ratio,
// NaN where they are undefined (fewer than two members, zero RMSE).
func spreadSkill(alive [][]float64, bar []float64) (Float, Float) {
	nan := Float(math.NaN())
	if len(alive) < 2 {
		return nan, nan
	}
	spread, err := metrics.EnsembleSpread(alive)
	if err != nil {
		return nan, nan
	}
	ss, err := metrics.SpreadSkillRatio(alive, bar)
	if err != nil {
		return Float(spread.RMS), nan
	}
	return Float(spread.RMS), Float(ss.CorrectedRatio)
}

func addSpectrum(sum, spectrum []float64) {
	for k, v := range spectrum {
		sum[k] += v
	}
}

// addHistogram adds the bin counts of values to counts and returns the
// number of values outside the edges.
func addHistogram(counts []int, values, edges []float64) (int, error) {
	h, err := metrics.NewHistogram(values, edges)
	if err != nil {
		return 0, err
	}
	for b, c := range h.Counts {
		counts[b] += c
	}
	return h.Outside, nil
}

func (o *outputs) addFailure(r *runner, e *ensemble, f Failure) {
	for ci, other := range r.ensembles {
		if other == e {
			o.Result.Closures[ci].Failures = append(o.Result.Closures[ci].Failures, f)
		}
	}
}

// finish normalizes the averages, stores the final fields and returns the
// result.
func (o *outputs) finish(r *runner) *Result {
	res := o.Result
	w := o.Window

	res.Reference.Spectrum = scaled(w.RefSpectrum, w.RefSamples)
	res.Reference.PDF = density(w.RefCounts, res.PDFEdges)
	res.Reference.PDFOutside = w.RefOutside
	res.Reference.Final = r.filteredDNS()
	res.Reference.TransferSpectrum = w.RefTransfer.mean()
	res.TransferFrom = r.time(r.shellStart())

	for ci, e := range r.ensembles {
		cr := &res.Closures[ci]
		cr.Spectrum = scaled(w.Spectrum[ci], w.SpectrumCount[ci])
		cr.PDF = density(w.Counts[ci], res.PDFEdges)
		cr.PDFOutside = w.Outside[ci]
		cr.TransferSpectrum = w.Transfer[ci].mean()
		if !e.coupled {
			cr.TransferSpectrum = make([]float64, len(res.Wavenumbers))
		}
		cr.Final = make([][]float64, len(e.members))
		for m, s := range e.members {
			if s != nil {
				cr.Final[m] = s.Vorticity(nil)
			}
		}
	}
	return res
}

// scaled returns sum/count, or nil when count is 0 (every member failed
// before the window).
func scaled(sum []float64, count int) []float64 {
	if count == 0 {
		return nil
	}
	out := make([]float64, len(sum))
	for k, v := range sum {
		out[k] = v / float64(count)
	}
	return out
}

// density turns bin counts into a PDF that integrates to 1 over the edges.
func density(counts []int, edges []float64) []float64 {
	total := 0
	for _, c := range counts {
		total += c
	}
	pdf := make([]float64, len(counts))
	if total == 0 {
		return pdf
	}
	for b, c := range counts {
		pdf[b] = float64(c) / (float64(total) * (edges[b+1] - edges[b]))
	}
	return pdf
}
