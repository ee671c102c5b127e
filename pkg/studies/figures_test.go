package studies

import (
	"bytes"
	"testing"

	"github.com/closure-lab/closure/pkg/plots"
	"github.com/closure-lab/closure/pkg/solver"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// TestFiguresRenderPNG renders every figure of the package from tiny studies
// and checks that each encodes to a PNG.
func TestFiguresRenderPNG(t *testing.T) {
	t.Parallel()
	p, tr := sharedTrajectory(t)
	tg, err := TaylorGreen(p, TaylorGreenConfig{Stepper: solver.StepperCNAB2})
	if err != nil {
		t.Fatal(err)
	}
	conv, err := Convergence(p, ConvergenceConfig{Steppers: []string{solver.StepperCNAB2, solver.StepperIFRK4}, Levels: 2})
	if err != nil {
		t.Fatal(err)
	}
	st := sharedClosureStats(t)
	spread, err := ClosureSpread(p, tr, SpreadConfig{Snapshots: 1})
	if err != nil {
		t.Fatal(err)
	}
	oracle, err := OracleLES(p, tr, OracleConfig{Duration: 0.2})
	if err != nil {
		t.Fatal(err)
	}

	builders := map[string]func() (*plots.Figure, error){
		"TaylorGreen":  func() (*plots.Figure, error) { return TaylorGreenFigure([]*TaylorGreenResult{tg}) },
		"Convergence":  func() (*plots.Figure, error) { return ConvergenceFigure(conv) },
		"Vorticity":    func() (*plots.Figure, error) { return VorticityFigure(tr, 0) },
		"Energy":       func() (*plots.Figure, error) { return EnergyFigure(tr) },
		"Spectrum":     func() (*plots.Figure, error) { return SpectrumFigure(tr) },
		"Transfer":     func() (*plots.Figure, error) { return TransferFigure(p) },
		"Filter":       func() (*plots.Figure, error) { return FilterFigure(p, tr, 0) },
		"ClosureField": func() (*plots.Figure, error) { return ClosureFieldFigure(st, p.Flow.Length, 0) },
		"ClosureSpec":  func() (*plots.Figure, error) { return ClosureSpectrumFigure(st) },
		"ClosurePDF":   func() (*plots.Figure, error) { return ClosurePDFFigure(st) },
		"Spread":       func() (*plots.Figure, error) { return SpreadFigure(spread.Samples[0], p.Flow.Length) },
		"Oracle":       func() (*plots.Figure, error) { return OracleFigure(oracle) },
		"OracleFields": func() (*plots.Figure, error) { return OracleFieldsFigure(oracle, p.Flow.Length) },
	}
	for name, build := range builders {
		fig, err := build()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		data, err := fig.PNG()
		if err != nil {
			t.Errorf("%s: encoding PNG: %v", name, err)
			continue
		}
		if !bytes.HasPrefix(data, pngSignature) {
			t.Errorf("%s: output does not start with the PNG signature", name)
		}
	}
}

func TestConvergenceTableContents(t *testing.T) {
	t.Parallel()
	conv := &ConvergenceResult{
		Dts: []float64{0.02, 0.01}, Duration: 1,
		Steppers: []StepperConvergence{{Stepper: "cnab2", Errors: []float64{4e-4, 1e-4}, Order: 2}},
	}
	table := ConvergenceTable(conv)
	for _, want := range []string{"| cnab2 | 1 |", "0.0004", "2.00 |", "error at Δt = 0.01"} {
		if !bytes.Contains([]byte(table), []byte(want)) {
			t.Errorf("convergence table lacks %q:\n%s", want, table)
		}
	}
}

func TestSpreadTableRows(t *testing.T) {
	t.Parallel()
	p, tr := sharedTrajectory(t)
	res, err := ClosureSpread(p, tr, SpreadConfig{Snapshots: 3})
	if err != nil {
		t.Fatal(err)
	}
	table := SpreadTable(res, tr)
	if rows := bytes.Count([]byte(table), []byte("\n")); rows != 2+3 {
		t.Errorf("spread table has %d lines, want a header, a rule and 3 rows:\n%s", rows, table)
	}
	if res.Samples[1].Snapshot != 2 {
		t.Errorf("second sample perturbs snapshot %d, want 2 of 6", res.Samples[1].Snapshot)
	}
}

func TestFigureIndexOutOfRange(t *testing.T) {
	t.Parallel()
	p, tr := sharedTrajectory(t)
	if _, err := VorticityFigure(tr, len(tr.Snapshots)); err == nil {
		t.Error("VorticityFigure accepted an index past the end")
	}
	if _, err := FilterFigure(p, tr, -1); err == nil {
		t.Error("FilterFigure accepted index -1")
	}
}
