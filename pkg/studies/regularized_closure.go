package studies

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/closure-lab/closure/pkg/apost"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/latentfm"
	"github.com/closure-lab/closure/pkg/preset"
)

// DefaultAPosterioriRegularizers are the stage-1 regularizers whose latent closures notebook 6
// couples beside the unregularized one.
var DefaultAPosterioriRegularizers = []string{latentfm.RegularizerJoint, latentfm.RegularizerMP, latentfm.RegularizerGA}

// RegularizedClosureName labels the latent closure whose autoencoder was trained with the
// named regularizer, such as "latent FM (mp)".
func RegularizedClosureName(regularizer string) string {
	return LearnedClosureName + " (" + regularizer + ")"
}

// CheckRegularizedClosures returns an error naming the first entry of regularizers that is
// not a regularizer of DefaultAPosterioriRegularizers, so that a command can reject a bad
// list before it trains anything.
func CheckRegularizedClosures(regularizers []string) error {
	for _, regularizer := range regularizers {
		if !slices.Contains(DefaultAPosterioriRegularizers, regularizer) {
			return fmt.Errorf("studies: %q is not a regularizer to add beside the unregularized latent model, which always takes part; use some of %s",
				regularizer, strings.Join(DefaultAPosterioriRegularizers, ", "))
		}
	}
	return nil
}

// PrepareRegularizedClosures returns, for each regularizer, the latent flow-matching closure
// of preset p trained with it, for APosterioriConfig.Extra. Each model is loaded from
// experiment.LatentModelDir(modelDir, regularizer), the folder of `closure train --model
// latent-fm --regularizer NAME`, or trained there when it is missing or was trained with
// another configuration (PrepareLatentFM). The closures draw a sample every resampleEvery
// LES steps (0: DefaultResampleEvery). The unregularized closure is APosteriori's own, so
// "none" is rejected, as is an unknown name.
func PrepareRegularizedClosures(ctx context.Context, p preset.Preset, dataDir, modelDir string, regularizers []string, resampleEvery int) ([]apost.Closure, error) {
	if err := CheckRegularizedClosures(regularizers); err != nil {
		return nil, err
	}
	var closures []apost.Closure
	for _, regularizer := range regularizers {
		q := p
		q.Training.Regularizer = regularizer
		path := filepath.Join(experiment.LatentModelDir(modelDir, regularizer), experiment.ModelFile)
		model, err := PrepareLatentFM(ctx, q, dataDir, path)
		if err != nil {
			return nil, err
		}
		closure := LatentClosure(q, experiment.LatentSampler(model, "euler"), resampleEvery)
		closure.Label = RegularizedClosureName(regularizer)
		closures = append(closures, closure)
	}
	return closures, nil
}
