package fno

import "math"

// Normalization is the affine map x = (h − Mean)/Std that a model applies to a field before
// its network and inverts on the network's samples. It is fitted on the training set and
// stored with the model.
type Normalization struct {
	Mean float32 `json:"mean"`
	Std  float32 `json:"std"`
}

// FitNormalization returns the mean and standard deviation of all values of fields. A
// constant or empty input gets Std = 1, so normalizing stays finite.
func FitNormalization(fields []float32) Normalization {
	var mean float64
	for _, value := range fields {
		mean += float64(value)
	}
	mean /= float64(max(1, len(fields)))

	var variance float64
	for _, value := range fields {
		variance += (float64(value) - mean) * (float64(value) - mean)
	}
	variance /= float64(max(1, len(fields)))

	std := float32(1)
	if variance > 0 {
		std = float32(math.Sqrt(variance))
	}
	return Normalization{Mean: float32(mean), Std: std}
}

// Normalize returns a new slice holding (h − Mean)/Std.
func (n Normalization) Normalize(h []float32) []float32 {
	out := make([]float32, len(h))
	for k, value := range h {
		out[k] = (value - n.Mean) / n.Std
	}
	return out
}

// Denormalize replaces every x in place by x·Std + Mean, the inverse of Normalize.
func (n Normalization) Denormalize(x []float32) {
	for k := range x {
		x[k] = x[k]*n.Std + n.Mean
	}
}
