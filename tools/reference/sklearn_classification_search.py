#!/usr/bin/env python3
"""Reference values for classification search and learning curves (Pure.Materials' one task model), from scikit-learn 1.2.1.

Two modes, run from the repository root:

    /usr/bin/python3 tools/reference/sklearn_classification_search.py subset FEATURIZED.csv
        Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/is_metal_magpie_subset.csv: rows 0, 16, 32, ... (the first 300)
        of the bundled matbench_expt_is_metal.csv with mbid, composition, is_metal and 8 Magpie columns taken from FEATURIZED.csv,
        the output of `pure-materials featurize --featurizers magpie` on those rows (Magpie equal to matminer v0.9.0's, see the
        repository README). The file has no comment line so that the library's CSV loader reads it as a data set.

    /usr/bin/python3 tools/reference/sklearn_classification_search.py
        Reads that subset and writes search_curve_is_metal.csv (long format: kind, model, x, metric, quantity, value):
        - GridSearchCV(GaussianNB(), var_smoothing in [1e-9, 1e-6, 1e-3, 1e-1]) and
          GridSearchCV(make_pipeline(StandardScaler(), LogisticRegression(solver="newton-cg", tol=1e-6, max_iter=10000)), C in [0.01, 1, 100]),
          both with cv=KFold(5) (no shuffle) and scoring accuracy, balanced_accuracy, roc_auc, neg_log_loss (refit=neg_log_loss):
          mean_test_score, std_test_score, rank_test_score per candidate, best_index per model;
        - learning_curve(GaussianNB(var_smoothing=1e-3), train_sizes=linspace(0.1, 1, 5), cv=KFold(5), shuffle=False) with
          scoring accuracy and neg_log_loss: train/test mean and std per size.

Versions used for the committed files: Python 3, scikit-learn 1.2.1, numpy 1.24.2, scipy 1.10.1, pandas 1.5.3 (the script refuses others).
Byte-identical on re-run.
"""
import csv
import math
import os
import sys

import numpy as np
import pandas as pd
import scipy
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, learning_curve
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

EXPECTED = {"sklearn": "1.2.1", "numpy": "1.24.2", "scipy": "1.10.1", "pandas": "1.5.3"}
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")
SUBSET = os.path.join(OUT, "is_metal_magpie_subset.csv")
COLUMNS = [
    "MagpieData mean Number", "MagpieData mean MendeleevNumber", "MagpieData mean AtomicWeight", "MagpieData mean Electronegativity",
    "MagpieData mean NValence", "MagpieData mean GSvolume_pa", "MagpieData avg_dev Electronegativity", "MagpieData range Electronegativity",
]
SCORING = ["accuracy", "balanced_accuracy", "roc_auc", "neg_log_loss"]


def check_versions():
    found = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__, "pandas": pd.__version__}
    if found != EXPECTED:
        sys.exit(f"expected {EXPECTED}, found {found}")


def fmt(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    return repr(v)


def subset(featurized):
    bundled = pd.read_csv(os.path.join(ROOT, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_is_metal.csv"), dtype=str, keep_default_na=False)
    rows = bundled.iloc[::16].head(300).reset_index(drop=True)
    features = pd.read_csv(featurized, float_precision="round_trip")
    if list(features["id"]) != list(rows["mbid"]):
        sys.exit("the featurized file's ids are not rows 0, 16, 32, ... of matbench_expt_is_metal.csv")
    out = pd.DataFrame({"mbid": rows["mbid"], "composition": rows["composition"], "is_metal": rows["is_metal"]})
    for c in COLUMNS:
        out[c] = features[c].map(fmt)
    out.to_csv(SUBSET, index=False, lineterminator="\n")


def main():
    data = pd.read_csv(SUBSET, float_precision="round_trip")
    x = data[COLUMNS].to_numpy(dtype=float)
    y = (data["is_metal"].astype(str) == "True").astype(int).to_numpy()
    cv = KFold(5)
    with open(os.path.join(OUT, "search_curve_is_metal.csv"), "w", newline="") as f:
        f.write(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, pandas {pd.__version__}: "
                "/usr/bin/python3 tools/reference/sklearn_classification_search.py (data: is_metal_magpie_subset.csv)\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["kind", "model", "x", "metric", "quantity", "value"])
        searches = [
            ("gnb", "var_smoothing", GaussianNB(), {"var_smoothing": [1e-9, 1e-6, 1e-3, 1e-1]}),
            ("logistic", "C", make_pipeline(StandardScaler(), LogisticRegression(solver="newton-cg", tol=1e-6, max_iter=10000)),
             {"logisticregression__C": [0.01, 1.0, 100.0]}),
        ]
        for name, param, estimator, grid in searches:
            search = GridSearchCV(estimator, grid, cv=cv, scoring=SCORING, refit="neg_log_loss").fit(x, y)
            values = next(iter(grid.values()))
            for i, v in enumerate(values):
                for s in SCORING:
                    for q in ("mean_test", "std_test", "rank_test"):
                        w.writerow(["search", name, f"{param}={v!r}", s, q + "_score", fmt(search.cv_results_[f"{q}_{s}"][i])])
            w.writerow(["search", name, "", "neg_log_loss", "best_index", str(search.best_index_)])
        for s in ("accuracy", "neg_log_loss"):
            sizes, train, test = learning_curve(GaussianNB(var_smoothing=1e-3), x, y, train_sizes=np.linspace(0.1, 1.0, 5), cv=cv, scoring=s, shuffle=False)
            for k, m in enumerate(sizes):
                for q, values in (("train_mean", train[k].mean()), ("train_std", train[k].std()), ("test_mean", test[k].mean()), ("test_std", test[k].std())):
                    w.writerow(["curve", "gnb", str(int(m)), s, q, fmt(values)])


if __name__ == "__main__":
    check_versions()
    if len(sys.argv) == 3 and sys.argv[1] == "subset":
        subset(sys.argv[2])
    else:
        main()
