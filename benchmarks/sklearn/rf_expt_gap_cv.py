"""scikit-learn side of the main job, for speed and accuracy comparisons on the same machine.

RandomForestRegressor(n_estimators=100, n_jobs=2, random_state=seed) on matminer v0.9.0's Magpie features of
matbench_expt_gap (tests/Pure.Materials.Tests/Reference/matminer-0.9.0/composition_expt_gap.csv.gz), mean
imputation fitted on each training fold, the official Matbench folds (column `fold` of the bundled data).
Prints per-fold MAE, the mean, and the wall-clock seconds of the 5 fits + predictions.

Run: /usr/bin/python3 benchmarks/sklearn/rf_expt_gap_cv.py [seed]   (Debian python3-sklearn 1.2.1)
"""
import os
import sys
import time
import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer

root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
# float_precision="round_trip": pandas' default parser can be 1 ulp off, which moves rows across bin and split thresholds
features = pd.read_csv(os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"), float_precision="round_trip")
data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_gap.csv"), float_precision="round_trip")
X = features[[c for c in features.columns if c.startswith("MagpieData ")]].to_numpy(dtype=float)
y = data["gap expt"].to_numpy(dtype=float)
fold = data["fold"].to_numpy()
assert X.shape == (4604, 132)

maes = []
start = time.perf_counter()
for k in range(5):
    train, test = fold != k, fold == k
    imputer = SimpleImputer(strategy="mean").fit(X[train])
    model = RandomForestRegressor(n_estimators=100, n_jobs=2, random_state=seed).fit(imputer.transform(X[train]), y[train])
    pred = model.predict(imputer.transform(X[test]))
    maes.append(float(np.mean(np.abs(pred - y[test]))))
seconds = time.perf_counter() - start
print(f"scikit-learn {sklearn.__version__}: per-fold MAE {' '.join(f'{m:.4f}' for m in maes)}")
print(f"mean MAE {np.mean(maes):.4f} eV, {seconds:.1f} s for 5 fits + predictions (n_jobs=2, seed {seed})")
