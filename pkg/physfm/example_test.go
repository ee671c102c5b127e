package physfm_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/closure-lab/closure/pkg/physfm"
)

// Example trains a small model on random 8x8 pairs, draws 4 ensemble members for 2
// conditions with 2 Heun steps (4 NFE), and saves the model.
func Example() {
	const n, count = 8, 64
	rng := rand.New(rand.NewPCG(1, 2))
	data := physfm.Data{N: n, OmegaBar: make([]float32, count*n*n), H: make([]float32, count*n*n)}
	for k := range data.H {
		data.OmegaBar[k] = float32(rng.NormFloat64())
		data.H[k] = 0.5*data.OmegaBar[k] + 0.1*float32(rng.NormFloat64())
	}

	cfg := physfm.DefaultConfig(n)
	cfg.FNO.Width, cfg.FNO.Layers, cfg.FNO.ProjectionHidden = 8, 2, 16
	model, err := physfm.New(cfg)
	if err != nil {
		panic(err)
	}
	if _, err := model.Train(data, nil, physfm.TrainOptions{Steps: 20}); err != nil {
		panic(err)
	}

	samples, err := model.Sample(data.OmegaBar[:2*n*n], 4, 2, "heun", 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(samples) == 2*4*n*n)

	path := filepath.Join(os.TempDir(), "physfm-example.ckpt")
	defer os.Remove(path)
	if err := model.Save(path); err != nil {
		panic(err)
	}
	// Output: true
}
