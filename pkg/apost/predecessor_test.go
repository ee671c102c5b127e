package apost

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestPredecessorReduced runs the predecessor comparison on a 32² DNS and
// an 8² LES over a short span after a short spin-up, checking its plumbing:
// report times, published columns and the oracle's round-off error.
func TestPredecessorReduced(t *testing.T) {
	t.Parallel()
	// oracleTol bounds the oracle LES error; only round-off separates it
	// from the filtered DNS.
	const oracleTol = 1e-10

	cmp, err := Predecessor(context.Background(), PredecessorOptions{
		DNSGrid: 32, Start: 1, End: 2, ReportTimes: []float64{1.5, 2}, DNSWorkers: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", cmp.Table())

	if cmp.DNSGrid != 32 || cmp.LESGrid != 8 {
		t.Errorf("grids %d²/%d², want 32²/8²", cmp.DNSGrid, cmp.LESGrid)
	}
	if len(cmp.Measured) != 4 {
		t.Fatalf("got %d closures, want none, smagorinsky, oracle and omit-viscous", len(cmp.Measured))
	}
	for _, r := range cmp.Measured {
		if len(r.Errors) != 2 {
			t.Errorf("%s: %d errors for 2 report times", r.Closure, len(r.Errors))
		}
		if r.Closure == "oracle" && !(maxFloat(r.Errors) < oracleTol) {
			t.Errorf("oracle error %g exceeds %g", maxFloat(r.Errors), oracleTol)
		}
	}
	if !math.IsNaN(float64(cmp.PublishedWithClosure[0])) {
		t.Errorf("published value at t=1.5 is %g, want NaN (none published)", float64(cmp.PublishedWithClosure[0]))
	}
	if !strings.Contains(strings.Join(cmp.Differences, "\n"), "32² DNS") {
		t.Errorf("differences do not mention the reduced grid: %q", cmp.Differences)
	}
	if _, err := json.Marshal(cmp); err != nil {
		t.Errorf("encoding the comparison: %v", err)
	}
}

// TestPredecessorDefaults checks the published table and the full-size
// defaults without running them.
func TestPredecessorDefaults(t *testing.T) {
	t.Parallel()
	opts := PredecessorOptions{}.withDefaults()
	if opts.Start != 30 || opts.End != 50 || len(opts.ReportTimes) != 4 {
		t.Errorf("defaults: t=%g→%g with report times %v, want 30→50 at %v", opts.Start, opts.End, opts.ReportTimes, PredecessorTimes)
	}
	p, err := predecessorPreset(PredecessorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Flow.GridSize != 256 || p.LESGridSize() != 64 || p.Flow.TimeStep != 1e-3 {
		t.Errorf("default preset %d²/%d², dt=%g, want 256²/64², dt=1e-3", p.Flow.GridSize, p.LESGridSize(), p.Flow.TimeStep)
	}
	if got := published(PredecessorWithoutClosure, 50); got != 1.03 {
		t.Errorf("published no-closure error at t=50 is %g, want 1.03", float64(got))
	}
}
