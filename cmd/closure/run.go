package main

import (
	"context"
	"fmt"
)

func runMain(ctx context.Context, args []string) error {
	return fmt.Errorf("run: not wired yet")
}
