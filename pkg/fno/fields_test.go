package fno

import (
	"strings"
	"testing"
)

func TestFieldPairsCount(t *testing.T) {
	t.Parallel()
	field := make([]float32, 3*4*4)
	cases := []struct {
		name  string
		pairs FieldPairs
		want  int    // expected count, 0 for an error
		error string // expected part of the error message
	}{
		{"three fields", FieldPairs{OmegaBar: field, H: field, N: 4}, 3, ""},
		{"other grid", FieldPairs{OmegaBar: field, H: field, N: 8}, 0, "N=8 differs"},
		{"partial field", FieldPairs{OmegaBar: field[:20], H: field[:20], N: 4}, 0, "S fields of 16 values"},
		{"unequal counts", FieldPairs{OmegaBar: field[:16], H: field, N: 4}, 0, "got 16 and 48"},
		{"empty", FieldPairs{N: 4}, 0, "S fields"},
	}
	for _, tc := range cases {
		got, err := tc.pairs.Count("model", 4)
		if tc.error == "" {
			if err != nil || got != tc.want {
				t.Errorf("%s: Count = %d, %v; want %d", tc.name, got, err, tc.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.error) || !strings.HasPrefix(err.Error(), "model: ") {
			t.Errorf("%s: error %v, want one starting with \"model: \" and containing %q", tc.name, err, tc.error)
		}
	}
}
