package dataset

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// testParams stands for the generator's parameter struct.
type testParams struct {
	Nu      float64 `json:"nu"`
	Dt      float64 `json:"dt"`
	Seed    int64   `json:"seed"`
	Forcing struct {
		Wavenumber int     `json:"wavenumber"`
		Amplitude  float64 `json:"amplitude"`
	} `json:"forcing"`
}

const (
	testN         = 4 // LES grid size
	testNDNS      = 8 // grid size of the extra DNS array
	testSnapshots = 3 // T per trajectory
)

func newTestParams() testParams {
	p := testParams{Nu: 1e-3, Dt: 5e-3, Seed: 7}
	p.Forcing.Wavenumber = 4
	p.Forcing.Amplitude = 0.1
	return p
}

func testConfig(numTrajectories int) Config {
	return Config{
		Params:          newTestParams(),
		N:               testN,
		NumTrajectories: numTrajectories,
		Split:           SplitConfig{Seed: 11, Train: 0.6, Validation: 0.2, Test: 0.2},
		CodeVersion:     "test-version",
		ExtraArrays: []ArraySpec{
			{Name: "omega_dns", DType: Float32, SnapshotShape: []int{testNDNS, testNDNS}},
			{Name: "energy", DType: Float64, SnapshotShape: []int{}},
		},
	}
}

// fieldValue gives every stored element a distinct value that identifies its
// trajectory, snapshot, array and position, so a read-back mismatch points to
// one element.
func fieldValue(k, t, array, position int) float32 {
	return float32(k*10000+t*1000+array*100) + float32(position)*0.25
}

func makeTrajectory(k, snapshots int) Trajectory {
	tr := Trajectory{
		Index:    k,
		Time:     make([]float64, snapshots),
		OmegaBar: make([]float32, snapshots*testN*testN),
		Closure:  make([]float32, snapshots*testN*testN),
		Extra: map[string]any{
			"omega_dns": make([]float32, snapshots*testNDNS*testNDNS),
			"energy":    make([]float64, snapshots),
		},
	}
	dns := tr.Extra["omega_dns"].([]float32)
	energy := tr.Extra["energy"].([]float64)

	for t := range snapshots {
		tr.Time[t] = 0.5 * float64(t+1)
		energy[t] = float64(k) + 0.125*float64(t)
		for p := range testN * testN {
			tr.OmegaBar[t*testN*testN+p] = fieldValue(k, t, 0, p)
			tr.Closure[t*testN*testN+p] = fieldValue(k, t, 1, p)
		}
		for p := range testNDNS * testNDNS {
			dns[t*testNDNS*testNDNS+p] = fieldValue(k, t, 2, p)
		}
	}
	return tr
}

// writeDataSet writes every trajectory of cfg's shard to dir.
func writeDataSet(t *testing.T, dir string, cfg Config) *Writer {
	t.Helper()
	w, err := OpenWriter(dir, cfg)
	if err != nil {
		t.Fatalf("OpenWriter(%s): %v", dir, err)
	}
	for _, k := range w.Pending() {
		if err := w.Add(makeTrajectory(k, testSnapshots)); err != nil {
			t.Fatalf("Add(%d): %v", k, err)
		}
	}
	return w
}

// snapshotDir returns the SHA-256 of every file in dir, keyed by name, to
// check that an operation left a directory unchanged.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	sums := make(map[string]string)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		sums[e.Name()] = hex.EncodeToString(sum[:])
	}
	return sums
}

func assertDirUnchanged(t *testing.T, dir string, before map[string]string) {
	t.Helper()
	after := snapshotDir(t, dir)
	if len(after) != len(before) {
		t.Errorf("%s has %d files after the failed call, %d before", dir, len(after), len(before))
	}
	for name, sum := range before {
		if after[name] != sum {
			t.Errorf("%s/%s changed or vanished", dir, name)
		}
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}
