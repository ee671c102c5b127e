package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// interruptContext returns a context that is cancelled at the first SIGINT or SIGTERM, so
// that commands which save progress can stop at their next checkpoint. The first signal
// also restores the default handling, so a second one ends the program at once. Without
// that, a command that does not watch the context, such as compare, could not be stopped.
func interruptContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case received := <-signals:
			signal.Reset(os.Interrupt, syscall.SIGTERM)
			fmt.Fprintf(os.Stderr, "closure: %v received: commands that save progress stop at their next checkpoint; send it again to stop at once\n", received)
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}
