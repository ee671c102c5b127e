package dataset

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. The errors that this package returns wrap one of them, so
// callers test the cause with errors.Is and find the file with errors.As on
// *FileError.
var (
	// ErrNoManifest means that a directory has no manifest.json.
	ErrNoManifest = errors.New("manifest.json not found")

	// ErrBadManifest means that manifest.json is not valid JSON or contains
	// inconsistent values.
	ErrBadManifest = errors.New("invalid manifest")

	// ErrVersion means that the manifest has a format version that this
	// package does not read. The error is a *VersionError.
	ErrVersion = errors.New("unsupported data set format version")

	// ErrIncomplete means that generation of the data set has not finished.
	ErrIncomplete = errors.New("data set is incomplete")

	// ErrMissingFile means that a trajectory file listed in the manifest does
	// not exist.
	ErrMissingFile = errors.New("trajectory file missing")

	// ErrTruncated means that a file is shorter than its size in the manifest.
	ErrTruncated = errors.New("file truncated")

	// ErrChecksum means that a file's SHA-256 checksum or size differs from
	// the manifest.
	ErrChecksum = errors.New("checksum mismatch")

	// ErrCorrupt means that a file is not a valid npz archive of NumPy arrays.
	ErrCorrupt = errors.New("corrupt npz file")

	// ErrShape means that an array's shape or dtype differs from the manifest
	// or from the declared arrays.
	ErrShape = errors.New("array shape or dtype mismatch")

	// ErrParams means that two manifests have different generation
	// parameters. The error is a *ParamsMismatchError.
	ErrParams = errors.New("generation parameters differ")

	// ErrNotDirectory means that the output path exists and is not a
	// directory.
	ErrNotDirectory = errors.New("output path is not a directory")

	// ErrNotWritable means that a file cannot be created in the output
	// directory.
	ErrNotWritable = errors.New("output directory is not writable")

	// ErrNotEmpty means that the output directory contains files but no
	// manifest, so it is not a data set that this package may write into.
	ErrNotEmpty = errors.New("output directory is not empty")

	// ErrShardSpec means that a shard specification "i/n" is invalid.
	ErrShardSpec = errors.New("invalid shard specification")

	// ErrCoverage means that merged shards miss or repeat trajectories. The
	// error is a *MergeError.
	ErrCoverage = errors.New("shards do not cover every trajectory exactly once")
)

// FileError is an error about one file of a data set. Path is the file's
// path as given to or built by this package, and Err wraps a sentinel error
// such as ErrChecksum.
type FileError struct {
	Path string
	Err  error
}

// Error returns the path followed by the cause.
func (e *FileError) Error() string {
	return fmt.Sprintf("dataset: %s: %v", e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

func fileErrorf(path string, sentinel error, format string, args ...any) error {
	detail := fmt.Sprintf(format, args...)
	return &FileError{Path: path, Err: fmt.Errorf("%w: %s", sentinel, detail)}
}

// VersionError reports a manifest whose format version this package does not
// read.
type VersionError struct {
	Path      string // path of manifest.json
	Found     int    // format version in the file
	Supported int    // FormatVersion of this package
}

// Error names both versions and the fix.
func (e *VersionError) Error() string {
	return fmt.Sprintf("dataset: %s: format version %d found, but this program reads only version %d; "+
		"regenerate the data set with this program or read it with a program built for version %d",
		e.Path, e.Found, e.Supported, e.Found)
}

// Is reports whether target is ErrVersion.
func (e *VersionError) Is(target error) bool { return target == ErrVersion }

// ParamDiff is one generation parameter whose value differs between two
// manifests. Name is a dotted path into the parameter object (for example
// "params.solver.nu") or the name of a manifest field such as "n". The values
// are JSON text, or "<absent>" where one side lacks the parameter.
type ParamDiff struct {
	Name      string
	Existing  string
	Requested string
}

// ParamsMismatchError reports that a data set or shard was generated with
// other parameters than the ones requested or than the first shard.
type ParamsMismatchError struct {
	Dir       string // directory with the differing manifest
	Reference string // first shard directory in Merge; empty when resuming
	Diffs     []ParamDiff
}

// Error lists every differing parameter and the fix.
func (e *ParamsMismatchError) Error() string {
	var diffs []string
	for _, d := range e.Diffs {
		diffs = append(diffs, fmt.Sprintf("%s: %s there, %s here", d.Name, d.Existing, d.Requested))
	}
	list := strings.Join(diffs, "; ")

	if e.Reference != "" {
		return fmt.Sprintf("dataset: shard %s was generated with other parameters than shard %s (%s); "+
			"merge only shards generated with the same parameters", e.Dir, e.Reference, list)
	}
	return fmt.Sprintf("dataset: %s contains a data set generated with other parameters (%s); "+
		"choose another --out directory, or delete %s to start over", e.Dir, list, e.Dir)
}

// Is reports whether target is ErrParams.
func (e *ParamsMismatchError) Is(target error) bool { return target == ErrParams }

// MergeError reports trajectory indices that no shard contains and indices
// that more than one shard contains.
type MergeError struct {
	Missing   []int // indices in [0, NumTrajectories) that no shard contains
	Duplicate []int // indices that two or more shards contain
}

// Error lists the missing and duplicate indices and the fix.
func (e *MergeError) Error() string {
	var parts []string
	if len(e.Missing) > 0 {
		parts = append(parts, fmt.Sprintf("missing trajectories %s", formatIndices(e.Missing)))
	}
	if len(e.Duplicate) > 0 {
		parts = append(parts, fmt.Sprintf("trajectories %s appear in more than one shard", formatIndices(e.Duplicate)))
	}
	return fmt.Sprintf("dataset: cannot merge shards: %s; finish or rerun the shards that generate them, "+
		"and pass each shard directory once", strings.Join(parts, ", "))
}

// Is reports whether target is ErrCoverage.
func (e *MergeError) Is(target error) bool { return target == ErrCoverage }

// formatIndices prints at most maxListed indices so that a message stays
// readable when a whole shard is missing.
func formatIndices(indices []int) string {
	const maxListed = 20
	if len(indices) <= maxListed {
		return fmt.Sprint(indices)
	}
	return fmt.Sprintf("%v and %d more", indices[:maxListed], len(indices)-maxListed)
}
