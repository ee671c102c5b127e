package physfm

import (
	"encoding/json"
	"fmt"

	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/train"
)

// Checkpoint identity: Load rejects files of another model or version.
const (
	checkpointModel   = "physfm"
	checkpointVersion = 1
)

// state is the non-variable part of a checkpoint: configuration and normalizations.
type state struct {
	Config             Config            `json:"config"`
	HNormalization     fno.Normalization `json:"h_normalization"`
	OmegaNormalization fno.Normalization `json:"omega_normalization"`
	Trained            bool              `json:"trained"`
}

// Save writes the model (configuration, normalizations, weights and optimizer state) to path
// atomically: a temporary file in the same folder is renamed over path when complete.
func (m *Model) Save(path string) error {
	encoded, err := json.Marshal(state{Config: m.config, HNormalization: m.field, OmegaNormalization: m.condition, Trained: m.trained})
	if err != nil {
		return fmt.Errorf("physfm: encoding the model state failed: %w", err)
	}
	if err := train.Save(path, m.ctx, train.Header{Model: checkpointModel, Version: checkpointVersion, Config: encoded}); err != nil {
		return fmt.Errorf("physfm: saving %s: %w", path, err)
	}
	return nil
}

// Load reads a model written by Save. It returns an error when path is not a physfm
// checkpoint of this version, or when its configuration is invalid.
func Load(path string) (*Model, error) {
	checkpoint, err := train.Load(path, checkpointModel, checkpointVersion)
	if err != nil {
		return nil, fmt.Errorf("physfm: %w", err)
	}
	var saved state
	if err := json.Unmarshal(checkpoint.Header.Config, &saved); err != nil {
		return nil, fmt.Errorf("physfm: the model state in %s is not valid JSON: %w", path, err)
	}
	if !(saved.HNormalization.Std > 0) || !(saved.OmegaNormalization.Std > 0) {
		return nil, fmt.Errorf("physfm: %s stores normalizations with non-positive Std (%g, %g); the file is corrupt", path, saved.HNormalization.Std, saved.OmegaNormalization.Std)
	}

	m, err := New(saved.Config)
	if err != nil {
		return nil, fmt.Errorf("physfm: the configuration stored in %s is invalid: %w", path, err)
	}
	if err := checkpoint.Restore(m.ctx); err != nil {
		return nil, fmt.Errorf("physfm: %w", err)
	}
	m.field = saved.HNormalization
	m.condition = saved.OmegaNormalization
	m.trained = saved.Trained
	return m, nil
}
