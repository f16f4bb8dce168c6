"""scikit-learn side of `Pure.Materials.Benchmarks.dll mlp-timing`: time per epoch of the default MLPRegressor architecture.

MLPRegressor(hidden_layer_sizes=(100,), relu, adam, batch_size=200 (auto), random_state=0, tol=0, n_iter_no_change=EPOCHS,
max_iter=EPOCHS) on fold 0's training rows of matbench_expt_gap (matminer v0.9.0 Magpie features, mean-imputed and
standard-scaled): 3683 x 132. One 2-epoch warm-up fit, then EPOCHS epochs timed; prints ms per epoch and the final loss.

Run: /usr/bin/python3 benchmarks/sklearn/mlp_epoch_timing.py [EPOCHS]   (Debian python3-sklearn 1.2.1)
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

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
features = pd.read_csv(os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"), float_precision="round_trip")
data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_gap.csv"), float_precision="round_trip")
X = features[[c for c in features.columns if c.startswith("MagpieData ")]].to_numpy(dtype=float)
y = data["gap expt"].to_numpy(dtype=float)
train = data["fold"].to_numpy() != 0
x = SimpleImputer(strategy="mean").fit_transform(X[train])
x = StandardScaler().fit_transform(x)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    MLPRegressor(random_state=0, max_iter=2).fit(x, y[train])
    start = time.perf_counter()
    m = MLPRegressor(random_state=0, max_iter=epochs, tol=0, n_iter_no_change=epochs).fit(x, y[train])
    seconds = time.perf_counter() - start
print(f"scikit-learn {sklearn.__version__} MLPRegressor (132-100-1, relu, adam, batch 200) on {x.shape[0]} x {x.shape[1]}: "
      f"{m.n_iter_} epochs in {seconds:.3f} s, {seconds / m.n_iter_ * 1000:.1f} ms per epoch; final loss {m.loss_curve_[-1]:.4f}")
