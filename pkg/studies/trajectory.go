package studies

import (
	"fmt"

	"github.com/closure-lab/closure/pkg/preset"
	"github.com/closure-lab/closure/pkg/solver"
)

// TrajectoryConfig selects a DNS trajectory of a preset's flow. The zero value
// takes the preset's spin-up, snapshot interval and snapshot count
// (Data.SpinUp, Data.Interval, Data.Snapshots), trajectory 0's initial field,
// and samples energy and enstrophy every 0.1 time units.
type TrajectoryConfig struct {
	// Member selects the random initial field of the preset's trajectory
	// Member, seeded as the data-set generator (experiment.InitialField) seeds it.
	Member int
	// SpinUp is the time before the first snapshot; 0 means the preset's.
	// Use a negative value for no spin-up.
	SpinUp float64
	// Interval is the time between snapshots; 0 means the preset's.
	Interval float64
	// Snapshots is the number of snapshots after the spin-up; 0 means the preset's.
	Snapshots int
	// SeriesInterval is the time between energy and enstrophy samples, from
	// t = 0 on; 0 means 0.1 rounded to whole steps.
	SeriesInterval float64
}

// Trajectory is one DNS run of a preset's flow.
type Trajectory struct {
	// Preset is the preset's name, Params the solver parameters of the run
	// and SpinUp the time before the first snapshot.
	Preset string
	Params solver.Params
	SpinUp float64
	// Times[i] is the time of the DNS vorticity Snapshots[i] (length N*N).
	Times     []float64
	Snapshots [][]float64
	// SeriesTimes, Energy and Enstrophy are ½⟨u² + v²⟩ and ½⟨ω²⟩ sampled from
	// t = 0 (the initial field) to the last snapshot, spin-up included.
	SeriesTimes []float64
	Energy      []float64
	Enstrophy   []float64
	// MeanSpectrum[k] is the energy spectrum E(k) of shell k averaged over
	// the snapshots, normalized so that Σ_k E(k) is the kinetic energy.
	MeanSpectrum []float64
}

// RunTrajectory integrates the preset's DNS from a random initial field,
// records energy and enstrophy over the whole run and the vorticity at every
// snapshot after the spin-up, and averages the energy spectrum over the
// snapshots. It returns an error on invalid spans or a solver failure.
func RunTrajectory(p preset.Preset, cfg TrajectoryConfig) (*Trajectory, error) {
	params, err := p.SolverParams()
	if err != nil {
		return nil, err
	}
	cfg = trajectoryDefaults(p, cfg, params.Dt)

	s, err := solver.New(params)
	if err != nil {
		return nil, err
	}
	if err := s.SetRandomVorticity(p.InitialField(cfg.Member)); err != nil {
		return nil, err
	}

	tr := &Trajectory{Preset: p.Name, Params: s.Params(), SpinUp: max(cfg.SpinUp, 0)}
	if err := tr.run(s, cfg); err != nil {
		return nil, fmt.Errorf("studies: trajectory of preset %q: %w", p.Name, err)
	}
	return tr, nil
}

func trajectoryDefaults(p preset.Preset, cfg TrajectoryConfig, dt float64) TrajectoryConfig {
	if cfg.SpinUp == 0 {
		cfg.SpinUp = p.Data.SpinUp
	}
	if cfg.Interval == 0 {
		cfg.Interval = p.Data.Interval
	}
	if cfg.Snapshots == 0 {
		cfg.Snapshots = p.Data.Snapshots
	}
	if cfg.SeriesInterval == 0 {
		cfg.SeriesInterval = float64(max(int(0.1/dt+0.5), 1)) * dt
	}
	return cfg
}

// run advances s in steps of the series interval, so that snapshot times that
// are multiples of it fall on sample times, and stores what tr records.
func (tr *Trajectory) run(s *solver.Solver, cfg TrajectoryConfig) error {
	dt := tr.Params.Dt
	seriesSteps, err := stepsIn(cfg.SeriesInterval, dt, "series interval")
	if err != nil {
		return err
	}
	snapSteps, err := stepsIn(cfg.Interval, dt, "snapshot interval")
	if err != nil {
		return err
	}
	spinSteps := 0
	if cfg.SpinUp > 0 {
		if spinSteps, err = stepsIn(cfg.SpinUp, dt, "spin-up"); err != nil {
			return err
		}
	}
	if cfg.Snapshots < 1 {
		return fmt.Errorf("studies: snapshot count %d must be positive", cfg.Snapshots)
	}

	total := spinSteps + cfg.Snapshots*snapSteps
	tr.sample(s)
	for step := 1; step <= total; step++ {
		if err := s.Step(); err != nil {
			return err
		}
		if step%seriesSteps == 0 {
			tr.sample(s)
		}
		if step > spinSteps && (step-spinSteps)%snapSteps == 0 {
			tr.snapshot(s)
		}
	}

	for k := range tr.MeanSpectrum {
		tr.MeanSpectrum[k] /= float64(len(tr.Snapshots))
	}
	return nil
}

func (tr *Trajectory) sample(s *solver.Solver) {
	tr.SeriesTimes = append(tr.SeriesTimes, s.Time())
	tr.Energy = append(tr.Energy, s.KineticEnergy())
	tr.Enstrophy = append(tr.Enstrophy, s.Enstrophy())
}

func (tr *Trajectory) snapshot(s *solver.Solver) {
	tr.Times = append(tr.Times, s.Time())
	tr.Snapshots = append(tr.Snapshots, s.Vorticity(nil))

	spectrum := s.EnergySpectrum()
	if tr.MeanSpectrum == nil {
		tr.MeanSpectrum = make([]float64, len(spectrum))
	}
	for k, e := range spectrum {
		tr.MeanSpectrum[k] += e
	}
}

// Wavenumbers returns the shell wavenumbers 0, 1, … of MeanSpectrum in units
// of 2π/L.
func (tr *Trajectory) Wavenumbers() []float64 {
	k := make([]float64, len(tr.MeanSpectrum))
	for i := range k {
		k[i] = float64(i)
	}
	return k
}

// SteadyMeans returns the energy and enstrophy averaged over the series
// samples after the spin-up, the statistically steady part of the run. It
// returns NaN for both when no sample lies after the spin-up.
func (tr *Trajectory) SteadyMeans() (energy, enstrophy float64) {
	count := 0
	for i, t := range tr.SeriesTimes {
		if t > tr.SpinUp {
			energy += tr.Energy[i]
			enstrophy += tr.Enstrophy[i]
			count++
		}
	}
	return energy / float64(count), enstrophy / float64(count)
}
