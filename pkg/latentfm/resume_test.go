package latentfm

import (
	"os"
	"path/filepath"
	"testing"
)

// TestTrainResumesFinishedStages trains a model with training-state checkpoints. It then
// deletes the reflow stage's state, as if the run had been killed during stage 3, and trains
// a fresh model with the same options. Stages 1 and 2 must come from their states unchanged,
// and the whole model must sample bit for bit like the uninterrupted one.
func TestTrainResumesFinishedStages(t *testing.T) {
	t.Parallel()
	cfg := smallToyConfig()
	cfg.AESteps, cfg.FMSteps, cfg.ReflowSteps = 30, 30, 20
	checkpoint := filepath.Join(t.TempDir(), "model.progress")
	opts := TrainOptions{Checkpoint: checkpoint, CheckpointEvery: 10}
	data := toyData(256, 4)

	first, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	firstHistory, err := first.Train(data, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, stage := range []string{"autoencoder", "flow-matching", "reflow"} {
		if _, err := os.Stat(checkpoint + "." + stage); err != nil {
			t.Fatalf("no training state for stage %s: %v", stage, err)
		}
	}
	if err := os.Remove(checkpoint + ".reflow"); err != nil {
		t.Fatal(err)
	}

	second, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	secondHistory, err := second.Train(data, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	for name, pair := range map[string][2][]float64{
		"autoencoder":   {firstHistory.Autoencoder.Loss, secondHistory.Autoencoder.Loss},
		"flow matching": {firstHistory.FlowMatching.Loss, secondHistory.FlowMatching.Loss},
		"reflow":        {firstHistory.Reflow.Loss, secondHistory.Reflow.Loss},
	} {
		if len(pair[0]) != len(pair[1]) {
			t.Fatalf("%s: %d losses in the first run, %d after resuming", name, len(pair[0]), len(pair[1]))
		}
		for k := range pair[0] {
			if pair[0][k] != pair[1][k] {
				t.Fatalf("%s step %d: loss %g in the first run, %g after resuming", name, k, pair[0][k], pair[1][k])
			}
		}
	}
	if secondHistory.Autoencoder.StepTime != 0 || secondHistory.FlowMatching.StepTime != 0 {
		t.Errorf("stages 1 and 2 ran again (step times %v, %v); want them restored from their finished states",
			secondHistory.Autoencoder.StepTime, secondHistory.FlowMatching.StepTime)
	}

	condition := toyCondition(0.3, 0)
	want, err := first.Sample(condition, 8, 1, "euler", 5)
	if err != nil {
		t.Fatal(err)
	}
	got, err := second.Sample(condition, 8, 1, "euler", 5)
	if err != nil {
		t.Fatal(err)
	}
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("sample value %d: %g after resuming, %g without interruption; want bit-identical", k, got[k], want[k])
		}
	}
}
