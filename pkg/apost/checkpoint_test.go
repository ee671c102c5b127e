package apost

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
)

// sameResults reports whether a and b have equal JSON encodings and
// bit-for-bit equal final fields.
func sameResults(t *testing.T, a, b *Result) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ja, jb) {
		return false
	}
	for c := range a.Closures {
		for m := range a.Closures[c].Final {
			if !sameBits(a.Closures[c].Final[m], b.Closures[c].Final[m]) {
				return false
			}
		}
	}
	return sameBits(a.Reference.Final, b.Reference.Final)
}

func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// resumeConfig has checkpoints every 0.2 over t = 1, a stochastic closure
// drawn every 4 steps and a member that blows up, so that the checkpoint
// must carry draws, failures and the averaging window.
func resumeConfig(t *testing.T, dir string) Config {
	n := testDNSGrid / testRatio
	cfg := testConfig(t, 1, 3,
		None{}, Smagorinsky{}, Oracle{},
		Learned{Label: "noise", Sampler: &noiseSampler{n: n, scale: 0.05, noise: 0.3}, Every: 4},
		Learned{Label: "blowup", Sampler: &blowUpSampler{n: n, victim: 2, from: 30}})
	cfg.CheckpointEvery = 0.2
	cfg.CheckpointDir = dir
	cfg.AverageWindow = 0.5
	cfg.RecordFields = true
	return cfg
}

// TestResumeEqualsUninterrupted stops a run after t = 0.5 and reruns it: it
// resumes from the checkpoint at t = 0.4 and ends bit for bit where the
// uninterrupted run ends.
func TestResumeEqualsUninterrupted(t *testing.T) {
	t.Parallel()
	whole := mustRun(t, resumeConfig(t, t.TempDir()))

	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cfg := resumeConfig(t, dir)
	cfg.Progress = func(tm float64) {
		if tm >= testSpinUp+0.5-1e-9 {
			cancel()
		}
	}
	if _, err := Run(ctx, cfg); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run returned %v, want context.Canceled", err)
	}

	// The blow-up sampler counts its draws, so the resumed run needs one
	// that has drawn as often as before the checkpoint at step 40.
	cfg = resumeConfig(t, dir)
	cfg.Closures[4] = Learned{Label: "blowup", Sampler: &blowUpSampler{n: testDNSGrid / testRatio, victim: 2, from: 30, draws: 40}}
	var resumedFrom float64
	cfg.Progress = func(tm float64) {
		if resumedFrom == 0 {
			resumedFrom = tm
		}
	}
	resumed := mustRun(t, cfg)

	if want := testSpinUp + 0.5; math.Abs(resumedFrom-want) > 1e-9 {
		t.Errorf("resumed run's first new output at t=%g, want %g (after the checkpoint at t=%g)", resumedFrom, want, want-0.1)
	}
	if got := len(resumed.Closure("blowup").Failures); got != 1 {
		t.Errorf("resumed run lists %d failures of closure blowup, want 1", got)
	}
	if !sameResults(t, whole, resumed) {
		t.Errorf("resumed run differs from the uninterrupted run")
	}
	for c := range whole.Closures {
		for k := range whole.Closures[c].Fields {
			for m := range whole.Closures[c].Fields[k] {
				a, b := whole.Closures[c].Fields[k][m], resumed.Closures[c].Fields[k][m]
				if len(a) != len(b) {
					t.Fatalf("closure %s output %d member %d: recorded field lengths %d and %d differ", whole.Closures[c].Name, k, m, len(a), len(b))
				}
				for i := range a {
					if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
						t.Fatalf("closure %s output %d member %d: recorded fields differ", whole.Closures[c].Name, k, m)
					}
				}
			}
		}
	}
}

// TestResumeRejectsOtherConfig refuses a checkpoint written with another
// seed instead of mixing two runs.
func TestResumeRejectsOtherConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := testConfig(t, 0.2, 1, None{})
	cfg.CheckpointEvery = 0.1
	cfg.CheckpointDir = dir
	mustRun(t, cfg)

	cfg.Seed++
	_, err := Run(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "different configuration") {
		t.Errorf("run on another configuration's checkpoint returned %v, want a configuration mismatch error", err)
	}
}

// TestResultJSONRoundTrip encodes a result with NaN entries (a failed
// member) as JSON, where NaN becomes null, and decodes it back.
func TestResultJSONRoundTrip(t *testing.T) {
	t.Parallel()
	n := testDNSGrid / testRatio
	res := mustRun(t, testConfig(t, 0.2, 2, Learned{Sampler: &blowUpSampler{n: n, victim: 0, from: 2}}))

	data, err := json.Marshal(res)
	if err != nil {
		t.Fatalf("encoding a result with a failed member: %v", err)
	}
	if !bytes.Contains(data, []byte("null")) {
		t.Errorf("JSON of a result with a failed member has no null entry")
	}
	var back Result
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(&back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Errorf("JSON round trip changed the result")
	}
	if e := back.Closures[0].MemberError[len(back.Times)-1][0]; !math.IsNaN(float64(e)) {
		t.Errorf("failed member's decoded error is %g, want NaN", float64(e))
	}
}
