package metrics

// Float64s returns a new float64 slice with the values of x. It converts a
// float32 field or batch (the storage type used for learning) to the float64
// type that every function in this package takes.
func Float64s(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}
