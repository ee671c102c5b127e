// Package notebook displays figures and tables in GoNB (Jupyter) notebooks.
//
// The functions write to the notebook when the program runs as a GoNB cell and do
// nothing useful elsewhere: outside a notebook, gonbui discards the output. Notebooks
// in this repository call them so that a cell stays a few lines long.
package notebook

import (
	"fmt"
	"os"
	"strings"

	"github.com/closure-lab/closure/pkg/plots"
	"github.com/janpfeifer/gonb/gonbui"
)

// ShowPNG displays PNG-encoded image bytes inline. Like every Show function it waits until
// the kernel has received the output, because output still in the pipe when a cell's
// program exits is lost.
func ShowPNG(png []byte) {
	gonbui.DisplayPNG(png)
	gonbui.Sync()
}

// ShowFile displays the PNG or SVG file at path inline, chosen by its extension.
// It returns an error when the file cannot be read or has another extension.
func ShowFile(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("notebook: reading figure: %w", err)
	}

	switch {
	case strings.HasSuffix(path, ".png"):
		gonbui.DisplayPNG(data)
	case strings.HasSuffix(path, ".svg"):
		gonbui.DisplaySVG(string(data))
	default:
		return fmt.Errorf("notebook: figure %q is neither .png nor .svg; save it in one of those formats", path)
	}
	gonbui.Sync()
	return nil
}

// ShowMarkdown displays a Markdown text, such as a table of metrics.
func ShowMarkdown(markdown string) {
	gonbui.DisplayMarkdown(markdown)
	gonbui.Sync()
}

// InNotebook reports whether the program runs as a GoNB cell.
func InNotebook() bool {
	return gonbui.IsNotebook
}

// ShowFigure displays a figure inline. It takes the two results of a figure constructor,
// as in ShowFigure(plots.Spectra(curves, opts)), and returns err when it is not nil, and
// otherwise the error of encoding the PNG.
func ShowFigure(fig *plots.Figure, err error) error {
	if err != nil {
		return err
	}
	png, err := fig.PNG()
	if err != nil {
		return err
	}
	ShowPNG(png)
	return nil
}
