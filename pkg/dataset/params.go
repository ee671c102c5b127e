package dataset

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
)

const absentValue = "<absent>"

// encodeParams marshals the caller's parameters and checks that they form a
// JSON object. nil gives an empty object.
func encodeParams(params any) (json.RawMessage, error) {
	if params == nil {
		return json.RawMessage("{}"), nil
	}

	data, err := json.Marshal(params)
	if err != nil {
		return nil, fmt.Errorf("dataset: encode generation parameters %T as JSON: %w", params, err)
	}
	if len(data) == 0 || data[0] != '{' {
		return nil, fmt.Errorf("dataset: generation parameters %T encode to %.40s, expected a JSON object; pass a struct or map",
			params, data)
	}
	return data, nil
}

// diffManifests lists the generation settings that differ between an
// existing manifest and a requested one: the parameter object, the grid
// size, the trajectory count, the split, the shard when compareShard is set,
// and the array declarations.
func diffManifests(existing, requested *Manifest, compareShard bool) ([]ParamDiff, error) {
	var diffs []ParamDiff
	add := func(name string, a, b any) {
		textA, textB := jsonText(a), jsonText(b)
		if textA != textB {
			diffs = append(diffs, ParamDiff{Name: name, Existing: textA, Requested: textB})
		}
	}

	var paramsA, paramsB any
	if err := decodeNumbers(existing.Params, &paramsA); err != nil {
		return nil, err
	}
	if err := decodeNumbers(requested.Params, &paramsB); err != nil {
		return nil, err
	}
	diffJSON("params", paramsA, paramsB, &diffs)

	add("n", existing.N, requested.N)
	add("num_trajectories", existing.NumTrajectories, requested.NumTrajectories)
	add("split.seed", existing.Split.Seed, requested.Split.Seed)
	add("split.train", existing.Split.Train, requested.Split.Train)
	add("split.validation", existing.Split.Validation, requested.Split.Validation)
	add("split.test", existing.Split.Test, requested.Split.Test)
	if compareShard {
		add("shard", existing.Shard, requested.Shard)
	}
	add("arrays", existing.Arrays, requested.Arrays)
	return diffs, nil
}

func decodeNumbers(data json.RawMessage, out *any) error {
	decoder := json.NewDecoder(bytes.NewReader(data))
	decoder.UseNumber()
	if err := decoder.Decode(out); err != nil {
		return fmt.Errorf("dataset: decode generation parameters: %w", err)
	}
	return nil
}

// diffJSON compares two decoded JSON values and appends one ParamDiff per
// differing leaf, named by its dotted path.
func diffJSON(path string, a, b any, diffs *[]ParamDiff) {
	objectA, isObjectA := a.(map[string]any)
	objectB, isObjectB := b.(map[string]any)
	if isObjectA && isObjectB {
		keys := make([]string, 0, len(objectA)+len(objectB))
		for k := range objectA {
			keys = append(keys, k)
		}
		for k := range objectB {
			if _, ok := objectA[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)

		for _, k := range keys {
			valueA, okA := objectA[k]
			valueB, okB := objectB[k]
			switch {
			case !okA:
				*diffs = append(*diffs, ParamDiff{Name: path + "." + k, Existing: absentValue, Requested: jsonText(valueB)})
			case !okB:
				*diffs = append(*diffs, ParamDiff{Name: path + "." + k, Existing: jsonText(valueA), Requested: absentValue})
			default:
				diffJSON(path+"."+k, valueA, valueB, diffs)
			}
		}
		return
	}

	if !equalJSON(a, b) {
		*diffs = append(*diffs, ParamDiff{Name: path, Existing: jsonText(a), Requested: jsonText(b)})
	}
}

// equalJSON compares decoded JSON values, numbers by value.
func equalJSON(a, b any) bool {
	numberA, isNumberA := a.(json.Number)
	numberB, isNumberB := b.(json.Number)
	if isNumberA && isNumberB {
		if numberA == numberB {
			return true
		}
		floatA, errA := strconv.ParseFloat(string(numberA), 64)
		floatB, errB := strconv.ParseFloat(string(numberB), 64)
		return errA == nil && errB == nil && floatA == floatB
	}

	arrayA, isArrayA := a.([]any)
	arrayB, isArrayB := b.([]any)
	if isArrayA && isArrayB {
		return slices.EqualFunc(arrayA, arrayB, equalJSON)
	}

	return jsonText(a) == jsonText(b)
}

func jsonText(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}
