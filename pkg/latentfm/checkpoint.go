package latentfm

import (
	"encoding/json"
	"fmt"

	"github.com/closure-lab/closure/pkg/autoencoder"
	"github.com/closure-lab/closure/pkg/train"
)

// Checkpoint identity: Load rejects files of another model or version.
const (
	checkpointModel   = "latentfm"
	checkpointVersion = 1
)

// state is the non-variable part of a checkpoint: configuration and normalizations.
type state struct {
	Config             Config                    `json:"config"`
	HNormalization     autoencoder.Normalization `json:"h_normalization"`
	OmegaNormalization autoencoder.Normalization `json:"omega_normalization"`
	Latent             standardization           `json:"latent_standardization"`
	Trained            bool                      `json:"trained"`
}

// Save writes the model (configuration, normalizations, weights and optimizer state) to path
// atomically: a temporary file in the same folder is renamed over path when complete.
func (m *Model) Save(path string) error {
	encoded, err := json.Marshal(state{Config: m.config, HNormalization: m.ae.Normalization, OmegaNormalization: m.condition, Latent: m.latent, Trained: m.trained})
	if err != nil {
		return fmt.Errorf("latentfm: encoding the model state failed: %w", err)
	}
	if err := train.Save(path, m.ctx, train.Header{Model: checkpointModel, Version: checkpointVersion, Config: encoded}); err != nil {
		return fmt.Errorf("latentfm: saving %s: %w", path, err)
	}
	return nil
}

// Load reads a model written by Save. It returns an error when path is not a latentfm
// checkpoint of this version or when its variables do not match its configuration.
func Load(path string) (*Model, error) {
	checkpoint, err := train.Load(path, checkpointModel, checkpointVersion)
	if err != nil {
		return nil, fmt.Errorf("latentfm: %w", err)
	}
	var saved state
	if err := json.Unmarshal(checkpoint.Header.Config, &saved); err != nil {
		return nil, fmt.Errorf("latentfm: the model state in %s is not valid JSON: %w", path, err)
	}

	m, err := New(saved.Config)
	if err != nil {
		return nil, fmt.Errorf("latentfm: the configuration stored in %s is invalid: %w", path, err)
	}
	d := saved.Config.Autoencoder.Latent
	if saved.Trained && (len(saved.Latent.Mean) != d || len(saved.Latent.Std) != d) {
		return nil, fmt.Errorf("latentfm: %s stores a latent standardization of size %d for latent dimension %d; the file is corrupt", path, len(saved.Latent.Mean), d)
	}
	if err := checkpoint.Restore(m.ctx); err != nil {
		return nil, fmt.Errorf("latentfm: %w", err)
	}

	m.ae.Normalization = saved.HNormalization
	m.condition = saved.OmegaNormalization
	m.latent = saved.Latent
	m.trained = saved.Trained
	return m, nil
}
