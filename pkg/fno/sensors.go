package fno

import (
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
)

// SensorChannels returns the two condition channels of a model with sensors, [B, N, N, 2]:
// the measured field mask ⊙ h and the mask itself. h [B, N, N] holds the normalized H whose
// sensor values are measured, and mask is the flat N x N field of sensors.Layout.Mask. Values of h
// away from the sensors do not reach the result.
func SensorChannels(h *Node, mask []float32) *Node {
	batch, n := h.Shape().Dimensions[0], h.Shape().Dimensions[1]
	maskNode := ConvertDType(Reshape(Const(h.Graph(), mask), 1, n, n), h.DType())
	return Stack([]*Node{Mul(h, maskNode), BroadcastToDims(maskNode, batch, n, n)}, -1)
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
