package studies

import (
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
)

// saveGob writes value to path with encoding/gob, creating the directory. It
// writes a temporary file and renames it, so readers never see a partial
// file. what names the value in errors.
func saveGob(path, what string, value any) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("studies: creating the directory of %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("studies: saving the %s: %w", what, err)
	}
	defer os.Remove(tmp.Name())

	if err := gob.NewEncoder(tmp).Encode(value); err != nil {
		tmp.Close()
		return fmt.Errorf("studies: encoding the %s to %s: %w", what, path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("studies: saving the %s: %w", what, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
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
