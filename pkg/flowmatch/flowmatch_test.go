package flowmatch

import (
	"math"
	"math/rand/v2"
	"testing"
)

// integrateScalar integrates dx/dt = f(t, x) for the given initial values over [0, 1].
func integrateScalar(t *testing.T, solver Solver, f func(t, x float64) float64, initial []float32, steps int) []float32 {
	t.Helper()
	x := append([]float32{}, initial...)
	velocity := func(time float64, state, dst []float32) error {
		for i := range state {
			dst[i] = float32(f(time, float64(state[i])))
		}
		return nil
	}
	if err := Integrate(solver, velocity, x, UniformGrid(0, 1, steps)); err != nil {
		t.Fatalf("Integrate(%s): %v", solver, err)
	}
	return x
}

// maxError returns max_i |x_i − exact(initial_i)|.
func maxError(x, initial []float32, exact func(x0 float64) float64) float64 {
	worst := 0.0
	for i := range x {
		worst = math.Max(worst, math.Abs(float64(x[i])-exact(float64(initial[i]))))
	}
	return worst
}

// fitSlope returns the least-squares slope of log(errors) against log(steps sizes).
func fitSlope(stepSizes, errors []float64) float64 {
	var meanX, meanY float64
	for k := range stepSizes {
		meanX += math.Log(stepSizes[k]) / float64(len(stepSizes))
		meanY += math.Log(errors[k]) / float64(len(stepSizes))
	}
	var covariance, variance float64
	for k := range stepSizes {
		dx := math.Log(stepSizes[k]) - meanX
		covariance += dx * (math.Log(errors[k]) - meanY)
		variance += dx * dx
	}
	return covariance / variance
}

func TestSolverOrderLinearInX(t *testing.T) {
	t.Parallel()
	const (
		rate           = 2.0 // dx/dt = rate·x, exact x(1) = x0·e^rate
		slopeTolerance = 0.3
	)
	initial := []float32{1, -0.5, 0.25}
	cases := []struct {
		solver Solver
		order  float64
		steps  []int // chosen so that errors stay well above float32 rounding
	}{
		{Euler, 1, []int{16, 32, 64, 128}},
		{Midpoint, 2, []int{8, 16, 32, 64}},
		{Heun, 2, []int{8, 16, 32, 64}},
		{RK4, 4, []int{4, 8, 16}},
	}
	for _, tc := range cases {
		var stepSizes, errors []float64
		for _, steps := range tc.steps {
			x := integrateScalar(t, tc.solver, func(_, x float64) float64 { return rate * x }, initial, steps)
			stepSizes = append(stepSizes, 1/float64(steps))
			errors = append(errors, maxError(x, initial, func(x0 float64) float64 { return x0 * math.Exp(rate) }))
		}
		slope := fitSlope(stepSizes, errors)
		t.Logf("%s: measured order %.2f", tc.solver, slope)
		if math.Abs(slope-tc.order) > slopeTolerance {
			t.Errorf("%s: error slope %.2f (errors %v), want order %.0f ± %.1f", tc.solver, slope, errors, tc.order, slopeTolerance)
		}
	}
}

func TestSolverLinearInTime(t *testing.T) {
	t.Parallel()
	const (
		exactTolerance = 1e-5 // midpoint, Heun and RK4 integrate a velocity linear in t exactly
		slopeTolerance = 0.1
	)
	initial := []float32{0, 1.5}
	velocity := func(time, _ float64) float64 { return 1 + 3*time }
	exact := func(x0 float64) float64 { return x0 + 1 + 1.5 }

	for _, solver := range []Solver{Midpoint, Heun, RK4} {
		x := integrateScalar(t, solver, velocity, initial, 3)
		if err := maxError(x, initial, exact); err > exactTolerance {
			t.Errorf("%s: error %g for a velocity linear in t, want below %g", solver, err, exactTolerance)
		}
	}

	var stepSizes, errors []float64
	for _, steps := range []int{4, 8, 16, 32} {
		x := integrateScalar(t, Euler, velocity, initial, steps)
		stepSizes = append(stepSizes, 1/float64(steps))
		errors = append(errors, maxError(x, initial, exact))
	}
	if slope := fitSlope(stepSizes, errors); math.Abs(slope-1) > slopeTolerance {
		t.Errorf("euler: error slope %.2f for a velocity linear in t, want 1 ± %.1f", slope, slopeTolerance)
	}
}

func TestSolverConstantVelocityExact(t *testing.T) {
	t.Parallel()
	const tolerance = 1e-6
	initial := []float32{-1, 0, 2}
	for _, solver := range Solvers {
		x := integrateScalar(t, solver, func(_, _ float64) float64 { return -0.75 }, initial, 1)
		if err := maxError(x, initial, func(x0 float64) float64 { return x0 - 0.75 }); err > tolerance {
			t.Errorf("%s: error %g for a constant velocity, want below %g", solver, err, tolerance)
		}
	}
}

// gaussianVelocity is the exact flow-matching velocity for x0 ~ N(0, 1) and x1 ~ N(mean, std²)
// coupled independently: the marginal at time t is N(t·mean, σ_t²) with
// σ_t² = (1−t)² + t²·std², and v(t, x) = (t·std² − (1−t))/σ_t² · (x − t·mean) + mean.
func gaussianVelocity(mean, std float64) Velocity {
	return func(t float64, x, dst []float32) error {
		variance := (1-t)*(1-t) + t*t*std*std
		gain := (t*std*std - (1 - t)) / variance
		for i := range x {
			dst[i] = float32(gain*(float64(x[i])-t*mean) + mean)
		}
		return nil
	}
}

func TestGaussianToGaussianTransport(t *testing.T) {
	t.Parallel()
	const (
		mean, std = 2.0, 0.5
		samples   = 4000
		// The exact flow maps x0 to mean + std·x0, so the sample moments differ from (mean, std²)
		// only by sampling error: std/√samples ≈ 0.008 for the mean and std²·√(2/samples) ≈ 0.006
		// for the variance. The tolerances are 4 such standard errors plus the solver error.
		momentTolerance = 0.04
	)
	rng := rand.New(rand.NewPCG(11, 12))
	source := make([]float32, samples)
	SampleSource(rng, source)

	cases := []struct {
		solver       Solver
		steps        int
		mapTolerance float64 // max |x(1) − (mean + std·x0)| over samples
	}{
		{Euler, 200, 0.05},
		{Midpoint, 20, 0.02},
		{Heun, 20, 0.02},
		{RK4, 10, 1e-3},
	}
	for _, tc := range cases {
		x := append([]float32{}, source...)
		if err := Integrate(tc.solver, gaussianVelocity(mean, std), x, UniformGrid(0, 1, tc.steps)); err != nil {
			t.Fatal(err)
		}

		if err := maxError(x, source, func(x0 float64) float64 { return mean + std*x0 }); err > tc.mapTolerance {
			t.Errorf("%s with %d steps: transport map error %g, want below %g", tc.solver, tc.steps, err, tc.mapTolerance)
		}
		sampleMean, sampleVariance := moments(x)
		if math.Abs(sampleMean-mean) > momentTolerance {
			t.Errorf("%s: sample mean %g, want %g ± %g", tc.solver, sampleMean, mean, momentTolerance)
		}
		if math.Abs(sampleVariance-std*std) > momentTolerance {
			t.Errorf("%s: sample variance %g, want %g ± %g", tc.solver, sampleVariance, std*std, momentTolerance)
		}
	}
}

func moments(x []float32) (mean, variance float64) {
	for _, value := range x {
		mean += float64(value) / float64(len(x))
	}
	for _, value := range x {
		variance += (float64(value) - mean) * (float64(value) - mean) / float64(len(x)-1)
	}
	return mean, variance
}

func TestInterpolantAndTarget(t *testing.T) {
	t.Parallel()
	x0 := []float32{1, 2, 3, 4}
	x1 := []float32{5, 6, 7, 8}
	xt := make([]float32, 4)
	if err := Interpolant(xt, x0, x1, []float32{0.25, 1}); err != nil {
		t.Fatal(err)
	}
	want := []float32{2, 3, 7, 8}
	for i := range want {
		if xt[i] != want[i] {
			t.Errorf("x_t[%d] = %g, want %g", i, xt[i], want[i])
		}
	}

	target := make([]float32, 4)
	if err := TargetVelocity(target, x0, x1); err != nil {
		t.Fatal(err)
	}
	for i := range target {
		if target[i] != 4 {
			t.Errorf("target[%d] = %g, want 4", i, target[i])
		}
	}
	if err := Interpolant(xt, x0, x1, []float32{0.1, 0.2, 0.3}); err == nil {
		t.Error("Interpolant accepted 3 times for a state of length 4")
	}
}

func TestParseSolverRejectsUnknown(t *testing.T) {
	t.Parallel()
	if _, err := ParseSolver("rk45"); err == nil {
		t.Error(`ParseSolver("rk45") returned no error`)
	}
	if solver, err := ParseSolver("heun"); err != nil || solver != Heun {
		t.Errorf(`ParseSolver("heun") = %q, %v`, solver, err)
	}
}
