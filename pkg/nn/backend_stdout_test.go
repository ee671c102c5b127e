package nn

import (
	"io"
	"os"
	"testing"
)

// TestNewBackendWritesNothingToStdout checks that the line simplego prints when its
// configuration sets "parallelism" does not reach standard output, where it would mix into
// notebook cells and into data written to standard output.
func TestNewBackendWritesNothingToStdout(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	t.Setenv(SimpleGoConfigEnv, "parallelism=-1")
	reader, writer, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = writer
	backend, err := NewBackend()
	os.Stdout = saved
	writer.Close()
	printed, _ := io.ReadAll(reader)
	if err != nil {
		t.Fatalf("NewBackend: %v", err)
	}
	defer backend.Finalize()
	if len(printed) != 0 {
		t.Errorf("NewBackend wrote %q to standard output, expected nothing", printed)
	}
	if os.Stdout != saved {
		t.Errorf("os.Stdout was not restored")
	}
}
