package apost_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/closure-lab/closure/pkg/apost"
	"github.com/closure-lab/closure/pkg/filter"
	"github.com/closure-lab/closure/pkg/solver"
	"github.com/closure-lab/closure/pkg/spectral"
)

// A 32² DNS of the chaotic Kolmogorov flow against 8² LES without a
// closure, with Smagorinsky and with the oracle over one time unit. On this
// coarse LES grid both models drift far from the filtered DNS, and the
// oracle follows it to round-off.
func Example() {
	p := solver.KolmogorovChaotic(32)
	p.Workers = 1
	dns, _ := solver.New(p)
	_ = dns.SetRandomVorticity(spectral.RandomField{Peak: 4, RMSVorticity: 2, Seed: 1})
	_ = dns.Advance(1, 0, nil)

	res, err := apost.Run(context.Background(), apost.Config{
		DNS:         p,
		Filter:      filter.Config{N: p.N, L: p.L, Ratio: 4},
		Initial:     dns.Vorticity(nil),
		StartTime:   1,
		Duration:    1,
		OutputEvery: 0.5,
		Members:     1,
		Closures:    []apost.Closure{apost.None{}, apost.Smagorinsky{}, apost.Oracle{}},
		Workers:     1,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("none        error at t=2: %.2f\n", res.ErrorAt("none", 2))
	fmt.Printf("smagorinsky error at t=2: %.2f\n", res.ErrorAt("smagorinsky", 2))
	fmt.Printf("oracle      error at t=2 below 1e-12: %t\n", res.ErrorAt("oracle", 2) < 1e-12)
	// Output:
	// none        error at t=2: 0.71
	// smagorinsky error at t=2: 0.72
	// oracle      error at t=2 below 1e-12: true
}
