// Package atomicfile replaces files atomically. The new content goes to a
// temporary file in the directory of the target, which is synced and then
// renamed over the target. A reader that opens the target path gets either
// the old file or the complete new one, and a failed write leaves the old
// file as it was.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
)

// Perm is the permission of every file that Write and WriteFile create,
// whatever the mode of the file it replaces. It lets other users of a shared
// file system read data sets, figures and reports. Write sets it with chmod,
// so the umask of the process does not apply.
const Perm os.FileMode = 0o644

// TempPrefix starts the name of every temporary file, so that a caller can
// recognize and remove the ones that a killed process left behind. The full
// name is TempPrefix, the base name of the target, a hyphen and random digits.
const TempPrefix = ".tmp-"

// bufferSize is the size of the buffer between the fill function of Write
// and the temporary file.
const bufferSize = 1 << 20

// Write replaces path with the bytes that fill writes. fill receives a
// buffered writer to a temporary file in the directory of path. Write then
// flushes the buffer, sets the permission to Perm, syncs and closes the file,
// renames it over path and syncs the directory.
//
// The directory must exist. On any error, and when fill panics, Write removes
// the temporary file and leaves an existing file at path untouched. Errors
// name path and the step that failed and have no package prefix, so callers
// add their own. The directory sync is best effort: Write logs its failure at
// debug level and returns nil, because the rename has already happened.
func Write(path string, fill func(io.Writer) error) error {
	return write(path, func(file *os.File) error {
		buffered := bufio.NewWriterSize(file, bufferSize)
		if err := fill(buffered); err != nil {
			return err
		}
		return buffered.Flush()
	})
}

// WriteFile replaces path with data in the way that Write does.
func WriteFile(path string, data []byte) error {
	return write(path, func(file *os.File) error {
		_, err := file.Write(data)
		return err
	})
}

// SyncDir flushes the entries of directory dir to stable storage, so that a
// rename into dir survives a power loss. It returns an error when dir cannot
// be opened, or when the file system rejects fsync on a directory, as some
// network and FUSE file systems do.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening directory %s to sync it: %w", dir, err)
	}
	defer d.Close()

	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return nil
}

// write implements Write and WriteFile. fill writes the whole content to the
// temporary file.
func write(path string, fill func(*os.File) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}

	file, err := os.CreateTemp(dir, TempPrefix+base+"-*")
	if err != nil {
		return fmt.Errorf("creating a temporary file for %s: %w", path, err)
	}
	temp := file.Name()

	// Until the rename succeeds, every return and a panic in fill remove the
	// temporary file. Closing an already closed file only returns an error.
	renamed := false
	defer func() {
		if !renamed {
			_ = file.Close()
			_ = os.Remove(temp)
		}
	}()

	if err := fill(file); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := file.Chmod(Perm); err != nil {
		return fmt.Errorf("setting the permission of %s: %w", path, err)
	}
	if err := file.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", path, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", path, err)
	}
	if err := os.Rename(temp, path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	renamed = true

	if err := SyncDir(dir); err != nil {
		slog.Debug("atomicfile: directory sync failed, so the new file may not survive a power loss", "path", path, "error", err)
	}
	return nil
}
