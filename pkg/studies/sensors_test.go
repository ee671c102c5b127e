package studies

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/closure-lab/closure/pkg/apost"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/sensors"
)

// TestPhysicalClosuresCoupleToLES trains the physical closures on a cut-down data set for a
// few steps and couples them to a short LES.
func TestPhysicalClosuresCoupleToLES(t *testing.T) {
	t.Parallel()
	p := tinyPreset(t)
	p.Data.Trajectories, p.Data.SpinUp, p.Data.Snapshots = 3, 1, 8
	p.Data.ValidationFraction, p.Data.TestFraction = 1.0/3, 1.0/3
	p.Training.FlowSteps, p.Training.BatchSize = 8, 8
	root := t.TempDir()
	data := filepath.Join(root, "data")
	if _, err := experiment.Generate(context.Background(), p, data, experiment.GenerateOptions{}); err != nil {
		t.Fatal(err)
	}

	if _, err := PrepareSensorClosure(p, data, root, sensors.Layout{}, 0); err == nil || !strings.Contains(err.Error(), "needs sensors") {
		t.Errorf("PrepareSensorClosure without sensors returned %v, want an error", err)
	}
	closure, err := PrepareSensorClosure(p, data, filepath.Join(root, "model"), DefaultSensors, 5)
	if err != nil {
		t.Fatal(err)
	}
	if closure.Name() != SensorClosureName || !closure.UsesDNS() {
		t.Errorf("closure %q (reads the DNS: %v), want %q reading the DNS", closure.Name(), closure.UsesDNS(), SensorClosureName)
	}

	if _, err := PrepareLatentSensorClosure(p, data, root, sensors.Layout{}, 0); err == nil || !strings.Contains(err.Error(), "needs sensors") {
		t.Errorf("PrepareLatentSensorClosure without sensors returned %v, want an error", err)
	}
	latentSensors, err := PrepareLatentSensorClosure(p, data, filepath.Join(root, "model"), DefaultSensors, 5)
	if err != nil {
		t.Fatal(err)
	}
	if latentSensors.Name() != LatentSensorClosureName || !latentSensors.UsesDNS() {
		t.Errorf("closure %q (reads the DNS: %v), want %q reading the DNS", latentSensors.Name(), latentSensors.UsesDNS(), LatentSensorClosureName)
	}

	extra := []apost.Closure{closure, latentSensors}
	for _, c := range DefaultPhysicalClosures {
		physical, err := PreparePhysicalClosure(p, data, filepath.Join(root, "physical"), c, 5)
		if err != nil {
			t.Fatal(err)
		}
		extra = append(extra, physical)
	}
	latent := PhysicalClosure{Label: "latent", Kind: experiment.KindLatentFM}
	if _, err := PreparePhysicalClosure(p, data, root, latent, 0); err == nil || !strings.Contains(err.Error(), "latent-fm") {
		t.Errorf("PreparePhysicalClosure of a latent model returned %v, want an error naming the kind", err)
	}

	cfg := shortAPosteriori
	cfg.Duration, cfg.Extra = 0.1, extra
	res, err := APosteriori(context.Background(), p, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{SensorClosureName, LatentSensorClosureName, DefaultPhysicalClosures[0].Label, DefaultPhysicalClosures[1].Label} {
		coupled := res.Closure(name)
		if coupled == nil || len(coupled.Failures) > 0 {
			t.Errorf("closure %q is missing from %v or failed", name, closureNames(res))
		}
	}
}
