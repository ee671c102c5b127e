package apost

import (
	"fmt"
	"log/slog"
	"math"

	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/solver"
)

// DefaultPDFBins is the number of vorticity PDF bins when Config.PDFBins is 0.
const DefaultPDFBins = 64

// Config describes one a-posteriori run: the reference DNS, the LES ensemble
// of every closure, output times and checkpoints. Times are in the units of
// the equation and must be multiples of DNS.Dt.
type Config struct {
	// DNS holds the parameters of the reference DNS. The LES members use
	// filter.Coarsener.LESParams(DNS): grid N/r, the same ν, α, dt and
	// stepper, and the filtered forcing.
	DNS solver.Params
	// Filter is the coarse-graining; its N and L must equal DNS.N and DNS.L.
	Filter filter.Config
	// Initial is the DNS vorticity at StartTime (length DNS.N²). Every LES
	// member starts from its filtered field.
	Initial []float64
	// StartTime is the time of Initial.
	StartTime float64
	// Duration is the simulated time, a positive multiple of DNS.Dt.
	Duration float64
	// OutputEvery is the time between outputs, a positive multiple of
	// DNS.Dt dividing Duration. The start time is output too.
	OutputEvery float64

	// Members is the ensemble size M of every closure, at least 1.
	Members int
	// Closures are the closures to evaluate, each with M members.
	Closures []Closure
	// Seed is the base seed of stochastic closures.
	Seed int64

	// CheckpointEvery is the time between checkpoints, a multiple of
	// OutputEvery (and of every Learned closure's Every steps); 0 means no
	// checkpoints. The time steppers restart at every checkpoint, with or
	// without CheckpointDir, so it is part of the numerical setup.
	CheckpointEvery float64
	// CheckpointDir, when set, is where checkpoints are written and read. A
	// run whose directory holds a checkpoint of the same Config resumes it.
	CheckpointDir string

	// AverageWindow is the time before the end over which spectra and PDFs
	// are averaged (all outputs with t ≥ end − AverageWindow); 0 uses the
	// final time only.
	AverageWindow float64
	// PDFBins is the number of vorticity PDF bins; 0 means DefaultPDFBins.
	PDFBins int
	// PDFRange sets the PDF edges to [−PDFRange, PDFRange]; 0 means twice
	// the largest |ω̄| of the filtered initial field.
	PDFRange float64
	// RecordFields keeps ω̄ of every member at every output time in
	// ClosureResult.Fields, as float32: M·n²·4 bytes per output and closure.
	// NOTE: every checkpoint rewrites all fields recorded so far, so long
	// runs with RecordFields write checkpoints that grow with time.
	RecordFields bool

	// Workers is the number of goroutines stepping LES members; 0 means
	// runtime.GOMAXPROCS(0). Results do not depend on it.
	Workers int
	// Progress, if not nil, is called after every output with its time.
	Progress func(t float64)
	// Logger receives progress and failure messages; nil means slog.Default().
	Logger *slog.Logger
}

// steps holds the step counts of a Config.
type steps struct {
	total, output, checkpoint int
}

// validate checks cfg and returns its step counts.
func (cfg *Config) validate() (steps, error) {
	var s steps
	dt := cfg.DNS.Dt
	if err := cfg.DNS.Validate(); err != nil {
		return s, fmt.Errorf("apost: DNS parameters: %w", err)
	}

	switch {
	case cfg.Filter.N != cfg.DNS.N || cfg.Filter.L != cfg.DNS.L:
		return s, fmt.Errorf("apost: filter grid N=%d, L=%g differs from the DNS grid N=%d, L=%g; build the filter config from the DNS",
			cfg.Filter.N, cfg.Filter.L, cfg.DNS.N, cfg.DNS.L)
	case len(cfg.Initial) != cfg.DNS.N*cfg.DNS.N:
		return s, fmt.Errorf("apost: initial field has length %d, want DNS N²=%d", len(cfg.Initial), cfg.DNS.N*cfg.DNS.N)
	case cfg.Members < 1:
		return s, fmt.Errorf("apost: Members=%d must be at least 1", cfg.Members)
	case len(cfg.Closures) == 0:
		return s, fmt.Errorf("apost: no closures to evaluate; add e.g. apost.None{} to Config.Closures")
	case cfg.PDFBins < 0 || cfg.PDFRange < 0 || math.IsNaN(cfg.PDFRange):
		return s, fmt.Errorf("apost: PDFBins=%d and PDFRange=%g must be non-negative; use 0 for the defaults", cfg.PDFBins, cfg.PDFRange)
	case cfg.AverageWindow < 0 || cfg.AverageWindow > cfg.Duration:
		return s, fmt.Errorf("apost: AverageWindow=%g must lie in [0, Duration=%g]", cfg.AverageWindow, cfg.Duration)
	case cfg.Workers < 0:
		return s, fmt.Errorf("apost: Workers=%d must be non-negative; use 0 for GOMAXPROCS", cfg.Workers)
	}
	if err := uniqueNames(cfg.Closures); err != nil {
		return s, err
	}

	var err error
	if s.total, err = stepCount(cfg.Duration, dt, "Duration"); err != nil {
		return s, err
	}
	if s.output, err = stepCount(cfg.OutputEvery, dt, "OutputEvery"); err != nil {
		return s, err
	}
	if s.total%s.output != 0 {
		return s, fmt.Errorf("apost: OutputEvery=%g does not divide Duration=%g; choose a divisor", cfg.OutputEvery, cfg.Duration)
	}
	if cfg.CheckpointEvery == 0 {
		if cfg.CheckpointDir != "" {
			return s, fmt.Errorf("apost: CheckpointDir %q is set but CheckpointEvery is 0; set an interval", cfg.CheckpointDir)
		}
		return s, nil
	}
	if s.checkpoint, err = stepCount(cfg.CheckpointEvery, dt, "CheckpointEvery"); err != nil {
		return s, err
	}
	if s.checkpoint%s.output != 0 {
		return s, fmt.Errorf("apost: CheckpointEvery=%g is not a multiple of OutputEvery=%g; choose a multiple", cfg.CheckpointEvery, cfg.OutputEvery)
	}
	return s, checkDrawPeriods(cfg.Closures, s.checkpoint)
}

func uniqueNames(closures []Closure) error {
	seen := map[string]bool{}
	for i, c := range closures {
		if c == nil {
			return fmt.Errorf("apost: closure %d is nil", i)
		}
		if seen[c.Name()] {
			return fmt.Errorf("apost: two closures are named %q; give each a unique name (e.g. Learned.Label)", c.Name())
		}
		seen[c.Name()] = true
	}
	return nil
}

// checkDrawPeriods requires each learned closure to draw at every checkpoint,
// so that a resumed run draws at the same steps as an uninterrupted one.
func checkDrawPeriods(closures []Closure, checkpoint int) error {
	for _, c := range closures {
		l, ok := c.(Learned)
		if ok && checkpoint%l.period() != 0 {
			return fmt.Errorf("apost: checkpoint interval of %d steps is not a multiple of closure %q's draw period Every=%d; make it one",
				checkpoint, l.Name(), l.period())
		}
	}
	return nil
}

// stepCount returns span/dt as an integer, or an error unless span is a
// positive multiple of dt within relative round-off.
func stepCount(span, dt float64, what string) (int, error) {
	// multipleTol is the relative mismatch allowed between span and k·dt.
	const multipleTol = 1e-9
	k := math.Round(span / dt)
	if !(span > 0) || k < 1 || math.Abs(span-k*dt) > multipleTol*span {
		return 0, fmt.Errorf("apost: %s=%g is not a positive multiple of dt=%g; use e.g. %g", what, span, dt, math.Max(1, k)*dt)
	}
	return int(k), nil
}
