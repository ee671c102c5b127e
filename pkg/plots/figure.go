package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"path/filepath"
	"strings"

	"github.com/closure-lab/closure/internal/atomicfile"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DefaultDPI is the PNG resolution of new figures, in dots per inch.
const DefaultDPI = 150

// Figure is a figure that renders on demand at its current size. Change
// Width, Height or DPI before saving to resize it, and the layout adapts.
// Create figures with this package's constructors, because a Figure built
// by hand draws only a white page. Rendering stores layout state in the
// Figure, so render one Figure from one goroutine at a time.
type Figure struct {
	// Width and Height are the page size in points (1/72 inch).
	Width, Height vg.Length
	// DPI is the PNG resolution in dots per inch. The PNG is
	// Width/72·DPI by Height/72·DPI pixels. SVG and PDF ignore it.
	DPI int

	render func(c draw.Canvas)

	// dataRects stores, after each render, the data area of every field
	// panel in canvas coordinates, for tests that probe pixel colors.
	dataRects []vg.Rectangle
}

// Draw renders the figure onto c, filling c's whole rectangle.
func (f *Figure) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	if f.render != nil {
		f.render(c)
	}
}

// Encode writes the figure to w in the given format: "png", "svg" or "pdf".
// It returns an error for any other format or when the size is not
// positive.
func (f *Figure) Encode(w io.Writer, format string) error {
	if !(f.Width > 0 && f.Height > 0) {
		return fmt.Errorf("plots: figure size %gx%g pt must be positive", f.Width, f.Height)
	}

	var out io.WriterTo
	switch strings.ToLower(format) {
	case "png":
		dpi := f.DPI
		if dpi <= 0 {
			dpi = DefaultDPI
		}
		c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
		f.Draw(draw.New(c))
		out = vgimg.PngCanvas{Canvas: c}
	case "svg":
		c := vgsvg.New(f.Width, f.Height)
		f.Draw(draw.New(c))
		out = c
	case "pdf":
		c := vgpdf.New(f.Width, f.Height)
		f.Draw(draw.New(c))
		out = c
	default:
		return fmt.Errorf("plots: unsupported format %q; use png, svg or pdf", format)
	}

	_, err := out.WriteTo(w)
	if err != nil {
		return fmt.Errorf("plots: encoding %s failed: %w", format, err)
	}
	return nil
}

// PNG returns the figure encoded as PNG, for display in notebooks.
func (f *Figure) PNG() ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Encode(&buf, "png"); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes the figure to path in the format named by its extension
// (.png, .svg or .pdf, any case). It writes a temporary file in the same
// directory and renames it over path, so readers never see a partial file.
// The directory must exist.
func (f *Figure) Save(path string) error {
	format := strings.TrimPrefix(filepath.Ext(path), ".")
	if format == "" {
		return fmt.Errorf("plots: file name %q has no extension; use .png, .svg or .pdf", path)
	}

	var buf bytes.Buffer
	if err := f.Encode(&buf, format); err != nil {
		return fmt.Errorf("plots: saving %s: %w", path, err)
	}
	return writeFileAtomic(path, buf.Bytes())
}

// writeFileAtomic replaces path with data atomically and adds the package
// prefix to the error.
func writeFileAtomic(path string, data []byte) error {
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}
