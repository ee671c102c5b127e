package nn

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
)

// simpleGoConfig is the simplego configuration string used by NewBackend unless the
// environment variable SimpleGoConfigEnv replaces it. "parallelism=-1" removes simplego's
// worker pool: every parallel task starts its own goroutine and the Go scheduler shares
// them among the CPUs. Graph operations then run concurrently whenever only one execution
// is in progress (simplego's default scheduling).
//
// simplego v0.26.0 sizes the pool to the number of CPUs. With the pool, the default
// scheduling hung a training run on a 2-CPU machine: every goroutine waited in
// workersPool.WaitToStart under DotGeneral. Operations running on workers had started
// nested tasks and waited for them while they occupied every worker. Without a pool
// nothing waits for a worker. On a 2-CPU machine one FNO training step (pkg/fno,
// BenchmarkTrainingStep, 32²) took 0.60 s this way against 0.73 s with "ops_sequential",
// the previous default (docs/benchmarks.md).
const simpleGoConfig = "parallelism=-1"

// SimpleGoConfigEnv names the environment variable that, when set, replaces the simplego
// configuration string of NewBackend, for timing experiments. simplego v0.26.0 accepts
// comma-separated options such as "ops_sequential", "ops_parallel", "dotgeneral_large" and
// "parallelism=N" (N = 0 turns parallelism off, N = -1 removes the limit).
const SimpleGoConfigEnv = "CLOSURE_SIMPLEGO_CONFIG"

// NewBackend returns the GoMLX backend used by every model in this module. It is the only
// place that chooses a backend. By default it is the pure-Go backend "simplego"
// (GOMLX_BACKEND unset or "go"). A binary built with `-tags xla` (cgo) also accepts
// GOMLX_BACKEND=xla:/absolute/path/to/pjrt_plugin.so, which loads that PJRT plugin, for
// example the CUDA plugin of jax-cuda13-pjrt; NewBackend logs which backend it created.
// Other values give an error naming the value and what this build accepts.
//
// See simpleGoConfig for how the pure-Go backend schedules its work.
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
	var backend backends.Backend
	var err error
	withoutStdout(func() { backend, err = simplego.New(config) })
	if err != nil {
		return nil, fmt.Errorf("nn: creating the pure-Go GoMLX backend with options %q failed: %w; fix or unset %s", config, err, SimpleGoConfigEnv)
	}
	slog.Debug("GoMLX backend", "backend", backend.Name(), "description", backend.Description())
	return backend, nil
}

// stdoutMu serializes withoutStdout.
var stdoutMu sync.Mutex

// withoutStdout runs f with os.Stdout pointing to the null device. simplego v0.26.0 prints a
// line to standard output whenever its configuration sets "parallelism", which would mix
// into a notebook's cell output and into data that a program writes to standard output.
// Anything else that the process writes to os.Stdout while f runs is lost too, so f should
// be short.
func withoutStdout(f func()) {
	stdoutMu.Lock()
	defer stdoutMu.Unlock()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		f()
		return
	}
	defer null.Close()
	saved := os.Stdout
	os.Stdout = null
	defer func() { os.Stdout = saved }()
	f()
}
