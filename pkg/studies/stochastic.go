package studies

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"

	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/metrics"
	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/spectral"
)

// SpreadConfig selects the sub-filter perturbations of ClosureSpread. The zero
// value draws 8 members with fully randomized sub-filter phases (Amplitude 1)
// on 4 snapshots, seed 0.
type SpreadConfig struct {
	// Members is the number of perturbed DNS states per snapshot, >= 2; 0 means 8.
	Members int
	// Amplitude ε scales the perturbation: each sub-filter coefficient ω̂(k)
	// becomes ω̂(k)·(1 + ε(e^{iθ_k} − 1)). ε = 1 replaces its phase by the random
	// θ_k and keeps its modulus, so the energy spectrum is unchanged. 0 means 1.
	Amplitude float64
	// Snapshots is the number of trajectory snapshots used, spread evenly; 0 means 4.
	Snapshots int
	// Seed seeds the random phases.
	Seed uint64
}

// SpreadSample is the closure ensemble of one DNS state whose sub-filter
// modes were perturbed, on the LES grid of N x N points.
type SpreadSample struct {
	N int
	// Snapshot is the index of the trajectory snapshot perturbed by
	// ClosureSpread; SubfilterSpread leaves it 0.
	Snapshot int
	// OmegaBar and H are ω̄ and H of the unperturbed state. Members[m] is H
	// of perturbed state m.
	OmegaBar []float64
	H        []float64
	Members  [][]float64
	// Std is the per-point standard deviation of H over the members.
	Std []float64
	// OmegaBarChange is max_m ‖ω̄_m − ω̄‖∞/‖ω̄‖∞: zero up to round-off, because
	// the perturbation leaves the LES modes untouched.
	OmegaBarChange float64
	// SpreadRatio is the RMS spread sqrt(mean_p var_p(H)) divided by the rms of H.
	SpreadRatio float64
	// RelativeDifference is the mean over members of ‖H_m − H‖₂/‖H‖₂.
	RelativeDifference float64
	// SubfilterEnstrophy is the share of the enstrophy ½⟨ω²⟩ in the sub-filter modes.
	SubfilterEnstrophy float64
}

// SpreadResult is the outcome of ClosureSpread.
type SpreadResult struct {
	Samples []*SpreadSample
	// MeanSpreadRatio, MeanRelativeDifference and MaxOmegaBarChange summarize the samples.
	MeanSpreadRatio        float64
	MeanRelativeDifference float64
	MaxOmegaBarChange      float64
}

// ClosureSpread shows that H is not a function of ω̄. For snapshots of tr it
// perturbs only the DNS modes outside the LES band |kx|, |ky| <= N_LES/2 − 1
// (see SubfilterSpread), which leaves ω̄ exactly as it was, and measures how
// much H changes. It returns an error when tr has no snapshots or a setting
// is invalid.
func ClosureSpread(p preset.Preset, tr *Trajectory, cfg SpreadConfig) (*SpreadResult, error) {
	if len(tr.Snapshots) == 0 {
		return nil, fmt.Errorf("studies: trajectory of preset %q has no snapshots; run it with Snapshots > 0", tr.Preset)
	}
	c, err := NewCoarsener(p)
	if err != nil {
		return nil, err
	}
	count := cfg.Snapshots
	if count == 0 {
		count = 4
	}
	count = min(count, len(tr.Snapshots))

	res := &SpreadResult{}
	for i := range count {
		index := i * len(tr.Snapshots) / count
		sampleCfg := cfg
		sampleCfg.Seed = cfg.Seed*1_000_003 + uint64(i)
		s, err := SubfilterSpread(c, tr.Snapshots[index], sampleCfg)
		if err != nil {
			return nil, err
		}
		s.Snapshot = index
		res.Samples = append(res.Samples, s)
		res.MeanSpreadRatio += s.SpreadRatio / float64(count)
		res.MeanRelativeDifference += s.RelativeDifference / float64(count)
		res.MaxOmegaBarChange = math.Max(res.MaxOmegaBarChange, s.OmegaBarChange)
	}
	return res, nil
}

// SubfilterSpread perturbs the sub-filter modes of the DNS vorticity omega
// (length N*N) cfg.Members times with random phases (see SpreadConfig) and
// returns H of each perturbed state beside H of omega. All states share ω̄,
// so the spread of H measures how far the closure is from a function of ω̄.
// cfg.Snapshots is ignored. It returns an error on a wrong length or fewer
// than two members.
func SubfilterSpread(c *filter.Coarsener, omega []float64, cfg SpreadConfig) (*SpreadSample, error) {
	dns := c.DNSGrid()
	if len(omega) != dns.Size() {
		return nil, fmt.Errorf("studies: DNS field has length %d, want %d for the filter's %d² grid", len(omega), dns.Size(), dns.N)
	}
	members, amplitude := cfg.Members, cfg.Amplitude
	if members == 0 {
		members = 8
	}
	if amplitude == 0 {
		amplitude = 1
	}
	if members < 2 {
		return nil, fmt.Errorf("studies: spread needs at least 2 members, got %d", members)
	}

	n := c.LESGrid().N
	s := &SpreadSample{N: n, OmegaBar: make([]float64, n*n), H: make([]float64, n*n)}
	c.Closure(s.OmegaBar, s.H, omega)

	omegaHat := make([]complex128, dns.SpectralSize())
	dns.Forward(omegaHat, omega)
	s.SubfilterEnstrophy = subfilterShare(dns, omegaHat, n)

	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	perturbedHat := make([]complex128, len(omegaHat))
	perturbed := make([]float64, len(omega))
	bar := make([]float64, n*n)
	for range members {
		copy(perturbedHat, omegaHat)
		randomizeSubfilterPhases(dns.N, n, perturbedHat, amplitude, rng)
		dns.Inverse(perturbed, perturbedHat)

		h := make([]float64, n*n)
		c.Closure(bar, h, perturbed)
		s.Members = append(s.Members, h)
		s.OmegaBarChange = math.Max(s.OmegaBarChange, maxAbsDifference(bar, s.OmegaBar)/maxAbsValue(s.OmegaBar))
	}
	return s, s.summarize()
}

func (s *SpreadSample) summarize() error {
	spread, err := metrics.EnsembleSpread(s.Members)
	if err != nil {
		return err
	}
	s.Std = spread.Std
	s.SpreadRatio = spread.RMS / rms(s.H)

	for _, h := range s.Members {
		rel, err := metrics.RelativeL2(h, s.H)
		if err != nil {
			return err
		}
		s.RelativeDifference += rel / float64(len(s.Members))
	}
	return nil
}

// isSubfilter reports whether the DNS mode (kx, ky) lies outside the LES band
// |kx|, |ky| <= nLES/2 − 1 that the filter keeps.
func isSubfilter(kx, ky, nLES int) bool {
	band := nLES/2 - 1
	return kx > band || ky > band || -ky > band
}

// randomizeSubfilterPhases multiplies each sub-filter coefficient of the half
// spectrum f (DNS grid of n points) by 1 + ε(e^{iθ} − 1), θ uniform on
// [0, 2π). In the columns kx = 0 and kx = n/2 the modes ky and −ky are both
// stored, so they get conjugate factors to keep the field real; the
// self-conjugate modes ky = 0 and ky = −n/2 there are left unchanged.
func randomizeSubfilterPhases(n, nLES int, f []complex128, amplitude float64, rng *rand.Rand) {
	nk := n/2 + 1
	factor := func() complex128 {
		return 1 + complex(amplitude, 0)*(cmplx.Exp(complex(0, 2*math.Pi*rng.Float64()))-1)
	}

	for r := range n {
		ky := r
		if r >= n/2 {
			ky = r - n
		}
		for c := range nk {
			if !isSubfilter(c, ky, nLES) {
				continue
			}
			selfPaired := c == 0 || c == n/2
			switch {
			case !selfPaired:
				f[r*nk+c] *= factor()
			case ky > 0 && ky < n/2:
				z := factor()
				f[r*nk+c] *= z
				f[(n-r)*nk+c] *= cmplx.Conj(z)
			}
		}
	}
}

// subfilterShare returns the share of Σ|ω̂|² held by the sub-filter modes.
// Columns 0 < kx < N/2 stand for two modes (kx and −kx), so they count twice.
func subfilterShare(g *spectral.Grid, f []complex128, nLES int) float64 {
	var total, sub float64
	for r := range g.N {
		ky := g.KyIndex(r)
		for c := range g.NK {
			weight := 2.0
			if c == 0 || c == g.N/2 {
				weight = 1
			}
			power := weight * (real(f[r*g.NK+c])*real(f[r*g.NK+c]) + imag(f[r*g.NK+c])*imag(f[r*g.NK+c]))
			total += power
			if isSubfilter(c, ky, nLES) {
				sub += power
			}
		}
	}
	if total == 0 {
		return 0
	}
	return sub / total
}

func rms(x []float64) float64 {
	sum := 0.0
	for _, v := range x {
		sum += v * v
	}
	return math.Sqrt(sum / float64(len(x)))
}

func maxAbsValue(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

func maxAbsDifference(a, b []float64) float64 {
	m := 0.0
	for i := range a {
		m = math.Max(m, math.Abs(a[i]-b[i]))
	}
	return m
}
