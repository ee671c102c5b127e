package autoencoder

import (
	"fmt"
	"math"

	"github.com/closure-lab/closure/pkg/nn"
)

// Config is the architecture of an autoencoder. DefaultConfig gives working values.
type Config struct {
	// N is the grid size of the fields (N x N).
	N int `json:"n"`
	// Modes is the maximum wavenumber m kept by the truncated DFT; N must be at least 2m+1.
	Modes int `json:"modes"`
	// Latent is the latent dimension d.
	Latent int `json:"latent"`
	// Hidden lists the hidden widths of the encoder MLP; the decoder uses them in reverse.
	Hidden []int `json:"hidden"`
	// Activation is the nonlinearity of the MLPs.
	Activation nn.Activation `json:"activation"`
}

// DefaultConfig returns the configuration used for an n x n grid: m = min(8, (n−1)/2) modes,
// a latent dimension of 16, two hidden layers of width 256 and the swish activation.
func DefaultConfig(n int) Config {
	return Config{N: n, Modes: min(8, (n-1)/2), Latent: 16, Hidden: []int{256, 256}, Activation: nn.ActivationSwish}
}

// Validate returns an error naming the first invalid field.
func (c Config) Validate() error {
	switch {
	case c.Modes < 1:
		return fmt.Errorf("autoencoder: Modes=%d must be at least 1", c.Modes)
	case c.N < 2*c.Modes+1:
		return fmt.Errorf("autoencoder: grid size N=%d must be at least 2*Modes+1=%d; lower Modes", c.N, 2*c.Modes+1)
	case c.Latent < 1:
		return fmt.Errorf("autoencoder: Latent=%d must be at least 1", c.Latent)
	}
	for k, width := range c.Hidden {
		if width < 1 {
			return fmt.Errorf("autoencoder: Hidden[%d]=%d must be at least 1", k, width)
		}
	}
	return c.Activation.Validate()
}

// Normalization is the affine map x = (h − Mean)/Std applied to fields before encoding; it is
// fitted on the training set and stored with the model.
type Normalization struct {
	Mean float32 `json:"mean"`
	Std  float32 `json:"std"`
}

// FitNormalization returns the mean and standard deviation of all values of h. A constant
// data set gets Std = 1 so that normalization stays finite.
func FitNormalization(h []float32) Normalization {
	var mean float64
	for _, value := range h {
		mean += float64(value)
	}
	mean /= float64(max(1, len(h)))

	var variance float64
	for _, value := range h {
		variance += (float64(value) - mean) * (float64(value) - mean)
	}
	variance /= float64(max(1, len(h)))

	std := float32(1)
	if variance > 0 {
		std = float32(math.Sqrt(variance))
	}
	return Normalization{Mean: float32(mean), Std: std}
}

func sqrtRatio(numerator, denominator float64) float64 { return math.Sqrt(numerator / denominator) }
