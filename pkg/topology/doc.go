// Package topology computes persistent homology of point clouds: the
// Vietoris–Rips persistence diagrams in dimensions 0 and 1, the bottleneck
// distance between diagrams, and farthest-point subsampling.
//
// # Conventions
//
//   - Homology is over the field Z/2.
//   - A Rips simplex enters the filtration at its diameter, the length of its
//     longest edge (the convention of GUDHI's RipsComplex and of Ripser). So a
//     filtration value is an edge length, twice the radius of the balls in the
//     Čech picture. For a dense sample of the unit circle the loop dies at √3,
//     the side of the inscribed equilateral triangle.
//   - A Diagram holds the pairs (birth, death) of one dimension. Death is
//     +Inf for essential classes: with no MaxFiltration, H0 has one essential
//     pair per connected component and H1 has none. Zero-length pairs are not
//     reported.
//   - Points are [][]float64 with one row per point, distances are Euclidean.
//     RipsDistances accepts any symmetric distance matrix instead.
//
// # Cost
//
// Rips stores the dense n x n distance matrix (8n² bytes), an n x n matrix of
// edge ranks (4n² bytes) and the sorted edge list (16 bytes per edge), about
// 20 MB for n = 1,000. Triangles are never stored: they are enumerated from
// their combinatorial index when a column of the coboundary matrix is needed,
// and most columns are settled by their first coface alone (apparent and
// emergent pairs). The filtration is cut at the enclosing radius, beyond
// which the complex is a cone. FarthestPointSample reduces a larger cloud to a
// size that Rips handles.
//
// The few columns that need reduction dominate the time. A long-lived class
// sums tens of thousands of columns, and their cofaces pass through a queue.
// With 1,000 points, one Rips call allocated 0.23 GB in total on a noisy
// torus in R^4, 0.54 GB on a noisy circle and 0.78 GB on evenly spaced circle
// points (go test -benchmem, BenchmarkRips).
//
// # References
//
//   - H. Edelsbrunner, D. Letscher and A. Zomorodian, "Topological persistence
//     and simplification" (2002), and A. Zomorodian and G. Carlsson,
//     "Computing persistent homology" (2005): the matrix reduction.
//   - C. Chen and M. Kerber, "Persistent homology computation with a twist"
//     (2011): clearing.
//   - U. Bauer, "Ripser: efficient computation of Vietoris–Rips persistence
//     barcodes" (2021): the reduction of the coboundary matrix with implicit
//     cofaces.
//   - D. Cohen-Steiner, H. Edelsbrunner and J. Harer, "Stability of
//     persistence diagrams" (2007): the bottleneck distance.
package topology
