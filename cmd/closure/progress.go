package main

import (
	"fmt"
	"log/slog"
	"math"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/closure-lab/closure/pkg/train"
)

// bar is a progress bar on standard error, safe for concurrent use. When standard error is
// not a terminal (a log file of a batch job), the bar hides itself and a log line reports
// each tenth of the work instead, so that a long headless run still shows where it is.
type bar struct {
	mu          sync.Mutex
	max         int
	pb          *progressbar.ProgressBar
	description string
	visible     bool
	start       time.Time
	logged      int // tenths of the work reported in the log so far
	// base is the work done at the first report: a resumed run did it before this process
	// started. The remaining time is estimated from the work done since.
	base    float64
	started bool
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
	return &bar{max: max, pb: pb, description: description, visible: visible, start: time.Now()}
}

// fraction sets the bar to done/total of its width. Without a terminal it logs a line with
// the elapsed and estimated remaining time, and attrs (key, value pairs such as the loss),
// each time the work passes another tenth.
func (b *bar) fraction(done, total float64, attrs ...any) {
	if total <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	_ = b.pb.Set(int(float64(b.max) * done / total))
	if b.visible {
		return
	}
	if !b.started {
		b.base, b.logged, b.started = done, int(10*done/total), true
	}
	tenths := int(10 * done / total)
	if tenths <= b.logged || done <= b.base {
		return
	}
	b.logged = tenths
	elapsed := time.Since(b.start)
	remaining := time.Duration(float64(elapsed) * (total - done) / (done - b.base))
	line := append([]any{"done", fmt.Sprintf("%d%%", 10*tenths), "elapsed", elapsed.Round(time.Second),
		"remaining", remaining.Round(time.Second)}, attrs...)
	slog.Info(b.description, line...)
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

// trainingAttrs are the log attributes of a training step: its number, loss and, once
// measured, validation loss.
func trainingAttrs(pr train.Progress) []any {
	attrs := []any{"step", pr.Step, "loss", fmt.Sprintf("%.4g", pr.Loss)}
	if !math.IsNaN(pr.ValidationLoss) {
		attrs = append(attrs, "validation_loss", fmt.Sprintf("%.4g", pr.ValidationLoss))
	}
	return attrs
}
