package solver

import (
	"fmt"
	"math"
)

// SourceFunc computes an extra right-hand-side term in physical space. It
// receives the time t of the evaluation and the physical vorticity omega of
// the current stage (length N*N, read only), and writes its term into dst
// (length N*N). It is called once per evaluation of the explicit term, so
// once per step for "cnab2" and once per stage for the Runge–Kutta steppers.
// A non-nil error stops the step and is returned by Step.
type SourceFunc func(t float64, omega, dst []float64) error

// SpectralSourceFunc is SourceFunc in spectral space: omegaHat and dstHat are
// half spectra in the unnormalized layout of package spectral (length
// N*(N/2+1)). It avoids the two transforms per evaluation of SourceFunc.
type SpectralSourceFunc func(t float64, omegaHat, dstHat []complex128) error

// sourceHook holds at most one source and the sign with which it is added.
type sourceHook struct {
	physical SourceFunc
	spectral SpectralSourceFunc
	sign     float64

	dstPhys []float64
	dstHat  []complex128
}

// SetSource adds S = fn(t, ω) to the right-hand side at every evaluation,
// replacing any earlier source or closure; nil removes it. The term is not
// dealiased (it enters on all modes), so a closure that lives on the modes
// above the 2/3 cutoff of this grid keeps them.
func (s *Solver) SetSource(fn SourceFunc) {
	s.source = sourceHook{physical: fn, sign: 1}
}

// SetClosure subtracts the closure term H = fn(t, ω̄) from the right-hand side
// at every evaluation, as in the LES equation
// ∂ω̄/∂t + ū·∇ω̄ = ν∇²ω̄ − αω̄ + f̄ − H. It replaces any earlier source; nil
// removes it. Wrap fn with HoldSource to re-evaluate it only every k steps.
func (s *Solver) SetClosure(fn SourceFunc) {
	s.source = sourceHook{physical: fn, sign: -1}
}

// SetSpectralSource adds the spectral-space term fn(t, ω̂) to the right-hand
// side, replacing any earlier source; nil removes it.
func (s *Solver) SetSpectralSource(fn SpectralSourceFunc) {
	s.source = sourceHook{spectral: fn, sign: 1}
}

// add evaluates the source at state w and time t and adds it to rhs.
func (h *sourceHook) add(s *Solver, rhs, w []complex128, t float64) error {
	if h.physical == nil && h.spectral == nil {
		return nil
	}
	g := s.grid
	if h.dstHat == nil {
		h.dstHat = make([]complex128, g.SpectralSize())
	}

	if h.physical != nil {
		if h.dstPhys == nil {
			h.dstPhys = make([]float64, g.Size())
			s.omegaPhys = make([]float64, g.Size())
		}
		g.Inverse(s.omegaPhys, w)
		clear(h.dstPhys)
		if err := h.physical(t, s.omegaPhys, h.dstPhys); err != nil {
			return fmt.Errorf("solver: source at t=%g (step %d): %w", t, s.steps, err)
		}
		g.Forward(h.dstHat, h.dstPhys)
	} else {
		clear(h.dstHat)
		if err := h.spectral(t, w, h.dstHat); err != nil {
			return fmt.Errorf("solver: source at t=%g (step %d): %w", t, s.steps, err)
		}
	}

	sum := 0.0
	sign := complex(h.sign, 0)
	for i, d := range h.dstHat {
		rhs[i] += sign * d
		sum += real(d) + imag(d)
	}
	if math.IsNaN(sum) || math.IsInf(sum, 0) {
		return &BlowUpError{Time: t, Step: s.steps, Quantity: "non-finite source term", Value: sum}
	}
	return nil
}

// HoldSource returns a SourceFunc that calls fn at the first evaluation and
// then again at the first evaluation whose time is at least `period` after
// the last call, returning the stored term in between. With period = k·dt
// the term is re-evaluated every k steps and held fixed across the stages of
// a Runge–Kutta step. The stored term is the one computed at the last call,
// on that call's state. A period <= 0 re-evaluates at every call.
func HoldSource(fn SourceFunc, period float64) SourceFunc {
	var (
		held  []float64
		tLast float64
	)
	// timeSlack absorbs round-off in accumulated times t = t0 + n·dt.
	const timeSlack = 1e-9

	return func(t float64, omega, dst []float64) error {
		due := held == nil || period <= 0 || t >= tLast+period-timeSlack*math.Max(period, math.Abs(t))
		if due {
			if held == nil {
				held = make([]float64, len(dst))
			}
			clear(held)
			if err := fn(t, omega, held); err != nil {
				return err
			}
			tLast = t
		}
		copy(dst, held)
		return nil
	}
}
