package flowmatch_test

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/flowmatch"
)

// Integrating dx/dt = x from t=0 to 1 with 8 RK4 steps approximates x(1) = e·x(0).
func ExampleIntegrate() {
	x := []float32{1, 2}
	velocity := func(_ float64, state, dst []float32) error {
		copy(dst, state)
		return nil
	}
	if err := flowmatch.Integrate(flowmatch.RK4, velocity, x, flowmatch.UniformGrid(0, 1, 8)); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.3f %.3f (exact %.3f)\n", x[0], x[1], 2*math.E)
	// Output: 2.718 5.437 (exact 5.437)
}
