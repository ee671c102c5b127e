package solver_test

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/solver"
)

// The Taylor–Green vortex ω = 2 sin x sin y has no advection, so its kinetic
// energy decays as exp(−2(2ν + α)t) (energy is quadratic in ω).
func Example() {
	p := solver.Params{N: 32, L: 2 * math.Pi, Nu: 0.1, Alpha: 0, Dt: 0.01, Stepper: solver.StepperCNAB2}
	s, err := solver.New(p)
	if err != nil {
		fmt.Println(err)
		return
	}

	omega := make([]float64, p.N*p.N)
	for i := 0; i < p.N; i++ {
		for j := 0; j < p.N; j++ {
			x, y := float64(j)*p.L/float64(p.N), float64(i)*p.L/float64(p.N)
			omega[i*p.N+j] = 2 * math.Sin(x) * math.Sin(y)
		}
	}
	if err := s.SetVorticity(omega); err != nil {
		fmt.Println(err)
		return
	}

	e0 := s.KineticEnergy()
	err = s.Advance(1, 0.5, func(t float64, _ []float64) error {
		fmt.Printf("t=%.1f E/E0=%.6f exact=%.6f\n", t, s.KineticEnergy()/e0, math.Exp(-4*p.Nu*t))
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// t=0.5 E/E0=0.818731 exact=0.818731
	// t=1.0 E/E0=0.670320 exact=0.670320
}
