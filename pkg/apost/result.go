package apost

import (
	"encoding/json"
	"math"
)

// Float is a float64 that encodes NaN and ±Inf as JSON null (and decodes
// null as NaN), because JSON has no such numbers. Metrics that are undefined
// at an output time, such as the error of a member that has blown up, are NaN.
type Float float64

// MarshalJSON writes the number, or null when it is not finite.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads a number, or NaN for null.
func (f *Float) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*f = Float(v)
	return nil
}

// Failure records an LES member that stopped before the end of the run.
type Failure struct {
	Closure string  `json:"closure"`
	Member  int     `json:"member"`
	Time    float64 `json:"time"` // simulation time of the failing evaluation
	Step    int     `json:"step"` // index of the step being taken, counted from the run start
	// Reason is the solver's error message. The step number inside it
	// counts from the last stepper restart (checkpoint), unlike Step.
	Reason string `json:"reason"`
}

// Result is the outcome of Run: time series at the output times, spectra and
// PDFs for every closure and for the filtered DNS. It serializes to JSON;
// fields are kept in memory only.
type Result struct {
	StartTime float64 `json:"start_time"`
	Duration  float64 `json:"duration"`
	Dt        float64 `json:"dt"`
	DNSGrid   int     `json:"dns_grid"`
	LESGrid   int     `json:"les_grid"`
	Length    float64 `json:"length"` // side L of the periodic square
	Members   int     `json:"members"`
	Seed      int64   `json:"seed"`

	// Times are the output times, starting with StartTime.
	Times []float64 `json:"times"`
	// Reference holds the series of the filtered DNS.
	Reference ReferenceSeries `json:"reference"`
	// Closures holds one entry per closure, in the order of Config.Closures.
	Closures []ClosureResult `json:"closures"`

	// Wavenumbers are the shells k (units of 2π/L) of every spectrum.
	Wavenumbers []float64 `json:"wavenumbers"`
	// AverageFrom is the first output time averaged into the spectra and
	// PDFs; it equals the final time when Config.AverageWindow is 0.
	AverageFrom float64 `json:"average_from"`
	// PDFEdges are the bin edges of every vorticity PDF.
	PDFEdges []float64 `json:"pdf_edges"`
	// TransferFrom is the first time averaged into the transfer by shell: AverageFrom, or
	// the start of the last output interval when the window is shorter.
	TransferFrom float64 `json:"transfer_from"`
}

// ReferenceSeries are the diagnostics of the filtered DNS ω̄_DNS.
type ReferenceSeries struct {
	Energy    []float64 `json:"energy"`    // ½⟨ū²+v̄²⟩ per output time
	Enstrophy []float64 `json:"enstrophy"` // ½⟨ω̄²⟩ per output time
	// Transfer and ClosureRMS are ⟨ω̄H⟩ and √⟨H²⟩ of the DNS's own closure term, defined as
	// ClosureResult's but taken at up to referenceSamples (10) steps per output interval.
	Transfer   []Float `json:"transfer"`
	ClosureRMS []Float `json:"closure_rms"`
	// TransferSpectrum is the DNS closure term's transfer by shell, defined as ClosureResult's.
	TransferSpectrum []float64 `json:"transfer_spectrum"`
	Spectrum         []float64 `json:"spectrum"` // energy spectrum, averaged over the window
	PDF              []float64 `json:"pdf"`      // density of ω̄ values, averaged over the window
	// PDFOutside counts the values outside PDFEdges, which PDF leaves out.
	PDFOutside int `json:"pdf_outside"`

	// Final is ω̄_DNS at the final time (length n*n).
	Final []float64 `json:"-"`
}

// ClosureResult holds the metrics of one closure's ensemble against the
// filtered DNS. Per-time slices have one value per output time. Metrics over
// members use the members that have not failed, and are NaN (null in JSON)
// when none is left.
type ClosureResult struct {
	Name string `json:"name"`

	// MemberError[t][m] is ‖ω̄_m − ω̄_DNS‖₂/‖ω̄_DNS‖₂ of member m at output t.
	MemberError [][]Float `json:"member_error"`
	// MeanError is the relative L2 error of the ensemble mean.
	MeanError []Float `json:"mean_error"`
	// Energy and Enstrophy are ensemble means of ½⟨ū²+v̄²⟩ and ½⟨ω̄²⟩.
	Energy    []Float `json:"energy"`
	Enstrophy []Float `json:"enstrophy"`
	// Spread is the RMS ensemble spread sqrt(mean_p var_p) of ω̄ (NaN with
	// fewer than two members).
	Spread []Float `json:"spread"`
	// SpreadSkill is the corrected spread-skill ratio sqrt((M+1)/M)·spread/RMSE
	// of metrics.SpreadSkillRatio (NaN when the RMSE is zero or fewer than two
	// members are left).
	SpreadSkill []Float `json:"spread_skill"`
	// Transfer is the rate ⟨ω̄H⟩ at which the closure term removes resolved enstrophy ½⟨ω̄²⟩,
	// because the LES equation has −H on its right-hand side. A negative value is net
	// backscatter. It is taken at the first evaluation of every step and averaged over the
	// steps since the previous output and over the members, so it is NaN at the first output.
	// ClosureRMS is √⟨H²⟩, averaged the same way. None's are 0.
	Transfer   []Float `json:"transfer"`
	ClosureRMS []Float `json:"closure_rms"`
	// TransferSpectrum[k] is the part of ⟨ω̄H⟩ carried by the modes of shell k of Wavenumbers,
	// so the shells sum to ⟨ω̄H⟩. It is averaged over the members and over up to 10 steps per
	// output interval from Result.TransferFrom on. A negative shell is fed enstrophy by the
	// closure. None's is 0, and it is nil when no member reached a sampled step.
	TransferSpectrum []float64 `json:"transfer_spectrum"`

	// Spectrum is the members' mean energy spectrum, averaged over the
	// window; nil when every member failed before the window.
	Spectrum []float64 `json:"spectrum"`
	// PDF is the density of the pooled members' ω̄ values over the window.
	PDF        []float64 `json:"pdf"`
	PDFOutside int       `json:"pdf_outside"`

	// Failures lists the members that stopped, in the order they failed.
	Failures []Failure `json:"failures"`

	// Fields[t][m] is ω̄ of member m at output t, kept only with
	// Config.RecordFields (nil for a failed member).
	Fields [][][]float32 `json:"-"`
	// Final is ω̄ of every member at the final time (nil for a failed member).
	Final [][]float64 `json:"-"`
}

// Closure returns the result of the closure with the given name, or nil.
func (r *Result) Closure(name string) *ClosureResult {
	for i := range r.Closures {
		if r.Closures[i].Name == name {
			return &r.Closures[i]
		}
	}
	return nil
}

// ErrorAt returns the ensemble-mean relative error of closure name at the
// output time nearest to t, or NaN when the closure is unknown.
func (r *Result) ErrorAt(name string, t float64) float64 {
	c := r.Closure(name)
	if c == nil || len(r.Times) == 0 {
		return math.NaN()
	}
	best := 0
	for i, ti := range r.Times {
		if math.Abs(ti-t) < math.Abs(r.Times[best]-t) {
			best = i
		}
	}
	return float64(c.MeanError[best])
}
