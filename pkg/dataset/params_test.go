package dataset

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestDiffManifestsNamesParameters(t *testing.T) {
	t.Parallel()
	existing := &Manifest{
		Params: json.RawMessage(`{"nu": 0.001, "grid": {"n_dns": 256, "dealias": true}, "seeds": [1, 2], "old": "x"}`),
		N:      64, Split: SplitConfig{Seed: 1, Train: 1}, Arrays: standardArrays(64),
	}
	requested := &Manifest{
		Params: json.RawMessage(`{"nu": 1e-3, "grid": {"n_dns": 128, "dealias": true}, "seeds": [1, 3], "new": 5}`),
		N:      64, Split: SplitConfig{Seed: 2, Train: 1}, Arrays: standardArrays(64),
	}

	diffs, err := diffManifests(existing, requested, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []ParamDiff{
		{Name: "params.grid.n_dns", Existing: "256", Requested: "128"},
		{Name: "params.new", Existing: absentValue, Requested: "5"},
		{Name: "params.old", Existing: `"x"`, Requested: absentValue},
		{Name: "params.seeds", Existing: "[1,2]", Requested: "[1,3]"},
		{Name: "split.seed", Existing: "1", Requested: "2"},
	}
	if !slices.Equal(diffs, want) {
		t.Errorf("diffs\n%+v\nwant\n%+v", diffs, want)
	}
}

func TestEncodeParamsRequiresObject(t *testing.T) {
	t.Parallel()
	if got, err := encodeParams(nil); err != nil || string(got) != "{}" {
		t.Errorf("encodeParams(nil) = %s, %v; want {}", got, err)
	}
	if _, err := encodeParams(map[string]float64{"nu": 1e-3}); err != nil {
		t.Errorf("encodeParams(map) = %v", err)
	}
	for _, bad := range []any{3.5, "nu", []int{1}, func() {}} {
		if _, err := encodeParams(bad); err == nil {
			t.Errorf("encodeParams(%T) succeeded, want an error", bad)
		}
	}
}
