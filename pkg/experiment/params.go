package experiment

import (
	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/preset"
)

// generationParams are the parameters recorded in the data-set manifest, every one that
// changes the data. Training and evaluation settings are left out, so that changing them
// reuses the data set.
type generationParams struct {
	Preset string        `json:"preset"`
	Flow   preset.Flow   `json:"flow"`
	Filter preset.Filter `json:"filter"`
	Data   preset.Data   `json:"data"`
}

// DatasetConfig returns the data-set configuration of a preset for the given shard.
func DatasetConfig(p preset.Preset, shard dataset.Shard) dataset.Config {
	d := p.Data
	return dataset.Config{
		Params:          generationParams{Preset: p.Name, Flow: p.Flow, Filter: p.Filter, Data: d},
		N:               p.LESGridSize(),
		NumTrajectories: d.Trajectories,
		Split: dataset.SplitConfig{
			Seed:       uint64(d.Seed),
			Train:      1 - d.ValidationFraction - d.TestFraction,
			Validation: d.ValidationFraction,
			Test:       d.TestFraction,
		},
		Shard: shard,
	}
}
