package plots_test

import (
	"bytes"
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/plots"
)

// A vorticity field drawn as a heat map; PNG returns the bytes a notebook
// displays, and Save writes a file by extension.
func ExampleFieldImage() {
	const n = 32
	omega := make([]float64, n*n)
	for i := range n {
		for j := range n {
			x, y := 2*math.Pi*float64(j)/n, 2*math.Pi*float64(i)/n
			omega[i*n+j] = math.Sin(4*y) + 0.3*math.Cos(x)
		}
	}

	fig, err := plots.FieldImage(omega, n, plots.FieldOptions{Title: "vorticity", Label: "ω"})
	if err != nil {
		panic(err)
	}
	png, err := fig.PNG()
	if err != nil {
		panic(err)
	}
	fmt.Println(bytes.HasPrefix(png, []byte("\x89PNG")))
	// Output: true
}
