package fno

import (
	"encoding/json"
	"fmt"

	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/closure-lab/closure/pkg/train"
)

// ModelState is the non-variable part of the checkpoint of a conditional field model built
// on the FNO: its configuration C, the normalizations of the closure H and of the condition
// ω̄, and whether it was trained. The diffusion and flow-matching models share it.
type ModelState[C any] struct {
	Config             C             `json:"config"`
	HNormalization     Normalization `json:"h_normalization"`
	OmegaNormalization Normalization `json:"omega_normalization"`
	Trained            bool          `json:"trained"`
}

// SaveModel writes state and the variables of ctx to path atomically, under the checkpoint
// identity (model, version) that LoadModelState checks.
func SaveModel[C any](path string, ctx *context.Context, model string, version int, state ModelState[C]) error {
	encoded, err := json.Marshal(state)
	if err != nil {
		return fmt.Errorf("%s: encoding the model state failed: %w", model, err)
	}
	if err := train.Save(path, ctx, train.Header{Model: model, Version: version, Config: encoded}); err != nil {
		return fmt.Errorf("%s: saving %s: %w", model, path, err)
	}
	return nil
}

// LoadModelState reads a checkpoint written by SaveModel. It returns an error when path is
// not a checkpoint of (model, version) or stores a normalization with a non-positive Std.
// The caller builds its model from state.Config and restores the variables with the
// returned checkpoint.
func LoadModelState[C any](path, model string, version int) (*train.Checkpoint, ModelState[C], error) {
	var state ModelState[C]
	checkpoint, err := train.Load(path, model, version)
	if err != nil {
		return nil, state, fmt.Errorf("%s: %w", model, err)
	}
	if err := json.Unmarshal(checkpoint.Header.Config, &state); err != nil {
		return nil, state, fmt.Errorf("%s: the model state in %s is not valid JSON: %w", model, path, err)
	}
	if !(state.HNormalization.Std > 0) || !(state.OmegaNormalization.Std > 0) {
		return nil, state, fmt.Errorf("%s: %s stores normalizations with non-positive Std (%g, %g); the file is corrupt",
			model, path, state.HNormalization.Std, state.OmegaNormalization.Std)
	}
	return checkpoint, state, nil
}
