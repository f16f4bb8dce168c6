#!/usr/bin/env python3
"""Reference multi-class classification trees for Pure.Materials.Models.Trees.RandomForestClassifier, from scikit-learn 1.2.1.

Real, small, 3-class data: every 16th row of matbench_expt_gap (src/Pure.Materials/Data/Bundled/matbench_expt_gap.csv) with six
matminer v0.9.0 Magpie features (tests/Pure.Materials.Tests/Reference/matminer-0.9.0/composition_expt_gap.csv.gz, same row order);
the class is the band-gap range: 0 for a metal (gap 0 eV), 1 for 0 < gap < 2 eV, 2 for gap >= 2 eV. The first 200 such rows train,
the rest (88) test. Writes

  tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/tree_classifier_data.csv
      set, row, six features, label
  tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/tree_classifier.csv
      case, quantity, index, value (long format): DecisionTreeClassifier(random_state=0, **params) (best splitter, every feature):
      node_count, max_depth, children_left, children_right, feature, threshold, impurity, n_node_samples,
      weighted_n_node_samples, value (tree_.value[:, 0, :] flattened row-major, class counts), feature_importances,
      proba_test (predict_proba flattened row-major)
  tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/hist_gradient_boosting_classifier.csv
      case, quantity, index, value: HistGradientBoostingClassifier(random_state=0, **params) (fewer than 10000 rows: no early stopping,
      nothing random) on the 3-class labels ("multiclass_*") or on label > 0, non-metal vs metal ("binary_*"): n_iter, baseline
      (_baseline_prediction, flattened), proba_test (flattened row-major), decision_test (decision_function, flattened)

Every split node is checked to have one clearly best feature (no other feature within 1e-9 relative of its best proxy), so the
tree does not depend on scikit-learn's random feature order.

Usage (from the repository root):
    /usr/bin/python3 tools/reference/sklearn_tree_classifier.py
Versions used for the committed files: scikit-learn 1.2.1, numpy 1.24.2.
"""
import csv
import gzip
import os
import sys

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.tree import DecisionTreeClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")
FEATURES = ["MagpieData mean Electronegativity", "MagpieData range Electronegativity", "MagpieData mean NValence",
            "MagpieData mean MeltingT", "MagpieData mean CovalentRadius", "MagpieData mean GSvolume_pa"]
# Cases whose every split node has one clearly best feature (depth-limited trees without min_impurity_decrease tie on this data:
# small nodes are split into pure children equally well by two features).
CASES = {
    "gini_max_depth_4_min_impurity_decrease_0_02": dict(criterion="gini", max_depth=4, min_impurity_decrease=0.02),
    "gini_min_samples_leaf_5_min_impurity_decrease_0_01": dict(criterion="gini", min_samples_leaf=5, min_impurity_decrease=0.01),
    "gini_max_leaf_nodes_12": dict(criterion="gini", max_leaf_nodes=12),
    "entropy_min_samples_leaf_5_min_impurity_decrease_0_03": dict(criterion="entropy", min_samples_leaf=5, min_impurity_decrease=0.03),
    "entropy_max_depth_5_min_samples_leaf_5_min_impurity_decrease_0_02": dict(criterion="entropy", max_depth=5, min_samples_leaf=5, min_impurity_decrease=0.02),
    "log_loss_max_leaf_nodes_9": dict(criterion="log_loss", max_leaf_nodes=9),
}


def impurity(counts, criterion):
    w = counts.sum()
    if criterion == "gini":
        return 1.0 - (counts ** 2).sum() / (w * w)
    q = counts[counts > 0] / w
    return float(-(q * np.log2(q)).sum())


def best_proxy(xf, y, n_classes, min_leaf, criterion):
    xf = xf.astype(np.float32)
    order = np.argsort(xf, kind="stable")
    xs, ys = xf[order], y[order]
    total = np.bincount(ys, minlength=n_classes).astype(float)
    left = np.zeros(n_classes)
    best = -np.inf
    n = len(ys)
    for i in range(n - 1):
        left[ys[i]] += 1
        if xs[i + 1] <= xs[i] + 1e-7:
            continue
        pos = i + 1
        if pos < min_leaf or n - pos < min_leaf:
            continue
        right = total - left
        proxy = -right.sum() * impurity(right, criterion) - left.sum() * impurity(left, criterion)
        best = max(best, proxy)
    return best


def check_no_ties(case, tree, x, y, n_classes, min_leaf, criterion):
    t = tree.tree_
    node_rows = {0: np.arange(len(y))}
    for node in range(t.node_count):
        rows = node_rows[node]
        if t.children_left[node] == -1:
            continue
        proxies = sorted((best_proxy(x[rows, f], y[rows], n_classes, min_leaf, criterion) for f in range(x.shape[1])), reverse=True)
        if np.isfinite(proxies[1]) and proxies[0] - proxies[1] <= 1e-9 * abs(proxies[0]):
            sys.exit(f"case {case}: node {node} has a near tie between features; choose another case")
        go_left = x[rows, t.feature[node]].astype(np.float32) <= t.threshold[node]
        node_rows[t.children_left[node]] = rows[go_left]
        node_rows[t.children_right[node]] = rows[~go_left]


def load():
    with gzip.open(os.path.join(ROOT, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"), "rt") as fh:
        rows = list(csv.reader(fh))
    header, rows = rows[0], rows[1:]
    cols = [header.index(f) for f in FEATURES]
    with open(os.path.join(ROOT, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_gap.csv")) as fh:
        data = list(csv.reader(fh))[1:]
    assert len(data) == len(rows)
    xs, ys = [], []
    for i in range(0, len(rows), 16):
        assert rows[i][0] == data[i][1], (rows[i][0], data[i][1])
        gap = float(data[i][2])
        xs.append([float(rows[i][c]) for c in cols])
        ys.append(0 if gap == 0 else (1 if gap < 2 else 2))
    return np.array(xs), np.array(ys)


def main():
    assert sklearn.__version__ == "1.2.1", sklearn.__version__
    x, y = load()
    x_train, y_train, x_test, y_test = x[:200], y[:200], x[200:], y[200:]
    head = f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}; written by tools/reference/sklearn_tree_classifier.py\n"
    with open(os.path.join(OUT, "tree_classifier_data.csv"), "w", newline="") as fh:
        fh.write(head)
        fh.write("# every 16th row of matbench_expt_gap; label 0: gap 0 eV, 1: 0 < gap < 2 eV, 2: gap >= 2 eV; doubles are Python repr()\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["set", "row"] + [f.replace("MagpieData ", "").replace(" ", "_") for f in FEATURES] + ["label"])
        for name, xs, ys in (("train", x_train, y_train), ("test", x_test, y_test)):
            for i in range(len(ys)):
                w.writerow([name, i] + [repr(float(v)) for v in xs[i]] + [int(ys[i])])
    with open(os.path.join(OUT, "tree_classifier.csv"), "w", newline="") as fh:
        fh.write(head)
        fh.write("# (/usr/bin/python3 tools/reference/sklearn_tree_classifier.py); data: tree_classifier_data.csv; doubles are Python repr()\n")
        fh.write("# DecisionTreeClassifier(random_state=0, **params); value and proba_test flattened row-major (3 classes)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case", "quantity", "index", "value"])
        for case, params in CASES.items():
            tree = DecisionTreeClassifier(random_state=0, **params).fit(x_train, y_train)
            crit = "gini" if params["criterion"] == "gini" else "entropy"
            check_no_ties(case, tree, x_train, y_train, 3, params.get("min_samples_leaf", 1), crit)
            t = tree.tree_
            w.writerow([case, "params", 0, " ".join(f"{k}={v}" for k, v in params.items())])
            w.writerow([case, "node_count", 0, t.node_count])
            w.writerow([case, "max_depth", 0, t.max_depth])
            for q in ("children_left", "children_right", "feature", "n_node_samples"):
                for i, v in enumerate(getattr(t, q)):
                    w.writerow([case, q, i, int(v)])
            for q in ("threshold", "impurity", "weighted_n_node_samples"):
                for i, v in enumerate(getattr(t, q)):
                    w.writerow([case, q, i, repr(float(v))])
            for i, v in enumerate(t.value[:, 0, :].ravel()):
                w.writerow([case, "value", i, repr(float(v))])
            for i, v in enumerate(tree.feature_importances_):
                w.writerow([case, "feature_importances", i, repr(float(v))])
            for i, v in enumerate(tree.predict_proba(x_test).ravel()):
                w.writerow([case, "proba_test", i, repr(float(v))])
            print(case, "nodes", t.node_count, "test accuracy", (tree.predict(x_test) == y_test).mean())

    hgb_cases = {
        "default": dict(),
        "lr_0_3_leaves_8_min_leaf_5_l2_1_iter_30": dict(learning_rate=0.3, max_leaf_nodes=8, min_samples_leaf=5, l2_regularization=1.0, max_iter=30),
        "max_bins_16_depth_2_iter_20": dict(max_bins=16, max_depth=2, max_iter=20, min_samples_leaf=3),
    }
    with open(os.path.join(OUT, "hist_gradient_boosting_classifier.csv"), "w", newline="") as fh:
        fh.write(head)
        fh.write("# (/usr/bin/python3 tools/reference/sklearn_tree_classifier.py); data: tree_classifier_data.csv; doubles are Python repr()\n")
        fh.write("# HistGradientBoostingClassifier(random_state=0, **params); binary_*: labels (label > 0), multiclass_*: the 3 labels\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case", "quantity", "index", "value"])
        for kind, labels in (("binary", (y_train > 0).astype(int)), ("multiclass", y_train)):
            for name, params in hgb_cases.items():
                case = f"{kind}_{name}"
                model = HistGradientBoostingClassifier(random_state=0, **params).fit(x_train, labels)
                w.writerow([case, "params", 0, " ".join(f"{k}={v}" for k, v in params.items()) or "default"])
                w.writerow([case, "n_iter", 0, model.n_iter_])
                for i, v in enumerate(np.ravel(model._baseline_prediction)):
                    w.writerow([case, "baseline", i, repr(float(v))])
                for i, v in enumerate(model.predict_proba(x_test).ravel()):
                    w.writerow([case, "proba_test", i, repr(float(v))])
                for i, v in enumerate(np.ravel(model.decision_function(x_test))):
                    w.writerow([case, "decision_test", i, repr(float(v))])
                print(case, "n_iter", model.n_iter_)


if __name__ == "__main__":
    main()
