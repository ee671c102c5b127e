package dataset

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
)

// Dataset is a complete data set opened for reading.
type Dataset struct {
	dir      string
	manifest *Manifest
}

// Open opens the data set in dir for reading. It reads the manifest (see
// ReadManifest for its errors), returns an error wrapping ErrIncomplete when
// generation has not finished, and checks that every listed file exists
// (ErrMissingFile) with its recorded size (ErrTruncated, ErrChecksum).
// Checksums are verified when files are read, and by Verify.
func Open(dir string) (*Dataset, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if !m.Complete {
		return nil, fmt.Errorf("dataset: %w: %s contains %d of %d trajectories of shard %s; "+
			"rerun the generation with the same parameters to finish it, or merge the shards",
			ErrIncomplete, dir, len(m.Trajectories), len(m.Shard.Indices(m.NumTrajectories)), m.Shard)
	}

	for i := range m.Trajectories {
		e := &m.Trajectories[i]
		if err := statFile(filepath.Join(dir, e.File), e); err != nil {
			return nil, err
		}
	}
	return &Dataset{dir: dir, manifest: m}, nil
}

// Dir returns the data set directory.
func (d *Dataset) Dir() string { return d.dir }

// Manifest returns the manifest. The caller must not modify it.
func (d *Dataset) Manifest() *Manifest { return d.manifest }

// N returns the LES grid size n.
func (d *Dataset) N() int { return d.manifest.N }

// Trajectories returns the indices of the trajectories in split, in
// increasing order.
func (d *Dataset) Trajectories(split Split) []int {
	var indices []int
	for _, e := range d.manifest.Trajectories {
		if e.Split == split {
			indices = append(indices, e.Index)
		}
	}
	return indices
}

// ReadTrajectory reads trajectory k after verifying its file's size and
// SHA-256 checksum and every array's dtype and shape against the manifest.
// Errors name the file and wrap ErrMissingFile, ErrTruncated, ErrChecksum,
// ErrCorrupt or ErrShape; an index not in the data set is an error too.
func (d *Dataset) ReadTrajectory(k int) (*Trajectory, error) {
	e := d.manifest.entry(k)
	if e == nil {
		return nil, fmt.Errorf("dataset: trajectory %d is not in data set %s, which has indices [0, %d)",
			k, d.dir, d.manifest.NumTrajectories)
	}

	path := filepath.Join(d.dir, e.File)
	data, err := readVerifiedFile(path, e)
	if err != nil {
		return nil, err
	}

	if err := d.checkEntryShapes(path, e); err != nil {
		return nil, err
	}
	arrays, err := readNPZ(path, data, d.manifest.Arrays, e.Shapes)
	if err != nil {
		return nil, err
	}

	tr := &Trajectory{
		Index:    k,
		Time:     arrays[ArrayTime].([]float64),
		OmegaBar: arrays[ArrayOmegaBar].([]float32),
		Closure:  arrays[ArrayClosure].([]float32),
	}
	for _, spec := range d.manifest.Arrays[len(standardArrays(d.manifest.N)):] {
		if tr.Extra == nil {
			tr.Extra = make(map[string]any)
		}
		tr.Extra[spec.Name] = arrays[spec.Name]
	}
	return tr, nil
}

// checkEntryShapes checks that the manifest's recorded shapes agree with the
// declared arrays, so that a hand-edited manifest cannot make a reader
// accept an array of another layout.
func (d *Dataset) checkEntryShapes(path string, e *TrajectoryEntry) error {
	for _, spec := range d.manifest.Arrays {
		want := append([]int{e.Snapshots}, spec.SnapshotShape...)
		if got := e.Shapes[spec.Name]; !slices.Equal(got, want) {
			return fileErrorf(path, ErrShape, "%s records shape %v for array %q, expected %v; %s",
				ManifestName, got, spec.Name, want, fixInconsistentFile)
		}
	}
	return nil
}

// Verify reads every file and checks sizes, checksums, dtypes and shapes. It
// returns the errors of all bad files joined, or nil.
func (d *Dataset) Verify() error {
	var errs []error
	for _, e := range d.manifest.Trajectories {
		if _, err := d.ReadTrajectory(e.Index); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// SplitData contains every snapshot of one split, with trajectories in
// increasing index order and snapshots in file order. S is the number of
// snapshots.
type SplitData struct {
	Split      Split
	N          int       // grid size n
	Snapshots  int       // S
	OmegaBar   []float32 // [S, n, n] filtered vorticity, row-major
	Closure    []float32 // [S, n, n] closure term H, row-major
	Trajectory []int     // [S] trajectory index of each snapshot
	Time       []float64 // [S] simulation time of each snapshot

	// Extra contains the extra arrays requested from LoadSplit, each a
	// []float32 or []float64 of shape [S, snapshot shape...].
	Extra map[string]any
}

// LoadSplit reads every trajectory of split, verifying each file as
// ReadTrajectory does, and concatenates the snapshots. extra names the
// extra arrays to load as well; an unknown name is an error. A split with no
// trajectories gives empty slices.
func (d *Dataset) LoadSplit(split Split, extra ...string) (*SplitData, error) {
	if !split.valid() {
		return nil, fmt.Errorf("dataset: unknown split %q; use %q, %q or %q", split, SplitTrain, SplitValidation, SplitTest)
	}
	specs, err := d.extraSpecs(extra)
	if err != nil {
		return nil, err
	}

	total := 0
	for _, e := range d.manifest.Trajectories {
		if e.Split == split {
			total += e.Snapshots
		}
	}

	n := d.manifest.N
	out := &SplitData{
		Split:      split,
		N:          n,
		OmegaBar:   make([]float32, 0, total*n*n),
		Closure:    make([]float32, 0, total*n*n),
		Trajectory: make([]int, 0, total),
		Time:       make([]float64, 0, total),
		Extra:      make(map[string]any, len(specs)),
	}
	for _, spec := range specs {
		if spec.DType == Float64 {
			out.Extra[spec.Name] = []float64{}
		} else {
			out.Extra[spec.Name] = []float32{}
		}
	}

	for _, k := range d.Trajectories(split) {
		tr, err := d.ReadTrajectory(k)
		if err != nil {
			return nil, err
		}
		out.append(tr, specs)
	}
	return out, nil
}

func (d *Dataset) extraSpecs(names []string) ([]ArraySpec, error) {
	declared := d.manifest.Arrays[len(standardArrays(d.manifest.N)):]
	var specs []ArraySpec
	for _, name := range names {
		i := slices.IndexFunc(declared, func(s ArraySpec) bool { return s.Name == name })
		if i < 0 {
			var available []string
			for _, s := range declared {
				available = append(available, s.Name)
			}
			return nil, fmt.Errorf("dataset: extra array %q is not in data set %s, which has extra arrays %v",
				name, d.dir, available)
		}
		specs = append(specs, declared[i])
	}
	return specs, nil
}

func (s *SplitData) append(tr *Trajectory, specs []ArraySpec) {
	s.OmegaBar = append(s.OmegaBar, tr.OmegaBar...)
	s.Closure = append(s.Closure, tr.Closure...)
	s.Time = append(s.Time, tr.Time...)
	for range tr.Time {
		s.Trajectory = append(s.Trajectory, tr.Index)
	}
	s.Snapshots += len(tr.Time)

	for _, spec := range specs {
		switch values := tr.Extra[spec.Name].(type) {
		case []float32:
			previous, _ := s.Extra[spec.Name].([]float32)
			s.Extra[spec.Name] = append(previous, values...)
		case []float64:
			previous, _ := s.Extra[spec.Name].([]float64)
			s.Extra[spec.Name] = append(previous, values...)
		}
	}
}
