package main

import (
	"os"
	"sync"

	"github.com/schollz/progressbar/v3"
)

// bar is a progress bar on standard error, safe for concurrent use, that hides itself
// when standard error is not a terminal so that logs stay readable.
type bar struct {
	mu  sync.Mutex
	max int
	pb  *progressbar.ProgressBar
}

func newBar(description string, max int) *bar {
	visible := isTerminal(os.Stderr)
	pb := progressbar.NewOptions(max,
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetDescription(description),
		progressbar.OptionSetVisibility(visible),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionSetWidth(30),
	)
	return &bar{max: max, pb: pb}
}

// fraction sets the bar to done/total of its width.
func (b *bar) fraction(done, total float64) {
	if total <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = b.pb.Set(int(float64(b.max) * done / total))
}

func (b *bar) finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = b.pb.Finish()
	if isTerminal(os.Stderr) {
		os.Stderr.WriteString("\n")
	}
}

func isTerminal(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
