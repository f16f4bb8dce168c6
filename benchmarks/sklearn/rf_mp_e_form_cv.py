"""scikit-learn side of the forest at Materials Project scale (issue 17), for speed and accuracy on the same machine.

RandomForestRegressor(n_estimators=10, n_jobs=2, random_state=seed) on matbench_mp_e_form's 132,752 rows with the Magpie
features written by `pure-materials featurize` (the same 132 columns `cv --featurizers magpie` uses), mean imputation
fitted on each training fold, the official Matbench folds (column `fold`). Prints per-fold MAE, the mean, and the
wall-clock seconds of the fits + predictions (reading the CSV excluded).

Features: pure-materials featurize --data matbench_mp_e_form --formula-column composition --featurizers magpie --out F.csv
Run: /usr/bin/python3 benchmarks/sklearn/rf_mp_e_form_cv.py F.csv [folds, e.g. 0 or 0,1,2,3,4] [seed]   (Debian python3-sklearn 1.2.1)
"""
import sys
import time
import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer

path = sys.argv[1]
folds = [int(k) for k in sys.argv[2].split(",")] if len(sys.argv) > 2 else [0, 1, 2, 3, 4]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
# float_precision="round_trip": pandas' default parser can be 1 ulp off, which moves rows across split thresholds
data = pd.read_csv(path, float_precision="round_trip")
X = data[[c for c in data.columns if c.startswith("MagpieData ")]].to_numpy(dtype=float)
y = data["e_form"].to_numpy(dtype=float)
fold = data["fold"].to_numpy()
assert X.shape == (132752, 132), X.shape

maes = []
start = time.perf_counter()
for k in folds:
    train, test = fold != k, fold == k
    imputer = SimpleImputer(strategy="mean").fit(X[train])
    model = RandomForestRegressor(n_estimators=10, n_jobs=2, random_state=seed).fit(imputer.transform(X[train]), y[train])
    pred = model.predict(imputer.transform(X[test]))
    maes.append(float(np.mean(np.abs(pred - y[test]))))
seconds = time.perf_counter() - start
print(f"scikit-learn {sklearn.__version__}: per-fold MAE {' '.join(f'{m:.4f}' for m in maes)}")
print(f"mean MAE {np.mean(maes):.4f} eV/atom, {seconds:.1f} s for {len(folds)} fits + predictions (n_jobs=2, seed {seed})")
