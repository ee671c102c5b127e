package atomicfile_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/closure-lab/closure/internal/atomicfile"
)

// dirNames returns the sorted names of the entries of dir.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names
}

// writeOld creates path with content and mode 0600 and returns path.
func writeOld(t *testing.T, path string, content []byte) string {
	t.Helper()
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWriteFileReplacesContent(t *testing.T) {
	dir := t.TempDir()
	path := writeOld(t, filepath.Join(dir, "report.md"), []byte("old content, longer than the new one"))

	if err := atomicfile.WriteFile(path, []byte("new")); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}

	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "new" {
		t.Errorf("content = %q, want %q", got, "new")
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != atomicfile.Perm {
		t.Errorf("permission = %v, want %v", info.Mode().Perm(), atomicfile.Perm)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"report.md"}) {
		t.Errorf("directory contains %v, want only report.md", names)
	}
}

func TestWriteFlushesLargeContent(t *testing.T) {
	dir := t.TempDir()
	path := writeOld(t, filepath.Join(dir, "data.bin"), []byte("old"))

	// 3.5 MiB, more than the 1 MiB buffer of Write, in uneven pieces, so
	// that a lost flush or a dropped piece changes the file.
	want := make([]byte, 3<<20+1<<19)
	for i := range want {
		want[i] = byte(i % 251)
	}
	err := atomicfile.Write(path, func(w io.Writer) error {
		for rest := want; len(rest) > 0; {
			n := min(len(rest), 12345)
			if _, err := w.Write(rest[:n]); err != nil {
				return err
			}
			rest = rest[n:]
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}

	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("content has %d bytes and differs from the %d bytes written", len(got), len(want))
	}
}

func TestWriteFillErrorKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	old := []byte("old content\x00\xff")
	path := writeOld(t, filepath.Join(dir, "manifest.json"), old)
	failure := errors.New("encoder failed")

	err := atomicfile.Write(path, func(w io.Writer) error {
		if _, err := w.Write([]byte("partial new content")); err != nil {
			return err
		}
		return failure
	})

	if err == nil {
		t.Fatal("Write returned no error for a failing fill")
	}
	if !errors.Is(err, failure) {
		t.Errorf("error %q does not wrap the error of fill", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, old) {
		t.Errorf("old file changed to %q, want %q", got, old)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"manifest.json"}) {
		t.Errorf("directory contains %v, want only manifest.json (no temporary file)", names)
	}
}

func TestWriteFillPanicRemovesTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	path := writeOld(t, filepath.Join(dir, "state.gob"), []byte("old"))

	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic of fill did not reach the caller")
			}
		}()
		_ = atomicfile.Write(path, func(w io.Writer) error {
			panic("fill failed")
		})
	}()

	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "old" {
		t.Errorf("old file changed to %q, want %q", got, "old")
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"state.gob"}) {
		t.Errorf("directory contains %v, want only state.gob (no temporary file)", names)
	}
}

func TestWriteMissingDirectory(t *testing.T) {
	parent := t.TempDir()
	path := filepath.Join(parent, "missing", "figure.png")

	err := atomicfile.WriteFile(path, []byte("new"))

	if err == nil {
		t.Fatal("WriteFile into a missing directory returned no error")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %q does not wrap fs.ErrNotExist", err)
	}
	if names := dirNames(t, parent); len(names) != 0 {
		t.Errorf("parent directory contains %v, want nothing", names)
	}
}

func TestWriteOverDirectoryFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	writeOld(t, filepath.Join(path, "keep.txt"), []byte("keep"))

	err := atomicfile.WriteFile(path, []byte("new"))

	if err == nil {
		t.Fatal("WriteFile over a non-empty directory returned no error")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"out"}) {
		t.Errorf("directory contains %v, want only out (no temporary file)", names)
	}
	if names := dirNames(t, path); !slices.Equal(names, []string{"keep.txt"}) {
		t.Errorf("replaced directory contains %v, want only keep.txt", names)
	}
}

func TestWriteTemporaryFileName(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "trajectory_0001.npz")

	var during []string
	err := atomicfile.Write(path, func(w io.Writer) error {
		during = dirNames(t, dir)
		return nil
	})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}

	if len(during) != 1 {
		t.Fatalf("directory contained %v while fill ran, want one temporary file", during)
	}
	prefix := atomicfile.TempPrefix + "trajectory_0001.npz-"
	if !strings.HasPrefix(during[0], prefix) {
		t.Errorf("temporary file %q does not start with %q", during[0], prefix)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"trajectory_0001.npz"}) {
		t.Errorf("directory contains %v after Write, want only trajectory_0001.npz", names)
	}
}

func TestWriteRelativePath(t *testing.T) {
	t.Chdir(t.TempDir())

	if err := atomicfile.WriteFile("run.json", []byte("{}\n")); err != nil {
		t.Fatalf("WriteFile with a bare file name: %v", err)
	}
	got, err := os.ReadFile("run.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "{}\n" {
		t.Errorf("content = %q, want %q", got, "{}\n")
	}
}

func TestSyncDirMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "missing")

	err := atomicfile.SyncDir(dir)

	if err == nil {
		t.Fatal("SyncDir of a missing directory returned no error")
	}
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name %s", err, dir)
	}
}
