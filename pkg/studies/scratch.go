package studies

import (
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/closure-lab/closure/internal/atomicfile"
)

// saveGob writes value to path with encoding/gob, creating the directory. It
// writes a temporary file and renames it, so readers never see a partial
// file. what names the value in errors.
func saveGob(path, what string, value any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("studies: creating the directory of %s: %w", path, err)
	}
	err := atomicfile.Write(path, func(w io.Writer) error {
		return gob.NewEncoder(w).Encode(value)
	})
	if err != nil {
		return fmt.Errorf("studies: saving the %s: %w", what, err)
	}
	return nil
}

// loadGob reads a value written by saveGob into value, a pointer. It returns
// an error naming the path when the file is missing or holds another type.
func loadGob(path, what string, value any) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("studies: loading the %s: %w; run the cell that computes it first", what, err)
	}
	defer f.Close()

	if err := gob.NewDecoder(f).Decode(value); err != nil {
		return fmt.Errorf("studies: decoding the %s from %s: %w", what, path, err)
	}
	return nil
}
