package dataset

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/closure-lab/closure/internal/atomicfile"
)

// tempPrefix starts the name of every temporary file, so that a later run
// recognizes and removes the ones that a killed run left behind.
const tempPrefix = atomicfile.TempPrefix

// filePermissions lets other users of a shared cluster file system read the
// data set.
const filePermissions = atomicfile.Perm

// writeFileAtomic replaces path with what fill writes, through
// atomicfile.Write. wrap, when not nil, wraps the writer that fill receives
// and lets tests inject a failure partway through.
func writeFileAtomic(path string, wrap func(io.Writer) io.Writer, fill func(io.Writer) error) error {
	err := atomicfile.Write(path, func(w io.Writer) error {
		if wrap != nil {
			w = wrap(w)
		}
		return fill(w)
	})
	if err != nil {
		return fmt.Errorf("dataset: %w", err)
	}
	return nil
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
		// Like atomicfile.Write, treat the directory sync as best effort,
		// because the rename has already happened.
		if err := atomicfile.SyncDir(filepath.Dir(dst)); err != nil {
			slog.Debug("dataset: directory sync failed, so the link may not survive a power loss", "path", dst, "error", err)
		}
		return nil
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
