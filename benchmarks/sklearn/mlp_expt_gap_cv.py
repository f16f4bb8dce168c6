"""scikit-learn's MLPRegressor on the main job's data, for accuracy and speed comparisons with `cv --model mlp`.

MLPRegressor(random_state=seed, **overrides) after SimpleImputer(mean) and StandardScaler fitted on each training fold,
on matminer v0.9.0's Magpie features of matbench_expt_gap, the official Matbench folds. Prints per-fold MAE, n_iter_,
seconds per epoch and the wall-clock seconds of the 5 fits + predictions.

Run: /usr/bin/python3 benchmarks/sklearn/mlp_expt_gap_cv.py [seed] [key=value ...]   (Debian python3-sklearn 1.2.1)
e.g. ... 0 hidden_layer_sizes=256,128,64 early_stopping=True
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
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler

root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
overrides = {}
for arg in sys.argv[2:]:
    k, v = arg.split("=", 1)
    overrides[k] = tuple(int(t) for t in v.split(",")) if k == "hidden_layer_sizes" else (v == "True" if v in ("True", "False") else float(v) if "." in v or "e" in v else int(v))
features = pd.read_csv(os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"), float_precision="round_trip")
data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_gap.csv"), float_precision="round_trip")
X = features[[c for c in features.columns if c.startswith("MagpieData ")]].to_numpy(dtype=float)
y = data["gap expt"].to_numpy(dtype=float)
fold = data["fold"].to_numpy()
maes = []
start = time.perf_counter()
for k in range(5):
    train, test = fold != k, fold == k
    imputer = SimpleImputer(strategy="mean").fit(X[train])
    scaler = StandardScaler().fit(imputer.transform(X[train]))
    xt, xs = scaler.transform(imputer.transform(X[train])), scaler.transform(imputer.transform(X[test]))
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = MLPRegressor(random_state=seed, **overrides).fit(xt, y[train])
    fit_s = time.perf_counter() - t0
    mae = float(np.mean(np.abs(m.predict(xs) - y[test])))
    maes.append(mae)
    print(f"fold {k}: MAE {mae:.4f} eV, n_iter_ {m.n_iter_}, {fit_s / m.n_iter_ * 1000:.1f} ms per epoch")
print(f"scikit-learn {sklearn.__version__} MLPRegressor{overrides or ''}: mean MAE {np.mean(maes):.4f} eV, {time.perf_counter() - start:.1f} s")
