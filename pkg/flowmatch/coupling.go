package flowmatch

import (
	"fmt"
	"math"
)

// Assign solves the linear assignment problem for the n x n cost matrix cost, row-major, whose
// entry i*n + j is the cost of giving column j to row i. It returns the column assignment[i]
// of every row i such that the assignment is a permutation and Σ_i cost[i*n + assignment[i]]
// is minimal. Ties are broken deterministically. It returns an error when len(cost) != n*n, n < 1
// or a cost is NaN or infinite. The cost is O(n³) time and O(n) memory beyond the matrix.
//
// The algorithm is the shortest augmenting path method with dual potentials: rows are added
// one at a time, and each is matched by a Dijkstra-like search over reduced costs
// cost[i][j] − u[i] − v[j] ≥ 0 that then shifts the potentials. Reference: R. Jonker and
// A. Volgenant, "A shortest augmenting path algorithm for dense and sparse linear assignment
// problems", Computing 38 (1987); H. W. Kuhn, "The Hungarian method for the assignment
// problem", Naval Research Logistics Quarterly 2 (1955).
func Assign(cost []float64, n int) ([]int, error) {
	if n < 1 || len(cost) != n*n {
		return nil, fmt.Errorf("flowmatch.Assign: cost has %d entries, want n*n for n=%d ≥ 1", len(cost), n)
	}
	for k, c := range cost {
		if math.IsNaN(c) || math.IsInf(c, 0) {
			return nil, fmt.Errorf("flowmatch.Assign: cost[%d] (row %d, column %d) is %g; costs must be finite", k, k/n, k%n, c)
		}
	}

	// Rows and columns are numbered from 1 in the search, because index 0 of the column
	// arrays is a virtual column that contains the row being inserted.
	rowPotential := make([]float64, n+1)
	columnPotential := make([]float64, n+1)
	rowOfColumn := make([]int, n+1) // 0: column not matched yet
	previous := make([]int, n+1)    // previous column on the shortest path
	distance := make([]float64, n+1)
	visited := make([]bool, n+1)

	for row := 1; row <= n; row++ {
		rowOfColumn[0] = row
		column := 0
		for j := range distance {
			distance[j] = math.Inf(1)
			visited[j] = false
		}

		// Grow a shortest-path tree until it reaches an unmatched column.
		for {
			visited[column] = true
			current := rowOfColumn[column]
			delta, next := math.Inf(1), 0
			for j := 1; j <= n; j++ {
				if visited[j] {
					continue
				}
				reduced := cost[(current-1)*n+j-1] - rowPotential[current] - columnPotential[j]
				if reduced < distance[j] {
					distance[j], previous[j] = reduced, column
				}
				if distance[j] < delta {
					delta, next = distance[j], j
				}
			}
			for j := 0; j <= n; j++ {
				if visited[j] {
					rowPotential[rowOfColumn[j]] += delta
					columnPotential[j] -= delta
				} else {
					distance[j] -= delta
				}
			}
			column = next
			if rowOfColumn[column] == 0 {
				break
			}
		}

		// Flip the matching along the augmenting path.
		for column != 0 {
			prior := previous[column]
			rowOfColumn[column] = rowOfColumn[prior]
			column = prior
		}
	}

	assignment := make([]int, n)
	for j := 1; j <= n; j++ {
		assignment[rowOfColumn[j]-1] = j - 1
	}
	return assignment, nil
}

// OTPairing couples a mini-batch of source samples to target samples by exact optimal
// transport with the squared Euclidean cost. source and target are flat [n, dim] row-major.
// It returns the permutation pairing such that source row pairing[j] goes with target row j
// and Σ_j ‖source[pairing[j]] − target[j]‖² is minimal over all permutations. This is the
// minibatch OT coupling of Tong et al., "Improving and generalizing flow-based generative models with
// minibatch optimal transport" (TMLR 2024), and Pooladian et al., "Multisample flow matching:
// straightening flows with minibatch couplings" (ICML 2023). It returns an error when the
// lengths are not equal multiples of dim or a value is not finite.
func OTPairing(source, target []float32, dim int) ([]int, error) {
	if dim < 1 || len(source) != len(target) || len(source) == 0 || len(source)%dim != 0 {
		return nil, fmt.Errorf("flowmatch.OTPairing: source (%d values) and target (%d values) must both hold n ≥ 1 rows of dim=%d", len(source), len(target), dim)
	}

	n := len(source) / dim
	cost := make([]float64, n*n)
	for j := range n {
		targetRow := target[j*dim : (j+1)*dim]
		for i := range n {
			sourceRow := source[i*dim : (i+1)*dim]
			var squared float64
			for k, value := range targetRow {
				difference := float64(value) - float64(sourceRow[k])
				squared += difference * difference
			}
			cost[j*n+i] = squared
		}
	}

	pairing, err := Assign(cost, n)
	if err != nil {
		return nil, fmt.Errorf("flowmatch.OTPairing: %w", err)
	}
	return pairing, nil
}
