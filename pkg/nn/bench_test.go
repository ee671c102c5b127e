package nn

import (
	"math/rand/v2"
	"strconv"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph" //nolint:staticcheck // GoMLX graph code reads best with the dot import.
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// BenchmarkDotGradient compares the value and both gradients of a [64, 256] x [256, 256]
// product computed with FastDot and with GoMLX's default DotGeneral gradient (Einsum).
func BenchmarkDotGradient(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := tensors.FromFlatDataAndDimensions(randomFloats(rng, 64*256), 64, 256)
	w := tensors.FromFlatDataAndDimensions(randomFloats(rng, 256*256), 256, 256)
	for _, tc := range []struct {
		name string
		dot  func(x, w *Node) *Node
	}{
		{"fast", FastDot},
		{"einsum", func(x, w *Node) *Node { return Einsum("bk,km->bm", x, w) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			exec, err := NewExec(testBackend(), func(x, w *Node) []*Node {
				loss := ReduceAllSum(Tanh(tc.dot(x, w)))
				return Gradient(loss, x, w)
			})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := exec.Exec(x, w); err != nil { // compile
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := exec.Exec(x, w); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkToModes times the forward truncated DFT of 64 fields.
func BenchmarkToModes(b *testing.B) {
	for _, tc := range []struct{ n, m int }{{16, 7}, {32, 8}} {
		rng := rand.New(rand.NewPCG(1, 1))
		fields := tensors.FromFlatDataAndDimensions(randomFloats(rng, 64*tc.n*tc.n), 64, tc.n, tc.n)
		b.Run("n="+strconv.Itoa(tc.n), func(b *testing.B) {
			exec, err := NewExec(testBackend(), func(x *Node) *Node { return ToModes(x, tc.m) })
			if err != nil {
				b.Fatal(err)
			}
			for range b.N {
				if _, err := exec.Exec(fields); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
