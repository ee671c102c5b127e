package dataset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"time"
)

// FormatVersion is the version of the on-disk layout that this package
// writes and reads. It changes whenever a reader of the old layout would
// misread the new one.
const FormatVersion = 1

// ManifestName is the file name of the manifest inside a data set directory.
const ManifestName = "manifest.json"

// Names of the arrays that every trajectory file contains.
const (
	ArrayOmegaBar = "omega_bar" // float32 [T, n, n], filtered vorticity
	ArrayClosure  = "closure"   // float32 [T, n, n], closure term H
	ArrayTime     = "time"      // float64 [T], simulation time
)

// DType is the element type of an array, named as in NumPy.
type DType string

// The element types that trajectory files may contain, stored little-endian.
const (
	Float32 DType = "float32"
	Float64 DType = "float64"
)

// numpyDescr returns the 'descr' value of a NumPy header for the type.
func (d DType) numpyDescr() string {
	switch d {
	case Float32:
		return "'<f4'"
	case Float64:
		return "'<f8'"
	}
	return ""
}

// ArraySpec declares one array of every trajectory file. The stored array
// has shape [T, SnapshotShape...], where T is the number of snapshots of the
// trajectory.
type ArraySpec struct {
	Name          string `json:"name"`
	DType         DType  `json:"dtype"`
	SnapshotShape []int  `json:"snapshot_shape"`
}

// TrajectoryEntry is the manifest record of one trajectory file.
type TrajectoryEntry struct {
	Index     int              `json:"index"`
	File      string           `json:"file"` // file name relative to the data set directory
	Split     Split            `json:"split"`
	Snapshots int              `json:"snapshots"` // T
	Bytes     int64            `json:"bytes"`
	SHA256    string           `json:"sha256"` // lowercase hex digest of the whole file
	Shapes    map[string][]int `json:"shapes"` // full shape of each array, keyed by array name
}

// Manifest is the content of manifest.json. Trajectories is sorted by Index
// and contains only the trajectories that have been written.
type Manifest struct {
	FormatVersion   int               `json:"format_version"`
	CodeVersion     string            `json:"code_version"`
	CreatedAt       time.Time         `json:"created_at"`
	UpdatedAt       time.Time         `json:"updated_at"`
	Params          json.RawMessage   `json:"params"` // caller's generation parameters, a JSON object
	N               int               `json:"n"`      // LES grid size
	NumTrajectories int               `json:"num_trajectories"`
	Split           SplitConfig       `json:"split"`
	Shard           Shard             `json:"shard"`
	Arrays          []ArraySpec       `json:"arrays"`
	Trajectories    []TrajectoryEntry `json:"trajectories"`
	Complete        bool              `json:"complete"`
}

// TrajectoryFileName returns the file name of trajectory k, for example
// "traj-00007.npz".
func TrajectoryFileName(k int) string {
	return fmt.Sprintf("traj-%05d.npz", k)
}

// ReadManifest reads and checks dir/manifest.json. It returns an error
// wrapping ErrNoManifest when the file does not exist, a *VersionError when
// the format version differs from FormatVersion, and an error wrapping
// ErrBadManifest when the content is inconsistent.
func ReadManifest(dir string) (*Manifest, error) {
	path := filepath.Join(dir, ManifestName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fileErrorf(path, ErrNoManifest,
			"%s is not a data set directory; check the path or generate the data set first", dir)
	}
	if err != nil {
		return nil, fmt.Errorf("dataset: read manifest: %w", err)
	}

	var version struct {
		FormatVersion *int `json:"format_version"`
	}
	if err := json.Unmarshal(data, &version); err != nil {
		return nil, fileErrorf(path, ErrBadManifest, "not valid JSON (%v); regenerate the data set", err)
	}
	if version.FormatVersion == nil {
		return nil, fileErrorf(path, ErrBadManifest, "no format_version field; regenerate the data set")
	}
	if *version.FormatVersion != FormatVersion {
		return nil, &VersionError{Path: path, Found: *version.FormatVersion, Supported: FormatVersion}
	}

	var m Manifest
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&m); err != nil {
		return nil, fileErrorf(path, ErrBadManifest, "%v; regenerate the data set", err)
	}
	if err := m.validate(); err != nil {
		return nil, fileErrorf(path, ErrBadManifest, "%v; regenerate the data set", err)
	}
	return &m, nil
}

// validate checks the manifest's internal consistency.
func (m *Manifest) validate() error {
	if m.N <= 0 {
		return fmt.Errorf("grid size n=%d must be positive", m.N)
	}
	if m.NumTrajectories < 0 {
		return fmt.Errorf("num_trajectories=%d must not be negative", m.NumTrajectories)
	}
	if err := m.Split.Validate(); err != nil {
		return err
	}
	if err := m.Shard.validate(); err != nil {
		return err
	}
	if err := validateArrays(m.Arrays, m.N); err != nil {
		return err
	}

	previous := -1
	for _, e := range m.Trajectories {
		if e.Index <= previous || e.Index >= m.NumTrajectories {
			return fmt.Errorf("trajectory index %d is out of order or outside [0, %d)", e.Index, m.NumTrajectories)
		}
		if e.File != TrajectoryFileName(e.Index) {
			return fmt.Errorf("trajectory %d has file %q, expected %q", e.Index, e.File, TrajectoryFileName(e.Index))
		}
		if !e.Split.valid() {
			return fmt.Errorf("trajectory %d has unknown split %q", e.Index, e.Split)
		}
		previous = e.Index
	}
	return nil
}

// entry returns the manifest entry of trajectory k, or nil.
func (m *Manifest) entry(k int) *TrajectoryEntry {
	i := sort.Search(len(m.Trajectories), func(i int) bool { return m.Trajectories[i].Index >= k })
	if i < len(m.Trajectories) && m.Trajectories[i].Index == k {
		return &m.Trajectories[i]
	}
	return nil
}

// setEntry inserts or replaces the entry with the same index, keeping the
// list sorted.
func (m *Manifest) setEntry(e TrajectoryEntry) {
	i := sort.Search(len(m.Trajectories), func(i int) bool { return m.Trajectories[i].Index >= e.Index })
	if i < len(m.Trajectories) && m.Trajectories[i].Index == e.Index {
		m.Trajectories[i] = e
		return
	}
	m.Trajectories = append(m.Trajectories, TrajectoryEntry{})
	copy(m.Trajectories[i+1:], m.Trajectories[i:])
	m.Trajectories[i] = e
}

// isComplete reports whether every trajectory of the manifest's shard is
// present.
func (m *Manifest) isComplete() bool {
	for _, k := range m.Shard.Indices(m.NumTrajectories) {
		if m.entry(k) == nil {
			return false
		}
	}
	return true
}

// writeManifest replaces dir/manifest.json atomically.
func writeManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("dataset: encode manifest: %w", err)
	}
	data = append(data, '\n')

	return writeFileAtomic(filepath.Join(dir, ManifestName), nil, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// buildCodeVersion describes the running binary from its build information:
// main module path and version, VCS revision and whether the tree was
// modified. It returns "unknown" when the binary has no build information.
func buildCodeVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}

	parts := []string{info.Main.Path + "@" + info.Main.Version}
	for _, setting := range info.Settings {
		switch setting.Key {
		case "vcs.revision", "vcs.time", "vcs.modified":
			parts = append(parts, setting.Key+"="+setting.Value)
		}
	}
	return strings.Join(parts, " ")
}
