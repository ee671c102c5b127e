package fno

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/sensors"
	"github.com/gomlx/gomlx/backends"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// SensorChannels returns the two condition channels of a model with sensors, [B, N, N, 2]:
// the measured field mask ⊙ h and the mask itself. h [B, N, N] holds the normalized H whose
// sensor values are measured, and mask is the flat N x N field of sensors.Layout.Mask.
// Values of h away from the sensors do not reach the result.
func SensorChannels(h *Node, mask []float32) *Node {
	batch, n := h.Shape().Dimensions[0], h.Shape().Dimensions[1]
	maskNode := ConvertDType(Reshape(Const(h.Graph(), mask), 1, n, n), h.DType())
	return Stack([]*Node{Mul(h, maskNode), BroadcastToDims(maskNode, batch, n, n)}, -1)
}

// StackInputs returns the network input [B, N, N, C] of a conditional field model: the
// fields [B, N, N] as channels, followed by SensorChannels(measured, mask) when mask is not
// nil. Without sensors measured is ignored and may be nil.
func StackInputs(fields []*Node, measured *Node, mask []float32) *Node {
	inputs := Stack(fields, -1)
	if mask == nil {
		return inputs
	}
	return Concatenate([]*Node{inputs, SensorChannels(measured, mask)}, -1)
}

// NewFieldExec compiles the sampling graph of a conditional field model. Its inputs are
// x [K, N, N], t [] and ω̄ [K, N, N], and with a mask also the measured H [K, N, N]. fn
// receives t broadcast to [K], and measured nil when mask is nil. The graph is marked with
// SetInference, since sampling takes no gradients.
func NewFieldExec(backend backends.Backend, ctx *context.Context, mask []float32,
	fn func(ctx *context.Context, x, omegaBar, measured, t *Node) *Node) (*context.Exec, error) {
	sample := func(ctx *context.Context, x, omegaBar, measured, t *Node) *Node {
		SetInference(ctx, x.Graph())
		return fn(ctx, x, omegaBar, measured, BroadcastToDims(Reshape(t, 1), x.Shape().Dimensions[0]))
	}
	if mask == nil {
		return context.NewExec(backend, ctx, func(ctx *context.Context, x, t, omegaBar *Node) *Node {
			return sample(ctx, x, omegaBar, nil, t)
		})
	}
	return context.NewExec(backend, ctx, func(ctx *context.Context, x, t, omegaBar, measured *Node) *Node {
		return sample(ctx, x, omegaBar, measured, t)
	})
}

// FieldInputs returns the inputs of an exec of NewFieldExec for B conditions whose members
// are drawn in one batch: two nil places for x and t, which the caller fills at every
// network evaluation, then ω̄ and, when measured is not nil, the measured H, each normalized
// and repeated members times ([B·members, N, N]).
func FieldInputs(omegaBar, measured []float32, omega, h Normalization, n, members int) []any {
	size := n * n
	total := len(omegaBar) / size * members
	inputs := []any{nil, nil, tensors.FromFlatDataAndDimensions(RepeatFields(omega.Normalize(omegaBar), size, members), total, n, n)}
	if measured != nil {
		inputs = append(inputs, tensors.FromFlatDataAndDimensions(RepeatFields(h.Normalize(measured), size, members), total, n, n))
	}
	return inputs
}

// CheckMeasured returns an error, prefixed by caller, when a model with the sensors of layout
// is sampled through the wrong method: Sample (viaSampleMeasured false) for a model with
// sensors, SampleMeasured for one without, or SampleMeasured with other than one measured
// field per condition of omegaBar.
func CheckMeasured(caller string, layout sensors.Layout, viaSampleMeasured bool, omegaBar, measured []float32) error {
	switch {
	case !viaSampleMeasured && layout.Enabled():
		return fmt.Errorf("%s: the model is conditioned on sensors (%s); call SampleMeasured with the measured H", caller, layout)
	case viaSampleMeasured && !layout.Enabled():
		return fmt.Errorf("%s: the model has no sensors; call Sample", caller)
	case viaSampleMeasured && len(measured) != len(omegaBar):
		return fmt.Errorf("%s: %d measured values for %d condition values; pass one measured field per condition", caller, len(measured), len(omegaBar))
	}
	return nil
}

// RepeatFields returns each of the fields [B, size] repeated `members` times in a row,
// [B·members, size], so that member k of condition b sits at row b·members + k.
func RepeatFields(fields []float32, size, members int) []float32 {
	batch := len(fields) / size
	repeated := make([]float32, batch*members*size)
	for k := range batch * members {
		b := k / members
		copy(repeated[k*size:(k+1)*size], fields[b*size:(b+1)*size])
	}
	return repeated
}
