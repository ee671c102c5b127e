package latentfm

import (
	"math"
	"testing"
)

// toyStatistics returns, per condition value s, the mean and standard deviation of the sin(y)
// and cos(x+y) coefficients of members samples from flow with the given solver.
func toyStatistics(t *testing.T, model *Model, flow Flow, conditions []float64, members, steps int, solver string) (sinMean, sinStd, cosMean, cosStd []float64) {
	t.Helper()
	var omegaBar []float32
	for _, s := range conditions {
		omegaBar = append(omegaBar, toyCondition(s, 0.5)...)
	}
	samples, err := model.SampleFlow(flow, omegaBar, members, steps, solver, 3)
	if err != nil {
		t.Fatal(err)
	}

	fieldSize := toyN * toyN
	for b := range conditions {
		var sinValues, cosValues []float64
		for member := range members {
			start := (b*members + member) * fieldSize
			sinY, cosXY := coefficients(samples[start : start+fieldSize])
			sinValues = append(sinValues, sinY)
			cosValues = append(cosValues, cosXY)
		}
		m, s := meanStd(sinValues)
		sinMean, sinStd = append(sinMean, m), append(sinStd, s)
		m, s = meanStd(cosValues)
		cosMean, cosStd = append(cosMean, m), append(cosStd, s)
	}
	return sinMean, sinStd, cosMean, cosStd
}

func TestReflowOneStepMatchesToyConditional(t *testing.T) {
	t.Parallel()
	const (
		members = 400
		// The same tolerances as the RK4 test of the teacher: one Euler step of the reflow
		// student must keep both the conditional mean and the spread of ε.
		meanTolerance   = 0.15
		spreadTolerance = 0.12
		maxSinSpread    = 0.15
	)
	model, err := trainedToyModel()
	if err != nil {
		t.Fatal(err)
	}
	if !model.HasStudent() {
		t.Fatal("the toy model has no reflow student")
	}

	conditions := []float64{-0.8, 0, 0.6}
	sinMean, sinStd, cosMean, cosStd := toyStatistics(t, model, FlowAuto, conditions, members, 1, "euler")
	for b, s := range conditions {
		t.Logf("student, 1 Euler step, s=%+.1f: sin(y) %.3f ± %.3f (want %.3f ± 0), cos(x+y) %.3f ± %.3f (want 0 ± %.2f)", s, sinMean[b], sinStd[b], 2*s, cosMean[b], cosStd[b], toyNoise)
		if math.Abs(sinMean[b]-2*s) > meanTolerance {
			t.Errorf("s=%g: mean sin(y) coefficient %.3f, want %.3f ± %g", s, sinMean[b], 2*s, meanTolerance)
		}
		if sinStd[b] > maxSinSpread {
			t.Errorf("s=%g: sin(y) coefficient spread %.3f, want below %g", s, sinStd[b], maxSinSpread)
		}
		if math.Abs(cosMean[b]) > meanTolerance {
			t.Errorf("s=%g: mean cos(x+y) coefficient %.3f, want 0 ± %g", s, cosMean[b], meanTolerance)
		}
		if math.Abs(cosStd[b]-toyNoise) > spreadTolerance {
			t.Errorf("s=%g: cos(x+y) coefficient spread %.3f at 1 NFE, want %g ± %g", s, cosStd[b], toyNoise, spreadTolerance)
		}
	}
}

// TestToyStepCountTable logs the errors of teacher and student at several step counts, the
// numbers behind the single-step claim. Its only check is that the student's 1-step spread
// error is below the teacher's.
func TestToyStepCountTable(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the table is a measurement; TestReflowOneStepMatchesToyConditional checks 1 NFE in short mode")
	}
	const members = 400
	model, err := trainedToyModel()
	if err != nil {
		t.Fatal(err)
	}
	conditions := []float64{-0.8, 0, 0.6}
	spreadError := map[Flow]float64{}
	for _, flow := range []Flow{FlowTeacher, FlowStudent} {
		for _, run := range []struct {
			steps  int
			solver string
		}{{1, "euler"}, {2, "euler"}, {4, "euler"}, {8, "heun"}, {10, "rk4"}} {
			sinMean, _, cosMean, cosStd := toyStatistics(t, model, flow, conditions, members, run.steps, run.solver)
			var meanError, spread float64
			for b, s := range conditions {
				meanError = math.Max(meanError, math.Max(math.Abs(sinMean[b]-2*s), math.Abs(cosMean[b])))
				spread = math.Max(spread, math.Abs(cosStd[b]-toyNoise))
			}
			t.Logf("%-7s %2d %-5s: max |mean error| %.3f, max |cos(x+y) spread − %.1f| %.3f", flow, run.steps, run.solver, meanError, toyNoise, spread)
			if run.steps == 1 {
				spreadError[flow] = spread
			}
		}
	}
	if spreadError[FlowStudent] >= spreadError[FlowTeacher] {
		t.Errorf("1-step spread error: student %.3f, teacher %.3f; reflow should lower it", spreadError[FlowStudent], spreadError[FlowTeacher])
	}
}
