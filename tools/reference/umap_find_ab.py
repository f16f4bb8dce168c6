#!/usr/bin/env python3
"""Reference values for Pure.Materials' UMAP: umap-learn's curve parameters a, b and scikit-learn's trustworthiness.

umap-learn is not installable here (no Debian package), so its `find_ab_params` is re-stated below from umap-learn's
umap_.py (300 points x in [0, 3 spread], target 1 below min_dist and exp(-(x - min_dist) / spread) above, fitted with
scipy.optimize.curve_fit to 1 / (1 + a x^(2b)) from its default start a = b = 1). The trustworthiness rows pin the test
helper against sklearn.manifold.trustworthiness on a seeded (X, embedding) pair.

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
    print(f"wrote umap.csv to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
