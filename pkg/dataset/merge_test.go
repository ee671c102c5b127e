package dataset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	mergeTrajectories = 7
	mergeShards       = 3
)

// writeShards writes every shard of a mergeShards-way run into its own
// directory and returns the directories.
func writeShards(t *testing.T, cfg Config) []string {
	t.Helper()
	root := t.TempDir()
	dirs := make([]string, mergeShards)
	for i := range dirs {
		dirs[i] = filepath.Join(root, fmt.Sprintf("shard-%d", i))
		shardCfg := cfg
		shardCfg.Shard = Shard{Index: i, Count: mergeShards}
		w := writeDataSet(t, dirs[i], shardCfg)
		if !w.Complete() {
			t.Fatalf("shard %d not complete", i)
		}
	}
	return dirs
}

func TestMergeEqualsUnshardedRun(t *testing.T) {
	t.Parallel()
	cfg := testConfig(mergeTrajectories)
	shardDirs := writeShards(t, cfg)
	out := filepath.Join(t.TempDir(), "merged")

	merged, err := Merge(out, shardDirs...)
	if err != nil {
		t.Fatal(err)
	}
	if !merged.Complete || merged.Shard != (Shard{Index: 0, Count: 1}) || len(merged.Trajectories) != mergeTrajectories {
		t.Errorf("merged manifest complete %v shard %s with %d trajectories", merged.Complete, merged.Shard, len(merged.Trajectories))
	}

	d, err := Open(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(); err != nil {
		t.Errorf("merged data set: %v", err)
	}

	// Files are byte-identical to an unsharded run, so checksums and splits
	// agree entry by entry.
	single := t.TempDir()
	writeDataSet(t, single, cfg)
	reference := testManifest(t, single)
	for i, e := range d.Manifest().Trajectories {
		r := reference.Trajectories[i]
		if e.Index != r.Index || e.SHA256 != r.SHA256 || e.Split != r.Split {
			t.Errorf("merged entry %d (%s, %s) differs from unsharded entry %d (%s, %s)",
				e.Index, e.SHA256, e.Split, r.Index, r.SHA256, r.Split)
		}
	}

	if names := dirNames(t, out); slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, tempPrefix) }) {
		t.Errorf("merge left temporary files: %v", names)
	}
}

func TestMergeDetectsMissingTrajectories(t *testing.T) {
	t.Parallel()
	shardDirs := writeShards(t, testConfig(mergeTrajectories))
	out := filepath.Join(t.TempDir(), "merged")

	_, err := Merge(out, shardDirs[0], shardDirs[2])
	var mergeErr *MergeError
	if !errors.As(err, &mergeErr) || !errors.Is(err, ErrCoverage) {
		t.Fatalf("Merge without shard 1 returned %v, want *MergeError", err)
	}
	if want := (Shard{Index: 1, Count: mergeShards}).Indices(mergeTrajectories); !slices.Equal(mergeErr.Missing, want) {
		t.Errorf("missing %v, want %v", mergeErr.Missing, want)
	}
	if len(mergeErr.Duplicate) != 0 {
		t.Errorf("duplicates %v, want none", mergeErr.Duplicate)
	}
	if !strings.Contains(err.Error(), "missing trajectories [1 4]") {
		t.Errorf("error %q does not list the missing indices", err)
	}
	if _, statErr := os.Stat(out); !errors.Is(statErr, os.ErrNotExist) {
		t.Errorf("failed merge created %s", out)
	}
}

func TestMergeDetectsDuplicateTrajectories(t *testing.T) {
	t.Parallel()
	cfg := testConfig(mergeTrajectories)
	shardDirs := writeShards(t, cfg)

	// A second worker that ran shard 2 again.
	rerun := filepath.Join(t.TempDir(), "shard-2-again")
	rerunCfg := cfg
	rerunCfg.Shard = Shard{Index: 2, Count: mergeShards}
	writeDataSet(t, rerun, rerunCfg)

	_, err := Merge(filepath.Join(t.TempDir(), "merged"), append(shardDirs, rerun)...)
	var mergeErr *MergeError
	if !errors.As(err, &mergeErr) {
		t.Fatalf("Merge with shard 2 twice returned %v, want *MergeError", err)
	}
	if want := (Shard{Index: 2, Count: mergeShards}).Indices(mergeTrajectories); !slices.Equal(mergeErr.Duplicate, want) {
		t.Errorf("duplicates %v, want %v", mergeErr.Duplicate, want)
	}
	if len(mergeErr.Missing) != 0 {
		t.Errorf("missing %v, want none", mergeErr.Missing)
	}
}

func TestMergeRejectsDifferentParameters(t *testing.T) {
	t.Parallel()
	cfg := testConfig(mergeTrajectories)
	shardDirs := writeShards(t, cfg)

	other := cfg
	params := newTestParams()
	params.Seed = 8
	other.Params = params
	other.Shard = Shard{Index: 1, Count: mergeShards}
	odd := filepath.Join(t.TempDir(), "odd-shard")
	writeDataSet(t, odd, other)

	_, err := Merge(filepath.Join(t.TempDir(), "merged"), shardDirs[0], odd, shardDirs[2])
	var mismatch *ParamsMismatchError
	if !errors.As(err, &mismatch) {
		t.Fatalf("Merge of shards with different seeds returned %v, want *ParamsMismatchError", err)
	}
	if mismatch.Dir != odd || mismatch.Reference != shardDirs[0] {
		t.Errorf("mismatch names %s against %s, want %s against %s", mismatch.Dir, mismatch.Reference, odd, shardDirs[0])
	}
	if len(mismatch.Diffs) != 1 || mismatch.Diffs[0].Name != "params.seed" {
		t.Errorf("differing parameters %+v, want only params.seed", mismatch.Diffs)
	}
}

func TestMergeVerifiesChecksums(t *testing.T) {
	t.Parallel()
	shardDirs := writeShards(t, testConfig(mergeTrajectories))
	damaged := flipByte(t, shardDirs[0])
	// flipByte damages the last trajectory, which is in shard 0 only when
	// mergeTrajectories-1 is a multiple of mergeShards.
	if (mergeTrajectories-1)%mergeShards != 0 {
		t.Fatal("test setup: the damaged trajectory is not in shard 0")
	}
	out := filepath.Join(t.TempDir(), "merged")

	_, err := Merge(out, shardDirs...)
	if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), damaged) {
		t.Errorf("Merge with a damaged file returned %v, want ErrChecksum naming %s", err, damaged)
	}
}

func TestMergeRejectsExistingDataSet(t *testing.T) {
	t.Parallel()
	shardDirs := writeShards(t, testConfig(mergeTrajectories))
	out := t.TempDir()
	writeDataSet(t, out, testConfig(2))
	before := snapshotDir(t, out)

	if _, err := Merge(out, shardDirs...); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("Merge into an existing data set returned %v, want ErrNotEmpty", err)
	}
	assertDirUnchanged(t, out, before)

	if _, err := Merge(shardDirs[1], shardDirs...); err == nil || !strings.Contains(err.Error(), "shard directory") {
		t.Errorf("Merge into a shard directory returned %v", err)
	}
}

func TestSummarizeCountsSplits(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const numTrajectories = 10
	cfg := testConfig(numTrajectories)
	writeDataSet(t, dir, cfg)

	s, err := Summarize(dir)
	if err != nil {
		t.Fatal(err)
	}
	splits, err := AssignSplits(numTrajectories, cfg.Split)
	if err != nil {
		t.Fatal(err)
	}
	for _, split := range Splits {
		want := 0
		for _, s := range splits {
			if s == split {
				want++
			}
		}
		if got := s.Splits[split]; got.Trajectories != want || got.Snapshots != want*testSnapshots {
			t.Errorf("%s: %+v, want %d trajectories and %d snapshots", split, got, want, want*testSnapshots)
		}
	}
	if s.N != testN || s.Present != numTrajectories || !s.Complete {
		t.Errorf("summary n=%d present=%d complete=%v", s.N, s.Present, s.Complete)
	}

	text := s.String()
	for _, fragment := range []string{dir, "train", "validation", "test", `"nu": 0.001`, "omega_dns float32 [T, 8, 8]"} {
		if !strings.Contains(text, fragment) {
			t.Errorf("summary text lacks %q:\n%s", fragment, text)
		}
	}
}
