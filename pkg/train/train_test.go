package train

import (
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/nn"
	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// linearData returns y = x·w + 0.5 for x ~ N(0, I) with 4 features and w = (1, −2, 0.5, 3).
func linearData(count int, seed uint64) *Dataset {
	rng := rand.New(rand.NewPCG(seed, 1))
	weights := []float32{1, -2, 0.5, 3}
	x := make([]float32, count*4)
	y := make([]float32, count)
	for n := range count {
		y[n] = 0.5
		for k := range 4 {
			x[n*4+k] = float32(rng.NormFloat64())
			y[n] += x[n*4+k] * weights[k]
		}
	}
	return &Dataset{Arrays: []Array{{Data: x, ExampleDims: []int{4}}, {Data: y, ExampleDims: []int{1}}}}
}

func linearLoss(ctx *context.Context, inputs []*Node) *Node {
	prediction := nn.Dense(ctx.In("linear"), inputs[0], 1)
	return ReduceAllMean(Square(Sub(prediction, inputs[1])))
}

func newContext(seed int64) *context.Context {
	ctx := context.New()
	ctx.SetParam(context.ParamInitialSeed, seed)
	return ctx
}

func trainLinear(t *testing.T, ctx *context.Context, steps int) *History {
	t.Helper()
	backend, err := nn.NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	var calls int
	history, err := Run(backend, ctx, linearLoss, linearData(256, 1), linearData(64, 2), Config{
		Steps: steps, BatchSize: 32, LearningRate: 0.05, WarmupSteps: steps / 10, Seed: 3, ValidationEvery: 50,
		Progress: func(p Progress) {
			calls++
			if p.Step != calls || p.Steps != steps {
				t.Errorf("progress call %d reports step %d of %d, want step %d of %d", calls, p.Step, p.Steps, calls, steps)
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != steps {
		t.Errorf("Progress was called %d times, want once per step (%d)", calls, steps)
	}
	return history
}

func variableValues(t *testing.T, ctx *context.Context, scope, name string) []float32 {
	t.Helper()
	v := ctx.GetVariableByScopeAndName(scope, name)
	if v == nil {
		t.Fatalf("variable %s/%s not found", scope, name)
	}
	return tensors.MustCopyFlatData[float32](v.MustValue())
}

func TestRunFitsLinearRegression(t *testing.T) {
	t.Parallel()
	const tolerance = 0.02 // on each recovered weight after 300 steps
	ctx := newContext(5)
	history := trainLinear(t, ctx, 300)

	weights := variableValues(t, ctx, "/linear", "weights")
	bias := variableValues(t, ctx, "/linear", "biases")
	want := []float32{1, -2, 0.5, 3}
	for k := range want {
		if math.Abs(float64(weights[k]-want[k])) > tolerance {
			t.Errorf("weight %d = %g, want %g ± %g", k, weights[k], want[k], tolerance)
		}
	}
	if math.Abs(float64(bias[0]-0.5)) > tolerance {
		t.Errorf("bias = %g, want 0.5 ± %g", bias[0], tolerance)
	}
	if len(history.ValidationLoss) != 6 {
		t.Errorf("got %d validation losses, want 6 (every 50 of 300 steps)", len(history.ValidationLoss))
	}
}

func TestRunIsDeterministic(t *testing.T) {
	t.Parallel()
	first, second := newContext(9), newContext(9)
	historyFirst := trainLinear(t, first, 40)
	historySecond := trainLinear(t, second, 40)

	for k := range historyFirst.Loss {
		if historyFirst.Loss[k] != historySecond.Loss[k] {
			t.Fatalf("step %d: losses %g and %g differ between two runs with the same seeds", k, historyFirst.Loss[k], historySecond.Loss[k])
		}
	}
	weightsFirst := variableValues(t, first, "/linear", "weights")
	weightsSecond := variableValues(t, second, "/linear", "weights")
	for k := range weightsFirst {
		if weightsFirst[k] != weightsSecond[k] {
			t.Fatalf("weight %d: %g and %g differ between two runs with the same seeds", k, weightsFirst[k], weightsSecond[k])
		}
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := newContext(4)
	trainLinear(t, ctx, 20)
	path := filepath.Join(t.TempDir(), "linear.ckpt")
	if err := Save(path, ctx, Header{Model: "linear", Version: 1, Config: []byte(`{"features":4}`)}); err != nil {
		t.Fatal(err)
	}

	checkpoint, err := Load(path, "linear", 1)
	if err != nil {
		t.Fatal(err)
	}
	if string(checkpoint.Header.Config) != `{"features":4}` {
		t.Errorf("config %q did not survive the round trip", checkpoint.Header.Config)
	}
	restored := context.New()
	if err := checkpoint.Restore(restored); err != nil {
		t.Fatal(err)
	}
	want := variableValues(t, ctx, "/linear", "weights")
	got := variableValues(t, restored, "/linear", "weights")
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("restored weight %d = %g, want %g", k, got[k], want[k])
		}
	}

	// Training continues from the restored optimizer state without errors.
	trainLinear(t, restored, 5)

	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the checkpoint folder holds %d files, want only the checkpoint (no temporary files left)", len(entries))
	}
}

func TestCheckpointRejectsOtherModel(t *testing.T) {
	t.Parallel()
	ctx := newContext(4)
	trainLinear(t, ctx, 2)
	path := filepath.Join(t.TempDir(), "linear.ckpt")
	if err := Save(path, ctx, Header{Model: "linear", Version: 1}); err != nil {
		t.Fatal(err)
	}

	if _, err := Load(path, "autoencoder", 1); err == nil || !strings.Contains(err.Error(), "linear") {
		t.Errorf("Load with another model name: error %v, want one naming the stored model", err)
	}
	if _, err := Load(path, "linear", 2); err == nil {
		t.Error("Load with another version returned no error")
	}

	checkpoint, err := Load(path, "linear", 1)
	if err != nil {
		t.Fatal(err)
	}
	other := context.New()
	other.InAbsPath("/linear").VariableWithShape("weights", shapes.Make(tensors.FromValue([]float32{0}).DType(), 7, 1))
	if err := checkpoint.Restore(other); err == nil || !strings.Contains(err.Error(), "shape") {
		t.Errorf("Restore into a model with other shapes: error %v, want a shape error", err)
	}
}

func TestLearningRateSchedule(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-12
	cases := []struct {
		step    int
		want    float64
		comment string
	}{
		{0, 0.25, "first warmup step: peak/4"},
		{3, 1, "end of warmup: peak"},
		{4, 1, "start of cosine: peak"},
		{9, 0.1, "last step: minimum"},
	}
	for _, tc := range cases {
		if got := LearningRate(tc.step, 10, 4, 1, 0.1); math.Abs(got-tc.want) > tolerance {
			t.Errorf("%s: LearningRate(step=%d) = %g, want %g", tc.comment, tc.step, got, tc.want)
		}
	}
}

func TestRunRejectsLargeBatch(t *testing.T) {
	t.Parallel()
	backend, err := nn.NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(backend, newContext(1), linearLoss, linearData(8, 1), nil, Config{Steps: 1, BatchSize: 16, LearningRate: 0.1})
	if err == nil || !strings.Contains(err.Error(), "BatchSize") {
		t.Errorf("error %v, want one about BatchSize", err)
	}
}

// TestFinishedLogOmitsMissingValidation checks the "training finished" log line: a run with
// validation data reports its last validation loss, a run without any leaves the attribute
// out instead of printing NaN.
func TestFinishedLogOmitsMissingValidation(t *testing.T) {
	var log strings.Builder
	previous := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&log, nil)))
	defer slog.SetDefault(previous)

	backend, err := nn.NewBackend()
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range []struct {
		name       string
		validation *Dataset
	}{{"without-validation", nil}, {"with-validation", linearData(64, 2)}} {
		_, err := Run(backend, newContext(1), linearLoss, linearData(64, 1), run.validation, Config{
			Steps: 4, BatchSize: 16, LearningRate: 0.01, Seed: 1, ValidationEvery: 2, Description: run.name,
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	lines := map[string]string{}
	for line := range strings.Lines(log.String()) {
		if strings.Contains(line, `msg="training finished"`) {
			for _, name := range []string{"without-validation", "with-validation"} {
				if strings.Contains(line, "run="+name+" ") {
					lines[name] = line
				}
			}
		}
	}
	if line := lines["without-validation"]; line == "" || strings.Contains(line, "validation_loss") {
		t.Errorf("finished line of a run without validation data = %q, want one without validation_loss", line)
	}
	if line := lines["with-validation"]; !strings.Contains(line, "validation_loss=") || strings.Contains(line, "NaN") {
		t.Errorf("finished line of a run with validation data = %q, want a numeric validation_loss", line)
	}
}
