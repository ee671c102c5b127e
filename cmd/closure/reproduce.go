package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/reproduce"
)

func runReproduce(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("reproduce", flag.ContinueOnError)
	presetName := fs.String("preset", "small", "`name` of the preset; run closure presets to list them")
	out := fs.String("out", "", "folder of the figures and REPORT.md (default figures/PRESET/report)")
	data := fs.String("data", "", "data-set directory, generated when missing (default datasets/PRESET)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("reproduce takes no positional arguments, got %q; use --preset NAME", fs.Args())
	}

	p, err := preset.Get(*presetName)
	if err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join("figures", p.Name, "report")
	}
	if *data == "" {
		*data = defaultDataDir(p.Name)
	}
	if err := checkNotFile(*out); err != nil {
		return err
	}

	result, err := reproduce.Run(ctx, p, *out, *data, reproduce.Sections())
	if err != nil {
		return err
	}
	fmt.Printf("report written to %s\n", result.ReportPath)
	if len(result.Failed) > 0 {
		return fmt.Errorf("%d sections failed: %v; their errors are in %s", len(result.Failed), result.Failed, result.ReportPath)
	}
	return nil
}
