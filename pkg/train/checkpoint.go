package train

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/closure-lab/closure/internal/atomicfile"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// checkpointFormat marks files written by Save; it changes when the file layout changes.
// Version 2 added the checksum and the training state; version 1 files still load.
const (
	checkpointFormat   = "closure-checkpoint-v2"
	checkpointFormatV1 = "closure-checkpoint-v1"
)

// Header describes the model stored in a checkpoint. Model and Version are checked by Load;
// Config is free-form (the models store their JSON-encoded configuration there).
type Header struct {
	Model   string
	Version int
	Config  []byte
}

// VariableRecord is one context variable in a checkpoint: its scope, name, shape, raw values
// (the in-memory byte layout of the GoMLX tensor, little-endian on every supported machine)
// and whether the optimizer trains it.
type VariableRecord struct {
	Scope, Name string
	DType       string
	Dims        []int
	Bytes       []byte
	Trainable   bool
}

// Checkpoint is the content of a checkpoint file.
type Checkpoint struct {
	Format    string
	Header    Header
	Variables []VariableRecord
	// Training is the state of an unfinished Run, nil in a model checkpoint.
	Training *TrainingState
	// Checksum is the SHA-256 of the gob encoding of the checkpoint with an empty Checksum;
	// Load recomputes it to detect a corrupt file.
	Checksum []byte
}

// TrainingState is the state of an unfinished Run besides its variables: the step reached,
// the run's fingerprint and the history so far.
type TrainingState struct {
	// Step is the number of optimizer steps done.
	Step int
	// Fingerprint describes the configuration and data shape of the run; a run with another
	// fingerprint does not resume from this state.
	Fingerprint string
	// Loss, ValidationSteps and ValidationLoss are the History up to Step.
	Loss            []float64
	ValidationSteps []int
	ValidationLoss  []float64
}

// checksum returns the SHA-256 of the gob encoding of c with its Checksum left out.
func (c Checkpoint) checksum() ([]byte, error) {
	c.Checksum = nil
	var buffer bytes.Buffer
	if err := gob.NewEncoder(&buffer).Encode(&c); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(buffer.Bytes())
	return sum[:], nil
}

// Save writes every variable of ctx (weights, optimizer moments, step counters and the
// random-number state) and header to path. It writes a temporary file in the same folder,
// syncs it and renames it over path, so path never holds a partial checkpoint.
func Save(path string, ctx *context.Context, header Header) error {
	return save(path, ctx, header, nil)
}

// save writes the variables of ctx, header and the training state (nil for a model
// checkpoint) atomically to path.
func save(path string, ctx *context.Context, header Header, training *TrainingState) error {
	checkpoint := Checkpoint{Format: checkpointFormat, Header: header, Training: training}
	for v := range ctx.IterVariables() {
		value, err := v.Value()
		if err != nil {
			return fmt.Errorf("train: reading variable %s for the checkpoint failed: %w", v.ScopeAndName(), err)
		}
		record := VariableRecord{Scope: v.Scope(), Name: v.Name(), DType: value.DType().String(), Dims: value.Shape().Dimensions, Trainable: v.Trainable}
		if err := value.ConstBytes(func(data []byte) { record.Bytes = slices.Clone(data) }); err != nil {
			return fmt.Errorf("train: reading variable %s for the checkpoint failed: %w", v.ScopeAndName(), err)
		}
		checkpoint.Variables = append(checkpoint.Variables, record)
	}
	sum, err := checkpoint.checksum()
	if err != nil {
		return fmt.Errorf("train: encoding the checkpoint %s failed: %w", path, err)
	}
	checkpoint.Checksum = sum

	err = atomicfile.Write(path, func(w io.Writer) error {
		return gob.NewEncoder(w).Encode(&checkpoint)
	})
	if err != nil {
		return fmt.Errorf("train: saving the checkpoint: %w", err)
	}
	return nil
}

// Load reads a checkpoint written by Save and checks that it stores model at version. It
// returns an error for a file that is not a checkpoint, whose checksum does not match its
// content, or that holds another model or version.
func Load(path, model string, version int) (*Checkpoint, error) {
	checkpoint, err := read(path)
	if err != nil {
		return nil, err
	}
	if checkpoint.Header.Model != model {
		return nil, fmt.Errorf("train: checkpoint %s stores model %q, expected %q; load it with the matching package", path, checkpoint.Header.Model, model)
	}
	if checkpoint.Header.Version != version {
		return nil, fmt.Errorf("train: checkpoint %s has %s version %d, this build reads version %d; retrain or use the matching build", path, model, checkpoint.Header.Version, version)
	}
	return checkpoint, nil
}

// read decodes the checkpoint file at path and verifies its checksum (files of format 1 have
// none).
func read(path string) (*Checkpoint, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("train: opening checkpoint: %w", err)
	}
	defer file.Close()

	var checkpoint Checkpoint
	if err := gob.NewDecoder(file).Decode(&checkpoint); err != nil || (checkpoint.Format != checkpointFormat && checkpoint.Format != checkpointFormatV1) {
		return nil, fmt.Errorf("train: %s is not a checkpoint in format %s (decoding error: %v); the file is corrupt or of another program", path, checkpointFormat, err)
	}
	if checkpoint.Format == checkpointFormatV1 {
		return &checkpoint, nil
	}
	sum, err := checkpoint.checksum()
	if err != nil {
		return nil, fmt.Errorf("train: re-encoding checkpoint %s failed: %w", path, err)
	}
	if !bytes.Equal(sum, checkpoint.Checksum) {
		return nil, fmt.Errorf("train: checkpoint %s is corrupt: its SHA-256 checksum does not match its content; restore it from a copy or train again", path)
	}
	return &checkpoint, nil
}

// Restore sets the variables of ctx from the checkpoint, creating the ones that do not exist
// yet. It returns an error, before changing anything, when a variable exists in ctx with a
// different shape or dtype (a checkpoint of another architecture).
func (c *Checkpoint) Restore(ctx *context.Context) error {
	values := make([]*tensors.Tensor, len(c.Variables))
	for k, record := range c.Variables {
		dtype, err := dtypes.DTypeString(record.DType)
		if err != nil {
			return fmt.Errorf("train: checkpoint variable %s/%s has unknown dtype %q", record.Scope, record.Name, record.DType)
		}
		shape := shapes.Make(dtype, record.Dims...)
		if existing := ctx.GetVariableByScopeAndName(record.Scope, record.Name); existing != nil && !existing.Shape().Equal(shape) {
			return fmt.Errorf("train: checkpoint variable %s/%s has shape %s but the model has %s; the checkpoint belongs to a model with another configuration", record.Scope, record.Name, shape, existing.Shape())
		}
		if int(shape.Memory()) != len(record.Bytes) {
			return fmt.Errorf("train: checkpoint variable %s/%s has %d bytes, shape %s needs %d; the file is corrupt", record.Scope, record.Name, len(record.Bytes), shape, shape.Memory())
		}
		values[k] = tensors.FromShape(shape)
		if err := values[k].MutableBytes(func(data []byte) { copy(data, record.Bytes) }); err != nil {
			return err
		}
	}

	for k, record := range c.Variables {
		if existing := ctx.GetVariableByScopeAndName(record.Scope, record.Name); existing != nil {
			if err := existing.SetValue(values[k]); err != nil {
				return fmt.Errorf("train: restoring variable %s/%s failed: %w", record.Scope, record.Name, err)
			}
			continue
		}
		ctx.InAbsPath(record.Scope).Checked(false).VariableWithValue(record.Name, values[k]).SetTrainable(record.Trainable)
	}
	return nil
}
