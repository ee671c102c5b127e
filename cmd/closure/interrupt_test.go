package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv makes the test binary act as a command that never watches its context.
const helperEnv = "CLOSURE_INTERRUPT_HELPER"

// TestInterruptHelper is not a test: run by TestSecondInterruptStops with helperEnv set, it
// installs the interrupt handling of main and then works on without looking at the context.
func TestInterruptHelper(t *testing.T) {
	if os.Getenv(helperEnv) == "" {
		t.Skip("runs only as the child process of TestSecondInterruptStops")
	}
	ctx, stop := interruptContext()
	defer stop()
	os.Stdout.WriteString("ready\n")
	<-ctx.Done()
	os.Stdout.WriteString("cancelled\n")
	time.Sleep(time.Minute)
	os.Exit(0)
}

func TestSecondInterruptStops(t *testing.T) {
	child := exec.Command(os.Args[0], "-test.run=^TestInterruptHelper$")
	child.Env = append(os.Environ(), helperEnv+"=1")
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	child.Stderr = &stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Process.Kill() //nolint:errcheck // the child may already have ended
	lines := bufio.NewScanner(stdout)
	expect := func(want string) {
		t.Helper()
		if !lines.Scan() || lines.Text() != want {
			t.Fatalf("child printed %q, expected %q (stderr: %s)", lines.Text(), want, stderr.String())
		}
	}

	expect("ready")
	if err := child.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	expect("cancelled")
	if err := child.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() { done <- child.Wait() }()
	select {
	case err := <-done:
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			t.Fatalf("child ended with %v, expected to be killed by the second SIGINT", err)
		}
		status, ok := exitErr.Sys().(syscall.WaitStatus)
		if !ok || !status.Signaled() || status.Signal() != syscall.SIGINT {
			t.Errorf("child ended with %v, expected death by SIGINT", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("child still running 30 s after the second SIGINT")
	}
	if !strings.Contains(stderr.String(), "send it again to stop at once") {
		t.Errorf("stderr %q does not mention that a second signal stops the program", stderr.String())
	}
}
