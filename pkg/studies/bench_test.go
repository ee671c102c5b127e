package studies

import (
	"testing"

	"github.com/closure-lab/closure/pkg/preset"
)

func benchPreset(b *testing.B) preset.Preset {
	b.Helper()
	p, err := preset.Get("tiny")
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func BenchmarkClosureStatistics(b *testing.B) {
	p := benchPreset(b)
	tr, err := RunTrajectory(p, TrajectoryConfig{SpinUp: -1, Interval: 0.1, Snapshots: 8})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := ClosureStatistics(p, tr, ClosureConfig{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSubfilterSpread(b *testing.B) {
	p := benchPreset(b)
	tr, err := RunTrajectory(p, TrajectoryConfig{SpinUp: -1, Interval: 0.1, Snapshots: 1})
	if err != nil {
		b.Fatal(err)
	}
	c, err := NewCoarsener(p)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := SubfilterSpread(c, tr.Snapshots[0], SpreadConfig{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOracleLES times one time unit of the DNS with two LES runs.
func BenchmarkOracleLES(b *testing.B) {
	p := benchPreset(b)
	tr, err := RunTrajectory(p, TrajectoryConfig{SpinUp: -1, Interval: 0.1, Snapshots: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := OracleLES(p, tr, OracleConfig{Duration: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
