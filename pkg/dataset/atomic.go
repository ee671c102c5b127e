package dataset

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// tempPrefix starts the name of every temporary file, so that a later run
// recognizes and removes the ones that a killed run left behind.
const tempPrefix = ".tmp-"

// filePermissions lets other users of a shared cluster file system read the
// data set. os.CreateTemp creates files with mode 0600.
const filePermissions = 0o644

// writeFileAtomic writes path by calling fill on a temporary file in the
// same directory, syncing it and renaming it over path, then syncing the
// directory. On any error the temporary file is removed and path is left as
// it was. wrap, when not nil, wraps the file writer and lets tests inject a
// failure partway through.
func writeFileAtomic(path string, wrap func(io.Writer) io.Writer, fill func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}

	file, err := os.CreateTemp(dir, tempPrefix+base+"-*")
	if err != nil {
		return fmt.Errorf("dataset: create temporary file for %s: %w", path, err)
	}
	tempPath := file.Name()
	defer func() {
		if err != nil {
			_ = file.Close()
			_ = os.Remove(tempPath)
		}
	}()

	buffered := bufio.NewWriterSize(file, 1<<20)
	var w io.Writer = buffered
	if wrap != nil {
		w = wrap(buffered)
	}

	if err = fill(w); err != nil {
		return fmt.Errorf("dataset: write %s: %w", path, err)
	}
	if err = buffered.Flush(); err != nil {
		return fmt.Errorf("dataset: write %s: %w", path, err)
	}
	if err = file.Chmod(filePermissions); err != nil {
		return fmt.Errorf("dataset: set permissions of %s: %w", tempPath, err)
	}
	if err = file.Sync(); err != nil {
		return fmt.Errorf("dataset: sync %s: %w", path, err)
	}
	if err = file.Close(); err != nil {
		return fmt.Errorf("dataset: close %s: %w", path, err)
	}
	if err = os.Rename(tempPath, path); err != nil {
		return fmt.Errorf("dataset: rename %s to %s: %w", tempPath, path, err)
	}
	return syncDir(dir)
}

// linkOrCopyAtomic makes dst a hard link to src, or a copy where the file
// system cannot link, through a temporary name in dst's directory, so that
// dst is either absent or complete.
func linkOrCopyAtomic(src, dst string) error {
	dir, base := filepath.Split(dst)
	tempPath := filepath.Join(dir, tempPrefix+base+"-link")
	_ = os.Remove(tempPath)

	if err := os.Link(src, tempPath); err == nil {
		if err := os.Rename(tempPath, dst); err != nil {
			_ = os.Remove(tempPath)
			return fmt.Errorf("dataset: rename %s to %s: %w", tempPath, dst, err)
		}
		return syncDir(dir)
	}

	source, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("dataset: open %s for copying: %w", src, err)
	}
	defer source.Close()

	return writeFileAtomic(dst, nil, func(w io.Writer) error {
		_, err := io.Copy(w, source)
		return err
	})
}

// syncDir flushes a directory's entries, so that a rename survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("dataset: open directory %s to sync: %w", dir, err)
	}
	defer d.Close()

	// NOTE: some file systems reject fsync on a directory; the rename has
	// happened then, only its durability after a power loss is not assured.
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		slog.Debug("dataset: directory sync failed", "dir", dir, "err", err)
	}
	return nil
}

// removeStaleTemps deletes temporary files that a killed run left in dir.
//
// NOTE: it would also delete the temporary files of another process that is
// writing to dir right now. Nothing locks a directory, so run one writer
// process per directory; sharded runs use one directory per shard.
func removeStaleTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("dataset: list %s: %w", dir, err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasPrefix(e.Name(), tempPrefix) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		slog.Info("dataset: removing temporary file of an interrupted run", "path", path)
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("dataset: remove stale temporary file %s: %w", path, err)
		}
	}
	return nil
}

// checkWritable creates and removes a temporary file in dir.
func checkWritable(dir string) error {
	file, err := os.CreateTemp(dir, tempPrefix+"probe-*")
	if err != nil {
		return fmt.Errorf("dataset: %w: %s: %v; choose another --out directory or fix its permissions",
			ErrNotWritable, dir, err)
	}
	name := file.Name()
	_ = file.Close()
	return os.Remove(name)
}
