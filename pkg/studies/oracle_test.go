package studies

import "testing"

// TestOracleLESReproducesFilteredDNS checks that the LES driven by the true H
// stays on the filtered DNS to round-off while the LES without closure leaves it.
func TestOracleLESReproducesFilteredDNS(t *testing.T) {
	t.Parallel()
	const (
		// oracleTol bounds the oracle error (measured 1.3e-15 after one time
		// unit, 3e-14 after 5).
		oracleTol = 1e-10
		// noClosureMin is the smallest accepted error without closure after
		// one time unit (measured 0.35 on the test trajectory).
		noClosureMin = 1e-2
	)
	p, tr := sharedTrajectory(t)
	r, err := OracleLES(p, tr, OracleConfig{Duration: 1, Interval: 0.1})
	if err != nil {
		t.Fatal(err)
	}

	if len(r.Times) != 10 {
		t.Errorf("%d samples, want 10", len(r.Times))
	}
	for i, e := range r.Oracle {
		if e > oracleTol {
			t.Errorf("oracle LES error %.3g at t = %g exceeds %g", e, r.Times[i], oracleTol)
		}
	}
	if last := r.NoClosure[len(r.NoClosure)-1]; last < noClosureMin {
		t.Errorf("LES without closure has error %.3g at the end, want at least %g", last, noClosureMin)
	}
}

func TestOracleLESRejectsSnapshot(t *testing.T) {
	t.Parallel()
	p, tr := sharedTrajectory(t)
	if _, err := OracleLES(p, tr, OracleConfig{Snapshot: len(tr.Snapshots)}); err == nil {
		t.Error("a snapshot index past the end was accepted; want an error")
	}
}
