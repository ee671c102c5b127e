package solver

import "math"

// stepper advances a half spectrum w in place by one step from time t.
type stepper interface {
	step(w []complex128, t float64) error
	reset() // forget multistep history
}

func newStepper(name string, s *Solver) stepper {
	switch name {
	case StepperCNRK2:
		return newCNRK2(s)
	case StepperCNRK3:
		return newCNRK3(s)
	case StepperIFRK4:
		return newIFRK4(s)
	default:
		return newCNAB2(s)
	}
}

// crankNicolson holds, per mode, the factors of the implicit update
// w ← (num·w + dt·rhs)·den with num = 1 + a·dt·L and den = 1/(1 − b·dt·L).
type crankNicolson struct {
	num, den []float64
}

func newCrankNicolson(linear []float64, dt, a, b float64) crankNicolson {
	cn := crankNicolson{num: make([]float64, len(linear)), den: make([]float64, len(linear))}
	for i, l := range linear {
		cn.num[i] = 1 + a*dt*l
		cn.den[i] = 1 / (1 - b*dt*l)
	}
	return cn
}

// cnrk2 is Crank–Nicolson for the linear term with Heun's method for the
// explicit term E:
//
//	w* = [(1 + dt L/2) wⁿ + dt E(wⁿ, t)] / (1 − dt L/2)
//	wⁿ⁺¹ = [(1 + dt L/2) wⁿ + dt/2 (E(wⁿ, t) + E(w*, t+dt))] / (1 − dt L/2)
//
// Both stages are second-order consistent, so the scheme is second order.
// Reference: U. M. Ascher, S. J. Ruuth, B. T. R. Wetton, "Implicit-explicit
// methods for time-dependent partial differential equations", SIAM J.
// Numer. Anal. 32, 1995.
type cnrk2 struct {
	s          *Solver
	cn         crankNicolson
	e0, e1, ws []complex128
}

func newCNRK2(s *Solver) *cnrk2 {
	n := len(s.omegaHat)
	return &cnrk2{
		s: s, cn: newCrankNicolson(s.linear, s.params.Dt, 0.5, 0.5),
		e0: make([]complex128, n), e1: make([]complex128, n), ws: make([]complex128, n),
	}
}

func (m *cnrk2) reset() {}

func (m *cnrk2) step(w []complex128, t float64) error {
	dt := m.s.params.Dt
	num, den := m.cn.num, m.cn.den

	if err := m.s.explicit(m.e0, w, t); err != nil {
		return err
	}
	for i := range w {
		m.ws[i] = (complex(num[i], 0)*w[i] + complex(dt, 0)*m.e0[i]) * complex(den[i], 0)
	}

	if err := m.s.explicit(m.e1, m.ws, t+dt); err != nil {
		return err
	}
	for i := range w {
		rhs := complex(0.5*dt, 0) * (m.e0[i] + m.e1[i])
		w[i] = (complex(num[i], 0)*w[i] + rhs) * complex(den[i], 0)
	}
	return nil
}

// cnab2 is Crank–Nicolson for the linear term with second-order
// Adams–Bashforth for the explicit term E:
//
//	wⁿ⁺¹ = [(1 + dt L/2) wⁿ + dt (3/2 Eⁿ − 1/2 Eⁿ⁻¹)] / (1 − dt L/2)
//
// One evaluation of E per step. The first step after a reset is a cnrk2
// step, whose first evaluation E⁰ becomes the history. Reference: Ascher,
// Ruuth, Wetton, "Implicit-explicit methods for time-dependent partial
// differential equations", SIAM J. Numer. Anal. 32, 1995.
type cnab2 struct {
	start       *cnrk2
	cn          crankNicolson
	eNow, ePrev []complex128
	hasHistory  bool
}

func newCNAB2(s *Solver) *cnab2 {
	start := newCNRK2(s)
	n := len(s.omegaHat)
	return &cnab2{
		start: start, cn: start.cn,
		eNow: make([]complex128, n), ePrev: make([]complex128, n),
	}
}

func (m *cnab2) reset() { m.hasHistory = false }

func (m *cnab2) step(w []complex128, t float64) error {
	if !m.hasHistory {
		if err := m.start.step(w, t); err != nil {
			return err
		}
		copy(m.ePrev, m.start.e0)
		m.hasHistory = true
		return nil
	}

	s := m.start.s
	dt := s.params.Dt
	num, den := m.cn.num, m.cn.den
	if err := s.explicit(m.eNow, w, t); err != nil {
		return err
	}
	for i := range w {
		rhs := complex(1.5*dt, 0)*m.eNow[i] - complex(0.5*dt, 0)*m.ePrev[i]
		w[i] = (complex(num[i], 0)*w[i] + rhs) * complex(den[i], 0)
	}
	m.eNow, m.ePrev = m.ePrev, m.eNow
	return nil
}

// Coefficients of the low-storage IMEX Runge–Kutta scheme of P. R. Spalart,
// R. D. Moser, M. M. Rogers, "Spectral methods for the Navier–Stokes
// equations with one infinite and two periodic directions", J. Comput.
// Phys. 96, 1991. Stage k: w ← w + dt[αk L w + βk L w_new + γk E(w) + ζk E_prev].
var (
	rk3Alpha = [3]float64{29.0 / 96, -3.0 / 40, 1.0 / 6}
	rk3Beta  = [3]float64{37.0 / 160, 5.0 / 24, 1.0 / 6}
	rk3Gamma = [3]float64{8.0 / 15, 5.0 / 12, 3.0 / 4}
	rk3Zeta  = [3]float64{0, -17.0 / 60, -5.0 / 12}
	rk3Time  = [3]float64{0, 8.0 / 15, 2.0 / 3} // stage start times in units of dt
)

// cnrk3 is the three-stage scheme with the coefficients rk3Alpha..rk3Zeta:
// third order for E, second order for the Crank–Nicolson-like treatment of
// L, three evaluations of E per step.
type cnrk3 struct {
	s      *Solver
	stages [3]crankNicolson
	e, ep  []complex128
}

func newCNRK3(s *Solver) *cnrk3 {
	m := &cnrk3{s: s, e: make([]complex128, len(s.omegaHat)), ep: make([]complex128, len(s.omegaHat))}
	for k := range m.stages {
		m.stages[k] = newCrankNicolson(s.linear, s.params.Dt, rk3Alpha[k], rk3Beta[k])
	}
	return m
}

func (m *cnrk3) reset() {}

func (m *cnrk3) step(w []complex128, t float64) error {
	dt := m.s.params.Dt
	for k := range m.stages {
		if err := m.s.explicit(m.e, w, t+rk3Time[k]*dt); err != nil {
			return err
		}

		num, den := m.stages[k].num, m.stages[k].den
		gamma := complex(rk3Gamma[k]*dt, 0)
		zeta := complex(rk3Zeta[k]*dt, 0)
		for i := range w {
			rhs := gamma*m.e[i] + zeta*m.ep[i]
			w[i] = (complex(num[i], 0)*w[i] + rhs) * complex(den[i], 0)
		}
		m.e, m.ep = m.ep, m.e
	}
	return nil
}

// ifrk4 is the classical fourth-order Runge–Kutta method applied to
// v = exp(−L t) w, which removes the stiff linear term exactly. With
// h = exp(L dt/2):
//
//	a = E(wⁿ, t)
//	b = E(h(wⁿ + dt/2 a), t + dt/2)
//	c = E(h wⁿ + dt/2 b, t + dt/2)
//	d = E(h² wⁿ + dt h c, t + dt)
//	wⁿ⁺¹ = h² wⁿ + dt/6 (h² a + 2h(b + c) + d)
//
// Reference: S. M. Cox, P. C. Matthews, "Exponential time differencing for
// stiff systems", J. Comput. Phys. 176, 2002 (section on integrating
// factor methods).
type ifrk4 struct {
	s             *Solver
	half, full    []float64 // exp(L dt/2), exp(L dt)
	a, b, c, d, y []complex128
}

func newIFRK4(s *Solver) *ifrk4 {
	n := len(s.omegaHat)
	m := &ifrk4{
		s: s, half: make([]float64, n), full: make([]float64, n),
		a: make([]complex128, n), b: make([]complex128, n), c: make([]complex128, n),
		d: make([]complex128, n), y: make([]complex128, n),
	}
	dt := s.params.Dt
	for i, l := range s.linear {
		m.half[i] = math.Exp(0.5 * dt * l)
		m.full[i] = math.Exp(dt * l)
	}
	return m
}

func (m *ifrk4) reset() {}

func (m *ifrk4) step(w []complex128, t float64) error {
	dt := m.s.params.Dt
	h2 := complex(0.5*dt, 0)

	if err := m.s.explicit(m.a, w, t); err != nil {
		return err
	}
	for i := range w {
		m.y[i] = complex(m.half[i], 0) * (w[i] + h2*m.a[i])
	}

	if err := m.s.explicit(m.b, m.y, t+0.5*dt); err != nil {
		return err
	}
	for i := range w {
		m.y[i] = complex(m.half[i], 0)*w[i] + h2*m.b[i]
	}

	if err := m.s.explicit(m.c, m.y, t+0.5*dt); err != nil {
		return err
	}
	for i := range w {
		m.y[i] = complex(m.full[i], 0)*w[i] + complex(dt*m.half[i], 0)*m.c[i]
	}

	if err := m.s.explicit(m.d, m.y, t+dt); err != nil {
		return err
	}
	for i := range w {
		h, f := complex(m.half[i], 0), complex(m.full[i], 0)
		incr := f*m.a[i] + 2*h*(m.b[i]+m.c[i]) + m.d[i]
		w[i] = f*w[i] + complex(dt/6, 0)*incr
	}
	return nil
}
