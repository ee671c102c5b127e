// Package plots draws the project's publication figures with gonum/plot:
// vorticity and closure fields as heat maps (single or in panels sharing one
// color scale), log-log energy spectra with reference slopes, error curves
// against time or NFE, and PDF overlays.
//
// Every constructor returns a [*Figure] that renders on demand. Save writes
// it atomically to a file whose extension picks the format (.png, .svg or
// .pdf), and PNG returns the PNG bytes, which notebooks display inline.
//
// Fields follow the project's layout: an N x N field is a flat float64 slice
// of length N*N in row-major order, element i*N + j at x_j = j*L/N,
// y_i = i*L/N, drawn with y increasing upwards. Signed fields use the Moreland
// smooth blue-red diverging colormap centred at zero with symmetric limits;
// non-negative fields (ensemble std) use the Moreland Kindlmann sequential
// colormap starting at zero. Convert float32 fields with metrics.Float64s.
//
// Lengths are in points (1/72 inch, [vg.Length]); PNG resolution is set by
// [Figure].DPI.
package plots
