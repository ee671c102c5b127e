package dataset

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestSplitMix64ReferenceOutput(t *testing.T) {
	t.Parallel()
	// First outputs of SplitMix64 from state 0, as printed by the reference
	// C implementation splitmix64.c of Vigna's xoshiro page.
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	var state uint64
	for i, w := range want {
		if got := splitMix64(&state); got != w {
			t.Errorf("output %d = %#x, want %#x", i, got, w)
		}
	}
}

func TestAssignSplitsDeterministicDisjointCovering(t *testing.T) {
	t.Parallel()
	const numTrajectories = 100
	cfg := SplitConfig{Seed: 2024, Train: 0.7, Validation: 0.2, Test: 0.1}

	first, err := AssignSplits(numTrajectories, cfg)
	if err != nil {
		t.Fatal(err)
	}
	second, err := AssignSplits(numTrajectories, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first, second) {
		t.Error("two calls with the same seed gave different splits")
	}

	counts := map[Split]int{}
	for k, s := range first {
		if !s.valid() {
			t.Errorf("trajectory %d has split %q", k, s)
		}
		counts[s]++
	}
	if counts[SplitTrain] != 70 || counts[SplitValidation] != 20 || counts[SplitTest] != 10 {
		t.Errorf("split counts %v, want train 70 validation 20 test 10", counts)
	}

	other := cfg
	other.Seed = 2025
	reseeded, err := AssignSplits(numTrajectories, other)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(first, reseeded) {
		t.Error("seeds 2024 and 2025 gave the same assignment")
	}

	// The assignment is random, not the first 70 indices for training.
	if slices.Equal(first[:70], slices.Repeat([]Split{SplitTrain}, 70)) {
		t.Error("the first 70 trajectories are all in train, so the assignment is not shuffled")
	}
}

func TestAssignSplitsIsPinned(t *testing.T) {
	t.Parallel()
	// A change of this assignment silently moves trajectories between
	// splits of existing data sets, so it is pinned.
	got, err := AssignSplits(8, SplitConfig{Seed: 1, Train: 0.5, Validation: 0.25, Test: 0.25})
	if err != nil {
		t.Fatal(err)
	}
	want := []Split{SplitTrain, SplitValidation, SplitTest, SplitTrain, SplitTrain, SplitValidation, SplitTest, SplitTrain}
	if !slices.Equal(got, want) {
		t.Errorf("AssignSplits(8, seed 1) = %v, want %v", got, want)
	}
}

func TestSplitCountsLargestRemainder(t *testing.T) {
	t.Parallel()
	cases := []struct {
		total     int
		fractions []float64
		want      []int
	}{
		{10, []float64{0.7, 0.2, 0.1}, []int{7, 2, 1}},
		{3, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, []int{1, 1, 1}},
		{5, []float64{0.5, 0.5, 0}, []int{3, 2, 0}},
		{7, []float64{0.8, 0.1, 0.1}, []int{5, 1, 1}},
		{1, []float64{0.8, 0.1, 0.1}, []int{1, 0, 0}},
		{0, []float64{0.8, 0.1, 0.1}, []int{0, 0, 0}},
		{4, []float64{0, 0, 1}, []int{0, 0, 4}},
	}
	for _, c := range cases {
		if got := splitCounts(c.total, c.fractions); !slices.Equal(got, c.want) {
			t.Errorf("splitCounts(%d, %v) = %v, want %v", c.total, c.fractions, got, c.want)
		}
	}
}

func TestSplitConfigValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		cfg  SplitConfig
		want string // "" for valid
	}{
		{SplitConfig{Train: 0.7, Validation: 0.2, Test: 0.1}, ""},
		{SplitConfig{Train: 1}, ""},
		{SplitConfig{Train: 0.8, Validation: 0.3, Test: -0.1}, "test=-0.1"},
		{SplitConfig{Train: 0.8, Validation: 0.1, Test: 0.2}, "sum to"},
		{SplitConfig{Train: math.NaN(), Validation: 0.5, Test: 0.5}, "train=NaN"},
		{SplitConfig{Train: 1.5, Validation: -0.5}, "train=1.5"},
	}
	for _, c := range cases {
		err := c.cfg.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("Validate(%+v) = %v, want nil", c.cfg, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("Validate(%+v) = %v, want an error containing %q", c.cfg, err, c.want)
		}
	}
}

func TestParseShard(t *testing.T) {
	t.Parallel()
	cases := []struct {
		spec string
		want Shard
		ok   bool
	}{
		{"3/8", Shard{Index: 3, Count: 8}, true},
		{"0/1", Shard{Index: 0, Count: 1}, true},
		{"7/8", Shard{Index: 7, Count: 8}, true},
		{" 2/4 ", Shard{Index: 2, Count: 4}, true},
		{"8/8", Shard{}, false},
		{"0/0", Shard{}, false},
		{"-1/4", Shard{}, false},
		{"1/-4", Shard{}, false},
		{"3", Shard{}, false},
		{"a/b", Shard{}, false},
		{"1/2/3", Shard{}, false},
		{"", Shard{}, false},
	}
	for _, c := range cases {
		got, err := ParseShard(c.spec)
		if c.ok {
			if err != nil || got != c.want {
				t.Errorf("ParseShard(%q) = %v, %v; want %v", c.spec, got, err, c.want)
			}
			continue
		}
		if !errors.Is(err, ErrShardSpec) {
			t.Errorf("ParseShard(%q) error %v does not wrap ErrShardSpec", c.spec, err)
		}
		if err != nil && !strings.Contains(err.Error(), `"`+c.spec+`"`) {
			t.Errorf("ParseShard(%q) error %q does not name the value", c.spec, err)
		}
	}
}

func TestShardIndicesPartition(t *testing.T) {
	t.Parallel()
	const total = 10
	for count := 1; count <= 12; count++ {
		owner := make([]int, total)
		for i := range owner {
			owner[i] = -1
		}
		for index := range count {
			shard := Shard{Index: index, Count: count}
			for _, k := range shard.Indices(total) {
				if owner[k] >= 0 {
					t.Errorf("count %d: trajectory %d in shards %d and %d", count, k, owner[k], index)
				}
				owner[k] = index
				if !shard.Contains(k) {
					t.Errorf("shard %s lists %d but Contains(%d) is false", shard, k, k)
				}
			}
		}
		if slices.Contains(owner, -1) {
			t.Errorf("count %d: some trajectory has no shard: %v", count, owner)
		}
	}
	if got := (Shard{}).Indices(3); !slices.Equal(got, []int{0, 1, 2}) {
		t.Errorf("zero Shard indices = %v, want all", got)
	}
}

func TestShardTextRoundTrip(t *testing.T) {
	t.Parallel()
	shard := Shard{Index: 3, Count: 8}
	text, err := shard.MarshalText()
	if err != nil || string(text) != "3/8" {
		t.Fatalf("MarshalText = %q, %v; want 3/8", text, err)
	}
	var back Shard
	if err := back.UnmarshalText(text); err != nil || back != shard {
		t.Errorf("UnmarshalText(%q) = %v, %v; want %v", text, back, err, shard)
	}
}
