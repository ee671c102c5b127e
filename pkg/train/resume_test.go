package train

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/closure-lab/closure/pkg/nn"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// noisyLinearLoss is linearLoss with graph random noise added to the features, so that a
// resumed run must also restore the random-number state to repeat an uninterrupted one.
func noisyLinearLoss(ctx *context.Context, inputs []*Node) *Node {
	noise := MulScalar(ctx.RandomNormal(inputs[0].Graph(), inputs[0].Shape()), 0.1)
	prediction := nn.Dense(ctx.In("linear"), Add(inputs[0], noise), 1)
	return ReduceAllMean(Square(Sub(prediction, inputs[1])))
}

// resumableConfig is the run that the SIGKILL test interrupts.
func resumableConfig(checkpoint string) Config {
	return Config{Steps: 120, BatchSize: 16, LearningRate: 0.02, WarmupSteps: 10, Seed: 7, ValidationEvery: 25,
		EMADecay: 0.95, Checkpoint: checkpoint, CheckpointEvery: 10, Description: "resumable"}
}

func runResumable(t testing.TB, checkpoint string, progress func(Progress)) (*History, *context.Context) {
	backend, err := nn.NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	ctx := newContext(11)
	cfg := resumableConfig(checkpoint)
	cfg.Progress = progress
	history, err := Run(backend, ctx, noisyLinearLoss, linearData(256, 1), linearData(64, 2), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return history, ctx
}

// TestResumableHelper is the training process that TestRunResumesAfterSIGKILL kills; it
// does nothing in a normal test run.
func TestResumableHelper(t *testing.T) {
	checkpoint := os.Getenv("CLOSURE_TRAIN_RESUME_CHECKPOINT")
	if checkpoint == "" {
		t.Skip("helper process of TestRunResumesAfterSIGKILL")
	}
	// Slow steps leave the parent time to kill the run between two checkpoints.
	runResumable(t, checkpoint, func(Progress) { time.Sleep(20 * time.Millisecond) })
}

func TestRunResumesAfterSIGKILL(t *testing.T) {
	checkpoint := filepath.Join(t.TempDir(), "progress.ckpt")
	child := exec.Command(os.Args[0], "-test.run=^TestResumableHelper$")
	child.Env = append(os.Environ(), "CLOSURE_TRAIN_RESUME_CHECKPOINT="+checkpoint)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill the child once it has written a checkpoint past step 30 of 120.
	deadline := time.Now().Add(2 * time.Minute)
	killedAt := 0
	for time.Now().Before(deadline) {
		if saved, err := read(checkpoint); err == nil && saved.Training.Step >= 30 {
			killedAt = saved.Training.Step
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	if killedAt == 0 {
		t.Fatal("the helper process wrote no checkpoint past step 30 within 2 minutes")
	}
	saved, err := read(checkpoint)
	if err != nil {
		t.Fatalf("the checkpoint left by the killed run does not load: %v", err)
	}
	if saved.Training.Step >= 120 {
		t.Fatalf("the helper finished (step %d) before it was killed; the test proves nothing", saved.Training.Step)
	}

	resumed, resumedCtx := runResumable(t, checkpoint, nil)
	uninterrupted, uninterruptedCtx := runResumable(t, "", nil)

	if len(resumed.Loss) != len(uninterrupted.Loss) {
		t.Fatalf("the resumed history has %d losses, the uninterrupted one %d", len(resumed.Loss), len(uninterrupted.Loss))
	}
	for k := range resumed.Loss {
		if resumed.Loss[k] != uninterrupted.Loss[k] {
			t.Fatalf("step %d (killed at step >= %d, resumed from %d): loss %g after resuming, %g without interruption; want bit-identical",
				k, killedAt, saved.Training.Step, resumed.Loss[k], uninterrupted.Loss[k])
		}
	}
	if !slicesEqual(resumed.ValidationLoss, uninterrupted.ValidationLoss) {
		t.Errorf("validation losses %v after resuming, %v without interruption", resumed.ValidationLoss, uninterrupted.ValidationLoss)
	}
	for _, name := range []string{"weights", "biases"} {
		got := variableValues(t, resumedCtx, "/linear", name)
		want := variableValues(t, uninterruptedCtx, "/linear", name)
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("%s[%d] = %g after resuming, %g without interruption; want bit-identical", name, k, got[k], want[k])
			}
		}
	}
}

func slicesEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

func TestRunRefusesCheckpointOfOtherRun(t *testing.T) {
	t.Parallel()
	checkpoint := filepath.Join(t.TempDir(), "progress.ckpt")
	runResumable(t, checkpoint, nil)

	backend, err := nn.NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	cfg := resumableConfig(checkpoint)
	cfg.LearningRate = 0.05
	_, err = Run(backend, newContext(11), noisyLinearLoss, linearData(256, 1), nil, cfg)
	if err == nil || !strings.Contains(err.Error(), "another configuration") {
		t.Errorf("resuming with another learning rate: error %v, want one about another configuration", err)
	}
}

func TestLoadDetectsCorruptCheckpoint(t *testing.T) {
	t.Parallel()
	checkpoint := filepath.Join(t.TempDir(), "progress.ckpt")
	runResumable(t, checkpoint, nil)
	content, err := os.ReadFile(checkpoint)
	if err != nil {
		t.Fatal(err)
	}
	for _, position := range []int{len(content) / 3, len(content) / 2, len(content) - 40} {
		damaged := append([]byte(nil), content...)
		damaged[position] ^= 0x10
		path := filepath.Join(t.TempDir(), "damaged.ckpt")
		if err := os.WriteFile(path, damaged, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(path, progressModel, progressVersion); err == nil || !strings.Contains(err.Error(), "corrupt") {
			t.Errorf("a bit flipped at byte %d of %d: error %v, want one saying the file is corrupt", position, len(content), err)
		}
	}
	if err := os.WriteFile(checkpoint, content[:len(content)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(checkpoint, progressModel, progressVersion); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("a truncated checkpoint: error %v, want one saying the file is corrupt", err)
	}
}

// TestRunKeepsMovingAverage follows the weights after every step and checks that the values
// left in the variables are their exponential moving average with the documented decay.
func TestRunKeepsMovingAverage(t *testing.T) {
	t.Parallel()
	const (
		decay = 0.9
		// The graph averages in float32; 1e-5 covers its rounding over 60 updates of weights
		// of size ~3.
		tolerance = 1e-5
	)
	backend, err := nn.NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	ctx := newContext(3)
	average := make([]float64, 4)
	_, err = Run(backend, ctx, linearLoss, linearData(256, 1), nil, Config{
		Steps: 60, BatchSize: 32, LearningRate: 0.05, Seed: 3, EMADecay: decay,
		Progress: func(p Progress) {
			weights := variableValues(t, ctx, "/linear", "weights")
			rate := 1 - emaDecayAt(decay, p.Step-1)
			for k := range average {
				average[k] += rate * (float64(weights[k]) - average[k])
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := variableValues(t, ctx, "/linear", "weights")
	for k := range average {
		if math.Abs(float64(got[k])-average[k]) > tolerance {
			t.Errorf("weight %d after the run = %.7g, want the moving average %.7g ± %g", k, got[k], average[k], tolerance)
		}
	}
	if emaDecayAt(decay, 0) != 0 || emaDecayAt(decay, 1000) != decay {
		t.Errorf("decay at step 0 = %g (want 0, copying the weights) and at step 1000 = %g (want %g)", emaDecayAt(decay, 0), emaDecayAt(decay, 1000), decay)
	}
}
