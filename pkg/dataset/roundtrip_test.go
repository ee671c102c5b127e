package dataset

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npz"
)

func TestRoundTripArraysAndManifest(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	const numTrajectories = 5
	w := writeDataSet(t, dir, testConfig(numTrajectories))
	if !w.Complete() {
		t.Fatalf("writer not complete after adding all %d trajectories", numTrajectories)
	}

	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for k := range numTrajectories {
		got, err := d.ReadTrajectory(k)
		if err != nil {
			t.Fatal(err)
		}
		want := makeTrajectory(k, testSnapshots)
		if !slices.Equal(got.Time, want.Time) {
			t.Errorf("trajectory %d time = %v, want %v", k, got.Time, want.Time)
		}
		if !slices.Equal(got.OmegaBar, want.OmegaBar) {
			t.Errorf("trajectory %d omega_bar differs", k)
		}
		if !slices.Equal(got.Closure, want.Closure) {
			t.Errorf("trajectory %d closure differs", k)
		}
		if !slices.Equal(got.Extra["omega_dns"].([]float32), want.Extra["omega_dns"].([]float32)) {
			t.Errorf("trajectory %d omega_dns differs", k)
		}
		if !slices.Equal(got.Extra["energy"].([]float64), want.Extra["energy"].([]float64)) {
			t.Errorf("trajectory %d energy differs", k)
		}
	}

	m := d.Manifest()
	if m.FormatVersion != FormatVersion || m.N != testN || m.NumTrajectories != numTrajectories {
		t.Errorf("manifest version/n/count = %d/%d/%d, want %d/%d/%d",
			m.FormatVersion, m.N, m.NumTrajectories, FormatVersion, testN, numTrajectories)
	}
	if m.CodeVersion != "test-version" || !m.Complete || m.CreatedAt.IsZero() {
		t.Errorf("manifest code version %q complete %v created %v", m.CodeVersion, m.Complete, m.CreatedAt)
	}

	var params testParams
	if err := json.Unmarshal(m.Params, &params); err != nil {
		t.Fatal(err)
	}
	if params != newTestParams() {
		t.Errorf("manifest params = %+v, want %+v", params, newTestParams())
	}

	for _, e := range m.Trajectories {
		info, err := os.Stat(filepath.Join(dir, e.File))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != filePermissions {
			t.Errorf("%s: permissions %v, want %v", e.File, info.Mode().Perm(), os.FileMode(filePermissions))
		}
		if info.Size() != e.Bytes || len(e.SHA256) != 64 {
			t.Errorf("%s: size %d, manifest %d bytes, sha256 %q", e.File, info.Size(), e.Bytes, e.SHA256)
		}
		if want := []int{testSnapshots, testNDNS, testNDNS}; !slices.Equal(e.Shapes["omega_dns"], want) {
			t.Errorf("%s: omega_dns shape %v, want %v", e.File, e.Shapes["omega_dns"], want)
		}
		if want := []int{testSnapshots}; !slices.Equal(e.Shapes[ArrayTime], want) {
			t.Errorf("%s: time shape %v, want %v", e.File, e.Shapes[ArrayTime], want)
		}
	}

	if err := d.Verify(); err != nil {
		t.Errorf("Verify of an intact data set: %v", err)
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	t.Parallel()
	var files [2][]byte
	for i := range files {
		dir := t.TempDir()
		writeDataSet(t, dir, testConfig(1))
		data, err := os.ReadFile(filepath.Join(dir, TrajectoryFileName(0)))
		if err != nil {
			t.Fatal(err)
		}
		files[i] = data
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("writing the same trajectory twice gave different bytes")
	}
}

func TestNPZHeaderIsNumPyFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeDataSet(t, dir, testConfig(1))
	path := filepath.Join(dir, TrajectoryFileName(0))

	archive, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer archive.Close()

	want := map[string]struct {
		descr string
		shape string
		bytes int
	}{
		"omega_bar.npy": {"'<f4'", fmt.Sprintf("(%d, %d, %d)", testSnapshots, testN, testN), 4 * testSnapshots * testN * testN},
		"closure.npy":   {"'<f4'", fmt.Sprintf("(%d, %d, %d)", testSnapshots, testN, testN), 4 * testSnapshots * testN * testN},
		"time.npy":      {"'<f8'", fmt.Sprintf("(%d,)", testSnapshots), 8 * testSnapshots},
		"omega_dns.npy": {"'<f4'", fmt.Sprintf("(%d, %d, %d)", testSnapshots, testNDNS, testNDNS), 4 * testSnapshots * testNDNS * testNDNS},
		"energy.npy":    {"'<f8'", fmt.Sprintf("(%d,)", testSnapshots), 8 * testSnapshots},
	}
	if len(archive.File) != len(want) {
		t.Errorf("archive has %d entries, want %d", len(archive.File), len(want))
	}

	for _, f := range archive.File {
		expected, ok := want[f.Name]
		if !ok {
			t.Errorf("unexpected entry %q", f.Name)
			continue
		}
		if f.Method != zip.Store {
			t.Errorf("%s: compression method %d, want stored (0) as numpy.savez writes", f.Name, f.Method)
		}

		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}

		if !bytes.HasPrefix(raw, []byte("\x93NUMPY")) {
			t.Fatalf("%s: missing NumPy magic, starts with %q", f.Name, raw[:8])
		}
		major := raw[6]
		var headerLength, preamble int
		switch major {
		case 1:
			headerLength, preamble = int(binary.LittleEndian.Uint16(raw[8:10])), 10
		case 2:
			headerLength, preamble = int(binary.LittleEndian.Uint32(raw[8:12])), 12
		default:
			t.Fatalf("%s: NumPy format major version %d, want 1 or 2", f.Name, major)
		}
		header := string(raw[preamble : preamble+headerLength])
		for _, field := range []string{"'descr': " + expected.descr, "'fortran_order': False", "'shape': " + expected.shape} {
			if !strings.Contains(header, field) {
				t.Errorf("%s: header %q lacks %q", f.Name, header, field)
			}
		}
		if (preamble+headerLength)%npyAlignment != 0 {
			t.Errorf("%s: data starts at byte %d, not a multiple of %d as numpy.save aligns it",
				f.Name, preamble+headerLength, npyAlignment)
		}
		if !strings.HasSuffix(header, "\n") {
			t.Errorf("%s: header %q does not end with a newline", f.Name, header)
		}
		if got := len(raw) - preamble - headerLength; got != expected.bytes {
			t.Errorf("%s: %d data bytes, want %d", f.Name, got, expected.bytes)
		}
	}
}

func TestNPZReadableByNpyio(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeDataSet(t, dir, testConfig(1))

	reader, err := npz.Open(filepath.Join(dir, TrajectoryFileName(0)))
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()

	header := reader.Header("omega_bar.npy")
	if header == nil {
		t.Fatalf("npyio finds no omega_bar.npy among %v", reader.Keys())
	}
	if want := []int{testSnapshots, testN, testN}; !slices.Equal(header.Descr.Shape, want) || header.Descr.Type != "'<f4'" {
		t.Errorf("npyio header dtype %s shape %v, want '<f4' %v", header.Descr.Type, header.Descr.Shape, want)
	}

	var closure []float32
	if err := reader.Read("closure.npy", &closure); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(closure, makeTrajectory(0, testSnapshots).Closure) {
		t.Error("closure read by npyio differs from the written values")
	}
}

// TestNPZLoadsInNumPy runs only where python3 has numpy; it never installs it.
func TestNPZLoadsInNumPy(t *testing.T) {
	t.Parallel()
	if exec.Command("python3", "-c", "import numpy").Run() != nil {
		t.Skip("python3 with numpy not available")
	}
	dir := t.TempDir()
	writeDataSet(t, dir, testConfig(1))
	path := filepath.Join(dir, TrajectoryFileName(0))

	script := `import sys, numpy as np
d = np.load(sys.argv[1])
for k in ("omega_bar", "closure", "time", "omega_dns", "energy"):
    a = d[k]
    print(k, a.dtype, "x".join(map(str, a.shape)), repr(float(a.ravel()[-1])))`
	out, err := exec.Command("python3", "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("numpy.load failed: %v\n%s", err, out)
	}

	tr := makeTrajectory(0, testSnapshots)
	last := func(values []float32) float64 { return float64(values[len(values)-1]) }
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	expected := []string{
		fmt.Sprintf("omega_bar float32 %dx%dx%d %v", testSnapshots, testN, testN, pythonFloat(last(tr.OmegaBar))),
		fmt.Sprintf("closure float32 %dx%dx%d %v", testSnapshots, testN, testN, pythonFloat(last(tr.Closure))),
		fmt.Sprintf("time float64 %d %v", testSnapshots, pythonFloat(tr.Time[testSnapshots-1])),
		fmt.Sprintf("omega_dns float32 %dx%dx%d %v", testSnapshots, testNDNS, testNDNS,
			pythonFloat(last(tr.Extra["omega_dns"].([]float32)))),
		fmt.Sprintf("energy float64 %d %v", testSnapshots, pythonFloat(tr.Extra["energy"].([]float64)[testSnapshots-1])),
	}
	if !slices.Equal(lines, expected) {
		t.Errorf("numpy output:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(expected, "\n"))
	}
}

// pythonFloat formats x as Python's repr of a float for the values used
// here, which all have a fractional part.
func pythonFloat(x float64) string {
	return fmt.Sprint(x)
}

// TestNPZReadableByPythonZipfile parses the archive with Python's standard
// library the way numpy.lib.format does (zipfile, then ast.literal_eval of
// the header), so it runs where numpy is missing.
func TestNPZReadableByPythonZipfile(t *testing.T) {
	t.Parallel()
	if exec.Command("python3", "-c", "import zipfile, ast, array").Run() != nil {
		t.Skip("python3 not available")
	}
	dir := t.TempDir()
	writeDataSet(t, dir, testConfig(1))

	script := `import sys, zipfile, ast, struct, array
archive = zipfile.ZipFile(sys.argv[1])
for name in archive.namelist():
    raw = archive.read(name)
    assert raw[:8] == b"\x93NUMPY\x01\x00", raw[:8]
    length = struct.unpack("<H", raw[8:10])[0]
    header = ast.literal_eval(raw[10:10 + length].decode("latin1"))
    values = array.array({"<f4": "f", "<f8": "d"}[header["descr"]])
    values.frombytes(raw[10 + length:])
    shape = "x".join(map(str, header["shape"]))
    print(name, header["descr"], header["fortran_order"], shape, len(values), repr(values[-1]))`
	out, err := exec.Command("python3", "-c", script, filepath.Join(dir, TrajectoryFileName(0))).CombinedOutput()
	if err != nil {
		t.Fatalf("python3 could not parse the archive: %v\n%s", err, out)
	}

	tr := makeTrajectory(0, testSnapshots)
	field := testSnapshots * testN * testN
	dns := testSnapshots * testNDNS * testNDNS
	want := []string{
		fmt.Sprintf("omega_bar.npy <f4 False %dx%dx%d %d %v", testSnapshots, testN, testN, field, tr.OmegaBar[field-1]),
		fmt.Sprintf("closure.npy <f4 False %dx%dx%d %d %v", testSnapshots, testN, testN, field, tr.Closure[field-1]),
		fmt.Sprintf("time.npy <f8 False %d %d %v", testSnapshots, testSnapshots, tr.Time[testSnapshots-1]),
		fmt.Sprintf("omega_dns.npy <f4 False %dx%dx%d %d %v", testSnapshots, testNDNS, testNDNS, dns,
			tr.Extra["omega_dns"].([]float32)[dns-1]),
		fmt.Sprintf("energy.npy <f8 False %d %d %v", testSnapshots, testSnapshots, tr.Extra["energy"].([]float64)[testSnapshots-1]),
	}
	if lines := strings.Split(strings.TrimSpace(string(out)), "\n"); !slices.Equal(lines, want) {
		t.Errorf("python output:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}
