package experiment

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
)

// progressEvery is the number of optimizer steps between training-state checkpoints of the
// models that TrainModel and TrainLatentFM train. A killed training loses at most this many
// steps; writing a state takes milliseconds for these models.
const progressEvery = 25

// progressPath returns the training-state file of the model saved at path with the
// configuration cfg. The name holds a hash of cfg, so a run with another configuration never
// resumes from it.
func progressPath(path string, cfg any) string {
	encoded, _ := json.Marshal(cfg)
	sum := sha256.Sum256(encoded)
	return path + ".progress-" + hex.EncodeToString(sum[:4])
}

// removeProgress deletes the training-state files of the model at path once the model itself
// is saved.
func removeProgress(path string) {
	files, _ := filepath.Glob(path + ".progress-*")
	for _, file := range files {
		if err := os.Remove(file); err != nil {
			slog.Warn("could not remove a training-state file", "file", file, "error", err)
		}
	}
}
