package latentfm

import (
	"encoding/json"
	"fmt"

	"github.com/closure-lab/closure/pkg/autoencoder"
	"github.com/closure-lab/closure/pkg/fno"
	"github.com/closure-lab/closure/pkg/train"
)

// Checkpoint identity: Load rejects files of another model or version. Version 2 added the
// reflow student, the coupling and the stage-1 regularizer; version 3 the conditional
// autoencoder. A version-2 file is a valid unconditional model, so Load reads it too.
const (
	checkpointModel   = "latentfm"
	checkpointVersion = 3
	// checkpointVersionUnconditional is the last version without the conditional autoencoder.
	checkpointVersionUnconditional = 2
)

// state is the non-variable part of a checkpoint: configuration and normalizations.
type state struct {
	Config             Config                    `json:"config"`
	HNormalization     autoencoder.Normalization `json:"h_normalization"`
	OmegaNormalization autoencoder.Normalization `json:"omega_normalization"`
	Latent             standardization           `json:"latent_standardization"`
	Trained            bool                      `json:"trained"`
	Student            bool                      `json:"student"`
	// MeanOmega and MeanH are the mean network's normalizations, nil without one.
	MeanOmega *fno.Normalization `json:"mean_omega_normalization,omitempty"`
	MeanH     *fno.Normalization `json:"mean_h_normalization,omitempty"`
}

// Save writes the model (configuration, normalizations, teacher and student weights and
// optimizer state) to path
// atomically: a temporary file in the same folder is renamed over path when complete.
func (m *Model) Save(path string) error {
	saved := state{Config: m.config, HNormalization: m.ae.Normalization, OmegaNormalization: m.condition, Latent: m.latent, Trained: m.trained, Student: m.student}
	if m.mean != nil {
		saved.MeanOmega, saved.MeanH = &m.mean.omega, &m.mean.h
	}
	encoded, err := json.Marshal(saved)
	if err != nil {
		return fmt.Errorf("latentfm: encoding the model state failed: %w", err)
	}
	if err := train.Save(path, m.ctx, train.Header{Model: checkpointModel, Version: checkpointVersion, Config: encoded}); err != nil {
		return fmt.Errorf("latentfm: saving %s: %w", path, err)
	}
	return nil
}

// Load reads a model written by Save. It returns an error when path is not a latentfm
// checkpoint of version 3 or 2 (2 holds unconditional models only) or when its variables do
// not match its configuration. Files of version 1 (written before reflow existed) are
// rejected with an error asking to retrain.
func Load(path string) (*Model, error) {
	checkpoint, err := train.Load(path, checkpointModel, checkpointVersion)
	if err != nil {
		if older, olderErr := train.Load(path, checkpointModel, checkpointVersionUnconditional); olderErr == nil && older != nil {
			checkpoint, err = older, nil
		}
	}
	if err != nil {
		if old, oldErr := train.Load(path, checkpointModel, 1); oldErr == nil && old != nil {
			return nil, fmt.Errorf("latentfm: %s is a version-1 checkpoint without the reflow student; this build reads version %d, so retrain the model (%w)", path, checkpointVersion, err)
		}
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
	m.student = saved.Student
	if m.student && m.ctx.GetVariableByScopeAndName("/"+studentScope+"/velocity/dense_0", "weights") == nil {
		return nil, fmt.Errorf("latentfm: %s marks a reflow student but stores no %s variables; the file is corrupt", path, studentScope)
	}
	if saved.Trained && saved.Config.MeanNetwork != nil {
		if saved.MeanOmega == nil || saved.MeanH == nil {
			return nil, fmt.Errorf("latentfm: %s has a mean network but no normalizations for it; the file is corrupt", path)
		}
		m.mean = &meanModel{omega: *saved.MeanOmega, h: *saved.MeanH}
	}
	return m, nil
}
