//go:build xla

package nn

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/xla"
)

// newXLABackend loads the PJRT plugin at the absolute path plugin with GoMLX's XLA backend.
// Automatic plugin downloads are disabled: the plugin must already be on disk.
func newXLABackend(plugin string) (backends.Backend, error) {
	if !filepath.IsAbs(plugin) {
		return nil, fmt.Errorf("nn: GOMLX_BACKEND=xla:%s must name the plugin by absolute path, e.g. xla:/opt/venv/lib/python3.12/site-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so", plugin)
	}
	if _, err := os.Stat(plugin); err != nil {
		return nil, fmt.Errorf("nn: PJRT plugin for GOMLX_BACKEND=xla:%s not found (%w); install jax-cuda13-pjrt or point to an existing plugin", plugin, err)
	}

	xla.EnableAutoInstall(false)
	backend, err := xla.New(plugin)
	if err != nil {
		return nil, fmt.Errorf("nn: loading the PJRT plugin %s failed: %w", plugin, err)
	}
	slog.Info("GoMLX backend", "backend", backend.Name(), "description", backend.Description())
	return backend, nil
}
