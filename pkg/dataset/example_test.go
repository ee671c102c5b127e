package dataset_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/closure-lab/closure/pkg/dataset"
)

func ExampleParseShard() {
	shard, err := dataset.ParseShard("1/3")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(shard, shard.Indices(10))

	_, err = dataset.ParseShard("3/3")
	fmt.Println(err)
	// Output:
	// 1/3 [1 4 7]
	// dataset: invalid shard specification "3/3": shard index 3 must be less than the shard count 3; use i/n with 0 <= i < n, for example 3/8
}

// Example writes a small data set, resumes it as a restarted run would, and
// loads the training split.
func Example() {
	root, err := os.MkdirTemp("", "dataset-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)
	dir := filepath.Join(root, "kolmogorov-n8")

	type generation struct {
		Nu   float64 `json:"nu"`
		Seed int64   `json:"seed"`
	}
	const n, snapshots = 8, 2
	cfg := dataset.Config{
		Params:          generation{Nu: 1e-3, Seed: 42},
		N:               n,
		NumTrajectories: 4,
		Split:           dataset.SplitConfig{Seed: 1, Train: 0.5, Validation: 0.25, Test: 0.25},
		CodeVersion:     "example",
	}

	w, err := dataset.OpenWriter(dir, cfg)
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range w.Pending()[:2] {
		tr := dataset.Trajectory{
			Index:    k,
			Time:     []float64{0.1, 0.2},
			OmegaBar: make([]float32, snapshots*n*n),
			Closure:  make([]float32, snapshots*n*n),
		}
		if err := w.Add(tr); err != nil {
			log.Fatal(err)
		}
	}

	// A restarted run with the same Config skips the trajectories present.
	w, err = dataset.OpenWriter(dir, cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("present", w.Present(), "pending", w.Pending())
	for _, k := range w.Pending() {
		tr := dataset.Trajectory{
			Index:    k,
			Time:     []float64{0.1, 0.2},
			OmegaBar: make([]float32, snapshots*n*n),
			Closure:  make([]float32, snapshots*n*n),
		}
		if err := w.Add(tr); err != nil {
			log.Fatal(err)
		}
	}

	d, err := dataset.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	train, err := d.LoadSplit(dataset.SplitTrain)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("train snapshots", train.Snapshots, "values", len(train.OmegaBar), "trajectories", train.Trajectory)
	// Output:
	// present [0 1] pending [2 3]
	// train snapshots 4 values 256 trajectories [0 0 3 3]
}
