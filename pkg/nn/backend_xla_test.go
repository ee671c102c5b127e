//go:build xla

package nn

import (
	"strings"
	"testing"
)

func TestNewBackendXLAMissingPlugin(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "xla:/nonexistent/xla_cuda_plugin.so")
	_, err := NewBackend()
	if err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("a missing plugin returned %v, expected an error saying it was not found", err)
	}
}

func TestNewBackendXLARelativePath(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "xla:plugin.so")
	_, err := NewBackend()
	if err == nil || !strings.Contains(err.Error(), "absolute path") {
		t.Fatalf("a relative plugin path returned %v, expected an error asking for an absolute path", err)
	}
}
