package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// fixDamagedFile is the repair advice for a missing or damaged file.
// OpenWriter drops such files from the manifest, so rerunning the same
// command generates them again.
const fixDamagedFile = "rerun the generation with the same parameters and --out to regenerate it, " +
	"or delete the data set directory and generate it again"

// checkFile compares the size and SHA-256 checksum of the file at path with
// its manifest entry, streaming the file instead of loading it.
func checkFile(path string, e *TrajectoryEntry) error {
	file, err := os.Open(path)
	if err != nil {
		return openError(path, err)
	}
	defer file.Close()

	hash := sha256.New()
	size, err := io.Copy(hash, file)
	if err != nil {
		return fmt.Errorf("dataset: read %s: %w", path, err)
	}
	return compareChecksum(path, size, hash.Sum(nil), e)
}

// readVerifiedFile returns the content of the file at path after checking
// its size and SHA-256 checksum against the manifest entry.
func readVerifiedFile(path string, e *TrajectoryEntry) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, openError(path, err)
	}

	sum := sha256.Sum256(data)
	if err := compareChecksum(path, int64(len(data)), sum[:], e); err != nil {
		return nil, err
	}
	return data, nil
}

// statFile checks that the file at path exists and has the size in its
// manifest entry, without reading it.
func statFile(path string, e *TrajectoryEntry) error {
	info, err := os.Stat(path)
	if err != nil {
		return openError(path, err)
	}
	return compareSize(path, info.Size(), e)
}

func openError(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fileErrorf(path, ErrMissingFile, "listed in %s but not found; %s",
			ManifestName, fixDamagedFile)
	}
	return fmt.Errorf("dataset: open %s: %w", path, err)
}

func compareSize(path string, size int64, e *TrajectoryEntry) error {
	switch {
	case size < e.Bytes:
		return fileErrorf(path, ErrTruncated, "%d bytes, but %s records %d; %s",
			size, ManifestName, e.Bytes, fixDamagedFile)
	case size > e.Bytes:
		return fileErrorf(path, ErrChecksum, "%d bytes, but %s records %d; %s",
			size, ManifestName, e.Bytes, fixDamagedFile)
	}
	return nil
}

func compareChecksum(path string, size int64, sum []byte, e *TrajectoryEntry) error {
	if err := compareSize(path, size, e); err != nil {
		return err
	}
	if got := hex.EncodeToString(sum); got != e.SHA256 {
		return fileErrorf(path, ErrChecksum, "SHA-256 %s, but %s records %s; %s",
			got, ManifestName, e.SHA256, fixDamagedFile)
	}
	return nil
}
