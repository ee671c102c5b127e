package apost

import (
	"fmt"
)

// Sampler draws closure terms from a learned conditional distribution
// p(H | ω̄). Sample receives B conditions ω̄ as flat float32 [B, n, n] and
// returns `members` samples of H per condition as flat float32
// [B, members, n, n], integrating its generative model with `steps` steps
// (the NFE for a first-order sampler). Equal arguments must give equal
// samples, and different conditions of one call must get independent noise.
// The Sampler of package experiment has the same method.
type Sampler interface {
	Sample(omegaBar []float32, members, steps int, seed int64) ([]float32, error)
}

// MeasuredSampler is a Sampler of a model with sensors (package sensors), whose Sample
// returns an error. SampleMeasured also receives one field of H per condition, [B, n, n], and
// reads its values at the model's sensors. The MeasuredSampler of package experiment has the
// same method.
type MeasuredSampler interface {
	SampleMeasured(omegaBar, measured []float32, members, steps int, seed int64) ([]float32, error)
}

// Learned couples the LES to a Sampler: each member gets its own sample of H,
// drawn from its own state every Every LES steps and held fixed in between,
// across all stages of the steps.
//
// Seeds: draw d = step/Every of member m uses a seed that depends only on
// the run seed, d and m (DrawSeed), so members differ and a run, resumed or
// not, repeats itself. By default all members' conditions go into one Sample
// call of batch B = M with seed DrawSeed(seed, d, -1), and member m takes
// sample m of that call. With PerMember set, member m is sampled alone with
// seed DrawSeed(seed, d, m). A member that has failed contributes a zero
// condition to the batch, so the others' samples do not depend on failures.
type Learned struct {
	// Label is the closure's name in results; "" means "learned".
	Label string
	// Sampler draws H; required.
	Sampler Sampler
	// Every is the number k of LES steps between draws; 0 means 1. Run
	// requires the checkpoint interval to be a multiple of k steps.
	Every int
	// Steps is the number of sampler steps passed to Sample; 0 means 1.
	Steps int
	// PerMember calls Sample once per member instead of once per draw.
	PerMember bool
	// MinWavenumber, when positive, removes the modes with |k| < MinWavenumber (units of 2π/L)
	// from every sample, so the closure acts only on the smaller scales. The documentation of
	// studies.DefaultMinWavenumber gives the measurements that motivate it.
	MinWavenumber float64
	// MaxWavenumber, when positive, also removes the modes with |k| ≥ MaxWavenumber, so the
	// closure acts on the band MinWavenumber ≤ |k| < MaxWavenumber. It must exceed
	// MinWavenumber.
	MaxWavenumber float64
}

// Name returns Label, or "learned" when it is empty.
func (l Learned) Name() string {
	if l.Label == "" {
		return "learned"
	}
	return l.Label
}

// UsesDNS reports whether the Sampler is a MeasuredSampler, which reads the
// closure term of the DNS.
func (l Learned) UsesDNS() bool {
	_, ok := l.Sampler.(MeasuredSampler)
	return ok
}

// Bind validates the settings and allocates the held terms.
func (l Learned) Bind(env Env) (Binding, error) {
	switch {
	case l.Sampler == nil:
		return nil, fmt.Errorf("apost: learned closure %q has no Sampler; set Learned.Sampler", l.Name())
	case l.Every < 0:
		return nil, fmt.Errorf("apost: learned closure %q: Every=%d must be non-negative; use 0 for every step", l.Name(), l.Every)
	case l.Steps < 0:
		return nil, fmt.Errorf("apost: learned closure %q: Steps=%d must be non-negative; use 0 for one step", l.Name(), l.Steps)
	}
	band, err := newBandPass(env.LES.N, env.LES.L, l.MinWavenumber, l.MaxWavenumber)
	if err != nil {
		return nil, fmt.Errorf("apost: learned closure %q: %w", l.Name(), err)
	}

	size := env.LES.N * env.LES.N
	b := &learnedBinding{cfg: l, env: env, held: make([][]float64, env.Members), band: band}
	for m := range b.held {
		b.held[m] = make([]float64, size)
	}
	b.condition = make([]float32, env.Members*size)
	if measured, ok := l.Sampler.(MeasuredSampler); ok {
		truth, err := newDNSClosure(env)
		if err != nil {
			return nil, fmt.Errorf("apost: learned closure %q: %w", l.Name(), err)
		}
		b.measuredSampler, b.truth = measured, truth
		b.measured = make([]float32, env.Members*size)
	}
	return b, nil
}

// period returns k, the number of steps between draws.
func (l Learned) period() int { return max(l.Every, 1) }

func (l Learned) samplerSteps() int { return max(l.Steps, 1) }

type learnedBinding struct {
	cfg       Learned
	env       Env
	held      [][]float64 // H of each member, from the last draw
	condition []float32
	band      *bandPass // nil without Learned.MinWavenumber and MaxWavenumber

	// With a MeasuredSampler: the DNS closure at the start of the step, repeated for every
	// member in measured.
	measuredSampler MeasuredSampler
	truth           *dnsClosure
	measured        []float32
}

// sample draws with the MeasuredSampler when there is one, passing the first len(condition)
// values of b.measured, and with the Sampler otherwise.
func (b *learnedBinding) sample(condition []float32, seed int64) ([]float32, error) {
	if b.measuredSampler != nil {
		return b.measuredSampler.SampleMeasured(condition, b.measured[:len(condition)], 1, b.cfg.samplerSteps(), seed)
	}
	return b.cfg.Sampler.Sample(condition, 1, b.cfg.samplerSteps(), seed)
}

func (b *learnedBinding) Prepare(info StepInfo) error {
	if info.Step%b.cfg.period() != 0 {
		return nil
	}
	draw := info.Step / b.cfg.period()
	if b.measuredSampler != nil {
		if err := b.truth.measure(info, b.measured); err != nil {
			return fmt.Errorf("apost: learned closure %q: %w", b.cfg.Name(), err)
		}
	}
	if b.cfg.PerMember {
		return b.drawEach(info, draw)
	}
	return b.drawBatch(info, draw)
}

func (b *learnedBinding) drawBatch(info StepInfo, draw int) error {
	size := b.env.LES.N * b.env.LES.N
	for m, state := range info.States {
		toFloat32(b.condition[m*size:(m+1)*size], state)
	}

	seed := DrawSeed(b.env.Seed, draw, -1)
	out, err := b.sample(b.condition, seed)
	if err != nil {
		return fmt.Errorf("apost: learned closure %q: sampling draw %d at t=%g (step %d): %w", b.cfg.Name(), draw, info.Time, info.Step, err)
	}
	if len(out) != len(b.condition) {
		return fmt.Errorf("apost: learned closure %q: sampler returned %d values for %d conditions of %dx%d, want %d",
			b.cfg.Name(), len(out), b.env.Members, b.env.LES.N, b.env.LES.N, len(b.condition))
	}

	for m := range b.held {
		toFloat64(b.held[m], out[m*size:(m+1)*size])
		b.band.apply(b.held[m])
	}
	return nil
}

func (b *learnedBinding) drawEach(info StepInfo, draw int) error {
	size := b.env.LES.N * b.env.LES.N
	for m, state := range info.States {
		if state == nil {
			continue
		}
		condition := b.condition[:size]
		toFloat32(condition, state)

		seed := DrawSeed(b.env.Seed, draw, m)
		out, err := b.sample(condition, seed)
		if err != nil {
			return fmt.Errorf("apost: learned closure %q: sampling member %d, draw %d at t=%g (step %d): %w",
				b.cfg.Name(), m, draw, info.Time, info.Step, err)
		}
		if len(out) != size {
			return fmt.Errorf("apost: learned closure %q: sampler returned %d values for one %dx%d condition, want %d",
				b.cfg.Name(), len(out), b.env.LES.N, b.env.LES.N, size)
		}
		toFloat64(b.held[m], out)
		b.band.apply(b.held[m])
	}
	return nil
}

func (b *learnedBinding) Term(member, _ int, _ float64, _, h []float64) error {
	copy(h, b.held[member])
	return nil
}

// DrawSeed returns the sampler seed of draw d for member m (m = −1 for a
// batched draw of all members) in a run with base seed `base`. It mixes the
// three numbers with the SplitMix64 finalizer of G. L. Steele, D. Lea and
// C. H. Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014.
func DrawSeed(base int64, draw, member int) int64 {
	x := uint64(base)
	x = splitMix(x ^ splitMix(uint64(draw)+0x9e3779b97f4a7c15))
	x = splitMix(x ^ splitMix(uint64(int64(member))+0xbf58476d1ce4e5b9))
	return int64(x >> 1)
}

func splitMix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// toFloat32 converts src into dst; a nil src (a failed member) gives zeros.
func toFloat32(dst []float32, src []float64) {
	if src == nil {
		clear(dst)
		return
	}
	for i, v := range src {
		dst[i] = float32(v)
	}
}

func toFloat64(dst []float64, src []float32) {
	for i, v := range src {
		dst[i] = float64(v)
	}
}
