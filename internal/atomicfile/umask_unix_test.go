//go:build unix

package atomicfile_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/closure-lab/closure/internal/atomicfile"
)

// TestWritePermissionIgnoresUmask changes the umask of the whole process, so
// it must not run in parallel with other tests.
func TestWritePermissionIgnoresUmask(t *testing.T) {
	previous := syscall.Umask(0o077)
	t.Cleanup(func() { syscall.Umask(previous) })
	path := filepath.Join(t.TempDir(), "figure.svg")

	if err := atomicfile.WriteFile(path, []byte("<svg/>")); err != nil {
		t.Fatalf("WriteFile: %v", err)
	}

	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != atomicfile.Perm {
		t.Errorf("permission under umask 077 = %v, want %v", info.Mode().Perm(), atomicfile.Perm)
	}
}
