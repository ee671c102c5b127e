#!/usr/bin/python3
"""Write the GUDHI reference fixtures for the Go tests of pkg/topology.

The script builds small seeded point clouds, computes their Vietoris-Rips
persistence diagrams in dimensions 0 and 1 over Z/2 with GUDHI, and computes
exact bottleneck distances between pairs of diagrams. It writes two files next
to itself:

  rips_fixtures.json        point clouds, thresholds and GUDHI diagrams
  bottleneck_fixtures.json  diagram pairs with GUDHI bottleneck distances and
                            Hera (gudhi.hera) 1- and 2-Wasserstein distances

Diagrams are lists of [birth, death] with death = null for an essential
(infinite) pair. Zero-length pairs are left out. A bottleneck distance of null
means +Inf (different numbers of essential pairs), and so does a Wasserstein
distance of null. The "wasserstein" object maps the order p to the distance
and is absent where Hera was not run. The Wasserstein distances use the L-infinity ground metric
and Hera's relative error bound WASSERSTEIN_DELTA.

Regenerate (Debian 12, GUDHI 3.7.1 from the python3-gudhi package):

  apt-get install -y --no-install-recommends python3-gudhi
  /usr/bin/python3 pkg/topology/testdata/make_fixtures.py

The Go tests only read the JSON files and never run Python.
"""

import json
import math
import os

import gudhi
import gudhi.hera
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

# Relative error bound passed to Hera's auction algorithm.
WASSERSTEIN_DELTA = 1e-8


def circle(rng, n, radius=1.0, noise=0.0, center=(0.0, 0.0)):
    angles = rng.uniform(0.0, 2.0 * math.pi, n)
    pts = np.stack([radius * np.cos(angles), radius * np.sin(angles)], axis=1)
    return pts + np.array(center) + noise * rng.standard_normal((n, 2))


def flat_torus(rng, n):
    a = rng.uniform(0.0, 2.0 * math.pi, n)
    b = rng.uniform(0.0, 2.0 * math.pi, n)
    return np.stack([np.cos(a), np.sin(a), np.cos(b), np.sin(b)], axis=1)


def blobs(rng, centers, per_blob, std):
    parts = [np.array(c) + std * rng.standard_normal((per_blob, len(c))) for c in centers]
    return np.concatenate(parts)


def lattice_with_duplicate(side):
    pts = [[float(i), float(j)] for i in range(side) for j in range(side)]
    pts.append(pts[7])
    return np.array(pts)


def point_clouds():
    rng = np.random.default_rng(20261204)
    clouds = [
        ("circle_noisy", circle(rng, 40, noise=0.05), None),
        ("circle_noisy_threshold", circle(rng, 40, noise=0.05), 0.9),
        ("two_circles", np.concatenate([circle(rng, 25, noise=0.03),
                                        circle(rng, 25, noise=0.03, center=(4.0, 0.0))]), None),
        ("uniform_square", rng.uniform(0.0, 1.0, (60, 2)), None),
        ("uniform_square_threshold", rng.uniform(0.0, 1.0, (60, 2)), 0.15),
        ("flat_torus", flat_torus(rng, 70), None),
        ("clusters_3d", blobs(rng, [(0, 0, 0), (5, 0, 0), (0, 5, 5)], 15, 0.2), None),
        ("lattice_ties", lattice_with_duplicate(6), None),
        ("uniform_cube", rng.uniform(-1.0, 1.0, (80, 3)), None),
    ]
    return clouds


def rips_diagrams(points, threshold):
    max_edge = math.inf if threshold is None else threshold
    complex_ = gudhi.RipsComplex(points=points, max_edge_length=max_edge)
    tree = complex_.create_simplex_tree(max_dimension=2)
    tree.compute_persistence(homology_coeff_field=2, min_persistence=0.0)
    return [tree.persistence_intervals_in_dimension(dim) for dim in (0, 1)]


def drop_zero_length(diagram):
    diagram = np.asarray(diagram, dtype=float).reshape(-1, 2)
    return diagram[diagram[:, 1] > diagram[:, 0]]


def encode(diagram):
    return [[float(b), None if math.isinf(d) else float(d)] for b, d in diagram]


def bottleneck(a, b):
    # The default e (the smallest positive double) is used, not e=0: in GUDHI
    # 3.7.1 the e=0 algorithm returned 1.5505 for the H1 pair
    # two_circles vs uniform_square_threshold, above the 0.4216 of sending
    # every point to the diagonal, while the default gives 0.4216.
    value = gudhi.bottleneck_distance(a, b)
    return None if math.isinf(value) else float(value)


def wasserstein(a, b, order):
    value = gudhi.hera.wasserstein_distance(a, b, order=order, internal_p=math.inf,
                                            delta=WASSERSTEIN_DELTA)
    return None if math.isinf(value) else float(value)


def distances(name, a, b):
    case = {"name": name, "a": encode(a), "b": encode(b), "distance": bottleneck(a, b)}
    # Hera 3.7.1 did not return (ran for minutes) on a diagram with only
    # essential pairs against one with finite pairs, so such cases carry no
    # Wasserstein values.
    if np.isfinite(a[:, 1]).any() and np.isfinite(b[:, 1]).any():
        case["wasserstein"] = {"1": wasserstein(a, b, 1.0), "2": wasserstein(a, b, 2.0)}
    return case


def random_diagram(rng, n_finite, births_inf):
    births = rng.uniform(0.0, 1.0, n_finite)
    deaths = births + rng.exponential(0.3, n_finite)
    pairs = [[b, d] for b, d in zip(births, deaths)]
    pairs += [[b, math.inf] for b in births_inf]
    return np.array(pairs, dtype=float).reshape(-1, 2)


def main():
    rips_cases = []
    diagrams = {}
    for name, points, threshold in point_clouds():
        h0, h1 = (drop_zero_length(d) for d in rips_diagrams(points, threshold))
        diagrams[name] = (h0, h1)
        rips_cases.append({
            "name": name,
            "max_filtration": threshold,
            "points": points.tolist(),
            "h0": encode(h0),
            "h1": encode(h1),
        })

    bottleneck_cases = []
    names = [name for name, _, _ in point_clouds()]
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            for dim in (0, 1):
                a, b = diagrams[first][dim], diagrams[second][dim]
                bottleneck_cases.append(distances(f"rips_h{dim}_{first}_vs_{second}", a, b))

    rng = np.random.default_rng(7)
    for k in range(12):
        n_inf = int(rng.integers(0, 3))
        a = random_diagram(rng, int(rng.integers(0, 15)), rng.uniform(0.0, 1.0, n_inf))
        b = random_diagram(rng, int(rng.integers(0, 15)), rng.uniform(0.0, 1.0, n_inf))
        bottleneck_cases.append(distances(f"random_{k}", a, b))

    with open(os.path.join(HERE, "rips_fixtures.json"), "w") as f:
        json.dump({"generator": f"GUDHI {gudhi.__version__}", "cases": rips_cases}, f, allow_nan=False)
        f.write("\n")
    with open(os.path.join(HERE, "bottleneck_fixtures.json"), "w") as f:
        json.dump({"generator": f"GUDHI {gudhi.__version__}", "wasserstein_delta": WASSERSTEIN_DELTA,
                   "cases": bottleneck_cases}, f, allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
