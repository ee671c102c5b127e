package nn

import (
	"fmt"
	"os"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
)

// simpleGoConfig is the simplego configuration string used by NewBackend unless the
// environment variable SimpleGoConfigEnv replaces it.
const simpleGoConfig = "ops_sequential"

// SimpleGoConfigEnv names the environment variable that, when set, replaces the simplego
// configuration string of NewBackend, for timing experiments. simplego v0.26.0 accepts
// comma-separated options such as "ops_sequential", "ops_parallel", "dotgeneral_large" and
// "parallelism=N" (the last prints a line to stdout).
const SimpleGoConfigEnv = "CLOSURE_SIMPLEGO_CONFIG"

// NewBackend returns the GoMLX backend used by every model in this module: the pure-Go
// backend "simplego" (GOMLX_BACKEND=go). It is the only place that chooses a backend, so an
// accelerated backend can be added here behind a build tag.
//
// If GOMLX_BACKEND is set to something other than "go", NewBackend returns an error because
// this build does not link XLA.
//
// The backend runs graph operations one after another (simplego option "ops_sequential") and
// parallelizes inside each large operation. With simplego v0.26.0's default scheduling, a
// training run on a 2-CPU machine hung: every goroutine waited in the worker pool
// (workersPool.WaitToStart) under DotGeneral, which points to nested parallel tasks
// exhausting the pool.
func NewBackend() (backends.Backend, error) {
	if name := os.Getenv("GOMLX_BACKEND"); name != "" && name != simplego.BackendName {
		return nil, fmt.Errorf("nn: GOMLX_BACKEND=%q is not available in this build, which links only the pure-Go backend; unset it or set GOMLX_BACKEND=go", name)
	}

	config := simpleGoConfig
	if value, ok := os.LookupEnv(SimpleGoConfigEnv); ok {
		config = value
	}
	backend, err := simplego.New(config)
	if err != nil {
		return nil, fmt.Errorf("nn: creating the pure-Go GoMLX backend with options %q failed: %w; fix or unset %s", config, err, SimpleGoConfigEnv)
	}
	return backend, nil
}
