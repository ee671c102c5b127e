package studies

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/latentfm"
)

// TestRegularizedClosuresCoupleToLES trains the latent closure with the mp regularizer on a
// cut-down data set, checks that its model lands in its own folder with that regularizer,
// and couples it to a short LES beside the default closures.
func TestRegularizedClosuresCoupleToLES(t *testing.T) {
	t.Parallel()
	p := quickDataEfficiencyPreset(t)
	root := t.TempDir()
	data := filepath.Join(root, "data")

	for _, bad := range [][]string{{"none"}, {"mp", "pca"}} {
		if _, err := PrepareRegularizedClosures(context.Background(), p, data, root, bad, 0); err == nil || !strings.Contains(err.Error(), "not a regularizer") {
			t.Errorf("regularizers %v: error %v, want one naming the value", bad, err)
		}
	}
	if entries, _ := os.ReadDir(root); len(entries) > 0 {
		t.Errorf("a refused list left %d entries in the model folder", len(entries))
	}

	closures, err := PrepareRegularizedClosures(context.Background(), p, data, root, []string{latentfm.RegularizerMP}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(closures) != 1 || closures[0].Name() != "latent FM (mp)" {
		t.Fatalf("closures %v, want one named latent FM (mp)", closures)
	}
	saved, err := latentfm.Load(filepath.Join(root, "regularizer-mp", experiment.ModelFile))
	if err != nil {
		t.Fatal(err)
	}
	if saved.Config().Regularizer != latentfm.RegularizerMP {
		t.Errorf("saved model trained with regularizer %q, want mp", saved.Config().Regularizer)
	}

	cfg := shortAPosteriori
	cfg.Duration, cfg.Extra = 0.1, closures
	res, err := APosteriori(context.Background(), p, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	coupled := res.Closure("latent FM (mp)")
	if coupled == nil || len(coupled.Failures) > 0 {
		t.Fatalf("latent FM (mp) in the result: %+v", coupled)
	}
	if last := float64(coupled.MeanError[len(coupled.MeanError)-1]); !(last > 0) {
		t.Errorf("error of latent FM (mp) at the end %g, want a positive finite value", last)
	}
}
