"""scikit-learn side of the linear/kernel/logistic benchmark (issue 4), for fit and predict times on the same machine.

Data (the same rows and values the BenchmarkDotNet class LinearModelBenchmarks uses):
- regression: Magpie features of the bundled matbench_expt_gap (132 columns), target `gap expt` (eV);
- classification: Magpie features of the bundled matbench_expt_is_metal, target `is_metal` (True = 1).
The features are read from CSVs written by our CLI (`pure-materials featurize`, values identical to matminer v0.9.0: the expt_gap
file equals tests/Pure.Materials.Tests/Reference/matminer-0.9.0/composition_expt_gap.csv.gz bit for bit). Training rows are those
with Matbench fold != 0 (expt_gap 3683 x 132, expt_is_metal 3936 x 132), test rows fold == 0. As our pipeline does, missing
values are mean-imputed and every column standardised (StandardScaler, population std) with statistics of the training rows only;
only the learner's fit and predict are timed.

Learners (scikit-learn names):
- Ridge(alpha=1.0)                                   (solver "auto" = cholesky for dense X)
- Lasso(alpha=0.05)                                  (cyclic coordinate descent, max_iter=1000, tol=1e-4; converges in
  469 passes, 25 non-zero weights; alpha=0.01 and 0.02 stop at max_iter without converging)
- KernelRidge(alpha=1.0, kernel="rbf")               (gamma None = 1/n_features)
- LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-10, max_iter=100): the same optimum as ours (Newton, tol 1e-10);
  LogisticRegression(C=1.0) (lbfgs, tol=1e-4, max_iter=100: scikit-learn's default, stops before the optimum) is timed as well.
Each time is the median of REPEATS runs (wall clock, time.perf_counter). numpy's BLAS threads are left at their default.

Writes OUT_DIR/sklearn_fitted.csv (model,quantity,index,value: coef/intercept/dual_coef/predictions, repr) so that
`dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- --compare-linear OUT_DIR/sklearn_fitted.csv`
can check that both sides fit the same models.

Run (Debian python3-sklearn 1.2.1), from the repository root:
    pure-materials featurize --data matbench_expt_gap --formula-column composition --featurizers magpie --out OUT_DIR/matbench_expt_gap_magpie.csv
    pure-materials featurize --data matbench_expt_is_metal --formula-column composition --featurizers magpie --out OUT_DIR/matbench_expt_is_metal_magpie.csv
    /usr/bin/python3 benchmarks/sklearn/linear_models_bench.py OUT_DIR [REPEATS]
"""
import os
import sys
import time
import warnings
import numpy as np
import pandas as pd
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.kernel_ridge import KernelRidge
from sklearn.linear_model import Lasso, LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler

root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
out_dir = sys.argv[1] if len(sys.argv) > 1 else "."
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 7


def load(name, target, shape):
    features = pd.read_csv(os.path.join(out_dir, f"{name}_magpie.csv"), float_precision="round_trip")
    data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", f"{name}.csv"), float_precision="round_trip")
    assert list(features["id"]) == list(data["mbid"]), "feature rows must be in data order"
    X = features[[c for c in features.columns if c.startswith("MagpieData ")]].to_numpy(dtype=float)
    y = data[target].to_numpy()
    train, test = data["fold"].to_numpy() != 0, data["fold"].to_numpy() == 0
    imputer = SimpleImputer(strategy="mean").fit(X[train])
    scaler = StandardScaler().fit(imputer.transform(X[train]))
    xtr, xte = scaler.transform(imputer.transform(X[train])), scaler.transform(imputer.transform(X[test]))
    assert xtr.shape == shape, xtr.shape
    return xtr, y[train], xte


def median_seconds(f):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


xg, yg, xg_test = load("matbench_expt_gap", "gap expt", (3683, 132))
xm, ym, xm_test = load("matbench_expt_is_metal", "is_metal", (3936, 132))
ym = ym.astype(bool).astype(int)

learners = [
    ("ridge", lambda: Ridge(alpha=1.0), xg, yg, xg_test),
    ("lasso", lambda: Lasso(alpha=0.05), xg, yg, xg_test),
    ("kernel_ridge_rbf", lambda: KernelRidge(alpha=1.0, kernel="rbf"), xg, yg, xg_test),
    ("logistic_newton", lambda: LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-10, max_iter=100), xm, ym, xm_test),
    ("logistic_lbfgs_default", lambda: LogisticRegression(C=1.0), xm, ym, xm_test),
]
rows = []
print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; median of {repeats} runs; seconds")
print(f"{'model':24s} {'fit':>10s} {'predict':>10s}  notes")
for name, make, x, y, x_test in learners:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        fit_s, model = median_seconds(lambda: make().fit(x, y))
    predict = model.predict_proba if name.startswith("logistic") else model.predict
    pred_s, pred = median_seconds(lambda: predict(x_test))
    notes = []
    if getattr(model, "n_iter_", None) is not None:
        notes.append(f"n_iter {np.ravel(model.n_iter_)[0]}")
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        notes.append("ConvergenceWarning")
    print(f"{name:24s} {fit_s:10.5f} {pred_s:10.5f}  {', '.join(notes)}")
    rows.append((name, "fit_seconds", 0, fit_s))
    rows.append((name, "predict_seconds", 0, pred_s))
    if hasattr(model, "coef_"):
        for i, v in enumerate(np.ravel(model.coef_)):
            rows.append((name, "coef", i, v))
        for i, v in enumerate(np.ravel(np.atleast_1d(model.intercept_))):
            rows.append((name, "intercept", i, v))
    if hasattr(model, "dual_coef_"):
        for i, v in enumerate(np.ravel(model.dual_coef_)):
            rows.append((name, "dual_coef", i, v))
    for i, v in enumerate(np.ravel(pred)):
        rows.append((name, "prediction", i, v))

with open(os.path.join(out_dir, "sklearn_fitted.csv"), "w") as f:
    f.write(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}; /usr/bin/python3 benchmarks/sklearn/linear_models_bench.py\n")
    f.write("model,quantity,index,value\n")
    for name, q, i, v in rows:
        f.write(f"{name},{q},{i},{float(v)!r}\n")
print(f"wrote {os.path.join(out_dir, 'sklearn_fitted.csv')}")
