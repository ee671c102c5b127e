package reproduce

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/closure-lab/closure/pkg/apost"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/plots"
	"github.com/closure-lab/closure/pkg/studies"
)

func geometrySection(_ context.Context, env *Env) (string, error) {
	cfg := studies.LatentGeometryConfigFor(env.Preset)
	var results []*studies.ManifoldStudy
	for _, name := range studies.ManifoldNames() {
		study, err := studies.LatentGeometry(name, cfg)
		if err != nil {
			return "", fmt.Errorf("manifold %s: %w", name, err)
		}
		results = append(results, study)

		png, err := studies.LatentScatterPNG(study)
		if err != nil {
			return "", err
		}
		if err := env.savePNG("latents_"+name, png); err != nil {
			return "", err
		}
	}

	var b strings.Builder
	b.WriteString("Autoencoders with no regularizer, metric-preserving (MP) and geometry-aware (GA) latent ")
	b.WriteString("regularizers on manifolds embedded in R^32; distances and persistence of test latents against the reference:\n\n")
	b.WriteString(studies.LatentGeometryTable(results))
	fmt.Fprintf(&b, "\nCommand: `%s`.\n", env.Command)
	return b.String(), nil
}

func aPosterioriSection(ctx context.Context, env *Env) (string, error) {
	p := env.Preset
	modelPath := filepath.Join(env.OutDir, "00_main_job", experiment.ModelFile)
	model, err := studies.PrepareLatentFM(ctx, p, env.DataDir, modelPath)
	if err != nil {
		return "", err
	}
	sensorDir := filepath.Join(env.OutDir, "00_main_job", "sensors-"+studies.DefaultSensors.Tag())
	// The physical models of section 4 live next to the latent model, so they are loaded, not
	// trained again.
	extra, err := studies.PrepareExtraClosures(p, env.DataDir, filepath.Dir(modelPath), sensorDir)
	if err != nil {
		return "", err
	}
	regularized, err := studies.PrepareRegularizedClosures(ctx, p, env.DataDir, filepath.Dir(modelPath), studies.DefaultAPosterioriRegularizers, 0)
	if err != nil {
		return "", err
	}
	extra = append(regularized, extra...)
	cfg := studies.APosterioriConfig{Mean: studies.MeanSampler(model), Extra: extra, ScaleSelective: studies.DefaultMinWavenumber}
	res, err := studies.APosteriori(ctx, p, experiment.LatentSampler(model, "euler"), cfg)
	if err != nil {
		return "", err
	}

	dir, err := env.SectionDir()
	if err != nil {
		return "", err
	}
	if err := apost.WriteJSON(filepath.Join(dir, apost.ResultFile), res); err != nil {
		return "", err
	}
	// A slice, not a map, so that the report lists the figures in the same order every run.
	for _, figure := range []struct {
		name string
		make func(*apost.Result) (*plots.Figure, error)
	}{
		{"error", apost.ErrorFigure},
		{"error_linear", apost.ErrorFigureLinear},
		{"enstrophy", apost.EnstrophyFigure},
		{"transfer", apost.TransferFigure},
		{"transfer_shells", apost.TransferShellsFigure},
		{"spectra", apost.SpectraFigure},
		{"pdf", apost.PDFFigure},
		{"ensemble_spread", studies.EnsembleSpreadFigure},
	} {
		if err := env.Save(figure.name)(figure.make(res)); err != nil {
			return "", fmt.Errorf("%s: %w", figure.name, err)
		}
	}

	start, end := res.Times[0], res.Times[len(res.Times)-1]
	times := []float64{start + (end-start)/10, start + (end-start)/2, end}
	var b strings.Builder
	b.WriteString("LES ensembles from the filtered DNS of a trajectory outside the data set, relative L2 error of ω̄ against the filtered DNS:\n\n")
	b.WriteString(studies.APosterioriTable(res, times))
	fmt.Fprintf(&b, "\n`%s` is the physical-space flow-matching model conditioned also on H at sensors on %s of the LES grid, and `%s` the latent model whose mean network reads the same sensors. In the coupled run the sensors read the closure of the reference DNS, so these two assimilate DNS data.\n",
		studies.SensorClosureName, studies.DefaultSensors, studies.LatentSensorClosureName)
	fmt.Fprintf(&b, "\nThe closures named `%s` are the latent closure with its autoencoder trained under that stage-1 regularizer (joint training, metric-preserving, geometry-aware) instead of alone.\n",
		studies.RegularizedClosureName("NAME"))
	fmt.Fprintf(&b, "\nThe closures named `…, |k| ≥ %g` couple the same samples as the closure they copy, without their modes |k| < %g (`apost.Learned.MinWavenumber`). The last column is the rate ⟨ω̄H⟩ at which the closure removes resolved enstrophy; a negative value is net backscatter. The figure `transfer_shells` splits that rate into wavenumber shells, averaged over the second half: a shell below zero is fed enstrophy by the closure.\n",
		studies.DefaultMinWavenumber, studies.DefaultMinWavenumber)
	fmt.Fprintf(&b, "\nCommand: `%s`.\n", env.Command)
	return b.String(), nil
}

func predecessorSection(ctx context.Context, env *Env) (string, error) {
	comparison, err := apost.Predecessor(ctx, studies.PredecessorOptionsFor(env.Preset))
	if err != nil {
		return "", err
	}
	return studies.PredecessorMarkdown(comparison) + fmt.Sprintf("\nCommand: `%s`.\n", env.Command), nil
}

// savePNG writes PNG bytes into the section's folder and records the figure.
func (e *Env) savePNG(name string, png []byte) error {
	dir, err := e.SectionDir()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, name+".png")
	if err := writeFileAtomic(path, png); err != nil {
		return err
	}
	e.figures = append(e.figures, filepath.Join(e.section, name+".png"))
	return nil
}
