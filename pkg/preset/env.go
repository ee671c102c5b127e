package preset

import (
	"fmt"
	"os"
	"strconv"
)

// EnvName is the environment variable that FromEnv reads. Notebooks use it so that CI can
// run them on the tiny preset without editing them.
const EnvName = "CLOSURE_PRESET"

// FromEnv returns the preset named by the CLOSURE_PRESET environment variable, or the
// preset defaultName when the variable is unset or empty.
func FromEnv(defaultName string) (Preset, error) {
	name := os.Getenv(EnvName)
	if name == "" {
		name = defaultName
	}
	return Get(name)
}

// EnvMaxSteps is the environment variable that MaxStepsFromEnv reads. Notebooks that sweep
// the number of sampler steps stop at this many, for a shorter run.
const EnvMaxSteps = "CLOSURE_MAX_STEPS"

// MaxStepsFromEnv returns the positive integer in CLOSURE_MAX_STEPS, or fallback when the
// variable is unset or empty. Any other value is an error that names it.
func MaxStepsFromEnv(fallback int) (int, error) {
	value := os.Getenv(EnvMaxSteps)
	if value == "" {
		return fallback, nil
	}
	steps, err := strconv.Atoi(value)
	if err != nil || steps < 1 {
		return 0, fmt.Errorf("preset: invalid %s=%q, expected a positive integer; set it to the largest number of sampler steps, such as 128, or unset it", EnvMaxSteps, value)
	}
	return steps, nil
}
