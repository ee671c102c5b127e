// Package geometry measures how well a latent embedding keeps the geometry of its data, on
// host float64 data.
//
// Point clouds are [][]float64 with one row per point, all rows of the same length. Distance
// matrices are [][]float64 of shape n x n, symmetric with a zero diagonal, so the metrics work
// on Euclidean distances (PairwiseDistances) and on geodesic distances alike.
//
// The metrics compare a reference distance matrix (data space, Euclidean or geodesic) with a
// latent one, over the n(n−1)/2 pairs i < j:
//   - Distortion: the relative RMS misfit of the latent distances after the best global scale,
//     0 for an isometry up to scale and at most 1.
//   - Trustworthiness and Continuity for k neighbours (Venna and Kaski, "Neighborhood
//     preservation in nonlinear projection methods: an experimental study", 2001; Kaski et al.,
//     "Trustworthiness and metrics in visualizing similarity of gene expression", 2003): 1 when
//     the k-nearest-neighbour sets agree, about 0.5 for a random embedding.
//   - Spearman: the rank correlation of the two sets of pairwise distances.
//
// GeodesicDistances estimates the geodesic distances of the manifold the points sample by
// shortest paths on their k-nearest-neighbour graph, as in Isomap (Tenenbaum, de Silva and
// Langford, "A global geometric framework for nonlinear dimensionality reduction", 2000).
package geometry
