package latentfm_test

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/latentfm"
)

// Training and sampling a closure model. The example is compiled but not run, because
// training takes minutes; the data slices stand for snapshots of ω̄ and H.
func Example() {
	const n, snapshots = 32, 2000
	data := latentfm.Data{N: n, OmegaBar: make([]float32, snapshots*n*n), H: make([]float32, snapshots*n*n)}

	cfg := latentfm.DefaultConfig(n)
	model, err := latentfm.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	history, err := model.Train(data, nil, latentfm.TrainOptions{ProgressBar: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("relative reconstruction error:", history.ReconstructionError)

	// 16 ensemble members for the first snapshot's ω̄ with one Euler step (1 NFE) of the reflow
	// student, which DefaultConfig trains in stage 3.
	samples, err := model.Sample(data.OmegaBar[:n*n], 16, 1, "euler", 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(samples) == 16*n*n)

	if err := model.Save("closure.ckpt"); err != nil {
		fmt.Println(err)
	}
}
