#!/usr/bin/env python3
"""Reference trees for Pure.Materials.Models.Trees.RandomForest, from scikit-learn 1.2.1.

A forest of one tree without bootstrap that uses every feature is deterministic up to ties between
equally good splits (scikit-learn breaks them by its random feature order). This script generates a
small data set with a seeded numpy Generator, fits such one-tree forests with several stopping rules,
checks that no node has two features with (nearly) the same best improvement, and writes:

  tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/random_forest_data.csv
      set (train/test), row, x0..x3, y
  tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/random_forest_single_tree.csv
      case, quantity, index, value  (long format), quantities: params (index 0), node_count, max_depth,
      children_left, children_right, feature, threshold, value, impurity, n_node_samples,
      weighted_n_node_samples (index = node), feature_importances (index = feature),
      predict_test (index = test row), predict_train (index = train row)

Features are drawn as float32 and stored as float64, so casting them back to float32 (as scikit-learn
and Pure.Materials do) is exact. Doubles are written with repr(), which round-trips binary64.

Usage (from the repository root):
    /usr/bin/python3 tools/reference/sklearn_random_forest.py

Versions used for the committed files: scikit-learn 1.2.1, numpy 1.24.2.
"""
import csv
import os
import sys

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestRegressor

EXPECTED = {"sklearn": "1.2.1", "numpy": "1.24.2"}
if sklearn.__version__ != EXPECTED["sklearn"] or np.__version__ != EXPECTED["numpy"]:
    sys.exit(f"needs scikit-learn {EXPECTED['sklearn']} and numpy {EXPECTED['numpy']}, "
             f"found {sklearn.__version__} and {np.__version__}")

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")
SEED = 20240611
N_TRAIN, N_TEST, N_FEATURES = 80, 40, 4

CASES = {
    "max_depth_3": dict(max_depth=3),
    "min_samples_leaf_5": dict(min_samples_leaf=5),
    "min_samples_split_12_max_depth_6": dict(min_samples_split=12, max_depth=6),
    "deep": dict(),
}
# The fully grown tree ends in two-sample nodes that every separating feature splits equally well, so
# only its training predictions (each leaf holds one training row) are comparable, not its structure.
STRUCTURE_COMPARABLE = {"max_depth_3", "min_samples_leaf_5", "min_samples_split_12_max_depth_6"}


def make_data(rng):
    x = rng.uniform(-2.0, 2.0, size=(N_TRAIN + N_TEST, N_FEATURES)).astype(np.float32).astype(np.float64)
    y = np.sin(1.5 * x[:, 0]) + 0.5 * x[:, 1] ** 2 + 0.3 * x[:, 2] + 0.1 * rng.normal(size=N_TRAIN + N_TEST)
    return x[:N_TRAIN], y[:N_TRAIN], x[N_TRAIN:], y[N_TRAIN:]


def best_proxy(xf, y, min_leaf):
    """Best S_L^2/n_L + S_R^2/n_R over thresholds of one feature (unit weights), or -inf."""
    order = np.argsort(xf, kind="stable")
    xs, ys = xf[order].astype(np.float32), y[order]
    n = len(ys)
    total = ys.sum()
    best = -np.inf
    cum = 0.0
    for k in range(n - 1):
        cum += ys[k]
        if float(xs[k + 1]) <= float(xs[k]) + 1e-7:
            continue
        nl = k + 1
        if nl < min_leaf or n - nl < min_leaf:
            continue
        best = max(best, cum * cum / nl + (total - cum) ** 2 / (n - nl))
    return best


def check_no_ties(case, tree, x, y, min_leaf):
    """Every split node: the chosen feature's best proxy beats every other feature's clearly."""
    t = tree.tree_
    node_rows = {0: np.arange(len(y))}
    for node in range(t.node_count):
        rows = node_rows[node]
        if t.children_left[node] == -1:
            continue
        proxies = sorted((best_proxy(x[rows, f], y[rows], min_leaf) for f in range(x.shape[1])), reverse=True)
        if np.isfinite(proxies[1]) and proxies[0] - proxies[1] <= 1e-9 * abs(proxies[0]):
            sys.exit(f"case {case}: node {node} has a near tie between features; choose another seed")
        go_left = x[rows, t.feature[node]].astype(np.float32) <= t.threshold[node]
        node_rows[t.children_left[node]] = rows[go_left]
        node_rows[t.children_right[node]] = rows[~go_left]


def main():
    rng = np.random.default_rng(SEED)
    x_train, y_train, x_test, y_test = make_data(rng)
    os.makedirs(OUT, exist_ok=True)
    header = [
        f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}; written by tools/reference/sklearn_random_forest.py",
        f"# (/usr/bin/python3 tools/reference/sklearn_random_forest.py, seed {SEED}); doubles are Python repr()",
    ]
    with open(os.path.join(OUT, "random_forest_data.csv"), "w", newline="") as fh:
        for line in header:
            fh.write(line + "\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["set", "row"] + [f"x{j}" for j in range(N_FEATURES)] + ["y"])
        for name, xs, ys in (("train", x_train, y_train), ("test", x_test, y_test)):
            for i in range(len(ys)):
                w.writerow([name, i] + [repr(float(v)) for v in xs[i]] + [repr(float(ys[i]))])

    with open(os.path.join(OUT, "random_forest_single_tree.csv"), "w", newline="") as fh:
        for line in header:
            fh.write(line + "\n")
        fh.write("# RandomForestRegressor(n_estimators=1, bootstrap=False, max_features=1.0, random_state=0, **params)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case", "quantity", "index", "value"])
        for case, params in CASES.items():
            forest = RandomForestRegressor(n_estimators=1, bootstrap=False, max_features=1.0, random_state=0, **params)
            forest.fit(x_train, y_train)
            tree = forest.estimators_[0]
            t = tree.tree_
            w.writerow([case, "params", 0, " ".join(f"{k}={v}" for k, v in params.items()) or "default"])
            w.writerow([case, "node_count", 0, t.node_count])
            w.writerow([case, "max_depth", 0, t.max_depth])
            if case in STRUCTURE_COMPARABLE:
                check_no_ties(case, tree, x_train, y_train, params.get("min_samples_leaf", 1))
                for q in ("children_left", "children_right", "feature", "n_node_samples"):
                    for i, v in enumerate(getattr(t, q)):
                        w.writerow([case, q, i, int(v)])
                for q in ("threshold", "impurity", "weighted_n_node_samples"):
                    for i, v in enumerate(getattr(t, q)):
                        w.writerow([case, q, i, repr(float(v))])
                for i, v in enumerate(t.value[:, 0, 0]):
                    w.writerow([case, "value", i, repr(float(v))])
                for i, v in enumerate(forest.feature_importances_):
                    w.writerow([case, "feature_importances", i, repr(float(v))])
                for i, v in enumerate(forest.predict(x_test)):
                    w.writerow([case, "predict_test", i, repr(float(v))])
            for i, v in enumerate(forest.predict(x_train)):
                w.writerow([case, "predict_train", i, repr(float(v))])


if __name__ == "__main__":
    main()
