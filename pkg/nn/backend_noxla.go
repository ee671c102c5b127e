//go:build !xla

package nn

import (
	"fmt"

	"github.com/gomlx/gomlx/backends"
)

// newXLABackend reports that this binary was built without the XLA backend.
func newXLABackend(plugin string) (backends.Backend, error) {
	return nil, fmt.Errorf("nn: GOMLX_BACKEND=xla:%s needs a binary built with `go build -tags xla` (cgo); this one links only the pure-Go backend", plugin)
}
