package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Config describes a data set to generate. Every field except CodeVersion is
// compared when OpenWriter resumes an existing directory.
type Config struct {
	// Params are the generation parameters: every physical and numerical
	// parameter and the seed. They are stored as a JSON object, so Params
	// must marshal to one (a struct or map); nil stores {}.
	Params any

	N               int         // LES grid size n, > 0
	NumTrajectories int         // number of trajectories of the whole data set, over all shards, > 0
	Split           SplitConfig // split fractions and seed
	Shard           Shard       // trajectories that this writer generates; the zero value means all

	// CodeVersion identifies the generating program. Empty means a
	// description built from runtime/debug.ReadBuildInfo.
	CodeVersion string

	// ExtraArrays declares arrays that every trajectory file contains
	// besides omega_bar, closure and time.
	ExtraArrays []ArraySpec
}

// Writer adds trajectory files to a data set directory and keeps its
// manifest current. Its methods are safe for concurrent use, so trajectories
// may be generated and added in parallel.
type Writer struct {
	dir    string
	specs  []ArraySpec
	splits []Split // split of every trajectory index

	mu       sync.Mutex
	manifest *Manifest
	writing  map[int]bool // indices whose files are being written

	// wrapFile, when set by a test, wraps the writer of each trajectory
	// file to inject a failure.
	wrapFile func(io.Writer) io.Writer
}

// OpenWriter opens dir for writing the data set described by cfg, and
// creates dir when it does not exist.
//
// When dir contains a manifest with the same settings, generation resumes.
// The writer keeps every listed file whose size and SHA-256 checksum are
// intact, and Present lists them. It drops the other files from the
// manifest, so Pending lists them again, and it removes stale temporary
// files. A complete data set whose files are all intact is not written to at
// all, so any number of processes may open it at once, even where dir is
// read-only.
//
// OpenWriter returns an error and changes nothing in dir in these cases:
//
//   - cfg is invalid;
//   - dir or one of its parents is a regular file (ErrNotDirectory);
//   - dir cannot be created or written (ErrNotWritable);
//   - dir contains files but no manifest (ErrNotEmpty);
//   - dir contains a manifest of another format version (*VersionError);
//   - dir contains a manifest with other settings (*ParamsMismatchError).
func OpenWriter(dir string, cfg Config) (*Writer, error) {
	requested, err := newManifest(cfg)
	if err != nil {
		return nil, err
	}

	existing, err := prepareOutputDir(dir)
	if err != nil {
		return nil, err
	}

	if existing != nil {
		diffs, err := diffManifests(existing, requested, true)
		if err != nil {
			return nil, err
		}
		if len(diffs) > 0 {
			return nil, &ParamsMismatchError{Dir: dir, Diffs: diffs}
		}
	}

	splits, err := AssignSplits(requested.NumTrajectories, requested.Split)
	if err != nil {
		return nil, err
	}
	w := &Writer{dir: dir, specs: requested.Arrays, splits: splits, manifest: requested, writing: make(map[int]bool)}
	if existing != nil {
		w.manifest = existing
		w.resume(requested.CodeVersion)
		// A complete data set with intact files is left as it is, so that several
		// processes can open it at once, such as the tasks of a job array that share
		// one data set. The writability probe, the removal of temporary files and the
		// manifest rewrite below would race with each other.
		if existing.Complete && w.manifest.isComplete() {
			return w, nil
		}
	}

	if err := checkWritable(dir); err != nil {
		return nil, err
	}
	if err := removeStaleTemps(dir); err != nil {
		return nil, err
	}
	w.manifest.Complete = w.manifest.isComplete()
	if err := writeManifest(dir, w.manifest); err != nil {
		return nil, err
	}
	return w, nil
}

// newManifest validates cfg and returns the manifest of an empty data set.
func newManifest(cfg Config) (*Manifest, error) {
	if cfg.N <= 0 {
		return nil, fmt.Errorf("dataset: grid size n=%d must be positive", cfg.N)
	}
	if cfg.NumTrajectories <= 0 {
		return nil, fmt.Errorf("dataset: number of trajectories %d must be positive", cfg.NumTrajectories)
	}
	if err := cfg.Split.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Shard.validate(); err != nil {
		return nil, fmt.Errorf("dataset: %w %s: %v", ErrShardSpec, cfg.Shard, err)
	}

	specs := append(standardArrays(cfg.N), cfg.ExtraArrays...)
	if err := validateArrays(specs, cfg.N); err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}

	params, err := encodeParams(cfg.Params)
	if err != nil {
		return nil, err
	}

	codeVersion := cfg.CodeVersion
	if codeVersion == "" {
		codeVersion = buildCodeVersion()
	}

	now := time.Now().UTC()
	return &Manifest{
		FormatVersion:   FormatVersion,
		CodeVersion:     codeVersion,
		CreatedAt:       now,
		UpdatedAt:       now,
		Params:          params,
		N:               cfg.N,
		NumTrajectories: cfg.NumTrajectories,
		Split:           cfg.Split,
		Shard:           cfg.Shard.normalized(),
		Arrays:          specs,
		Trajectories:    []TrajectoryEntry{},
	}, nil
}

// prepareOutputDir creates dir when missing and returns its manifest, or
// nil when it has none. A directory without a manifest must be empty apart
// from temporary files of this package.
func prepareOutputDir(dir string) (*Manifest, error) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("dataset: %w: create %s: %v; choose another --out directory or fix its permissions",
				ErrNotWritable, dir, err)
		}
		return nil, nil
	case errors.Is(err, syscall.ENOTDIR):
		return nil, fmt.Errorf("dataset: %w: a parent of %s is a file; choose a directory path for --out",
			ErrNotDirectory, dir)
	case err != nil:
		return nil, fmt.Errorf("dataset: %w: inspect %s: %v; choose another --out directory or fix its permissions",
			ErrNotWritable, dir, err)
	case !info.IsDir():
		return nil, fmt.Errorf("dataset: %w: %s is an existing %s; choose a directory path for --out",
			ErrNotDirectory, dir, fileKind(info))
	}

	existing, err := ReadManifest(dir)
	if err == nil {
		return existing, nil
	}
	if !errors.Is(err, ErrNoManifest) {
		return nil, err
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("dataset: list output directory %s: %w", dir, err)
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tempPrefix) {
			return nil, fmt.Errorf("dataset: %w: %s contains %q but no %s; choose a new or empty --out directory",
				ErrNotEmpty, dir, e.Name(), ManifestName)
		}
	}
	return nil, nil
}

func fileKind(info os.FileInfo) string {
	if info.Mode().IsRegular() {
		return "regular file"
	}
	return "non-directory file (" + info.Mode().Type().String() + ")"
}

// resume keeps the manifest entries whose files are intact and drops the
// others, which are then generated again. It warns when another program
// version started the data set and trajectories remain to be generated, because
// the two versions may then write different data. A complete data set of
// another version is only read, so it gets no warning.
func (w *Writer) resume(codeVersion string) {
	m := w.manifest
	intact := m.Trajectories[:0]
	for _, e := range m.Trajectories {
		path := filepath.Join(w.dir, e.File)
		if err := checkFile(path, &e); err != nil {
			slog.Warn("dataset: trajectory file is invalid and will be generated again", "path", path, "err", err)
			continue
		}
		intact = append(intact, e)
	}
	m.Trajectories = intact

	total := len(m.Shard.Indices(m.NumTrajectories))
	if m.CodeVersion != codeVersion && len(intact) < total {
		slog.Warn("dataset: resuming a data set that another program version started",
			"dir", w.dir, "manifest_code_version", m.CodeVersion, "code_version", codeVersion,
			"present", len(intact), "shard_total", total)
	}
	slog.Info("dataset: resuming", "dir", w.dir, "present", len(intact), "shard_total", total)
}

// Dir returns the data set directory.
func (w *Writer) Dir() string { return w.dir }

// Present returns the indices of the trajectories that are written and
// intact, in increasing order. A caller that resumes skips them.
func (w *Writer) Present() []int {
	w.mu.Lock()
	defer w.mu.Unlock()

	indices := make([]int, 0, len(w.manifest.Trajectories))
	for _, e := range w.manifest.Trajectories {
		indices = append(indices, e.Index)
	}
	return indices
}

// Pending returns the indices of this writer's shard that are not written
// yet, in increasing order.
func (w *Writer) Pending() []int {
	w.mu.Lock()
	defer w.mu.Unlock()

	var pending []int
	for _, k := range w.manifest.Shard.Indices(w.manifest.NumTrajectories) {
		if w.manifest.entry(k) == nil {
			pending = append(pending, k)
		}
	}
	return pending
}

// Complete reports whether every trajectory of the shard is written.
func (w *Writer) Complete() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.manifest.Complete
}

// Manifest returns a copy of the current manifest.
func (w *Writer) Manifest() Manifest {
	w.mu.Lock()
	defer w.mu.Unlock()

	m := *w.manifest
	m.Trajectories = slices.Clone(m.Trajectories)
	return m
}

// Add writes trajectory tr to its file atomically and then rewrites the
// manifest atomically. Writing an index that is already present replaces it.
// Add returns an error, leaving the data set as it was, when tr.Index is
// outside the writer's shard or is being added by another goroutine, when
// an array is missing, undeclared or has a length that does not match
// T = len(tr.Time) and the declared shape (ErrShape), or when writing fails.
func (w *Writer) Add(tr Trajectory) error {
	shard := w.manifest.Shard
	if tr.Index < 0 || tr.Index >= w.manifest.NumTrajectories || !shard.Contains(tr.Index) {
		return fmt.Errorf("dataset: trajectory index %d is not in shard %s of %d trajectories; generate only Pending indices",
			tr.Index, shard, w.manifest.NumTrajectories)
	}

	arrays, err := arraysOf(&tr, w.specs)
	if err != nil {
		return err
	}

	if err := w.claim(tr.Index); err != nil {
		return err
	}
	defer w.release(tr.Index)

	entry, err := w.writeTrajectoryFile(tr.Index, arrays)
	if err != nil {
		return err
	}

	w.mu.Lock()
	defer w.mu.Unlock()

	w.manifest.setEntry(entry)
	w.manifest.Complete = w.manifest.isComplete()
	w.manifest.UpdatedAt = time.Now().UTC()
	return writeManifest(w.dir, w.manifest)
}

// claim marks index k as being written, so that two goroutines cannot
// write the same file and record each other's checksum.
func (w *Writer) claim(k int) error {
	w.mu.Lock()
	defer w.mu.Unlock()

	if w.writing[k] {
		return fmt.Errorf("dataset: trajectory %d is already being added by another goroutine; add each index once", k)
	}
	w.writing[k] = true
	return nil
}

func (w *Writer) release(k int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.writing, k)
}

func (w *Writer) writeTrajectoryFile(k int, arrays []namedArray) (TrajectoryEntry, error) {
	name := TrajectoryFileName(k)
	hash := sha256.New()
	var size countingWriter

	err := writeFileAtomic(filepath.Join(w.dir, name), w.wrapFile, func(file io.Writer) error {
		return writeNPZ(io.MultiWriter(file, hash, &size), arrays)
	})
	if err != nil {
		return TrajectoryEntry{}, err
	}

	shapes := make(map[string][]int, len(arrays))
	for _, a := range arrays {
		shapes[a.name] = a.shape
	}
	return TrajectoryEntry{
		Index:     k,
		File:      name,
		Split:     w.splits[k],
		Snapshots: arrays[0].shape[0],
		Bytes:     int64(size),
		SHA256:    hex.EncodeToString(hash.Sum(nil)),
		Shapes:    shapes,
	}, nil
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
