package solver

import "fmt"

// BlowUpError reports a run stopped because the CFL number exceeded the
// stepper's limit or the fields contained NaN or Inf. Inspect it with
// errors.As.
type BlowUpError struct {
	Time     float64 // simulation time of the failing evaluation
	Step     int     // index of the step being taken (0 for the first)
	Quantity string  // "CFL" or "non-finite vorticity"
	Value    float64 // the CFL number, or NaN/Inf
	Limit    float64 // the CFL limit; 0 for non-finite values
}

// Error describes the failure with its time, step and value.
func (e *BlowUpError) Error() string {
	if e.Quantity == quantityCFL {
		return fmt.Sprintf("solver: CFL number %.4g exceeds the limit %.4g at t=%.6g (step %d); reduce dt or raise Params.MaxCFL",
			e.Value, e.Limit, e.Time, e.Step)
	}
	return fmt.Sprintf("solver: %s (%g) at t=%.6g (step %d); the run blew up, reduce dt or check the initial condition",
		e.Quantity, e.Value, e.Time, e.Step)
}

const (
	quantityCFL       = "CFL"
	quantityNonFinite = "non-finite vorticity"
)
