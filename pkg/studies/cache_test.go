package studies

import (
	"path/filepath"
	"reflect"
	"testing"
)

func TestTrajectorySaveLoadRoundTrip(t *testing.T) {
	t.Parallel()
	_, tr := sharedTrajectory(t)
	path := filepath.Join(t.TempDir(), "sub", "tr.gob")

	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadTrajectory(path)
	if err != nil {
		t.Fatal(err)
	}

	want := *tr
	want.Params.Forcing.Func = nil
	if !reflect.DeepEqual(*got, want) {
		t.Error("loaded trajectory differs from the saved one")
	}
}

func TestLoadTrajectoryMissingFile(t *testing.T) {
	t.Parallel()
	if _, err := LoadTrajectory(filepath.Join(t.TempDir(), "none.gob")); err == nil {
		t.Error("a missing file was loaded; want an error")
	}
}
