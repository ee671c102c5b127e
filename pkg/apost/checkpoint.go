package apost

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"

	"github.com/closure-lab/closure/internal/atomicfile"
)

// CheckpointFile is the name of the checkpoint inside Config.CheckpointDir.
const CheckpointFile = "apost-checkpoint.gob"

// checkpointVersion changes whenever the checkpoint layout changes.
const checkpointVersion = 1

// checkpoint is the state a run resumes from, encoded with encoding/gob,
// which stores float64 and complex128 values bit for bit.
type checkpoint struct {
	Version     int
	Fingerprint string
	Step        int
	DNS         []complex128
	// Members[c][m] is the half spectrum of member m of closure c, empty
	// for a failed member.
	Members [][][]complex128
	Outputs *outputs
}

// fingerprint hashes every setting that changes the numbers of a run, so that
// a run never resumes a checkpoint of another configuration. A custom
// forcing function cannot be hashed, so only its kind enters.
func (cfg *Config) fingerprint() string {
	dns := cfg.DNS
	dns.Forcing.Func = nil
	dns.Workers = 0
	fc := cfg.Filter
	fc.Workers = 0
	names := make([]string, len(cfg.Closures))
	for i, c := range cfg.Closures {
		names[i] = closureKey(c)
	}
	settings := struct {
		DNS, Filter                                                any
		StartTime, Duration, OutputEvery, CheckpointEvery, Average float64
		Members, PDFBins                                           int
		PDFRange                                                   float64
		Seed                                                       int64
		Closures                                                   []string
		RecordFields                                               bool
	}{dns, fc, cfg.StartTime, cfg.Duration, cfg.OutputEvery, cfg.CheckpointEvery, cfg.AverageWindow,
		cfg.Members, cfg.PDFBins, cfg.PDFRange, cfg.Seed, names, cfg.RecordFields}

	// %+v prints floats in their shortest exact form, so equal settings
	// give equal text and different settings different text.
	h := sha256.New()
	fmt.Fprintf(h, "%+v", settings)
	var buf [8]byte
	for _, v := range cfg.Initial {
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
		h.Write(buf[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// closureKey describes a closure by its name and the settings of the types
// of this package. A Sampler's weights cannot be hashed, so resuming with a
// different model under the same name is not detected.
func closureKey(c Closure) string {
	switch c := c.(type) {
	case Smagorinsky:
		return fmt.Sprintf("%s C_s=%g", c.Name(), c.coefficient())
	case Learned:
		return fmt.Sprintf("%s every=%d steps=%d per_member=%t", c.Name(), c.period(), c.samplerSteps(), c.PerMember)
	default:
		return c.Name()
	}
}

// save writes the current state atomically: to a temporary file that is
// synced and then renamed over CheckpointFile.
func (r *runner) save() error {
	cp := checkpoint{
		Version: checkpointVersion, Fingerprint: r.cfg.fingerprint(), Step: r.step,
		DNS: r.dns.VorticityHat(), Outputs: r.out,
	}
	for _, e := range r.ensembles {
		hats := make([][]complex128, len(e.members))
		for m, s := range e.members {
			if s != nil {
				hats[m] = s.VorticityHat()
			}
		}
		cp.Members = append(cp.Members, hats)
	}

	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&cp); err != nil {
		return fmt.Errorf("apost: encoding checkpoint at step %d: %w", r.step, err)
	}
	path := filepath.Join(r.cfg.CheckpointDir, CheckpointFile)
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("apost: writing the checkpoint: %w; check that the directory is writable", err)
	}
	r.log.Info("apost: checkpoint written", "path", path, "time", r.time(r.step), "step", r.step)
	return nil
}

// writeFileAtomic creates the directory of path and replaces path with data
// atomically.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating the directory of %s: %w", path, err)
	}
	return atomicfile.WriteFile(path, data)
}

// resume loads the checkpoint of cfg.CheckpointDir, if any, and reports
// whether it did.
func (r *runner) resume() (bool, error) {
	if r.cfg.CheckpointDir == "" {
		return false, nil
	}
	path := filepath.Join(r.cfg.CheckpointDir, CheckpointFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("apost: reading checkpoint %s: %w", path, err)
	}

	var cp checkpoint
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&cp); err != nil {
		return false, fmt.Errorf("apost: decoding checkpoint %s: %w; remove it to start afresh", path, err)
	}
	if err := r.checkCheckpoint(path, &cp); err != nil {
		return false, err
	}
	if err := r.restore(&cp); err != nil {
		return false, fmt.Errorf("apost: restoring checkpoint %s: %w", path, err)
	}
	r.log.Info("apost: resumed from checkpoint", "path", path, "time", r.time(r.step), "step", r.step)
	return true, nil
}

func (r *runner) checkCheckpoint(path string, cp *checkpoint) error {
	switch {
	case cp.Version != checkpointVersion:
		return fmt.Errorf("apost: checkpoint %s has version %d, this package writes %d; remove it to start afresh", path, cp.Version, checkpointVersion)
	case cp.Fingerprint != r.cfg.fingerprint():
		return fmt.Errorf("apost: checkpoint %s belongs to a different configuration; remove it or choose another CheckpointDir", path)
	case len(cp.Members) != len(r.ensembles) || cp.Outputs == nil || cp.Outputs.Result == nil:
		return fmt.Errorf("apost: checkpoint %s is incomplete; remove it to start afresh", path)
	}
	return nil
}

func (r *runner) restore(cp *checkpoint) error {
	if err := r.dns.SetVorticityHat(cp.DNS); err != nil {
		return err
	}
	for ci, e := range r.ensembles {
		if len(cp.Members[ci]) != len(e.members) {
			return fmt.Errorf("closure %q has %d members in the checkpoint, want %d", e.closure.Name(), len(cp.Members[ci]), len(e.members))
		}
		for m, hat := range cp.Members[ci] {
			if len(hat) == 0 {
				e.members[m] = nil
				continue
			}
			if err := e.members[m].SetVorticityHat(hat); err != nil {
				return err
			}
		}
	}
	r.step = cp.Step
	r.out = cp.Outputs
	return nil
}
