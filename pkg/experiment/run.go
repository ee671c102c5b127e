package experiment

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/train"
)

// ModelFile is the file name of the trained latent flow-matching model in a run's output.
const ModelFile = "latentfm.ckpt"

// RunOptions are the locations and progress callbacks of Run. Empty directories default to
// datasets/PRESET and figures/PRESET.
type RunOptions struct {
	DataDir, OutDir  string
	GenerateProgress func(done, total float64)
	TrainProgress    func(stage string, progress train.Progress)
}

// RunResult lists what Run wrote and how long each stage took.
type RunResult struct {
	DataDir    string      `json:"data_dir"`
	OutDir     string      `json:"out_dir"`
	ModelPath  string      `json:"model_path"`
	Files      []string    `json:"files"`
	Evaluation *Evaluation `json:"evaluation"`
	// ReconstructionError is the autoencoder's relative validation error, or 0 when the
	// model was loaded from an earlier run.
	ReconstructionError float64 `json:"reconstruction_error,omitempty"`
	GenerateSeconds     float64 `json:"generate_seconds"`
	TrainSeconds        float64 `json:"train_seconds"`
	EvaluateSeconds     float64 `json:"evaluate_seconds"`
}

// Run is the main job. It generates the preset's data set unless it is already complete,
// and trains the latent flow-matching closure unless a model with the same configuration
// was saved. It then samples closure ensembles for held-out snapshots and writes figures
// and metrics.
func Run(ctx context.Context, p preset.Preset, opts RunOptions) (*RunResult, error) {
	result := &RunResult{DataDir: opts.DataDir, OutDir: opts.OutDir}
	if result.DataDir == "" {
		result.DataDir = filepath.Join("datasets", p.Name)
	}
	if result.OutDir == "" {
		result.OutDir = filepath.Join("figures", p.Name)
	}
	if err := checkDirectory(result.OutDir); err != nil {
		return nil, err
	}

	start := time.Now()
	if _, err := Generate(ctx, p, result.DataDir, GenerateOptions{Progress: opts.GenerateProgress}); err != nil {
		return nil, err
	}
	result.GenerateSeconds = time.Since(start).Seconds()
	ds, err := dataset.Open(result.DataDir)
	if err != nil {
		return nil, err
	}

	start = time.Now()
	if err := os.MkdirAll(result.OutDir, 0o755); err != nil {
		return nil, fmt.Errorf("experiment: creating output directory: %w", err)
	}
	result.ModelPath = filepath.Join(result.OutDir, ModelFile)
	model, history, err := TrainLatentFM(p, ds, result.ModelPath, opts.TrainProgress)
	if err != nil {
		return nil, err
	}
	if history != nil {
		result.ReconstructionError = history.ReconstructionError
	}
	result.TrainSeconds = time.Since(start).Seconds()

	start = time.Now()
	test, err := ds.LoadSplit(dataset.SplitTest)
	if err != nil {
		return nil, err
	}
	ev, snapshots, err := Evaluate(p, "latent flow matching", LatentSampler(model, "euler"), test)
	if err != nil {
		return nil, err
	}
	result.Files, err = WriteFigures(result.OutDir, p.Flow.Length, ev, snapshots)
	if err != nil {
		return nil, err
	}
	result.Evaluation = ev
	result.EvaluateSeconds = time.Since(start).Seconds()

	summary := filepath.Join(result.OutDir, "run.json")
	if err := writeJSONAtomic(summary, result); err != nil {
		return nil, err
	}
	result.Files = append(result.Files, summary)
	return result, nil
}

// checkDirectory returns an error when path exists and is not a directory.
func checkDirectory(path string) error {
	info, err := os.Stat(path)
	if err == nil && !info.IsDir() {
		return fmt.Errorf("experiment: output path %s is a file, not a directory; choose another --out", path)
	}
	return nil
}
