package reproduce

import (
	"context"
	"fmt"
	"strings"

	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/solver"
	"github.com/closure-lab/closure/pkg/studies"
)

// Sections returns the experiments of the report in the order of the notebooks.
func Sections() []Section {
	return []Section{
		{Name: "01_solver", Title: "1. The solver: validation, snapshots, spectra", Run: solverSection},
		{Name: "02_closure_term", Title: "2. Filtering and the closure term", Run: closureSection},
		{Name: "00_main_job", Title: "3. Latent flow-matching closure (the main job)", Run: mainJobSection},
		{Name: "05_comparison", Title: "4. Diffusion, flow matching and latent flow matching: error and cost against steps", Run: comparisonSection},
		{Name: "04_latent_geometry", Title: "5. Latent geometry: regularizers and topology", Run: geometrySection},
		{Name: "06_a_posteriori", Title: "6. A-posteriori LES coupled to the closures", Run: aPosterioriSection},
		{Name: "06_predecessor", Title: "7. The predecessor's setup", Run: predecessorSection},
		{Name: "07_data_efficiency", Title: "8. Data efficiency", Run: dataEfficiencySection},
	}
}

func solverSection(_ context.Context, env *Env) (string, error) {
	p := env.Preset
	var runs []*studies.TaylorGreenResult
	for _, stepper := range solver.StepperNames() {
		run, err := studies.TaylorGreen(p, studies.TaylorGreenConfig{Stepper: stepper})
		if err != nil {
			return "", err
		}
		runs = append(runs, run)
	}
	if err := env.Save("taylor_green")(studies.TaylorGreenFigure(runs)); err != nil {
		return "", err
	}

	convergence, err := studies.Convergence(p, studies.ConvergenceConfig{})
	if err != nil {
		return "", err
	}
	if err := env.Save("convergence")(studies.ConvergenceFigure(convergence)); err != nil {
		return "", err
	}

	tr, err := studies.RunTrajectory(p, studies.TrajectoryConfig{})
	if err != nil {
		return "", err
	}
	for name, fig := range map[string]func() error{
		"vorticity": func() error { return env.Save("vorticity")(studies.VorticityFigure(tr, len(tr.Snapshots)-1)) },
		"energy":    func() error { return env.Save("energy")(studies.EnergyFigure(tr)) },
		"spectrum":  func() error { return env.Save("spectrum")(studies.SpectrumFigure(tr)) },
	} {
		if err := fig(); err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
	}

	var b strings.Builder
	b.WriteString("Taylor–Green vortex against its exact decay:\n\n")
	b.WriteString(studies.TaylorGreenTable(runs))
	b.WriteString("\nTemporal convergence on the preset's forced flow:\n\n")
	b.WriteString(studies.ConvergenceTable(convergence))
	return b.String(), nil
}

func closureSection(_ context.Context, env *Env) (string, error) {
	p := env.Preset
	tr, err := studies.RunTrajectory(p, studies.TrajectoryConfig{})
	if err != nil {
		return "", err
	}
	stats, err := studies.ClosureStatistics(p, tr, studies.ClosureConfig{})
	if err != nil {
		return "", err
	}
	spread, err := studies.ClosureSpread(p, tr, studies.SpreadConfig{Seed: 1})
	if err != nil {
		return "", err
	}
	oracle, err := studies.OracleLES(p, tr, studies.OracleConfig{})
	if err != nil {
		return "", err
	}

	saves := []struct {
		name string
		save func() error
	}{
		{"filters", func() error { return env.Save("filters")(studies.TransferFigure(p)) }},
		{"filtered_vorticity", func() error { return env.Save("filtered_vorticity")(studies.FilterFigure(p, tr, 0)) }},
		{"closure_field", func() error { return env.Save("closure_field")(studies.ClosureFieldFigure(stats, p.Flow.Length, 0)) }},
		{"closure_spectrum", func() error { return env.Save("closure_spectrum")(studies.ClosureSpectrumFigure(stats)) }},
		{"closure_pdf", func() error { return env.Save("closure_pdf")(studies.ClosurePDFFigure(stats)) }},
		{"closure_spread", func() error {
			return env.Save("closure_spread")(studies.SpreadFigure(spread.Samples[0], p.Flow.Length))
		}},
		{"oracle_les", func() error { return env.Save("oracle_les")(studies.OracleFigure(oracle)) }},
	}
	for _, s := range saves {
		if err := s.save(); err != nil {
			return "", err
		}
	}

	var b strings.Builder
	b.WriteString("Spread of H among DNS states that share the same ω̄ (sub-filter phases randomized):\n\n")
	b.WriteString(studies.SpreadTable(spread, tr))
	last := len(oracle.Times) - 1
	fmt.Fprintf(&b, "\nOracle LES (driven by the true H) against no closure, relative error of ω̄ after %.3g time units:\n\n", oracle.Times[last])
	b.WriteString("| LES | relative error | command |\n|---|---|---|\n")
	fmt.Fprintf(&b, "| oracle H | %.3g | `%s` |\n", oracle.Oracle[last], env.Command)
	fmt.Fprintf(&b, "| no closure | %.3g | `%s` |\n", oracle.NoClosure[last], env.Command)
	return b.String(), nil
}

func mainJobSection(ctx context.Context, env *Env) (string, error) {
	dir, err := env.SectionDir()
	if err != nil {
		return "", err
	}
	result, err := experiment.Run(ctx, env.Preset, experiment.RunOptions{DataDir: env.DataDir, OutDir: dir})
	if err != nil {
		return "", err
	}
	for _, f := range []string{experiment.FigureVorticity, experiment.FigureSamples, experiment.FigureSpectra, experiment.FigurePDF} {
		env.figures = append(env.figures, env.section+"/"+f)
	}

	ev := result.Evaluation
	var b strings.Builder
	fmt.Fprintf(&b, "Latent flow matching sampled with %d Euler step(s), %d members, on %d held-out snapshots ", ev.Steps, ev.Members, len(ev.PerField))
	fmt.Fprintf(&b, "(model and data in `%s`, `%s`):\n\n", result.ModelPath, result.DataDir)
	b.WriteString("| metric | value | command |\n|---|---|---|\n")
	rows := []struct {
		name  string
		value string
	}{
		{"relative L2 error of the ensemble mean", fmt.Sprintf("%.3f", ev.MeanRelativeError)},
		{"relative L2 error of one sample", fmt.Sprintf("%.3f", ev.SampleRelativeError)},
		{"ensemble spread / RMS of H", fmt.Sprintf("%.3f", ev.Spread/ev.TruthRMS)},
		{"spread-skill ratio", fmt.Sprintf("%.2f", ev.SpreadSkill)},
		{"CRPS / RMS of H", fmt.Sprintf("%.3f", ev.CRPS/ev.TruthRMS)},
		{"time per sample, batched", fmt.Sprintf("%.3g ms", 1e3*ev.SecondsPerSample)},
		{"time per sample, alone", fmt.Sprintf("%.3g ms", 1e3*ev.SecondsPerSampleBatch1)},
	}
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | `%s` |\n", r.name, r.value, env.Command)
	}
	return b.String(), nil
}
