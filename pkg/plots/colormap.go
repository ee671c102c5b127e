package plots

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
)

// DivergingColorMap returns the Moreland smooth blue-red colormap on
// [−limit, limit], so that zero maps to its neutral middle color. It panics
// unless limit is positive and finite.
//
// Reference: K. Moreland, "Diverging color maps for scientific
// visualization", ISVC 2009.
func DivergingColorMap(limit float64) palette.ColorMap {
	checkLimit("DivergingColorMap", limit)
	cmap := moreland.SmoothBlueRed()
	cmap.SetMax(limit)
	cmap.SetMin(-limit)
	return cmap
}

// SequentialColorMap returns the Moreland Kindlmann colormap (black through
// blue and green to near white, luminance increasing) on [0, limit], for
// non-negative fields such as the ensemble standard deviation. It panics
// unless limit is positive and finite.
//
// Reference: K. Moreland, "Why we use bad color maps and what you can do
// about it", Electronic Imaging 2016.
func SequentialColorMap(limit float64) palette.ColorMap {
	checkLimit("SequentialColorMap", limit)
	cmap := moreland.Kindlmann()
	cmap.SetMax(limit)
	cmap.SetMin(0)
	return cmap
}

func checkLimit(name string, limit float64) {
	if !(limit > 0) || math.IsInf(limit, 1) {
		panic(fmt.Sprintf("plots: %s limit=%g must be positive and finite", name, limit))
	}
}

// SymmetricLimit returns max |v| over all values of all fields, the limit
// that centres a diverging colormap at zero. It returns 1 when every value
// is zero (or there are none), so a zero field still gets a valid scale,
// and ignores NaN and infinite values.
func SymmetricLimit(fields ...[]float64) float64 {
	var limit float64
	for _, f := range fields {
		for _, v := range f {
			if a := math.Abs(v); a > limit && !math.IsInf(a, 1) {
				limit = a
			}
		}
	}
	if limit == 0 {
		return 1
	}
	return limit
}

// colorAt returns the color of v under cmap, clamping v to the colormap's
// range. NaN maps to transparent.
func colorAt(cmap palette.ColorMap, v float64) color.Color {
	if math.IsNaN(v) {
		return color.Transparent
	}
	v = math.Min(math.Max(v, cmap.Min()), cmap.Max())
	c, err := cmap.At(v)
	if err != nil {
		// NOTE: moreland colormaps return an error only for values outside
		// their range, which the clamp above excludes.
		panic(fmt.Sprintf("plots: colormap failed at %g: %v", v, err))
	}
	return c
}

// fieldRaster returns the N x N row-major field as an image in which each
// grid cell is a scale x scale block of pixels, with image row 0 at the top
// (largest y), so the picture has y increasing upwards.
func fieldRaster(field []float64, n, scale int, cmap palette.ColorMap) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, n*scale, n*scale))
	for i := range n {
		top := (n - 1 - i) * scale
		for j := range n {
			c := color.NRGBAModel.Convert(colorAt(cmap, field[i*n+j])).(color.NRGBA)
			for dy := range scale {
				for dx := range scale {
					img.SetNRGBA(j*scale+dx, top+dy, c)
				}
			}
		}
	}
	return img
}

// rasterScale returns the pixel block size that makes an N-cell raster at
// least 512 pixels wide, so bitmap renderers scale it with sharp cell edges.
func rasterScale(n int) int {
	return max(1, (512+n-1)/n)
}
