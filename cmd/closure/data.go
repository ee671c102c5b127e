package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/preset"
)

// defaultDataDir returns the folder of a preset's data set when --out is not given.
func defaultDataDir(name string) string {
	return filepath.Join("datasets", name)
}

func runGenerate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	presetName := fs.String("preset", "small", "`name` of the preset; run closure presets to list them")
	out := fs.String("out", "", "data-set directory (default datasets/PRESET, or datasets/PRESET-shard-I-of-N with --shard)")
	shardSpec := fs.String("shard", "", "generate only shard `I/N` of the trajectories (I from 0), e.g. 3/8; merge the shards with closure merge")
	workers := fs.Int("workers", 0, "trajectories simulated at once (default: number of cores)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	p, err := preset.Get(*presetName)
	if err != nil {
		return err
	}
	shard, err := dataset.ParseShard(*shardSpec)
	if *shardSpec == "" {
		shard, err = dataset.Shard{}, nil
	}
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = defaultDataDir(p.Name)
		if shard.Count > 1 {
			dir = fmt.Sprintf("%s-shard-%d-of-%d", dir, shard.Index, shard.Count)
		}
	}

	bar := newBar("simulating "+p.Name, 1000)
	_, err = experiment.Generate(ctx, p, dir, experiment.GenerateOptions{
		Shard: shard, Workers: *workers, Progress: func(done, total float64) { bar.fraction(done, total) },
	})
	bar.finish()
	if err != nil {
		return err
	}

	summary, err := dataset.Summarize(dir)
	if err != nil {
		return err
	}
	fmt.Printf("data set written to %s\n%s", dir, summary)
	return nil
}

func runMerge(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	out := fs.String("out", "", "directory of the merged data set (must not exist or be empty)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: closure merge --out DIR SHARD_DIR...")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		return fmt.Errorf("merge needs --out and at least one shard directory: closure merge --out DIR SHARD_DIR...")
	}

	if _, err := dataset.Merge(*out, fs.Args()...); err != nil {
		return err
	}
	summary, err := dataset.Summarize(*out)
	if err != nil {
		return err
	}
	fmt.Printf("merged %d shards into %s\n%s", fs.NArg(), *out, summary)
	return nil
}

func runInfo(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("info", flag.ContinueOnError)
	verify := fs.Bool("verify", false, "also read every file and check its checksum")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("info needs one data-set directory, got %d arguments", fs.NArg())
	}

	dir := fs.Arg(0)
	summary, err := dataset.Summarize(dir)
	if err != nil {
		return err
	}
	fmt.Print(summary)
	if *verify {
		ds, err := dataset.Open(dir)
		if err != nil {
			return err
		}
		if err := ds.Verify(); err != nil {
			return err
		}
		fmt.Println("all files verified")
	}
	return nil
}

func runPresets(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("presets", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print every parameter of every preset as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}

	for _, name := range preset.Names() {
		p, err := preset.Get(name)
		if err != nil {
			return err
		}
		if *asJSON {
			data, _ := json.MarshalIndent(p, "", "  ")
			fmt.Fprintln(os.Stdout, string(data))
			continue
		}
		fmt.Printf("%-12s %s\n", name, p.Description)
	}
	return nil
}

// checkNotFile returns an error when path exists and is a regular file, so that a command
// never writes its folder over a file.
func checkNotFile(path string) error {
	if info, err := os.Stat(path); err == nil && !info.IsDir() {
		return fmt.Errorf("output path %s is a file, not a directory; choose another --out", path)
	}
	return nil
}
