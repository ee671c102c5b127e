package train

// Options are the per-call settings that the models' Train methods take besides their
// configuration. Zero values keep the configuration's defaults.
type Options struct {
	// Steps, when positive, replaces the configured number of optimizer steps.
	Steps int
	// Progress, if not nil, is called after every step with the stage name and its state.
	Progress func(stage string, progress Progress)
	// ProgressBar draws a progress bar on stderr.
	ProgressBar bool
	// ValidationEvery is the number of steps between validation losses (0: only at the end).
	ValidationEvery int
	// Checkpoint, when not empty, is the training-state file of Config.Checkpoint: a killed
	// Train call started again with the same arguments resumes from it. Models with several
	// stages append ".STAGE" for each stage.
	Checkpoint string
	// CheckpointEvery is the number of steps between training-state checkpoints (0: only
	// after the last step).
	CheckpointEvery int
}

// StepsOr returns o.Steps when positive and configured otherwise.
func (o Options) StepsOr(configured int) int {
	if o.Steps > 0 {
		return o.Steps
	}
	return configured
}

// Apply copies the reporting, validation and checkpoint settings of o into cfg for the stage
// named stage (which also becomes cfg.Description). checkpointSuffix, when not empty, is
// appended to o.Checkpoint as ".SUFFIX", so the stages of one model keep separate files.
func (o Options) Apply(cfg *Config, stage, checkpointSuffix string) {
	cfg.Description = stage
	cfg.ValidationEvery = o.ValidationEvery
	cfg.ProgressBar = o.ProgressBar
	if o.Progress != nil {
		cfg.Progress = func(p Progress) { o.Progress(stage, p) }
	}
	if o.Checkpoint != "" {
		cfg.Checkpoint = o.Checkpoint
		if checkpointSuffix != "" {
			cfg.Checkpoint += "." + checkpointSuffix
		}
		cfg.CheckpointEvery = o.CheckpointEvery
	}
}
