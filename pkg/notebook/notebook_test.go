package notebook

import (
	"errors"
	"testing"

	"github.com/closure-lab/closure/pkg/plots"
)

func TestShowFigureOutsideNotebook(t *testing.T) {
	t.Parallel()
	fig, err := plots.Lines([]plots.Series{{Name: "a", X: []float64{0, 1}, Y: []float64{1, 2}}}, plots.LineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ShowFigure(fig, nil); err != nil {
		t.Errorf("ShowFigure of a valid figure: %v", err)
	}

	want := errors.New("no data")
	if err := ShowFigure(nil, want); !errors.Is(err, want) {
		t.Errorf("ShowFigure returned %v, want the constructor's error %v", err, want)
	}
}
