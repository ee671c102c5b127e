package dataset

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// errInjected is the failure that failingWriter returns.
var errInjected = errors.New("injected write failure")

// failingWriter passes through limit bytes and then fails, like a disk that
// fills up partway through a file.
type failingWriter struct {
	w     io.Writer
	limit int
}

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n, _ := f.w.Write(p[:f.limit])
		f.limit = 0
		return n, errInjected
	}
	f.limit -= len(p)
	return f.w.Write(p)
}

func failAfter(limit int) func(io.Writer) io.Writer {
	return func(w io.Writer) io.Writer { return &failingWriter{w: w, limit: limit} }
}

func TestAddFailureLeavesNoPartialFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	w, err := OpenWriter(dir, testConfig(3))
	if err != nil {
		t.Fatal(err)
	}
	manifestBefore := snapshotDir(t, dir)

	w.wrapFile = failAfter(300)
	err = w.Add(makeTrajectory(0, testSnapshots))
	if !errors.Is(err, errInjected) {
		t.Fatalf("Add with a failing writer returned %v, want the injected failure", err)
	}

	assertDirUnchanged(t, dir, manifestBefore)
	if names := dirNames(t, dir); !slices.Equal(names, []string{ManifestName}) {
		t.Errorf("directory after the failed Add contains %v, want only %s", names, ManifestName)
	}
	if present := w.Present(); len(present) != 0 {
		t.Errorf("Present after a failed Add = %v, want none", present)
	}
}

func TestAddFailureKeepsPreviousFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	w := writeDataSet(t, dir, testConfig(1))
	before := snapshotDir(t, dir)

	w.wrapFile = failAfter(1000)
	if err := w.Add(makeTrajectory(0, testSnapshots+1)); !errors.Is(err, errInjected) {
		t.Fatalf("Add with a failing writer returned %v, want the injected failure", err)
	}
	assertDirUnchanged(t, dir, before)

	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(); err != nil {
		t.Errorf("data set after a failed replacement: %v", err)
	}
}

func TestResumeSkipsCompletedTrajectories(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := testConfig(5)
	w, err := OpenWriter(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []int{0, 1, 3} {
		if err := w.Add(makeTrajectory(k, testSnapshots)); err != nil {
			t.Fatal(err)
		}
	}

	// A killed run leaves a temporary file and a corrupt trajectory 3.
	stale := filepath.Join(dir, tempPrefix+TrajectoryFileName(2)+"-12345")
	if err := os.WriteFile(stale, []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	corrupt := filepath.Join(dir, TrajectoryFileName(3))
	if err := os.Truncate(corrupt, 100); err != nil {
		t.Fatal(err)
	}

	resumed, err := OpenWriter(dir, cfg)
	if err != nil {
		t.Fatalf("resume with the same config: %v", err)
	}
	if got, want := resumed.Present(), []int{0, 1}; !slices.Equal(got, want) {
		t.Errorf("Present after resume = %v, want %v", got, want)
	}
	if got, want := resumed.Pending(), []int{2, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("Pending after resume = %v, want %v", got, want)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary file %s still exists after resume (stat error %v)", stale, err)
	}
	if resumed.Complete() {
		t.Error("resumed writer reports complete with trajectories pending")
	}

	for _, k := range resumed.Pending() {
		if err := resumed.Add(makeTrajectory(k, testSnapshots)); err != nil {
			t.Fatal(err)
		}
	}
	if !resumed.Complete() {
		t.Error("writer not complete after adding the pending trajectories")
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(); err != nil {
		t.Errorf("resumed data set: %v", err)
	}
}

func TestResumeRejectsChangedParameters(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeDataSet(t, dir, testConfig(2))
	before := snapshotDir(t, dir)

	changed := testConfig(2)
	params := newTestParams()
	params.Nu = 2e-3
	params.Forcing.Amplitude = 0.2
	changed.Params = params
	changed.N = 8

	_, err := OpenWriter(dir, changed)
	var mismatch *ParamsMismatchError
	if !errors.As(err, &mismatch) {
		t.Fatalf("OpenWriter with changed parameters returned %v, want *ParamsMismatchError", err)
	}
	if !errors.Is(err, ErrParams) {
		t.Errorf("error %v does not wrap ErrParams", err)
	}

	var names []string
	for _, d := range mismatch.Diffs {
		names = append(names, d.Name)
	}
	if want := []string{"params.forcing.amplitude", "params.nu", "n", "arrays"}; !slices.Equal(names, want) {
		t.Errorf("differing parameters %v, want %v", names, want)
	}
	for _, fragment := range []string{dir, "params.nu: 0.001 there, 0.002 here", "--out", "delete"} {
		if !strings.Contains(err.Error(), fragment) {
			t.Errorf("error %q lacks %q", err, fragment)
		}
	}
	assertDirUnchanged(t, dir, before)
}

func TestResumeRejectsOtherShard(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := testConfig(4)
	cfg.Shard = Shard{Index: 0, Count: 2}
	writeDataSet(t, dir, cfg)

	cfg.Shard = Shard{Index: 1, Count: 2}
	_, err := OpenWriter(dir, cfg)
	if !errors.Is(err, ErrParams) || !strings.Contains(err.Error(), "shard") {
		t.Errorf("OpenWriter with another shard returned %v, want a parameter mismatch naming the shard", err)
	}
}

func TestOutputPathIsFileRejected(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "out")
	content := []byte("user data")
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}

	_, err := OpenWriter(path, testConfig(1))
	if !errors.Is(err, ErrNotDirectory) || !strings.Contains(err.Error(), path) {
		t.Errorf("OpenWriter on a regular file returned %v, want ErrNotDirectory naming %s", err, path)
	}
	if _, err := Merge(path, t.TempDir()); err == nil {
		t.Error("Merge into a regular file succeeded")
	}

	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(content) {
		t.Errorf("the regular file changed: %q, %v", got, err)
	}
}

func TestOutputDirNotWritableRejected(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })

	_, err := OpenWriter(dir, testConfig(1))
	if !errors.Is(err, ErrNotWritable) || !strings.Contains(err.Error(), dir) {
		t.Errorf("OpenWriter on a read-only directory returned %v, want ErrNotWritable naming %s", err, dir)
	}
}

func TestNonEmptyDirWithoutManifestRejected(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := snapshotDir(t, dir)

	_, err := OpenWriter(dir, testConfig(1))
	if !errors.Is(err, ErrNotEmpty) || !strings.Contains(err.Error(), "notes.txt") {
		t.Errorf("OpenWriter on a non-empty directory returned %v, want ErrNotEmpty naming notes.txt", err)
	}
	assertDirUnchanged(t, dir, before)
}

func TestAddRejectsInvalidTrajectory(t *testing.T) {
	t.Parallel()
	cfg := testConfig(4)
	cfg.Shard = Shard{Index: 1, Count: 2}
	w, err := OpenWriter(t.TempDir(), cfg)
	if err != nil {
		t.Fatal(err)
	}

	short := makeTrajectory(1, testSnapshots)
	short.Closure = short.Closure[:len(short.Closure)-1]
	wrongType := makeTrajectory(1, testSnapshots)
	wrongType.Extra["energy"] = []float32{1, 2, 3}
	undeclared := makeTrajectory(1, testSnapshots)
	undeclared.Extra["pressure"] = []float32{1, 2, 3}
	missing := makeTrajectory(1, testSnapshots)
	delete(missing.Extra, "omega_dns")

	cases := []struct {
		name     string
		tr       Trajectory
		sentinel error
		fragment string
	}{
		{"short closure", short, ErrShape, `"closure"`},
		{"wrong dtype", wrongType, ErrShape, `"energy"`},
		{"undeclared extra", undeclared, nil, `"pressure"`},
		{"missing extra", missing, nil, `"omega_dns"`},
		{"index outside shard", makeTrajectory(2, testSnapshots), nil, "shard 1/2"},
		{"index out of range", makeTrajectory(5, testSnapshots), nil, "index 5"},
		{"no snapshots", makeTrajectory(1, 0), nil, "no snapshots"},
	}
	for _, c := range cases {
		err := w.Add(c.tr)
		if err == nil {
			t.Errorf("%s: Add succeeded", c.name)
			continue
		}
		if c.sentinel != nil && !errors.Is(err, c.sentinel) {
			t.Errorf("%s: error %v does not wrap %v", c.name, err, c.sentinel)
		}
		if !strings.Contains(err.Error(), c.fragment) {
			t.Errorf("%s: error %q lacks %q", c.name, err, c.fragment)
		}
	}
	if present := w.Present(); len(present) != 0 {
		t.Errorf("Present after rejected trajectories = %v, want none", present)
	}
}

func TestOpenWriterRejectsInvalidConfig(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		modify func(*Config)
		want   string
	}{
		{"zero grid", func(c *Config) { c.N = 0 }, "n=0"},
		{"no trajectories", func(c *Config) { c.NumTrajectories = 0 }, "trajectories 0"},
		{"fractions sum", func(c *Config) { c.Split.Test = 0.5 }, "sum to"},
		{"bad shard", func(c *Config) { c.Shard = Shard{Index: 3, Count: 2} }, "3/2"},
		{"params not object", func(c *Config) { c.Params = []int{1} }, "JSON object"},
		{"extra array name", func(c *Config) { c.ExtraArrays[0].Name = "9dns" }, `"9dns"`},
		{"extra array reuses standard name", func(c *Config) { c.ExtraArrays[0].Name = ArrayClosure }, `"closure"`},
		{"extra array dtype", func(c *Config) { c.ExtraArrays[0].DType = "int8" }, `"int8"`},
	}
	for _, c := range cases {
		cfg := testConfig(2)
		c.modify(&cfg)
		dir := filepath.Join(t.TempDir(), "out")
		_, err := OpenWriter(dir, cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: OpenWriter returned %v, want an error containing %q", c.name, err, c.want)
		}
		if _, statErr := os.Stat(dir); !errors.Is(statErr, os.ErrNotExist) {
			t.Errorf("%s: OpenWriter created %s despite the invalid config", c.name, dir)
		}
	}
}

func TestAddConcurrently(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const numTrajectories = 8
	w, err := OpenWriter(dir, testConfig(numTrajectories))
	if err != nil {
		t.Fatal(err)
	}

	errs := make(chan error, numTrajectories)
	for _, k := range w.Pending() {
		go func() { errs <- w.Add(makeTrajectory(k, testSnapshots)) }()
	}
	for range numTrajectories {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}

	if got := testManifest(t, dir); !got.Complete || len(got.Trajectories) != numTrajectories {
		t.Errorf("manifest after concurrent adds: complete %v with %d trajectories", got.Complete, len(got.Trajectories))
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(); err != nil {
		t.Error(err)
	}
}

func TestOutputBelowFileRejected(t *testing.T) {
	t.Parallel()
	parent := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(parent, []byte("user data"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "out")

	_, err := OpenWriter(dir, testConfig(1))
	if !errors.Is(err, ErrNotDirectory) || !strings.Contains(err.Error(), dir) {
		t.Errorf("OpenWriter below a regular file returned %v, want ErrNotDirectory naming %s", err, dir)
	}
}

// TestOpenCompleteWritesNothing opens a complete data set again, as each task of a job array
// does with a shared data set: it must not touch the directory, so another process's
// temporary file and the manifest survive unchanged.
func TestOpenCompleteWritesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := testConfig(2)
	w, err := OpenWriter(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range w.Pending() {
		if err := w.Add(makeTrajectory(k, testSnapshots)); err != nil {
			t.Fatal(err)
		}
	}
	manifest := filepath.Join(dir, ManifestName)
	before, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, tempPrefix+"written-by-another-process")
	if err := os.WriteFile(other, []byte("in progress"), 0o644); err != nil {
		t.Fatal(err)
	}

	again, err := OpenWriter(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Complete() || len(again.Pending()) != 0 {
		t.Errorf("reopened complete data set: complete %v, pending %v", again.Complete(), again.Pending())
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("another process's temporary file was removed: %v", err)
	}
	after, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Error("the manifest of a complete data set was rewritten on open")
	}
}

// TestVersionWarningOnlyWhenIncomplete checks the warning about a data set that another
// program version started: it is logged when trajectories remain to be generated, and not
// when the data set is complete and only read. The test swaps the default logger, so it does
// not run in parallel.
func TestVersionWarningOnlyWhenIncomplete(t *testing.T) {
	var logs bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(previous) })
	const warning = "another program version"

	dir := t.TempDir()
	cfg := testConfig(2)
	w, err := OpenWriter(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(makeTrajectory(w.Pending()[0], testSnapshots)); err != nil {
		t.Fatal(err)
	}

	newer := cfg
	newer.CodeVersion = "newer-version"
	logs.Reset()
	w, err = OpenWriter(dir, newer)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), warning) {
		t.Errorf("reopening a half-written data set of another version logged %q, want a warning containing %q", logs.String(), warning)
	}
	for _, k := range w.Pending() {
		if err := w.Add(makeTrajectory(k, testSnapshots)); err != nil {
			t.Fatal(err)
		}
	}

	third := cfg
	third.CodeVersion = "third-version"
	logs.Reset()
	if _, err := OpenWriter(dir, third); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), warning) {
		t.Errorf("reopening a complete data set logged %q, want no version warning", logs.String())
	}
}
