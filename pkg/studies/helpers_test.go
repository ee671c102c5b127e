package studies

import (
	"sync"
	"testing"

	"github.com/closure-lab/closure/pkg/preset"
)

// tinyTrajectoryConfig is a short run of the tiny preset shared by the tests:
// 5 time units of spin-up and 6 snapshots half a time unit apart.
var tinyTrajectoryConfig = TrajectoryConfig{SpinUp: 5, Interval: 0.5, Snapshots: 6}

var (
	tinyOnce       sync.Once
	tinyTrajectory *Trajectory
	tinyErr        error
)

func tinyPreset(t *testing.T) preset.Preset {
	t.Helper()
	p, err := preset.Get("tiny")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sharedTrajectory returns the tiny trajectory, computed once per test binary.
// Callers must not modify it.
func sharedTrajectory(t *testing.T) (preset.Preset, *Trajectory) {
	t.Helper()
	p := tinyPreset(t)
	tinyOnce.Do(func() { tinyTrajectory, tinyErr = RunTrajectory(p, tinyTrajectoryConfig) })
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	return p, tinyTrajectory
}
