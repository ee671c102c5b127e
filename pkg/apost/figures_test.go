package apost

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteFiguresAndJSON writes every figure of a short run with a failed
// member and the JSON result, and checks that the files are PNG images and
// JSON that decodes back.
func TestWriteFiguresAndJSON(t *testing.T) {
	t.Parallel()
	n := testDNSGrid / testRatio
	cfg := testConfig(t, 0.3, 2, None{}, Smagorinsky{}, Oracle{},
		Learned{Label: "blowup", Sampler: &blowUpSampler{n: n, victim: 1, from: 3}})
	cfg.AverageWindow = 0.2
	res := mustRun(t, cfg)

	dir := t.TempDir()
	paths, err := WriteFigures(dir, res)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 9 {
		t.Errorf("wrote %d figures, want 9", len(paths))
	}
	pngMagic := []byte("\x89PNG\r\n\x1a\n")
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, pngMagic) {
			t.Errorf("%s is not a PNG file", path)
		}
	}

	path := filepath.Join(dir, ResultFile)
	if err := WriteJSON(path, res); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	if len(back.Times) != len(res.Times) || len(back.Closures) != 4 {
		t.Errorf("decoded result has %d times and %d closures, want %d and 4", len(back.Times), len(back.Closures), len(res.Times))
	}
}

// TestErrorFigureLinearLeavesOutRoundOff checks that the linear error figure has nothing to
// draw for an oracle-only run, whose error stays at round-off, and draws a run with none.
func TestErrorFigureLinearLeavesOutRoundOff(t *testing.T) {
	t.Parallel()
	res := mustRun(t, testConfig(t, 0.2, 1, Oracle{}))
	if _, err := ErrorFigureLinear(res); err == nil || !strings.Contains(err.Error(), "round-off") {
		t.Errorf("ErrorFigureLinear of an oracle-only run returned %v, want an error about round-off", err)
	}
	res = mustRun(t, testConfig(t, 0.2, 1, Oracle{}, None{}))
	if _, err := ErrorFigureLinear(res); err != nil {
		t.Errorf("ErrorFigureLinear of a run with none: %v", err)
	}
}
