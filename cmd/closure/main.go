// Command closure runs the stochastic-closure pipelines from the command line: data
// generation from DNS, training and sampling of closure models, and the figures of each
// experiment. Run `closure help` for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
)

// command is one subcommand: its name, a one-line summary and the function that runs it.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"run", "generate data if missing, train the latent flow-matching closure, sample and plot (the main job)", runMain},
		{"train", "train a closure model (latent-fm, diffusion or flow-matching) on a preset's data set; a killed run resumes", runTrain},
		{"compare", "sample held-out snapshots with trained models at several step counts and tabulate error and wall time", runCompare},
		{"sample", "draw closure samples of held-out snapshots from a trained model into an .npz file", runSample},
		{"generate", "simulate the DNS of a preset and write the closure data set", runGenerate},
		{"merge", "merge data-set shards into one data set", runMerge},
		{"info", "print the manifest summary of a data set", runInfo},
		{"apost", "couple the latent closure (and optionally the physical ones) to LES ensembles and compare them with the DNS", runAPosteriori},
		{"efficiency", "train the latent closure on growing parts of the training data, per regularizer (notebook 7), whole or one shard; --merge joins shards", runEfficiency},
		{"reproduce", "regenerate every experiment's figures and tables into a folder with REPORT.md", runReproduce},
		{"presets", "list the presets and their parameters", runPresets},
	}
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))

	ctx, stop := interruptContext()
	defer stop()

	if err := dispatch(ctx, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "closure:", err)
		os.Exit(1)
	}
}

func dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(os.Stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:])
		}
	}
	usage(os.Stderr)
	return fmt.Errorf("unknown command %q; see the list above", args[0])
}

// usage lists the commands on w: standard output when asked for, standard error beside an error.
func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: closure COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `closure COMMAND -h` for the flags of a command.")
}
