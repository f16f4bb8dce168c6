#!/usr/bin/env python3
"""Reference single trees for Pure.Materials.Models.Trees.DecisionTree, from scikit-learn 1.2.1.

Fits DecisionTreeRegressor(random_state=0, **params) (best splitter, every feature) on the training rows of
tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/random_forest_data.csv (written by sklearn_random_forest.py), for the
growth options the random-forest reference does not cover: best-first growth (max_leaf_nodes) and min_impurity_decrease.
Checks that no node has two features with (nearly) the same best improvement, and writes

  tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/decision_tree.csv
      case, quantity, index, value (long format); quantities as in random_forest_single_tree.csv
  tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/hist_gradient_boosting.csv
      case, quantity, index, value: HistGradientBoostingRegressor(random_state=0, **params) (no early stopping below
      10000 rows, so no randomness): n_iter, baseline, predict_test, predict_train
  tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/decision_tree_classifier.csv
      case, quantity, index, value: DecisionTreeClassifier(random_state=0, **params) on y > median(y) (labels 0/1):
      node_count, feature, threshold, proba_test (probability of class 1), feature_importances

Usage (from the repository root):
    /usr/bin/python3 tools/reference/sklearn_trees.py
Versions used for the committed file: scikit-learn 1.2.1, numpy 1.24.2.
"""
import csv
import importlib.util
import os

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("rf_ref", os.path.join(HERE, "sklearn_random_forest.py"))
rf_ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rf_ref)  # version check, data layout, tie check

OUT = rf_ref.OUT
# Cases whose every split node has a clear best feature (the tie check rejects, e.g., max_leaf_nodes=10 and
# min_impurity_decrease=0.01 alone on this data: a small node there is split equally well by two features).
CASES = {
    "max_leaf_nodes_7": dict(max_leaf_nodes=7),
    "max_leaf_nodes_15_min_samples_leaf_4": dict(max_leaf_nodes=15, min_samples_leaf=4),
    "max_leaf_nodes_12_max_depth_3": dict(max_leaf_nodes=12, max_depth=3),
    "min_impurity_decrease_0_01_min_samples_leaf_4": dict(min_impurity_decrease=0.01, min_samples_leaf=4),
    "min_impurity_decrease_0_05": dict(min_impurity_decrease=0.05, min_samples_leaf=3),
}


def read_data():
    rows = [r for r in csv.reader(open(os.path.join(OUT, "random_forest_data.csv"))) if r and not r[0].startswith("#")]
    header, rows = rows[0], rows[1:]
    xs = {"train": [], "test": []}
    ys = {"train": [], "test": []}
    for r in rows:
        xs[r[0]].append([float(v) for v in r[2:-1]])
        ys[r[0]].append(float(r[-1]))
    return np.array(xs["train"]), np.array(ys["train"]), np.array(xs["test"])


def main():
    x_train, y_train, x_test = read_data()
    with open(os.path.join(OUT, "decision_tree.csv"), "w", newline="") as fh:
        fh.write(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}; written by tools/reference/sklearn_trees.py\n")
        fh.write("# (/usr/bin/python3 tools/reference/sklearn_trees.py); data: random_forest_data.csv; doubles are Python repr()\n")
        fh.write("# DecisionTreeRegressor(random_state=0, **params)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case", "quantity", "index", "value"])
        for case, params in CASES.items():
            tree = DecisionTreeRegressor(random_state=0, **params).fit(x_train, y_train)
            rf_ref.check_no_ties(case, tree, x_train, y_train, params.get("min_samples_leaf", 1))
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
            for i, v in enumerate(t.value[:, 0, 0]):
                w.writerow([case, "value", i, repr(float(v))])
            for i, v in enumerate(tree.feature_importances_):
                w.writerow([case, "feature_importances", i, repr(float(v))])
            for i, v in enumerate(tree.predict(x_test)):
                w.writerow([case, "predict_test", i, repr(float(v))])
            for i, v in enumerate(tree.predict(x_train)):
                w.writerow([case, "predict_train", i, repr(float(v))])

    hgb_cases = {
        "default": dict(),
        "lr_0_3_leaves_8_min_leaf_5_l2_1_iter_30": dict(learning_rate=0.3, max_leaf_nodes=8, min_samples_leaf=5, l2_regularization=1.0, max_iter=30),
        "max_bins_16_depth_2_iter_20": dict(max_bins=16, max_depth=2, max_iter=20, min_samples_leaf=3),
    }
    with open(os.path.join(OUT, "hist_gradient_boosting.csv"), "w", newline="") as fh:
        fh.write(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}; written by tools/reference/sklearn_trees.py\n")
        fh.write("# (/usr/bin/python3 tools/reference/sklearn_trees.py); data: random_forest_data.csv; doubles are Python repr()\n")
        fh.write("# HistGradientBoostingRegressor(random_state=0, **params)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case", "quantity", "index", "value"])
        for case, params in hgb_cases.items():
            model = HistGradientBoostingRegressor(random_state=0, **params).fit(x_train, y_train)
            w.writerow([case, "params", 0, " ".join(f"{k}={v}" for k, v in params.items()) or "default"])
            w.writerow([case, "n_iter", 0, model.n_iter_])
            w.writerow([case, "baseline", 0, repr(float(model._baseline_prediction.ravel()[0]))])
            for i, v in enumerate(model.predict(x_test)):
                w.writerow([case, "predict_test", i, repr(float(v))])
            for i, v in enumerate(model.predict(x_train)):
                w.writerow([case, "predict_train", i, repr(float(v))])

    labels = (y_train > np.median(y_train)).astype(int)
    clf_cases = {"max_depth_3": dict(max_depth=3), "min_samples_leaf_8": dict(min_samples_leaf=8), "max_leaf_nodes_6": dict(max_leaf_nodes=6)}
    with open(os.path.join(OUT, "decision_tree_classifier.csv"), "w", newline="") as fh:
        fh.write(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}; written by tools/reference/sklearn_trees.py\n")
        fh.write("# (/usr/bin/python3 tools/reference/sklearn_trees.py); data: random_forest_data.csv, labels y > median(y_train)\n")
        fh.write("# DecisionTreeClassifier(random_state=0, **params) (criterion gini)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case", "quantity", "index", "value"])
        for case, params in clf_cases.items():
            tree = DecisionTreeClassifier(random_state=0, **params).fit(x_train, labels)
            rf_ref.check_no_ties(case, tree, x_train, labels.astype(float), params.get("min_samples_leaf", 1))
            t = tree.tree_
            w.writerow([case, "params", 0, " ".join(f"{k}={v}" for k, v in params.items())])
            w.writerow([case, "node_count", 0, t.node_count])
            for i, v in enumerate(t.feature):
                w.writerow([case, "feature", i, int(v)])
            for i, v in enumerate(t.threshold):
                w.writerow([case, "threshold", i, repr(float(v))])
            for i, v in enumerate(tree.feature_importances_):
                w.writerow([case, "feature_importances", i, repr(float(v))])
            for i, v in enumerate(tree.predict_proba(x_test)[:, 1]):
                w.writerow([case, "proba_test", i, repr(float(v))])


if __name__ == "__main__":
    main()
