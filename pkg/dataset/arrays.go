package dataset

import (
	"fmt"
	"regexp"
	"slices"
)

// Trajectory is the data of one trajectory, as passed to Writer.Add and
// returned by Dataset.ReadTrajectory. T = len(Time) is the number of
// snapshots, and every array has leading dimension T.
type Trajectory struct {
	Index    int       // trajectory index in [0, NumTrajectories)
	Time     []float64 // [T] simulation time of each snapshot
	OmegaBar []float32 // [T, n, n] filtered vorticity, row-major
	Closure  []float32 // [T, n, n] closure term H, row-major

	// Extra contains the arrays declared in Config.ExtraArrays, keyed by
	// name: a []float32 or []float64 (matching ArraySpec.DType) of length
	// T*product(SnapshotShape).
	Extra map[string]any
}

// arrayNamePattern restricts array names to identifiers, which are valid
// zip entry names and Python attribute names.
var arrayNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// standardArrays returns the specs of the arrays that every file contains.
func standardArrays(n int) []ArraySpec {
	return []ArraySpec{
		{Name: ArrayOmegaBar, DType: Float32, SnapshotShape: []int{n, n}},
		{Name: ArrayClosure, DType: Float32, SnapshotShape: []int{n, n}},
		{Name: ArrayTime, DType: Float64, SnapshotShape: []int{}},
	}
}

// validateArrays checks that specs starts with the standard arrays for grid
// size n and that every extra array has a unique valid name, a supported
// dtype and positive snapshot dimensions.
func validateArrays(specs []ArraySpec, n int) error {
	standard := standardArrays(n)
	if len(specs) < len(standard) {
		return fmt.Errorf("array list has %d entries, expected at least the %d standard arrays", len(specs), len(standard))
	}
	for i, want := range standard {
		got := specs[i]
		if got.Name != want.Name || got.DType != want.DType || !slices.Equal(got.SnapshotShape, want.SnapshotShape) {
			return fmt.Errorf("array %d is %s %s %v, expected %s %s %v",
				i, got.Name, got.DType, got.SnapshotShape, want.Name, want.DType, want.SnapshotShape)
		}
	}
	return validateExtraArrays(specs[len(standard):])
}

func validateExtraArrays(extra []ArraySpec) error {
	seen := map[string]bool{ArrayOmegaBar: true, ArrayClosure: true, ArrayTime: true}
	for _, spec := range extra {
		if !arrayNamePattern.MatchString(spec.Name) {
			return fmt.Errorf("extra array name %q is invalid; use letters, digits and '_', not starting with a digit", spec.Name)
		}
		if seen[spec.Name] {
			return fmt.Errorf("array name %q is used twice or is a standard array; choose another name", spec.Name)
		}
		seen[spec.Name] = true

		if spec.DType != Float32 && spec.DType != Float64 {
			return fmt.Errorf("extra array %q has dtype %q; use %q or %q", spec.Name, spec.DType, Float32, Float64)
		}
		for _, d := range spec.SnapshotShape {
			if d <= 0 {
				return fmt.Errorf("extra array %q has snapshot shape %v; every dimension must be positive", spec.Name, spec.SnapshotShape)
			}
		}
	}
	return nil
}

// arraysOf checks the trajectory against the specs and returns its arrays
// in spec order with their full shapes.
func arraysOf(tr *Trajectory, specs []ArraySpec) ([]namedArray, error) {
	snapshots := len(tr.Time)
	if snapshots == 0 {
		return nil, fmt.Errorf("dataset: trajectory %d has no snapshots; pass at least one time and field", tr.Index)
	}

	values := map[string]any{ArrayOmegaBar: tr.OmegaBar, ArrayClosure: tr.Closure, ArrayTime: tr.Time}
	for name, data := range tr.Extra {
		if _, standard := values[name]; standard || !slices.ContainsFunc(specs, func(s ArraySpec) bool { return s.Name == name }) {
			return nil, fmt.Errorf("dataset: trajectory %d has undeclared extra array %q; declare it in Config.ExtraArrays",
				tr.Index, name)
		}
		values[name] = data
	}

	arrays := make([]namedArray, 0, len(specs))
	for _, spec := range specs {
		shape := append([]int{snapshots}, spec.SnapshotShape...)
		data, ok := values[spec.Name]
		if !ok {
			return nil, fmt.Errorf("dataset: trajectory %d lacks array %q declared in Config.ExtraArrays", tr.Index, spec.Name)
		}
		if err := checkLength(data, spec, shape); err != nil {
			return nil, fmt.Errorf("dataset: trajectory %d: %w", tr.Index, err)
		}
		arrays = append(arrays, namedArray{name: spec.Name, data: data, shape: shape})
	}
	return arrays, nil
}

func checkLength(data any, spec ArraySpec, shape []int) error {
	length := -1
	switch values := data.(type) {
	case []float32:
		if spec.DType == Float32 {
			length = len(values)
		}
	case []float64:
		if spec.DType == Float64 {
			length = len(values)
		}
	}
	if length < 0 {
		return fmt.Errorf("%w: array %q is %T, expected []%s", ErrShape, spec.Name, data, spec.DType)
	}
	if length != product(shape) {
		return fmt.Errorf("%w: array %q has %d elements, expected %d for shape %v (T from len(Time))",
			ErrShape, spec.Name, length, product(shape), shape)
	}
	return nil
}
