package studies

import (
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
)

// ScratchDir is the directory, under os.TempDir(), where notebook cells leave
// results for later cells, because each GoNB cell runs as its own process.
const ScratchDir = "closure-notebooks"

// TrajectoryPath returns the scratch file of the named preset's trajectory:
// os.TempDir()/closure-notebooks/<preset>-trajectory.gob.
func TrajectoryPath(presetName string) string {
	return filepath.Join(os.TempDir(), ScratchDir, presetName+"-trajectory.gob")
}

// Save writes tr to path with encoding/gob, creating the directory. It writes
// a temporary file and renames it, so readers never see a partial file. The
// forcing callback of a custom forcing is not stored.
func (tr *Trajectory) Save(path string) error {
	return saveGob(path, "trajectory", tr)
}

// LoadTrajectory reads a trajectory written by Trajectory.Save. It returns an
// error naming the path when the file is missing or not a trajectory; run the
// cell that computes the trajectory first.
func LoadTrajectory(path string) (*Trajectory, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("studies: loading trajectory: %w; run the cell that computes it first", err)
	}
	defer f.Close()

	tr := &Trajectory{}
	if err := gob.NewDecoder(f).Decode(tr); err != nil {
		return nil, fmt.Errorf("studies: decoding trajectory %s: %w", path, err)
	}
	return tr, nil
}
