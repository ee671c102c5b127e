package studies

import "fmt"

// stepsIn returns the number of steps of length dt in duration and an error
// when duration is not a positive multiple of dt.
func stepsIn(duration, dt float64, quantity string) (int, error) {
	steps := int(duration/dt + 0.5)
	if steps < 1 || abs(float64(steps)*dt-duration) > 1e-9*duration {
		return 0, fmt.Errorf("studies: %s %g is not a positive multiple of the time step %g; choose a multiple", quantity, duration, dt)
	}
	return steps, nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
