// Package experiment runs the toolkit's pipelines from a preset: generating a closure data
// set from DNS, training a closure model, and evaluating it against held-out snapshots with
// metrics and figures. The command-line program and the notebooks call these functions, so
// that both produce the same numbers from the same preset.
//
// Data sets are directories in the format of package dataset; figures are PNG files written
// by package plots; metrics are JSON.
package experiment
