// Package flowmatch implements the network-independent core of conditional flow matching:
// the linear interpolant between a Gaussian source and the data, its target velocity,
// fixed-step ODE samplers (Euler, midpoint, Heun, classical Runge-Kutta 4), and the exact
// minibatch optimal-transport coupling of source and target samples (Assign, OTPairing).
// References: Lipman et al., "Flow matching for generative modeling"; Liu et al., "Flow
// straight and fast"; Tong et al., "Improving and generalizing flow-based generative models
// with minibatch optimal transport".
//
// Conventions: time runs from t=0 (source, x0 ~ N(0, I)) to t=1 (data x1). The interpolant is
// x_t = (1−t)·x0 + t·x1 and the regression target for the velocity network is x1 − x0.
// Batches are flat float32 slices of shape [batch, dim] in row-major order; the solvers treat
// them as one long state vector and never look at the shape.
package flowmatch
