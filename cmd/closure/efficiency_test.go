package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/studies"
)

// TestEfficiencyShardsMerge runs a two-model study as two shards and merges them: the merged
// result contains both runs in the study's order with its figures, and the work folder of the
// whole study lists both runs as finished.
func TestEfficiencyShardsMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a data set and trains two latent models")
	}
	lookupPreset = quickTiny
	t.Cleanup(func() { lookupPreset = preset.Get })
	root := t.TempDir()
	study := []string{"--preset", "tiny", "--data", filepath.Join(root, "data"), "--fractions", "1", "--regularizers", "none,mp",
		"--ae-steps", "5", "--fm-steps", "5", "--reflow-steps", "-1", "--test-snapshots", "2"}
	var shardDirs []string
	for _, shard := range []string{"0/2", "1/2"} {
		dir := filepath.Join(root, "shard-"+shard[:1])
		args := append([]string{"efficiency", "--shard", shard, "--out", dir}, study...)
		if err := dispatch(context.Background(), args); err != nil {
			t.Fatalf("shard %s: %v", shard, err)
		}
		shardDirs = append(shardDirs, dir)
	}

	out := filepath.Join(root, "merged")
	if err := dispatch(context.Background(), append([]string{"efficiency", "--merge", "--out", out}, shardDirs...)); err != nil {
		t.Fatal(err)
	}
	merged, err := studies.LoadDataEfficiency(filepath.Join(out, efficiencyResultFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(merged.Runs) != 2 || merged.Runs[0].Regularizer != "none" || merged.Runs[1].Regularizer != "mp" {
		t.Errorf("merged runs %+v, want none then mp", merged.Runs)
	}
	for _, metric := range studies.DataEfficiencyMetrics {
		if _, err := os.Stat(filepath.Join(out, "data_efficiency_"+string(metric)+".png")); err != nil {
			t.Errorf("figure of %s missing: %v", metric, err)
		}
	}
	content, err := os.ReadFile(filepath.Join(out, "data-efficiency", "runs.json"))
	if err != nil {
		t.Fatal(err)
	}
	var recorded struct{ Runs []json.RawMessage }
	if err := json.Unmarshal(content, &recorded); err != nil || len(recorded.Runs) != 2 {
		t.Errorf("work folder of the merged study lists %d runs (%v), want 2", len(recorded.Runs), err)
	}

	err = dispatch(context.Background(), []string{"efficiency", "--merge", "--out", filepath.Join(root, "half"), shardDirs[0]})
	if err == nil || !strings.Contains(err.Error(), "shard 1/2 is missing") {
		t.Errorf("merging one of two shards: error %v, want one naming the missing shard", err)
	}
}

func TestEfficiencyRejectsBadInput(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"efficiency", "--preset", "tiny", "--shard", "2/2"}, `"2/2"`},
		{[]string{"efficiency", "--preset", "tiny", "--fractions", "0.5,x"}, `fraction "x"`},
		{[]string{"efficiency", "--preset", "tiny", "--fractions", "1/0"}, `fraction "1/0"`},
		{[]string{"efficiency", "--preset", "tiny", "--reflow-steps", "-2"}, "--reflow-steps=-2"},
		{[]string{"efficiency", "--preset", "tiny", "--regularizers", "none,lasso", "--data", t.TempDir()}, `regularizer "lasso" is unknown`},
		{[]string{"efficiency", "--preset", "tiny", "--out", file}, "is a file"},
		{[]string{"efficiency", "--preset", "tiny", "extra"}, "no positional arguments"},
		{[]string{"efficiency", "--merge"}, "needs the shard results"},
		{[]string{"efficiency", "--merge", filepath.Join(t.TempDir(), "missing.json")}, "missing.json"},
	}
	for _, c := range cases {
		err := dispatch(context.Background(), c.args)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("closure %s: error %v, want one containing %q", strings.Join(c.args, " "), err, c.want)
		}
	}
}
