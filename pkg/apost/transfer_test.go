package apost

import (
	"math"
	"testing"
)

// linearDamping is the closure H = c·ω̄, whose transfer ⟨ω̄H⟩ = 2c·Z is known from the
// enstrophy Z = ½⟨ω̄²⟩ of the state it is evaluated at.
type linearDamping struct{ c float64 }

func (linearDamping) Name() string                { return "linear damping" }
func (linearDamping) UsesDNS() bool               { return false }
func (d linearDamping) Bind(Env) (Binding, error) { return d, nil }
func (linearDamping) Prepare(StepInfo) error      { return nil }
func (d linearDamping) Term(_, _ int, _ float64, omega, h []float64) error {
	for i, v := range omega {
		h[i] = d.c * v
	}
	return nil
}

// TestTransferOfKnownClosures checks the transfer series against closures whose transfer is
// known: none's is zero, the oracle's equals the filtered DNS's own up to round-off, and
// H = c·ω̄ with one step per output gives 2c times the enstrophy of the previous output.
func TestTransferOfKnownClosures(t *testing.T) {
	t.Parallel()
	const c = 0.3
	cfg := testConfig(t, 0.2, 2, None{}, Oracle{}, linearDamping{c: c})
	cfg.OutputEvery = cfg.DNS.Dt
	res := mustRun(t, cfg)

	if got := len(res.Reference.Transfer); got != len(res.Times) {
		t.Fatalf("reference transfer has %d values for %d outputs", got, len(res.Times))
	}
	if !math.IsNaN(float64(res.Reference.Transfer[0])) {
		t.Errorf("reference transfer at the first output is %g, want NaN (no step yet)", res.Reference.Transfer[0])
	}
	none, oracle, damping := res.Closure("none"), res.Closure("oracle"), res.Closure("linear damping")
	for i := 1; i < len(res.Times); i++ {
		reference := float64(res.Reference.Transfer[i])
		if none.Transfer[i] != 0 || none.ClosureRMS[i] != 0 {
			t.Errorf("output %d: none has transfer %g and RMS %g, want 0", i, none.Transfer[i], none.ClosureRMS[i])
		}
		if d := math.Abs(float64(oracle.Transfer[i]) - reference); d > 1e-9*math.Abs(reference) {
			t.Errorf("output %d: oracle transfer %g, filtered DNS %g (difference %g, tolerance 1e-9 relative)",
				i, oracle.Transfer[i], reference, d)
		}
		want := 2 * c * float64(damping.Enstrophy[i-1])
		if d := math.Abs(float64(damping.Transfer[i]) - want); d > 1e-12*want {
			t.Errorf("output %d: transfer of H = %g·ω̄ is %g, want 2c·Z = %g", i, c, damping.Transfer[i], want)
		}
		wantRMS := c * math.Sqrt(2*float64(damping.Enstrophy[i-1]))
		if d := math.Abs(float64(damping.ClosureRMS[i]) - wantRMS); d > 1e-12*wantRMS {
			t.Errorf("output %d: RMS of H = %g·ω̄ is %g, want c·√(2Z) = %g", i, c, damping.ClosureRMS[i], wantRMS)
		}
	}
	if reference := float64(res.Reference.ClosureRMS[1]); !(reference > 0) {
		t.Errorf("RMS of the DNS closure term is %g, want a positive value", reference)
	}
}

// TestTransferByShellOfKnownClosures checks the transfer by shell: none's is zero, the
// oracle's equals the filtered DNS's shell by shell, H = c·ω̄ takes enstrophy from every
// shell, and each sums to the mean of the transfer series over the sampled steps.
func TestTransferByShellOfKnownClosures(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t, 0.2, 2, None{}, Oracle{}, linearDamping{c: 0.3})
	cfg.OutputEvery = cfg.DNS.Dt
	cfg.AverageWindow = 0.1
	res := mustRun(t, cfg)

	first := int(math.Round((res.TransferFrom-res.StartTime)/res.Dt)) + 1 // first output after a sampled step
	if want := res.AverageFrom; math.Abs(res.TransferFrom-want) > 1e-12 {
		t.Errorf("TransferFrom = %g, want the window start %g", res.TransferFrom, want)
	}
	meanAfter := func(series []Float) float64 {
		sum := 0.0
		for _, v := range series[first:] {
			sum += float64(v)
		}
		return sum / float64(len(series)-first)
	}
	checkSum := func(name string, spectrum []float64, series []Float) {
		t.Helper()
		if len(spectrum) != len(res.Wavenumbers) {
			t.Fatalf("%s: %d shells, want %d", name, len(spectrum), len(res.Wavenumbers))
		}
		sum := 0.0
		for _, v := range spectrum {
			sum += v
		}
		if want := meanAfter(series); math.Abs(sum-want) > 1e-9*math.Abs(want) {
			t.Errorf("%s: Σ_k T(k) = %.12g, want the mean transfer %.12g over the sampled steps", name, sum, want)
		}
	}

	none, oracle, damping := res.Closure("none"), res.Closure("oracle"), res.Closure("linear damping")
	checkSum("filtered DNS", res.Reference.TransferSpectrum, res.Reference.Transfer)
	checkSum("oracle", oracle.TransferSpectrum, oracle.Transfer)
	checkSum("linear damping", damping.TransferSpectrum, damping.Transfer)
	scale := 0.0
	for _, v := range res.Reference.TransferSpectrum {
		scale = math.Max(scale, math.Abs(v))
	}
	for k := range res.Wavenumbers {
		if none.TransferSpectrum[k] != 0 {
			t.Errorf("shell %d: none's transfer %g, want 0", k, none.TransferSpectrum[k])
		}
		if d := math.Abs(oracle.TransferSpectrum[k] - res.Reference.TransferSpectrum[k]); d > 1e-9*scale {
			t.Errorf("shell %d: oracle %g, filtered DNS %g", k, oracle.TransferSpectrum[k], res.Reference.TransferSpectrum[k])
		}
		if damping.TransferSpectrum[k] < 0 {
			t.Errorf("shell %d: H = c·ω̄ with c > 0 feeds the shell (T = %g), want T ≥ 0", k, damping.TransferSpectrum[k])
		}
	}
}
