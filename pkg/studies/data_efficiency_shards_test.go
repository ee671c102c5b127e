package studies

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/dataset"
)

// withoutTimes returns the runs with their training times zeroed, the only field that
// differs between two trainings of the same run.
func withoutTimes(runs []DataEfficiencyRun) []DataEfficiencyRun {
	out := slices.Clone(runs)
	for i := range out {
		out[i].TrainSeconds = 0
	}
	return out
}

// TestDataEfficiencyShardsMergeToWholeStudy runs a four-model study whole and as two shards.
// Each shard trains every second run, the merged shards equal the whole study, and a work
// folder filled from the merged result serves a later unsharded call without training.
func TestDataEfficiencyShardsMergeToWholeStudy(t *testing.T) {
	p := quickDataEfficiencyPreset(t)
	data := filepath.Join(t.TempDir(), "data")
	cfg := DataEfficiencyConfig{Fractions: []float64{0.5, 1}, Regularizers: []string{"none", "mp"}, ReflowSteps: -1}
	whole, err := DataEfficiency(context.Background(), p, data, cfg)
	if err != nil {
		t.Fatal(err)
	}

	shards := make([]*DataEfficiencyResult, 2)
	for i := range shards {
		sharded := cfg
		sharded.Shard = dataset.Shard{Index: i, Count: 2}
		sharded.WorkDir = filepath.Join(t.TempDir(), "work")
		if shards[i], err = DataEfficiency(context.Background(), p, data, sharded); err != nil {
			t.Fatal(err)
		}
		if shards[i].Fingerprint != whole.Fingerprint {
			t.Errorf("shard %d has fingerprint %s, the whole study %s", i, shards[i].Fingerprint, whole.Fingerprint)
		}
		want := withoutTimes([]DataEfficiencyRun{whole.Runs[i], whole.Runs[i+2]})
		if got := withoutTimes(shards[i].Runs); !slices.Equal(got, want) {
			t.Errorf("shard %d/2 ran %+v, want runs %d and %d of the whole study %+v", i, got, i, i+2, want)
		}
	}

	merged, err := MergeDataEfficiency([]*DataEfficiencyResult{shards[1], shards[0]})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(withoutTimes(merged.Runs), withoutTimes(whole.Runs)) {
		t.Errorf("merged runs %+v differ from the whole study's %+v", merged.Runs, whole.Runs)
	}
	if merged.Shard != nil {
		t.Errorf("merged result keeps shard %v, want none", merged.Shard)
	}
	if want := shards[0].Seconds + shards[1].Seconds; merged.Seconds != want {
		t.Errorf("merged Seconds = %g, want the shards' sum %g", merged.Seconds, want)
	}

	work := filepath.Join(t.TempDir(), "merged-work")
	if err := RecordDataEfficiencyRuns(work, merged); err != nil {
		t.Fatal(err)
	}
	resumed := cfg
	resumed.WorkDir = work
	again, err := DataEfficiency(context.Background(), p, data, resumed)
	if err != nil {
		t.Fatal(err)
	}
	if again.Resumed != len(whole.Runs) || !slices.Equal(again.Runs, merged.Runs) {
		t.Errorf("a study in the recorded folder read back %d runs (%+v), want all %d of the merged result unchanged",
			again.Resumed, again.Runs, len(whole.Runs))
	}
}

// TestMergeDataEfficiencyRejectsBadSets checks the errors of MergeDataEfficiency on sets of
// results that do not make one study, built by hand from a study of two runs in two shards.
func TestMergeDataEfficiencyRejectsBadSets(t *testing.T) {
	t.Parallel()
	shard := func(index int, runs ...DataEfficiencyRun) *DataEfficiencyResult {
		return &DataEfficiencyResult{
			Config:      DataEfficiencyConfig{Fractions: []float64{1}, Regularizers: []string{"none", "mp"}, Seeds: 1},
			Fingerprint: "abc", FirstSeed: 7, Shard: &dataset.Shard{Index: index, Count: 2}, Runs: runs,
		}
	}
	none := DataEfficiencyRun{Fraction: 1, Regularizer: "none", Seed: 7}
	mp := DataEfficiencyRun{Fraction: 1, Regularizer: "mp", Seed: 7}
	other := shard(1, mp)
	other.Fingerprint = "def"
	unknown := shard(1, DataEfficiencyRun{Fraction: 1, Regularizer: "ga", Seed: 7}, mp)

	if merged, err := MergeDataEfficiency([]*DataEfficiencyResult{shard(0, none), shard(1, mp)}); err != nil || len(merged.Runs) != 2 {
		t.Fatalf("merging a complete set: %v, %d runs", err, len(merged.Runs))
	}
	cases := []struct {
		name   string
		shards []*DataEfficiencyResult
		want   string
	}{
		{"nothing", nil, "no data-efficiency results"},
		{"missing shard", []*DataEfficiencyResult{shard(0, none)}, "shard 1/2 is missing"},
		{"shard twice", []*DataEfficiencyResult{shard(0, none), shard(0, none)}, "shard 0/2 is given twice"},
		{"other study", []*DataEfficiencyResult{shard(0, none), other}, "different studies"},
		{"missing run", []*DataEfficiencyResult{shard(0), shard(1, mp)}, "regularizer none, fraction 1, seed 7) is missing"},
		{"repeated run", []*DataEfficiencyResult{shard(0, none, mp), shard(1, mp)}, "appears twice"},
		{"unknown run", []*DataEfficiencyResult{shard(0, none), unknown}, "not part of the study"},
	}
	for _, c := range cases {
		_, err := MergeDataEfficiency(c.shards)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// TestDataEfficiencyTableOfShard checks that the table of a shard's result lists its own runs
// and leaves out those of other shards instead of showing them as failed.
func TestDataEfficiencyTableOfShard(t *testing.T) {
	t.Parallel()
	result := &DataEfficiencyResult{
		Config: DataEfficiencyConfig{Fractions: []float64{1}, Regularizers: []string{"none", "mp", "ga"}, Seeds: 1},
		Shard:  &dataset.Shard{Index: 0, Count: 2},
		Runs: []DataEfficiencyRun{
			{Fraction: 1, Regularizer: "none", Snapshots: 10, MeanRelativeError: 0.5},
			{Fraction: 1, Regularizer: "ga", Snapshots: 10, Error: "diverged"},
		},
	}
	table := DataEfficiencyTable(result)
	if !strings.Contains(table, "| none | 10 (1) | 0.5 |") {
		t.Errorf("table lacks the shard's finished run:\n%s", table)
	}
	if !strings.Contains(table, "| ga | 10 (1) | failed: diverged |") {
		t.Errorf("table lacks the shard's failed run:\n%s", table)
	}
	if strings.Contains(table, "| mp |") {
		t.Errorf("table lists mp, a run of another shard:\n%s", table)
	}
}
