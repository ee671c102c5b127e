package topology_test

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/topology"
)

// The Rips diagrams of 60 evenly spaced points on the unit circle have one
// component and one loop, which dies at √3.
func ExampleRips() {
	points := make([][]float64, 60)
	for i := range points {
		angle := 2 * math.Pi * float64(i) / 60
		points[i] = []float64{math.Cos(angle), math.Sin(angle)}
	}

	diagrams, err := topology.Rips(points, topology.RipsOptions{})
	if err != nil {
		panic(err)
	}

	loop := diagrams[1].MostPersistent(1)[0]
	fmt.Printf("loop born at %.4f, dies at %.4f\n", loop.Birth, loop.Death)
	fmt.Println("Betti numbers at 1.0:", topology.BettiNumbers(diagrams, 1.0))
	// Output:
	// loop born at 0.1047, dies at 1.7321
	// Betti numbers at 1.0: [1 1]
}

// The bottleneck distance between a diagram and the empty one is half the
// largest persistence, the cost of moving each point to the diagonal.
func ExampleBottleneck() {
	a := topology.Diagram{Dim: 1, Pairs: []topology.Pair{{Birth: 1, Death: 4}, {Birth: 2, Death: 2.5}}}
	b := topology.Diagram{Dim: 1}

	d, err := topology.Bottleneck(a, b)
	if err != nil {
		panic(err)
	}
	fmt.Println(d)
	// Output: 1.5
}
