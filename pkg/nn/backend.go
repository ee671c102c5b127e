package nn

import (
	"fmt"
	"log/slog"
	"os"
	"strings"

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

// NewBackend returns the GoMLX backend used by every model in this module. It is the only
// place that chooses a backend. By default it is the pure-Go backend "simplego"
// (GOMLX_BACKEND unset or "go"). A binary built with `-tags xla` (cgo) also accepts
// GOMLX_BACKEND=xla:/absolute/path/to/pjrt_plugin.so, which loads that PJRT plugin, for
// example the CUDA plugin of jax-cuda13-pjrt; NewBackend logs which backend it created.
// Other values give an error naming the value and what this build accepts.
//
// The backend runs graph operations one after another (simplego option "ops_sequential") and
// parallelizes inside each large operation. With simplego v0.26.0's default scheduling, a
// training run on a 2-CPU machine hung: every goroutine waited in the worker pool
// (workersPool.WaitToStart) under DotGeneral, which points to nested parallel tasks
// exhausting the pool.
func NewBackend() (backends.Backend, error) {
	if name := os.Getenv("GOMLX_BACKEND"); name != "" && name != simplego.BackendName {
		if plugin, ok := strings.CutPrefix(name, "xla:"); ok {
			return newXLABackend(plugin)
		}
		return nil, fmt.Errorf("nn: GOMLX_BACKEND=%q is not a backend of this module; unset it, set GOMLX_BACKEND=go, or use xla:/path/to/plugin.so in a binary built with -tags xla", name)
	}

	config := simpleGoConfig
	if value, ok := os.LookupEnv(SimpleGoConfigEnv); ok {
		config = value
	}
	backend, err := simplego.New(config)
	if err != nil {
		return nil, fmt.Errorf("nn: creating the pure-Go GoMLX backend with options %q failed: %w; fix or unset %s", config, err, SimpleGoConfigEnv)
	}
	slog.Debug("GoMLX backend", "backend", backend.Name(), "description", backend.Description())
	return backend, nil
}
