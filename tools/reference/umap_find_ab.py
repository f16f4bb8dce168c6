#!/usr/bin/env python3
"""Reference values for Pure.Materials' UMAP: umap-learn's curve parameters a, b and scikit-learn's trustworthiness.

umap-learn is not installable here (no Debian package), so its `find_ab_params` is re-stated below from umap-learn's
umap_.py (300 points x in [0, 3 spread], target 1 below min_dist and exp(-(x - min_dist) / spread) above, fitted with
scipy.optimize.curve_fit to 1 / (1 + a x^(2b)) from its default start a = b = 1). The trustworthiness rows pin the test
helper against sklearn.manifold.trustworthiness on a seeded (X, embedding) pair. The graph rows are umap-learn's fuzzy
simplicial set (smooth_knn_dist, compute_membership_strengths, fuzzy union), re-stated in float64 from umap_.py, on exact
nearest neighbours of a seeded 50 x 4 sample.

Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/umap.csv (`case, quantity, values`; doubles with repr()).

Usage (from the repository root):
    /usr/bin/python3 tools/reference/umap_find_ab.py

Versions used for the committed file: Python 3, scikit-learn 1.2.1, numpy 1.24.2, scipy 1.10.1.
"""
import csv
import os
import sys

import numpy as np
import scipy
import sklearn
from scipy.optimize import curve_fit
from sklearn.manifold import trustworthiness

EXPECTED = {"sklearn": "1.2.1", "numpy": "1.24.2", "scipy": "1.10.1"}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")
HEADER = "# scikit-learn {sk}, numpy {np_}, scipy {sp}: /usr/bin/python3 tools/reference/umap_find_ab.py\n"


def find_ab_params(spread, min_dist):
    def curve(x, a, b):
        return 1.0 / (1.0 + a * x ** (2 * b))

    xv = np.linspace(0, spread * 3, 300)
    yv = np.zeros(xv.shape)
    yv[xv < min_dist] = 1.0
    yv[xv >= min_dist] = np.exp(-(xv[xv >= min_dist] - min_dist) / spread)
    params, _ = curve_fit(curve, xv, yv)
    return params[0], params[1]


def smooth_knn_dist(distances, k, n_iter=64, local_connectivity=1.0):
    """umap-learn's smooth_knn_dist re-stated in float64 (umap-learn keeps rho and sigma in float32)."""
    target = np.log2(k)
    rho = np.zeros(distances.shape[0])
    result = np.zeros(distances.shape[0])
    mean_distances = np.mean(distances)
    for i in range(distances.shape[0]):
        lo, hi, mid = 0.0, np.inf, 1.0
        ith = distances[i]
        non_zero = ith[ith > 0.0]
        if non_zero.shape[0] >= local_connectivity:
            index = int(np.floor(local_connectivity))
            interpolation = local_connectivity - index
            if index > 0:
                rho[i] = non_zero[index - 1]
                if interpolation > 1e-5:
                    rho[i] += interpolation * (non_zero[index] - non_zero[index - 1])
            else:
                rho[i] = interpolation * non_zero[0]
        elif non_zero.shape[0] > 0:
            rho[i] = np.max(non_zero)
        for _ in range(n_iter):
            psum = 0.0
            for j in range(1, distances.shape[1]):
                d = distances[i, j] - rho[i]
                psum += np.exp(-(d / mid)) if d > 0 else 1.0
            if np.fabs(psum - target) < 1e-5:
                break
            if psum > target:
                hi = mid
                mid = (lo + hi) / 2.0
            else:
                lo = mid
                mid = mid * 2 if hi == np.inf else (lo + hi) / 2.0
        result[i] = mid
        if rho[i] > 0.0:
            result[i] = max(result[i], 1e-3 * np.mean(ith))
        else:
            result[i] = max(result[i], 1e-3 * mean_distances)
    return result, rho


def fuzzy_graph(x, k):
    """Exact kNN (self first), umap-learn's membership strengths and fuzzy union W + W^T - W o W^T, dense."""
    dmat = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=-1))  # direct differences (no |x|^2 + |y|^2 - 2xy cancellation)
    n = x.shape[0]
    idx = np.array([[i] + [j for j in np.argsort(dmat[i], kind="stable") if j != i][: k - 1] for i in range(n)])
    dist = np.take_along_axis(dmat, idx, axis=1)
    dist[:, 0] = 0.0
    sigma, rho = smooth_knn_dist(dist, float(k))
    w = np.zeros((n, n))
    for i in range(n):
        for c in range(k):
            j = idx[i, c]
            if j == i:
                continue
            d = dist[i, c] - rho[i]
            w[i, j] = 1.0 if d <= 0 or sigma[i] == 0 else np.exp(-(d / sigma[i]))
    return sigma, rho, w + w.T - w * w.T


def vec(values):
    return " ".join(repr(float(v)) for v in values)


def main():
    found = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}
    if found != EXPECTED:
        sys.exit(f"expected {EXPECTED}, found {found}: the committed reference file names those versions")
    with open(os.path.join(OUT, "umap.csv"), "w", newline="") as f:
        f.write(HEADER.format(sk=sklearn.__version__, np_=np.__version__, sp=scipy.__version__))
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "quantity", "values"])
        for spread, min_dist in [(1.0, 0.1), (1.0, 0.0), (1.0, 0.001), (1.0, 0.5), (1.0, 1.0), (2.0, 0.1), (0.5, 0.25)]:
            a, b = find_ab_params(spread, min_dist)
            w.writerow([f"ab {spread!r} {min_dist!r}", "a b", vec([a, b])])
        # Trustworthiness of a noisy 2-D projection of 80 rows in 6-D (distinct distances: no ties).
        rng = np.random.default_rng(20261205)
        x = rng.normal(size=(80, 6))
        emb = x[:, :2] + 0.5 * rng.normal(size=(80, 2))
        for i in range(x.shape[0]):
            w.writerow(["trust", f"x{i}", vec(x[i])])
            w.writerow(["trust", f"e{i}", vec(emb[i])])
        for k in (5, 10):
            w.writerow(["trust", f"trustworthiness_{k}", repr(float(trustworthiness(x, emb, n_neighbors=k)))])
        # The fuzzy simplicial set of 50 rows in 4-D (n_neighbors 8): sigma, rho and the union's upper triangle (i, j, weight).
        gx = rng.normal(size=(50, 4))
        sigma, rho, graph = fuzzy_graph(gx, 8)
        for i in range(gx.shape[0]):
            w.writerow(["graph", f"x{i}", vec(gx[i])])
        w.writerow(["graph", "sigma", vec(sigma)])
        w.writerow(["graph", "rho", vec(rho)])
        for i, j in zip(*np.nonzero(np.triu(graph))):
            w.writerow(["graph", f"w {i} {j}", repr(float(graph[i, j]))])
    print(f"wrote umap.csv to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
