// Package train contains the training loop shared by every model of this module. It runs
// Adam (GoMLX optimizers) with a warmup + cosine learning-rate schedule on mini-batches that a
// seeded shuffler draws from in-memory float32 data sets. It records training and validation
// losses, reports progress, and writes checkpoints of a GoMLX context atomically.
//
// Reproducibility: with the same seeds (Config.Seed for the shuffler and the context
// parameter context.ParamInitialSeed for weights and graph random numbers), the same
// backend and the same machine, a run gives bitwise identical losses and weights.
package train
