package reproduce

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/plots"
	"github.com/closure-lab/closure/pkg/preset"
)

func TestRunWritesReportAndKeepsGoing(t *testing.T) {
	p, err := preset.Get("tiny")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	sections := []Section{
		{Name: "a", Title: "A working section", Run: func(_ context.Context, env *Env) (string, error) {
			fig, err := plots.Lines([]plots.Series{{Name: "y", X: []float64{1, 2}, Y: []float64{3, 4}}}, plots.LineOptions{})
			if err := env.Save("line")(fig, err); err != nil {
				return "", err
			}
			return "| value | command |\n|---|---|\n| 42 | `" + env.Command + "` |", nil
		}},
		{Name: "b", Title: "A failing section", Run: func(context.Context, *Env) (string, error) {
			return "", errors.New("solver blew up at t=3")
		}},
		{Name: "c", Title: "A section after the failure", Run: func(context.Context, *Env) (string, error) {
			return "still ran", nil
		}},
	}

	result, err := Run(context.Background(), p, out, filepath.Join(out, "data"), sections)
	if err != nil {
		t.Fatal(err)
	}
	if len(result.Failed) != 1 || result.Failed[0] != "b" {
		t.Errorf("failed sections %v, expected [b]", result.Failed)
	}
	if _, err := os.Stat(filepath.Join(out, "a", "line.png")); err != nil {
		t.Errorf("figure of section a: %v", err)
	}

	report, err := os.ReadFile(result.ReportPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"closure reproduce --preset tiny",
		"| 42 | `closure reproduce --preset tiny` |",
		"![line](a/line.png)",
		"**This section failed:** solver blew up at t=3",
		"still ran",
	} {
		if !strings.Contains(string(report), want) {
			t.Errorf("report does not contain %q", want)
		}
	}
}

func TestSaveReturnsConstructorError(t *testing.T) {
	env := &Env{OutDir: t.TempDir(), section: "s"}
	err := env.Save("broken")(nil, errors.New("no data"))
	if err == nil || !strings.Contains(err.Error(), "broken") || !strings.Contains(err.Error(), "no data") {
		t.Fatalf("Save of a failed constructor returned %v, expected an error naming the figure and the cause", err)
	}
	if len(env.figures) != 0 {
		t.Errorf("a failed figure was recorded: %v", env.figures)
	}
}
