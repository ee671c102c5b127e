package dataset

import (
	"fmt"
	"testing"
)

const benchSnapshots = 100

func benchTrajectory(n int) Trajectory {
	tr := Trajectory{
		Time:     make([]float64, benchSnapshots),
		OmegaBar: make([]float32, benchSnapshots*n*n),
		Closure:  make([]float32, benchSnapshots*n*n),
	}
	for i := range tr.OmegaBar {
		tr.OmegaBar[i] = float32(i%1013) * 0.01
		tr.Closure[i] = float32(i%977) * -0.02
	}
	for t := range tr.Time {
		tr.Time[t] = float64(t)
	}
	return tr
}

func benchConfig(n int) Config {
	return Config{N: n, NumTrajectories: 1, Split: SplitConfig{Train: 1}, CodeVersion: "bench"}
}

// BenchmarkAdd measures writing one trajectory of benchSnapshots snapshots,
// including the SHA-256, the fsync and the manifest rewrite.
func BenchmarkAdd(b *testing.B) {
	for _, n := range []int{64, 128} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			w, err := OpenWriter(b.TempDir(), benchConfig(n))
			if err != nil {
				b.Fatal(err)
			}
			tr := benchTrajectory(n)
			b.SetBytes(int64(8 * len(tr.OmegaBar))) // omega_bar and closure, 4 bytes each
			for b.Loop() {
				if err := w.Add(tr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadTrajectory measures reading and verifying one trajectory.
func BenchmarkReadTrajectory(b *testing.B) {
	for _, n := range []int{64, 128} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			w, err := OpenWriter(dir, benchConfig(n))
			if err != nil {
				b.Fatal(err)
			}
			tr := benchTrajectory(n)
			if err := w.Add(tr); err != nil {
				b.Fatal(err)
			}
			d, err := Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(8 * len(tr.OmegaBar))) // omega_bar and closure, 4 bytes each
			for b.Loop() {
				if _, err := d.ReadTrajectory(0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
