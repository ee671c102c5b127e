package studies_test

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/studies"
)

// Example runs the oracle LES check on a short trajectory of the tiny preset.
func Example() {
	p, err := preset.Get("tiny")
	if err != nil {
		panic(err)
	}
	tr, err := studies.RunTrajectory(p, studies.TrajectoryConfig{SpinUp: 2, Interval: 1, Snapshots: 1})
	if err != nil {
		panic(err)
	}
	r, err := studies.OracleLES(p, tr, studies.OracleConfig{Duration: 1, Interval: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("oracle LES at round-off: %v\n", r.Oracle[0] < 1e-10)
	fmt.Printf("LES without closure off by more than 1%%: %v\n", r.NoClosure[0] > 0.01)
	// Output:
	// oracle LES at round-off: true
	// LES without closure off by more than 1%: true
}
