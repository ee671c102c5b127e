// Package dataset stores closure training data on disk and reads it back.
//
// A data set is a directory that contains manifest.json and one NumPy .npz
// archive per trajectory, named traj-00007.npz for trajectory index 7. Each
// archive contains, as entries name.npy that numpy.load opens:
//
//   - omega_bar: float32 [T, n, n], the filtered vorticity on the LES grid;
//   - closure: float32 [T, n, n], the closure term H on the same grid;
//   - time: float64 [T], the simulation time of each snapshot;
//   - optional extra arrays declared in Config.ExtraArrays, each with leading
//     dimension T (for example a DNS vorticity field float32 [T, N, N]).
//
// Fields follow the project layout: a field on an n x n periodic grid is a
// row-major slice of length n*n with index i*n + j, where row i is the y index
// and column j the x index. Arrays are stored little-endian in C order.
//
// The manifest records:
//
//   - the format version, the code version and the creation time;
//   - the caller's generation parameters as a JSON object, and the grid size n;
//   - the split fractions and seed, and the shard;
//   - every array's dtype and shape;
//   - the SHA-256 checksum, byte size and split (train, validation or test)
//     of every trajectory file;
//   - whether generation is complete.
//
// Trajectories are split, not snapshots, so that correlated snapshots of one
// trajectory never end up on both sides of a train/test boundary. The split
// depends only on the split seed, the fractions and the number of
// trajectories.
//
// Every file is written to a temporary file in the same directory, synced and
// renamed into place, so a killed run leaves either the old or the new
// version of a file. OpenWriter resumes an interrupted run with the same
// parameters and rejects a directory that contains a data set generated with
// other parameters. Sharded runs write one directory per Shard, and Merge
// joins them into one data set after checking coverage and checksums.
package dataset
