#!/usr/bin/env python3
"""scikit-learn 1.2.1's HistGradientBoostingRegressor on the real expt_gap task, for Pure.Materials' `gbm`.

Data: matminer v0.9.0's own Magpie features (132 `MagpieData` columns of
tests/Pure.Materials.Tests/Reference/matminer-0.9.0/composition_expt_gap.csv.gz, read with float_precision="round_trip")
and target "gap expt" with the official Matbench folds from src/Pure.Materials/Data/Bundled/matbench_expt_gap.csv (same row
order). For each fold k: SimpleImputer(strategy="mean") fitted on the training rows (a no-op here: no NaN), then
HistGradientBoostingRegressor(random_state=0) with defaults (100 iterations; early stopping "auto" is off below 10000 rows, so
nothing is drawn at random).

Writes, in tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/:
  hgb_expt_gap_trees_fold0.csv   the 100 trees of fold 0 (`_predictors[i][0].nodes`, pre-order as scikit-learn numbers them):
                                 iteration,node,is_leaf,feature,threshold,left,right,value,count (split nodes: feature,
                                 num_threshold, children; leaves: value, which includes the learning rate)
  hgb_expt_gap_predictions.csv   fold,row,y_pred for every test row of the 5 folds (row = 0-based data row), and the
                                 per-fold baseline and MAE in the header comments

Usage (from the repository root; about 10 s):
    /usr/bin/python3 tools/reference/sklearn_hgb_expt_gap.py
Versions used for the committed files: scikit-learn 1.2.1, numpy 1.24.2, pandas 1.5.3 (Debian python3-sklearn).
"""
import csv
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer

assert sklearn.__version__ == "1.2.1", sklearn.__version__

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")
features = pd.read_csv(os.path.join(ROOT, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"),
                       float_precision="round_trip")
data = pd.read_csv(os.path.join(ROOT, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_gap.csv"), float_precision="round_trip")
assert list(features["composition"]) == list(data["composition"])
X = features[[c for c in features.columns if c.startswith("MagpieData ")]].to_numpy(dtype=float)
y = data["gap expt"].to_numpy(dtype=float)
fold = data["fold"].to_numpy()
assert X.shape == (4604, 132)

summary, predictions = [], []
for k in range(5):
    train, test = fold != k, fold == k
    imputer = SimpleImputer(strategy="mean").fit(X[train])
    model = HistGradientBoostingRegressor(random_state=0).fit(imputer.transform(X[train]), y[train])
    pred = model.predict(imputer.transform(X[test]))
    mae = float(np.mean(np.abs(pred - y[test])))
    summary.append((k, model.n_iter_, float(model._baseline_prediction.ravel()[0]), mae))
    predictions += [(k, int(r), repr(float(p))) for r, p in zip(np.flatnonzero(test), pred)]
    if k == 0:
        with open(os.path.join(OUT, "hgb_expt_gap_trees_fold0.csv"), "w", newline="") as fh:
            fh.write(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}; written by tools/reference/sklearn_hgb_expt_gap.py\n")
            fh.write("# HistGradientBoostingRegressor(random_state=0) on fold 0 of matbench_expt_gap (train = folds 1-4), 132 Magpie features\n")
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["iteration", "node", "is_leaf", "feature", "threshold", "left", "right", "value", "count"])
            for i, (predictor,) in enumerate(model._predictors):
                for n, node in enumerate(predictor.nodes):
                    leaf = bool(node["is_leaf"])
                    w.writerow([i, n, int(leaf), -1 if leaf else int(node["feature_idx"]),
                                "" if leaf else repr(float(node["num_threshold"])), -1 if leaf else int(node["left"]),
                                -1 if leaf else int(node["right"]), repr(float(node["value"])) if leaf else "", int(node["count"])])

with open(os.path.join(OUT, "hgb_expt_gap_predictions.csv"), "w", newline="") as fh:
    fh.write(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}; written by tools/reference/sklearn_hgb_expt_gap.py\n")
    fh.write("# HistGradientBoostingRegressor(random_state=0), official folds of matbench_expt_gap, 132 Magpie features\n")
    for k, n_iter, baseline, mae in summary:
        fh.write(f"# fold {k}: n_iter {n_iter}, baseline {baseline!r}, MAE {mae!r}\n")
    fh.write(f"# mean MAE {float(np.mean([s[3] for s in summary]))!r}\n")
    w = csv.writer(fh, lineterminator="\n")
    w.writerow(["fold", "row", "y_pred"])
    w.writerows(predictions)
for k, n_iter, baseline, mae in summary:
    print(f"fold {k}: n_iter {n_iter}, MAE {mae:.6f}")
print(f"mean MAE {np.mean([s[3] for s in summary]):.6f}")
