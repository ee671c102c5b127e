package preset

import "os"

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
