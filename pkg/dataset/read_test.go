package dataset

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corruptions damage a written data set of testReadTrajectories trajectories
// in one way each. target is the file that the error must name.
const testReadTrajectories = 4

type corruption struct {
	name     string
	damage   func(t *testing.T, dir string) (target string)
	sentinel error
	atOpen   bool // whether Open already fails, or only reading the file
}

var corruptions = []corruption{
	{"truncated file", truncateFile, ErrTruncated, true},
	{"flipped byte", flipByte, ErrChecksum, false},
	{"missing manifest", removeManifest, ErrNoManifest, true},
	{"wrong version", setFormatVersion, ErrVersion, true},
	{"missing file", removeFile, ErrMissingFile, true},
	{"shape mismatch", reshapeArray, ErrShape, false},
	{"not a zip archive", replaceWithGarbage, ErrCorrupt, false},
	{"manifest shape edited", editManifestShape, ErrShape, false},
}

func TestReadDetectsDamage(t *testing.T) {
	t.Parallel()
	for _, c := range corruptions {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeDataSet(t, dir, testConfig(testReadTrajectories))
			target := c.damage(t, dir)

			err := openAndLoadAll(dir)
			if err == nil {
				t.Fatal("reading the damaged data set succeeded")
			}
			if !errors.Is(err, c.sentinel) {
				t.Errorf("error %v does not wrap %v", err, c.sentinel)
			}
			if !strings.Contains(err.Error(), target) {
				t.Errorf("error %q does not name %s", err, target)
			}

			var fileErr *FileError
			var versionErr *VersionError
			switch {
			case errors.As(err, &fileErr):
				if fileErr.Path != target {
					t.Errorf("FileError.Path = %s, want %s", fileErr.Path, target)
				}
			case errors.As(err, &versionErr):
				if versionErr.Path != target {
					t.Errorf("VersionError.Path = %s, want %s", versionErr.Path, target)
				}
			default:
				t.Errorf("error %v is neither *FileError nor *VersionError", err)
			}

			_, openErr := Open(dir)
			if got := openErr != nil; got != c.atOpen {
				t.Errorf("Open failed = %v (%v), want %v", got, openErr, c.atOpen)
			}
		})
	}
}

// openAndLoadAll opens the data set and loads every split.
func openAndLoadAll(dir string) error {
	d, err := Open(dir)
	if err != nil {
		return err
	}
	for _, split := range Splits {
		if _, err := d.LoadSplit(split); err != nil {
			return err
		}
	}
	return nil
}

func TestVersionErrorNamesBothVersions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeDataSet(t, dir, testConfig(1))
	setFormatVersion(t, dir)

	_, err := ReadManifest(dir)
	var versionErr *VersionError
	if !errors.As(err, &versionErr) {
		t.Fatalf("ReadManifest returned %v, want *VersionError", err)
	}
	if versionErr.Found != 99 || versionErr.Supported != FormatVersion {
		t.Errorf("VersionError found %d supported %d, want 99 and %d", versionErr.Found, versionErr.Supported, FormatVersion)
	}
	for _, fragment := range []string{"version 99", "version 1", "regenerate"} {
		if !strings.Contains(err.Error(), fragment) {
			t.Errorf("error %q lacks %q", err, fragment)
		}
	}

	before := snapshotDir(t, dir)
	if _, err := OpenWriter(dir, testConfig(1)); !errors.Is(err, ErrVersion) {
		t.Errorf("OpenWriter on a data set of another version returned %v, want ErrVersion", err)
	}
	assertDirUnchanged(t, dir, before)
}

func TestOpenRejectsIncompleteDataSet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	w, err := OpenWriter(dir, testConfig(3))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(makeTrajectory(1, testSnapshots)); err != nil {
		t.Fatal(err)
	}

	_, err = Open(dir)
	if !errors.Is(err, ErrIncomplete) || !strings.Contains(err.Error(), "1 of 3") {
		t.Errorf("Open of a partial data set returned %v, want ErrIncomplete with 1 of 3", err)
	}
}

func TestLoadSplitConcatenatesSnapshots(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const numTrajectories = 10
	cfg := testConfig(numTrajectories)
	w, err := OpenWriter(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Trajectories of different lengths check the per-snapshot bookkeeping.
	snapshotsOf := func(k int) int { return 1 + k%3 }
	for k := range numTrajectories {
		if err := w.Add(makeTrajectory(k, snapshotsOf(k))); err != nil {
			t.Fatal(err)
		}
	}

	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[int]Split)
	for _, split := range Splits {
		data, err := d.LoadSplit(split, "energy")
		if err != nil {
			t.Fatal(err)
		}

		position := 0
		for _, k := range d.Trajectories(split) {
			if previous, ok := seen[k]; ok {
				t.Errorf("trajectory %d is in %s and %s", k, previous, split)
			}
			seen[k] = split
			want := makeTrajectory(k, snapshotsOf(k))
			for s := range snapshotsOf(k) {
				if data.Trajectory[position] != k || data.Time[position] != want.Time[s] {
					t.Errorf("%s snapshot %d: trajectory %d time %v, want %d %v",
						split, position, data.Trajectory[position], data.Time[position], k, want.Time[s])
				}
				field := testN * testN
				if !slices.Equal(data.OmegaBar[position*field:(position+1)*field], want.OmegaBar[s*field:(s+1)*field]) {
					t.Errorf("%s snapshot %d: omega_bar differs from trajectory %d snapshot %d", split, position, k, s)
				}
				if !slices.Equal(data.Closure[position*field:(position+1)*field], want.Closure[s*field:(s+1)*field]) {
					t.Errorf("%s snapshot %d: closure differs from trajectory %d snapshot %d", split, position, k, s)
				}
				if energy := data.Extra["energy"].([]float64); energy[position] != want.Extra["energy"].([]float64)[s] {
					t.Errorf("%s snapshot %d: energy %v differs", split, position, energy[position])
				}
				position++
			}
		}
		if data.Snapshots != position || len(data.OmegaBar) != position*testN*testN || len(data.Time) != position {
			t.Errorf("%s: Snapshots %d, %d omega_bar values, %d times; want %d snapshots",
				split, data.Snapshots, len(data.OmegaBar), len(data.Time), position)
		}
	}
	if len(seen) != numTrajectories {
		t.Errorf("splits contain %d trajectories, want %d", len(seen), numTrajectories)
	}

	if _, err := d.LoadSplit(SplitTrain, "pressure"); err == nil || !strings.Contains(err.Error(), "pressure") {
		t.Errorf("LoadSplit with an unknown extra array returned %v", err)
	}
	if _, err := d.LoadSplit("holdout"); err == nil {
		t.Error("LoadSplit with an unknown split succeeded")
	}
}

func truncateFile(t *testing.T, dir string) string {
	path := filepath.Join(dir, TrajectoryFileName(1))
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, info.Size()/2); err != nil {
		t.Fatal(err)
	}
	return path
}

func flipByte(t *testing.T, dir string) string {
	path := filepath.Join(dir, TrajectoryFileName(testReadTrajectories-1))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x01
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func removeManifest(t *testing.T, dir string) string {
	path := filepath.Join(dir, ManifestName)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func setFormatVersion(t *testing.T, dir string) string {
	return editManifest(t, dir, func(m map[string]any) { m["format_version"] = 99 })
}

func removeFile(t *testing.T, dir string) string {
	path := filepath.Join(dir, TrajectoryFileName(2))
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// reshapeArray rewrites trajectory 0 with omega_bar stored as [T, n*n],
// the same bytes in another shape, and records the new checksum so that
// only the shape check can catch it.
func reshapeArray(t *testing.T, dir string) string {
	tr := makeTrajectory(0, testSnapshots)
	arrays, err := arraysOf(&tr, testManifest(t, dir).Arrays)
	if err != nil {
		t.Fatal(err)
	}
	arrays[0].shape = []int{testSnapshots, testN * testN}

	var buf bytes.Buffer
	if err := writeNPZ(&buf, arrays); err != nil {
		t.Fatal(err)
	}
	return replaceFile(t, dir, 0, buf.Bytes())
}

func replaceWithGarbage(t *testing.T, dir string) string {
	return replaceFile(t, dir, 0, bytes.Repeat([]byte("not a zip archive "), 20))
}

// editManifestShape records omega_bar of trajectory 0 with a wrong shape.
func editManifestShape(t *testing.T, dir string) string {
	editManifest(t, dir, func(m map[string]any) {
		entry := m["trajectories"].([]any)[0].(map[string]any)
		entry["shapes"].(map[string]any)[ArrayOmegaBar] = []int{testSnapshots, testN, testN + 1}
	})
	return filepath.Join(dir, TrajectoryFileName(0))
}

// replaceFile overwrites trajectory k's file and updates its size and
// checksum in the manifest.
func replaceFile(t *testing.T, dir string, k int, data []byte) string {
	path := filepath.Join(dir, TrajectoryFileName(k))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	editManifest(t, dir, func(m map[string]any) {
		for _, e := range m["trajectories"].([]any) {
			entry := e.(map[string]any)
			if entry["index"].(float64) == float64(k) {
				entry["bytes"] = len(data)
				entry["sha256"] = hex.EncodeToString(sum[:])
			}
		}
	})
	return path
}

func editManifest(t *testing.T, dir string, edit func(map[string]any)) string {
	path := filepath.Join(dir, ManifestName)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	data, err = json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func testManifest(t *testing.T, dir string) *Manifest {
	m, err := ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
