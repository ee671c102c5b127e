package autoencoder

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/regularize"
)

// TrainOption changes how Model.Train and VectorModel.Train fit a model.
type TrainOption func(*trainOptions)

type trainOptions struct {
	regularizer regularize.Spec
}

// WithRegularizer adds the latent regularizer of spec, times spec.Weight, to the
// reconstruction loss. The training and validation losses then include the penalty. A spec of
// kind none or weight 0 trains as without the option.
func WithRegularizer(spec regularize.Spec) TrainOption {
	return func(o *trainOptions) { o.regularizer = spec }
}

func collectOptions(opts []TrainOption) trainOptions {
	var o trainOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// buildRegularizer returns the loss of spec built from the training inputs [count, dim], or
// nil when spec adds no penalty.
func buildRegularizer(spec regularize.Spec, inputs []float32, dim int) (regularize.Loss, error) {
	if err := spec.Validate(); err != nil {
		return nil, fmt.Errorf("autoencoder: %w", err)
	}
	if !spec.Active() {
		return nil, nil
	}
	loss, err := regularize.New(spec, inputs, dim)
	if err != nil {
		return nil, fmt.Errorf("autoencoder: building the %s regularizer failed: %w", spec.Kind, err)
	}
	return loss, nil
}
