package nn

import (
	"strings"
	"testing"
)

func TestNewBackendRejectsUnknownName(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "tpu")
	_, err := NewBackend()
	if err == nil || !strings.Contains(err.Error(), `"tpu"`) {
		t.Fatalf("GOMLX_BACKEND=tpu returned %v, expected an error naming the value", err)
	}
}

func TestNewBackendDefaultIsPureGo(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	backend, err := NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(backend.Name(), "SimpleGo") {
		t.Errorf("default backend %q, expected the pure-Go backend SimpleGo", backend.Name())
	}
}
