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

func TestSensorClosureCouplesToLES(t *testing.T) {
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

	cfg := shortAPosteriori
	cfg.Duration, cfg.Extra = 0.1, []apost.Closure{closure}
	res, err := APosteriori(context.Background(), p, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	coupled := res.Closure(SensorClosureName)
	if coupled == nil || len(coupled.Failures) > 0 {
		t.Fatalf("the sensor closure is missing from %v or failed", closureNames(res))
	}
}
