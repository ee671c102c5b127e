package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestHiddenBarLogsEachTenth drives a bar that has no terminal through a fresh and a resumed
// run and checks the log lines: one per tenth passed, none for work done before the start.
func TestHiddenBarLogsEachTenth(t *testing.T) {
	var log bytes.Buffer
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&log, nil)))
	defer slog.SetDefault(previous)

	fresh := newBar("training demo", 100)
	fresh.visible = false
	for step := 1; step <= 40; step++ {
		fresh.fraction(float64(step), 40, "loss", 0.5)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 10 {
		t.Fatalf("fresh run: %d log lines, want 10:\n%s", len(lines), log.String())
	}
	for i, line := range lines {
		for _, want := range []string{`msg="training demo"`, "done=" + []string{"10", "20", "30", "40", "50", "60", "70", "80", "90", "100"}[i] + "%", "remaining=", "loss=0.5"} {
			if !strings.Contains(line, want) {
				t.Errorf("fresh run, line %d %q lacks %q", i, line, want)
			}
		}
	}

	log.Reset()
	resumed := newBar("training demo", 100)
	resumed.visible = false
	for step := 21; step <= 24; step++ {
		resumed.fraction(float64(step), 40)
	}
	lines = strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "done=60%") {
		t.Errorf("run resumed at half way: log %q, want one line at 60%%", log.String())
	}
}
