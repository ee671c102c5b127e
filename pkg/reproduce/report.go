package reproduce

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/closure-lab/closure/internal/atomicfile"
	"github.com/closure-lab/closure/pkg/plots"
	"github.com/closure-lab/closure/pkg/preset"
)

// ReportFile is the name of the Markdown report in the output folder.
const ReportFile = "REPORT.md"

// Section is one experiment of the report.
type Section struct {
	// Name is the folder of the section's figures, e.g. "01_solver".
	Name string
	// Title is the section heading.
	Title string
	// Run computes the experiment, saves figures with env.Save and returns Markdown.
	Run func(ctx context.Context, env *Env) (string, error)
}

// Env is the context of a running section: the preset, the shared folders and a figure writer.
type Env struct {
	Preset preset.Preset
	// OutDir is the report's folder; DataDir the preset's data set (generated when missing).
	OutDir, DataDir string
	// Command is the command line that reproduces the report, quoted in every table.
	Command string

	section string
	figures []string
}

// Save returns a function that writes a figure constructor's result as PNG named name into
// the section's folder and records it for the report, used as
// env.Save("spectrum")(studies.SpectrumFigure(tr)). That function returns the
// constructor's error, if any, or the error of saving.
func (e *Env) Save(name string) func(*plots.Figure, error) error {
	return func(fig *plots.Figure, err error) error {
		return e.save(name, fig, err)
	}
}

func (e *Env) save(name string, fig *plots.Figure, err error) error {
	if err != nil {
		return fmt.Errorf("figure %s: %w", name, err)
	}
	path := filepath.Join(e.OutDir, e.section, name+".png")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := fig.Save(path); err != nil {
		return err
	}
	e.figures = append(e.figures, filepath.Join(e.section, name+".png"))
	return nil
}

// SectionDir returns the folder of the running section, created on demand.
func (e *Env) SectionDir() (string, error) {
	dir := filepath.Join(e.OutDir, e.section)
	return dir, os.MkdirAll(dir, 0o755)
}

// Result is the outcome of Run: the report's path and the sections that failed.
type Result struct {
	ReportPath string
	Failed     []string
}

// Run executes the sections in order for the preset, writes their figures under outDir and
// the report outDir/REPORT.md (atomically), and returns the sections that failed.
func Run(ctx context.Context, p preset.Preset, outDir, dataDir string, sections []Section) (*Result, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, fmt.Errorf("reproduce: creating %s: %w", outDir, err)
	}
	env := &Env{
		Preset: p, OutDir: outDir, DataDir: dataDir,
		Command: fmt.Sprintf("closure reproduce --preset %s", p.Name),
	}

	var report strings.Builder
	fmt.Fprintf(&report, "# Report: preset `%s`\n\n", p.Name)
	fmt.Fprintf(&report, "Every figure and table below was produced by `%s` on %s (%s).\n", env.Command,
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), p.Description)

	result := &Result{ReportPath: filepath.Join(outDir, ReportFile)}
	for _, s := range sections {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		env.section, env.figures = s.Name, nil
		start := time.Now()
		slog.Info("reproduce: section", "name", s.Name, "preset", p.Name)
		markdown, err := s.Run(ctx, env)

		fmt.Fprintf(&report, "\n## %s\n\n", s.Title)
		if err != nil {
			slog.Error("reproduce: section failed", "name", s.Name, "err", err)
			fmt.Fprintf(&report, "**This section failed:** %v\n", err)
			result.Failed = append(result.Failed, s.Name)
			continue
		}
		fmt.Fprintf(&report, "%s\n", strings.TrimSpace(markdown))
		for _, f := range env.figures {
			fmt.Fprintf(&report, "\n![%s](%s)\n", strings.TrimSuffix(filepath.Base(f), ".png"), filepath.ToSlash(f))
		}
		fmt.Fprintf(&report, "\n_Made by `%s` in %.0f s._\n", env.Command, time.Since(start).Seconds())
	}

	if err := writeFileAtomic(result.ReportPath, []byte(report.String())); err != nil {
		return nil, err
	}
	return result, nil
}

// writeFileAtomic replaces path with data atomically and adds the package
// prefix to the error.
func writeFileAtomic(path string, data []byte) error {
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("reproduce: %w", err)
	}
	return nil
}
