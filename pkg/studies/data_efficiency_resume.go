package studies

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/closure-lab/closure/internal/atomicfile"
	"github.com/closure-lab/closure/pkg/preset"
)

// dataEfficiencyRunsFile is the file in DataEfficiencyConfig.WorkDir that holds the
// finished runs of a study, so that a rerun skips them.
const dataEfficiencyRunsFile = "runs.json"

// dataEfficiencyCheckpointEvery is the number of optimizer steps between training-state
// checkpoints of the run in progress.
const dataEfficiencyCheckpointEvery = 25

// DataEfficiencyWorkDir returns the folder of the resumable state of the named preset's
// data-efficiency study as seen from the notebooks folder: ../figures/<preset>/data-efficiency.
func DataEfficiencyWorkDir(presetName string) string {
	return filepath.Join("..", "figures", presetName, "data-efficiency")
}

// dataEfficiencyProgress is the content of the runs file: the fingerprint of the study
// that wrote it and its finished runs.
type dataEfficiencyProgress struct {
	Fingerprint string              `json:"fingerprint"`
	Runs        []DataEfficiencyRun `json:"runs"`
}

// studyLedger keeps the finished runs of a study in its work folder. The zero value, for a
// study without a work folder, keeps nothing.
type studyLedger struct {
	dir      string
	progress dataEfficiencyProgress
}

// dataEfficiencyFingerprint hashes everything that decides the runs of a study: the preset
// (and so the data set and model configuration), the configuration with its defaults and
// the sizes of the splits.
func dataEfficiencyFingerprint(p preset.Preset, cfg DataEfficiencyConfig, splits *dataEfficiencySplits) (string, error) {
	validation := 0
	if splits.validation != nil {
		validation = splits.validation.Snapshots
	}
	data, err := json.Marshal(struct {
		Preset                  preset.Preset
		Config                  DataEfficiencyConfig
		Train, Validation, Test int
	}{p, cfg, splits.train.Snapshots, validation, splits.test.Snapshots})
	if err != nil {
		return "", fmt.Errorf("studies: encoding the data-efficiency fingerprint: %w", err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8]), nil
}

// openStudyLedger reads the finished runs in dir, creating dir when needed. A runs file
// written by a study with another fingerprint is an error that names the fix.
func openStudyLedger(dir, fingerprint string) (*studyLedger, error) {
	if dir == "" {
		return &studyLedger{}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("studies: creating the data-efficiency work folder %s: %w", dir, err)
	}
	ledger := &studyLedger{dir: dir, progress: dataEfficiencyProgress{Fingerprint: fingerprint}}
	path := filepath.Join(dir, dataEfficiencyRunsFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		// The fingerprint goes to disk before any training state, so that a study
		// killed in its first run is checked against the same configuration too.
		return ledger, ledger.save()
	}
	if err != nil {
		return nil, fmt.Errorf("studies: reading the finished data-efficiency runs: %w", err)
	}
	var saved dataEfficiencyProgress
	if err := json.Unmarshal(data, &saved); err != nil {
		return nil, fmt.Errorf("studies: %s is not a data-efficiency runs file (%v); delete it to start the study over", path, err)
	}
	if saved.Fingerprint != fingerprint {
		return nil, fmt.Errorf("studies: %s contains the runs of a study with another preset, configuration or data set (fingerprint %s, this study %s); delete the folder to start over, or give DataEfficiencyConfig.WorkDir another folder",
			path, saved.Fingerprint, fingerprint)
	}
	ledger.progress.Runs = saved.Runs
	return ledger, nil
}

// finished returns the saved run of a fraction, regularizer and seed, if there is one.
func (l *studyLedger) finished(fraction float64, regularizer string, seed int64) (DataEfficiencyRun, bool) {
	for _, run := range l.progress.Runs {
		if run.Fraction == fraction && run.Regularizer == regularizer && run.Seed == seed {
			return run, true
		}
	}
	return DataEfficiencyRun{}, false
}

// checkpoint returns the training-state prefix of a run in progress, "" without a work folder.
func (l *studyLedger) checkpoint(fraction float64, regularizer string, seed int64) string {
	if l.dir == "" {
		return ""
	}
	return filepath.Join(l.dir, fmt.Sprintf("training-%s-%g-seed%d", regularizer, fraction, seed))
}

// record saves a finished run atomically and removes its training state.
func (l *studyLedger) record(run DataEfficiencyRun) error {
	if l.dir == "" {
		return nil
	}
	l.progress.Runs = append(l.progress.Runs, run)
	if err := l.save(); err != nil {
		return err
	}
	prefix := l.checkpoint(run.Fraction, run.Regularizer, run.Seed)
	states, _ := filepath.Glob(prefix + ".*")
	// A process killed while writing a training state leaves a temporary file behind.
	partial, _ := filepath.Glob(filepath.Join(l.dir, atomicfile.TempPrefix+filepath.Base(prefix)+".*"))
	for _, state := range append(states, partial...) {
		if err := os.Remove(state); err != nil {
			slog.Warn("studies: could not remove a finished run's training state", "path", state, "error", err)
		}
	}
	return nil
}

// save writes the fingerprint and the finished runs to the runs file atomically.
func (l *studyLedger) save() error {
	data, err := json.MarshalIndent(l.progress, "", "  ")
	if err != nil {
		return fmt.Errorf("studies: encoding the finished data-efficiency runs: %w", err)
	}
	return writeFileAtomic(filepath.Join(l.dir, dataEfficiencyRunsFile), data)
}

// writeFileAtomic replaces path with data atomically and adds the package
// prefix to the error.
func writeFileAtomic(path string, data []byte) error {
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("studies: %w", err)
	}
	return nil
}
