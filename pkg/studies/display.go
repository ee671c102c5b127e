package studies

import (
	"github.com/closure-lab/closure/pkg/notebook"
	"github.com/closure-lab/closure/pkg/plots"
	"github.com/janpfeifer/gonb/gonbui"
)

// NOTE: GoNB (v0.11.1) closes a cell's display pipe when the cell's program
// exits, so output still in the pipe can be lost. ShowFigure and ShowMarkdown
// wait with gonbui.Sync until the kernel has received it. The wait belongs in
// package notebook, where every caller would get it.

// ShowFigure displays fig inline when the program runs as a GoNB cell and
// waits until the kernel has received it. Outside a notebook it only renders
// the PNG. It takes the result of a figure constructor directly, so it returns
// err when that is not nil, and otherwise the error of encoding the PNG.
func ShowFigure(fig *plots.Figure, err error) error {
	if err != nil {
		return err
	}
	png, err := fig.PNG()
	if err != nil {
		return err
	}
	notebook.ShowPNG(png)
	gonbui.Sync()
	return nil
}

// ShowMarkdown displays a Markdown text, such as a table of results, when the
// program runs as a GoNB cell and waits until the kernel has received it.
func ShowMarkdown(markdown string) {
	notebook.ShowMarkdown(markdown)
	gonbui.Sync()
}
