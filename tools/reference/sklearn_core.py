#!/usr/bin/env python3
"""Reference values for Pure.Materials metrics, scalers, imputer and splits, from scikit-learn 1.2.1.

Writes CSV files under tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/ from data generated here
with a seeded numpy Generator, so the output is the same on every run. Doubles are written with
repr() (shortest string that round-trips to the same binary64), NaN as "NaN".

Usage (from the repository root):
    /usr/bin/python3 tools/reference/sklearn_core.py

Versions used for the committed files: Python 3, scikit-learn 1.2.1, numpy 1.24.2, scipy 1.10.1.
"""
import csv
import math
import os
import sys
import warnings

import numpy as np
import scipy
import scipy.stats
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.metrics import (
    max_error,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    r2_score,
)
from sklearn.model_selection import KFold, train_test_split
from sklearn.preprocessing import MinMaxScaler, StandardScaler

EXPECTED = {"sklearn": "1.2.1", "numpy": "1.24.2", "scipy": "1.10.1"}
OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1",
)


def fmt(v):
    """Round-trip text of one double; NaN as 'NaN' and infinities as 'Infinity'/'-Infinity'."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


def vec(values):
    return " ".join(fmt(v) for v in values)


def matbench_mape(y_true, y_pred, threshold=1e-5):
    """Matbench v0.1 data_ops.mean_absolute_percentage_error: keeps rows with |y_true| > threshold."""
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    keep = np.abs(y_true) > threshold
    if not keep.any():
        return float("nan")  # numpy's mean of an empty array
    return float(np.mean(np.fabs((y_true[keep] - y_pred[keep]) / y_true[keep])))


def pearson(y_true, y_pred):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConstantInputWarning: the statistic is NaN
        return float(scipy.stats.pearsonr(y_true, y_pred).statistic)


def regression_cases(rng):
    cases = []
    cases.append(("hand_1_2_3", [1.0, 2.0, 3.0], [2.0, 2.0, 2.0]))
    y = rng.normal(0.0, 1.0, 50)
    cases.append(("normal_50", y, y + rng.normal(0.0, 0.3, 50)))
    gap = np.where(rng.random(200) < 0.5, 0.0, rng.exponential(1.5, 200))
    cases.append(("bandgap_zeros_200", gap, np.clip(gap + rng.normal(0.0, 0.4, 200), 0.0, None)))
    cases.append(("sklearn_doc_zero", [1.0, 0.0, 2.4, 7.0], [1.2, 0.1, 2.4, 8.0]))
    cases.append(("constant_true_perfect", [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]))
    cases.append(("constant_true_imperfect", [2.0, 2.0, 2.0], [1.0, 2.0, 3.0]))
    y = rng.normal(5.0, 2.0, 30)
    cases.append(("constant_pred", y, np.full(30, float(np.mean(y)))))
    cases.append(("two_points", [1.0, 2.0], [3.0, 1.0]))
    y = 1e6 + rng.normal(0.0, 1.0, 40)
    cases.append(("large_offset", y, y + rng.normal(0.0, 0.1, 40)))
    y = np.concatenate([rng.normal(0.0, 1e-5, 10), rng.normal(0.0, 1.0, 10)])
    cases.append(("tiny_values_matbench_mask", y, y + rng.normal(0.0, 1e-3, 20)))
    cases.append(("all_below_matbench_threshold", [0.0, 1e-6, -5e-6], [0.1, 0.0, 0.2]))
    y = rng.normal(-3.0, 4.0, 25)
    cases.append(("perfect", y, y.copy()))
    y = rng.lognormal(6.0, 0.6, 1000)  # phonon-peak-like, cm^-1
    cases.append(("lognormal_1000", y, y * rng.normal(1.0, 0.1, 1000) + rng.normal(0.0, 20.0, 1000)))
    y = rng.normal(0.0, 1.0, 60)
    cases.append(("anticorrelated", y, -0.5 * y + rng.normal(0.0, 0.2, 60)))
    return cases


def write_metrics(rng):
    path = os.path.join(OUT, "metrics_regression.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "n", "y_true", "y_pred", "mae", "mse", "rmse", "r2", "mape",
                    "mape_matbench", "max_error", "pearson_r"])
        for name, yt, yp in regression_cases(rng):
            yt = np.asarray(yt, dtype=float)
            yp = np.asarray(yp, dtype=float)
            w.writerow([
                name, len(yt), vec(yt), vec(yp),
                fmt(mean_absolute_error(yt, yp)),
                fmt(mean_squared_error(yt, yp)),
                fmt(mean_squared_error(yt, yp, squared=False)),
                fmt(r2_score(yt, yp)),
                fmt(mean_absolute_percentage_error(yt, yp)),
                fmt(matbench_mape(yt, yp)),
                fmt(max_error(yt, yp)),
                fmt(pearson(yt, yp)),
            ])


def write_fold_summary(rng):
    """numpy mean / std (ddof=0) / min / max over per-fold values, as Matbench's task.scores."""
    path = os.path.join(OUT, "fold_summary.csv")
    cases = [
        ("five_folds", rng.normal(0.45, 0.02, 5)),
        ("single", np.array([0.3])),
        ("identical", np.array([1.25, 1.25, 1.25])),
        ("ten_folds", rng.exponential(1.0, 10)),
    ]
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "values", "mean", "std", "min", "max"])
        for name, v in cases:
            w.writerow([name, vec(v), fmt(np.mean(v)), fmt(np.std(v)), fmt(np.min(v)), fmt(np.max(v))])


def scaler_cases(rng):
    n_train, n_test = 40, 10

    def mixed(n):
        return np.column_stack([
            rng.normal(0.0, 1.0, n),
            rng.normal(1e3, 50.0, n),
            np.full(n, 0.1),                     # near-constant after summation: scale_ must be 1
            rng.uniform(-5.0, 5.0, n),
            rng.exponential(1e-3, n),
        ])

    def constant(n):
        return np.column_stack([np.full(n, 3.0), np.zeros(n), rng.normal(2.0, 1.0, n)])

    def offset(n):
        return np.column_stack([1e8 + rng.normal(0.0, 1e-3, n), rng.normal(-7.0, 0.5, n)])

    return [
        ("mixed", mixed(n_train), mixed(n_test)),
        ("constant", constant(n_train), constant(n_test)),
        ("large_offset", offset(n_train), offset(n_test)),
    ]


def imputer_case(rng):
    xtr = rng.normal(0.0, 1.0, (30, 4)) * np.array([1.0, 10.0, 0.1, 100.0]) + np.array([0.0, 5.0, -1.0, 300.0])
    xte = rng.normal(0.0, 1.0, (8, 4)) * np.array([1.0, 10.0, 0.1, 100.0]) + np.array([0.0, 5.0, -1.0, 300.0])
    xtr[rng.random(xtr.shape) < 0.2] = np.nan
    xte[rng.random(xte.shape) < 0.3] = np.nan
    return xtr, xte


def write_matrix(w, case, estimator, quantity, m):
    m = np.atleast_2d(m)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            w.writerow([case, estimator, quantity, i, j, fmt(m[i, j])])


def write_vector(w, case, estimator, quantity, v):
    for j, x in enumerate(np.asarray(v, dtype=float)):
        w.writerow([case, estimator, quantity, 0, j, fmt(x)])


def write_scalers(rng):
    path = os.path.join(OUT, "scalers.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "estimator", "quantity", "row", "col", "value"])
        for case, xtr, xte in scaler_cases(rng):
            write_matrix(w, case, "input", "X_train", xtr)
            write_matrix(w, case, "input", "X_test", xte)

            s = StandardScaler().fit(xtr)
            write_vector(w, case, "standard", "mean_", s.mean_)
            write_vector(w, case, "standard", "var_", s.var_)
            write_vector(w, case, "standard", "scale_", s.scale_)
            write_matrix(w, case, "standard", "transform_train", s.transform(xtr))
            zte = s.transform(xte)
            write_matrix(w, case, "standard", "transform_test", zte)
            write_matrix(w, case, "standard", "inverse_transform_test", s.inverse_transform(zte))

            for name, rng_ in (("minmax", (0, 1)), ("minmax_m1_2", (-1, 2))):
                m = MinMaxScaler(feature_range=rng_).fit(xtr)
                write_vector(w, case, name, "data_min_", m.data_min_)
                write_vector(w, case, name, "data_max_", m.data_max_)
                write_vector(w, case, name, "data_range_", m.data_range_)
                write_vector(w, case, name, "scale_", m.scale_)
                write_vector(w, case, name, "min_", m.min_)
                write_matrix(w, case, name, "transform_train", m.transform(xtr))
                mte = m.transform(xte)
                write_matrix(w, case, name, "transform_test", mte)
                write_matrix(w, case, name, "inverse_transform_test", m.inverse_transform(mte))

        xtr, xte = imputer_case(rng)
        write_matrix(w, "missing", "input", "X_train", xtr)
        write_matrix(w, "missing", "input", "X_test", xte)
        imp = SimpleImputer(strategy="mean").fit(xtr)
        write_vector(w, "missing", "mean_imputer", "statistics_", imp.statistics_)
        write_matrix(w, "missing", "mean_imputer", "transform_train", imp.transform(xtr))
        write_matrix(w, "missing", "mean_imputer", "transform_test", imp.transform(xte))


def write_splits():
    path = os.path.join(OUT, "train_test_split.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["n", "test_size", "n_train", "n_test"])
        for n in (2, 5, 10, 30, 100, 1265, 4604):
            for ts in (0.07, 0.1, 0.2, 0.25, 0.3, 1.0 / 3.0, 0.5, 0.7, 0.9):
                idx = np.arange(n)
                try:
                    tr, te = train_test_split(idx, test_size=ts, random_state=0)
                except ValueError:
                    continue  # a side would be empty: the C# side reports a Problem (tested by hand)
                w.writerow([n, fmt(ts), len(tr), len(te)])

    path = os.path.join(OUT, "kfold_unshuffled.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["n", "k", "fold", "train", "test"])
        for n in (2, 5, 7, 10, 23, 101):
            for k in (2, 3, 5, 10):
                if k > n:
                    continue
                for fold, (tr, te) in enumerate(KFold(n_splits=k).split(np.zeros((n, 1)))):
                    w.writerow([n, k, fold, " ".join(map(str, tr)), " ".join(map(str, te))])


def main():
    found = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}
    if found != EXPECTED:
        sys.exit(f"expected {EXPECTED}, found {found}: the committed reference files name those versions")
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20230117)
    write_metrics(rng)
    write_fold_summary(rng)
    write_scalers(rng)
    write_splits()
    print(f"wrote reference files to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
