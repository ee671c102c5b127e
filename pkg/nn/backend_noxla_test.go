//go:build !xla

package nn

import (
	"strings"
	"testing"
)

func TestNewBackendXLANeedsBuildTag(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "xla:/opt/plugin.so")
	_, err := NewBackend()
	if err == nil || !strings.Contains(err.Error(), "-tags xla") {
		t.Fatalf("GOMLX_BACKEND=xla:... without the build tag returned %v, expected an error naming -tags xla", err)
	}
}
