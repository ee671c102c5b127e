package apost

import (
	"context"
	"strings"
	"testing"
)

// TestConfigRejectsInvalid lists invalid settings and the word each error
// message must contain.
func TestConfigRejectsInvalid(t *testing.T) {
	t.Parallel()
	n := testDNSGrid / testRatio
	cases := []struct {
		name   string
		modify func(*Config)
		want   string
	}{
		{"no members", func(c *Config) { c.Members = 0 }, "Members"},
		{"no closures", func(c *Config) { c.Closures = nil }, "no closures"},
		{"duplicate names", func(c *Config) { c.Closures = []Closure{None{}, None{}} }, "named"},
		{"duration off grid", func(c *Config) { c.Duration = 0.1005 }, "Duration"},
		{"output not dividing", func(c *Config) { c.OutputEvery = 0.4 }, "divide"},
		{"checkpoint not multiple", func(c *Config) { c.CheckpointEvery = 0.15 }, "multiple of OutputEvery"},
		{"dir without interval", func(c *Config) { c.CheckpointDir = t.TempDir() }, "CheckpointEvery"},
		{"draw period mismatch", func(c *Config) {
			c.Closures = []Closure{Learned{Sampler: &noiseSampler{n: n}, Every: 3}}
			c.CheckpointEvery = 0.2
		}, "draw period"},
		{"wrong initial length", func(c *Config) { c.Initial = c.Initial[:10] }, "initial field"},
		{"filter grid mismatch", func(c *Config) { c.Filter.N = 32 }, "filter grid"},
		{"learned without sampler", func(c *Config) { c.Closures = []Closure{Learned{}} }, "Sampler"},
		{"negative coefficient", func(c *Config) { c.Closures = []Closure{Smagorinsky{Coefficient: -1}} }, "coefficient"},
	}
	for _, tc := range cases {
		cfg := testConfig(t, 0.6, 1, None{})
		tc.modify(&cfg)
		_, err := Run(context.Background(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}
