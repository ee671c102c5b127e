package dataset

import (
	"fmt"
	"math"
	"sort"
)

// Split names the part of a data set that a trajectory belongs to.
type Split string

// The three splits, in the order in which AssignSplits fills them.
const (
	SplitTrain      Split = "train"
	SplitValidation Split = "validation"
	SplitTest       Split = "test"
)

// Splits lists the valid splits in a fixed order.
var Splits = []Split{SplitTrain, SplitValidation, SplitTest}

func (s Split) valid() bool {
	return s == SplitTrain || s == SplitValidation || s == SplitTest
}

// SplitConfig sets how trajectories are divided into splits. The fractions
// are shares of the number of trajectories, each in [0, 1], summing to 1
// within fractionTolerance. Seed fixes the random assignment.
type SplitConfig struct {
	Seed       uint64  `json:"seed"`
	Train      float64 `json:"train"`
	Validation float64 `json:"validation"`
	Test       float64 `json:"test"`
}

// fractionTolerance is the allowed deviation of the sum of the split
// fractions from 1, which leaves room for decimal fractions such as 0.7+0.2+0.1.
const fractionTolerance = 1e-9

// Validate returns an error naming the fraction that is negative, above 1 or
// not finite, or the sum when it differs from 1.
func (c SplitConfig) Validate() error {
	fractions := []struct {
		name  string
		value float64
	}{{"train", c.Train}, {"validation", c.Validation}, {"test", c.Test}}

	for _, f := range fractions {
		if math.IsNaN(f.value) || f.value < 0 || f.value > 1 {
			return fmt.Errorf("dataset: split fraction %s=%v must be in [0, 1]", f.name, f.value)
		}
	}

	sum := c.Train + c.Validation + c.Test
	if math.Abs(sum-1) > fractionTolerance {
		return fmt.Errorf("dataset: split fractions train=%v validation=%v test=%v sum to %v; they must sum to 1",
			c.Train, c.Validation, c.Test, sum)
	}
	return nil
}

// AssignSplits returns the split of each of numTrajectories trajectories,
// indexed by trajectory. The counts per split follow the fractions by the
// largest-remainder method, so they sum to numTrajectories and each differs
// from fraction*numTrajectories by less than 1. Which trajectories go to which
// split is a random permutation drawn from cfg.Seed with SplitMix64, so the
// result depends only on cfg and numTrajectories, on every platform and Go
// release. It returns an error when cfg is invalid or numTrajectories < 0.
//
// Reference: G. L. Steele, D. Lea, C. H. Flood, "Fast splittable pseudorandom
// number generators", OOPSLA 2014 (SplitMix64).
func AssignSplits(numTrajectories int, cfg SplitConfig) ([]Split, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if numTrajectories < 0 {
		return nil, fmt.Errorf("dataset: number of trajectories %d must not be negative", numTrajectories)
	}

	counts := splitCounts(numTrajectories, []float64{cfg.Train, cfg.Validation, cfg.Test})

	order := make([]int, numTrajectories)
	keys := make([]uint64, numTrajectories)
	state := cfg.Seed
	for k := range order {
		order[k] = k
		keys[k] = splitMix64(&state)
	}
	sort.SliceStable(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })

	splits := make([]Split, numTrajectories)
	position := 0
	for s, count := range counts {
		for range count {
			splits[order[position]] = Splits[s]
			position++
		}
	}
	return splits, nil
}

// splitCounts divides total by the largest-remainder method. Ties go to the
// earlier split.
func splitCounts(total int, fractions []float64) []int {
	counts := make([]int, len(fractions))
	remainders := make([]float64, len(fractions))
	assigned := 0
	for s, f := range fractions {
		exact := f * float64(total)
		counts[s] = int(math.Floor(exact))
		remainders[s] = exact - float64(counts[s])
		assigned += counts[s]
	}

	order := []int{0, 1, 2}[:len(fractions)]
	sort.SliceStable(order, func(a, b int) bool { return remainders[order[a]] > remainders[order[b]] })
	for i := 0; assigned < total; i++ {
		counts[order[i%len(order)]]++
		assigned++
	}
	return counts
}

// splitMix64 advances state and returns the next SplitMix64 output.
func splitMix64(state *uint64) uint64 {
	*state += 0x9e3779b97f4a7c15
	z := *state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
