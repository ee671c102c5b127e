package main

import (
	"archive/zip"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/closure-lab/closure/internal/atomicfile"
	"github.com/closure-lab/closure/pkg/dataset"
	"github.com/closure-lab/closure/pkg/experiment"
	"github.com/closure-lab/closure/pkg/sensors"
)

// Array names of a sample file besides those of the data set: arraySamples holds the closure
// samples, float32 [S, M, n, n], and arrayTrajectory the trajectory index of each of the S
// snapshots as float64 [S]. The file also holds dataset.ArrayOmegaBar and
// dataset.ArrayClosure (float32 [S, n, n]) and dataset.ArrayTime (float64 [S]).
const (
	arraySamples    = "samples"
	arrayTrajectory = "trajectory"
)

// sampleSettings is the JSON sidecar of a sample file: how the samples were drawn.
type sampleSettings struct {
	Preset       string  `json:"preset"`
	Model        string  `json:"model"`
	ModelPath    string  `json:"model_path"`
	Sampler      string  `json:"sampler"`
	Steps        int     `json:"steps"`
	NFE          int     `json:"nfe"`
	Members      int     `json:"members"`
	Seed         int64   `json:"seed"`
	DataDir      string  `json:"data_dir"`
	Split        string  `json:"split"`
	Snapshots    []int   `json:"snapshots"`
	N            int     `json:"n"`
	Seconds      float64 `json:"seconds"`
	SamplesFile  string  `json:"samples_file"`
	ArrayLayouts string  `json:"arrays"`
	// Sensors is the layout at which the model read the data set's closure, if any.
	Sensors sensors.Layout `json:"sensors,omitzero"`
}

func runSample(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	model := fs.String("model", "", "trained model to sample: latent-fm, diffusion or flow-matching")
	steps := fs.Int("steps", 0, "sampler steps (NFE is steps times the sampler's evaluations per step)")
	samplerName := fs.String("sampler", "", "euler, midpoint, heun or rk4 for flow matching; euler-maruyama, pc or ode for diffusion (default the first)")
	members := fs.Int("members", 0, "samples per snapshot (default the preset's evaluation members)")
	snapshots := fs.Int("snapshots", 0, "snapshots of the split, spread evenly (default the preset's evaluation snapshots; -1 for all)")
	split := fs.String("split", string(dataset.SplitTest), "data-set split of the conditions: train, validation or test")
	seed := fs.Int64("seed", 1, "seed of the sampler noise")
	presetName := fs.String("preset", "small", "`name` of the preset; run closure presets to list them")
	data := fs.String("data", "", "data-set directory (default datasets/PRESET)")
	models := fs.String("models", "", "directory of the trained models (default figures/PRESET, or figures/PRESET/sensors-TAG with sensors, as for closure train)")
	out := fs.String("out", "", "output .npz file (default MODELS/samples-MODEL-SAMPLER-STEPS.npz); a .json file of the settings goes beside it")
	sensorOptions := addSensorFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("sample takes no positional arguments, got %q; use --model KIND --steps N", fs.Args())
	}
	if *model == "" {
		return fmt.Errorf("sample needs --model; use one of latent-fm, diffusion, flow-matching")
	}
	kind, err := experiment.ParseModelKind(*model)
	if err != nil {
		return err
	}
	if *steps < 1 {
		return fmt.Errorf("sample needs --steps at least 1, got %d; for example --steps 1 for single-step sampling", *steps)
	}
	if *samplerName == "" {
		*samplerName = kind.DefaultSampler()
	}
	nfePerStep, err := kind.EvaluationsPerStep(*samplerName)
	if err != nil {
		return err
	}
	p, err := lookupPreset(*presetName)
	if err != nil {
		return err
	}
	if *members == 0 {
		*members = p.Evaluation.Members
	}
	if *members < 1 {
		return fmt.Errorf("sample needs --members at least 1, got %d", *members)
	}
	modelDir, err := sensorOptions.apply(&p)
	if err != nil {
		return err
	}
	if *models != "" {
		modelDir = *models
	}
	path := *out
	if path == "" {
		path = filepath.Join(modelDir, fmt.Sprintf("samples-%s-%s-%d.npz", kind, *samplerName, *steps))
	}
	if filepath.Ext(path) != ".npz" {
		return fmt.Errorf("sample --out %s must end in .npz", path)
	}

	ds, err := openDataset(p, *data)
	if err != nil {
		return err
	}
	conditions, err := loadConditions(ds, *split, *snapshots, p.Evaluation.Snapshots)
	if err != nil {
		return err
	}
	closure, err := experiment.LoadModelTrainedOn(p, kind, modelDir, *data)
	if err != nil {
		return err
	}
	sampler, err := closure.Sampler(*samplerName)
	if err != nil {
		return err
	}

	start := time.Now()
	var samples []float32
	if measured, ok := sampler.(experiment.MeasuredSampler); ok {
		// The model reads the data set's closure at its sensors.
		samples, err = measured.SampleMeasured(conditions.OmegaBar, conditions.Closure, *members, *steps, *seed)
	} else {
		samples, err = sampler.Sample(conditions.OmegaBar, *members, *steps, *seed)
	}
	if err != nil {
		return err
	}
	settings := sampleSettings{
		Preset: p.Name, Model: string(kind), ModelPath: closure.Path, Sampler: *samplerName,
		Steps: *steps, NFE: *steps * nfePerStep, Members: *members, Seed: *seed,
		DataDir: ds.Dir(), Split: *split, Snapshots: conditions.picks, N: conditions.N,
		Seconds: time.Since(start).Seconds(), SamplesFile: filepath.Base(path), Sensors: closure.Sensors(),
		ArrayLayouts: "omega_bar, closure: float32 [S, n, n]; samples: float32 [S, M, n, n]; time, trajectory: float64 [S]",
	}
	if err := writeSamples(path, conditions, samples, *members); err != nil {
		return err
	}
	sidecar := strings.TrimSuffix(path, ".npz") + ".json"
	if err := writeJSONFile(sidecar, settings); err != nil {
		return err
	}
	fmt.Printf("%d×%d closure samples of the %s model (%s, %d steps, %d NFE) in %.3g s\nwritten to %s and %s\n",
		len(conditions.picks), *members, kind, *samplerName, *steps, settings.NFE, settings.Seconds, path, sidecar)
	return ctx.Err()
}

// conditionSet holds the selected snapshots of a split: their indices, fields and labels.
type conditionSet struct {
	N          int
	picks      []int
	OmegaBar   []float32
	Closure    []float32
	Time       []float64
	Trajectory []float64
}

// loadConditions selects count snapshots spread evenly over the split (fallback when count
// is 0, all when it is -1).
func loadConditions(ds *dataset.Dataset, splitName string, count, fallback int) (*conditionSet, error) {
	split := dataset.Split(splitName)
	if split != dataset.SplitTrain && split != dataset.SplitValidation && split != dataset.SplitTest {
		return nil, fmt.Errorf("sample --split %q is unknown; use train, validation or test", splitName)
	}
	if len(ds.Trajectories(split)) == 0 {
		return nil, fmt.Errorf("the %s split of %s has no trajectories; choose another --split", split, ds.Dir())
	}
	data, err := ds.LoadSplit(split)
	if err != nil {
		return nil, err
	}
	switch {
	case count == 0:
		count = fallback
	case count == -1:
		count = data.Snapshots
	case count < -1:
		return nil, fmt.Errorf("sample --snapshots %d is invalid; use a positive count, 0 for the preset's or -1 for all", count)
	}

	n := data.N
	size := n * n
	set := &conditionSet{N: n, picks: experiment.SelectSnapshots(data, count)}
	for _, s := range set.picks {
		set.OmegaBar = append(set.OmegaBar, data.OmegaBar[s*size:(s+1)*size]...)
		set.Closure = append(set.Closure, data.Closure[s*size:(s+1)*size]...)
		set.Time = append(set.Time, data.Time[s])
		set.Trajectory = append(set.Trajectory, float64(data.Trajectory[s]))
	}
	return set, nil
}

// npzArray is one array of an npz file: a flat []float32 or []float64 in C order.
type npzArray struct {
	name  string
	data  any
	shape []int
}

// writeSamples writes the conditions, true closures and samples to path as an uncompressed
// npz archive (the layout of numpy.savez, as in the data set's files), atomically: a
// temporary file in the same directory is renamed over path when complete.
func writeSamples(path string, c *conditionSet, samples []float32, members int) error {
	s, n := len(c.picks), c.N
	arrays := []npzArray{
		{dataset.ArrayOmegaBar, c.OmegaBar, []int{s, n, n}},
		{dataset.ArrayClosure, c.Closure, []int{s, n, n}},
		{arraySamples, samples, []int{s, members, n, n}},
		{dataset.ArrayTime, c.Time, []int{s}},
		{arrayTrajectory, c.Trajectory, []int{s}},
	}
	return writeAtomic(path, func(w io.Writer) error {
		archive := zip.NewWriter(w)
		for _, a := range arrays {
			entry, err := archive.CreateHeader(&zip.FileHeader{Name: a.name + ".npy", Method: zip.Store, Modified: dosEpoch})
			if err != nil {
				return err
			}
			if err := writeNPY(entry, a); err != nil {
				return fmt.Errorf("array %s: %w", a.name, err)
			}
		}
		return archive.Close()
	})
}

// dosEpoch, 1980-01-01, is the earliest time a zip header stores; fixed times make equal
// arrays give identical files.
var dosEpoch = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// writeNPY writes one array in NPY format 1.0: magic, version, header length, the header
// dictionary padded with spaces to a multiple of 64 bytes and ended by a newline, then the
// little-endian data. Reference: NumPy Enhancement Proposal 1, "A Simple File Format for
// NumPy Arrays" (R. Kern).
func writeNPY(w io.Writer, a npzArray) error {
	count := 1
	dims := make([]string, len(a.shape))
	for i, d := range a.shape {
		count *= d
		dims[i] = strconv.Itoa(d)
	}
	shape := "(" + strings.Join(dims, ", ") + ")"
	if len(dims) == 1 {
		shape = "(" + dims[0] + ",)"
	}

	var descr string
	var payload []byte
	var itemSize int
	switch values := a.data.(type) {
	case []float32:
		descr, itemSize, payload = "'<f4'", 4, make([]byte, 0, 4*len(values))
		for _, v := range values {
			payload = binary.LittleEndian.AppendUint32(payload, math.Float32bits(v))
		}
	case []float64:
		descr, itemSize, payload = "'<f8'", 8, make([]byte, 0, 8*len(values))
		for _, v := range values {
			payload = binary.LittleEndian.AppendUint64(payload, math.Float64bits(v))
		}
	default:
		return fmt.Errorf("unsupported element type %T", a.data)
	}
	if len(payload) != count*itemSize {
		return fmt.Errorf("%d values do not fill the shape %v", len(payload)/itemSize, a.shape)
	}

	const preamble = 10 // magic (6), version (2), header length (2)
	header := fmt.Sprintf("{'descr': %s, 'fortran_order': False, 'shape': %s, }", descr, shape)
	header += strings.Repeat(" ", (64-(preamble+len(header)+1)%64)%64) + "\n"
	start := []byte{0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0}
	binary.LittleEndian.PutUint16(start[8:], uint16(len(header)))
	for _, part := range [][]byte{start, []byte(header), payload} {
		if _, err := w.Write(part); err != nil {
			return err
		}
	}
	return nil
}

// writeJSONFile writes v as indented JSON to path atomically.
func writeJSONFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// writeAtomic creates the parent directory of path and replaces path with
// what fill writes, atomically. On error path is left as it was.
func writeAtomic(path string, fill func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating the directory of %s: %w", path, err)
	}
	return atomicfile.Write(path, fill)
}
