package diffusion

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/fno"
)

// Checkpoint identity: Load rejects files of another model or version.
const (
	checkpointModel   = "diffusion"
	checkpointVersion = 1
)

// Save writes the model (configuration, normalizations, weights and optimizer state) to path
// atomically: a temporary file in the same folder is renamed over path when complete.
func (m *Model) Save(path string) error {
	state := fno.ModelState[Config]{Config: m.config, HNormalization: m.field, OmegaNormalization: m.condition, Trained: m.trained}
	return fno.SaveModel(path, m.ctx, checkpointModel, checkpointVersion, state)
}

// Load reads a model written by Save. It returns an error when path is not a diffusion
// checkpoint of this version, or when its configuration is invalid.
func Load(path string) (*Model, error) {
	checkpoint, saved, err := fno.LoadModelState[Config](path, checkpointModel, checkpointVersion)
	if err != nil {
		return nil, err
	}

	m, err := New(saved.Config)
	if err != nil {
		return nil, fmt.Errorf("diffusion: the configuration stored in %s is invalid: %w", path, err)
	}
	if err := checkpoint.Restore(m.ctx); err != nil {
		return nil, fmt.Errorf("diffusion: %w", err)
	}
	m.field = saved.HNormalization
	m.condition = saved.OmegaNormalization
	m.trained = saved.Trained
	return m, nil
}
