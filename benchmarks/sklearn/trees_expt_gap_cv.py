"""scikit-learn side of the tree models on matbench_expt_gap, for accuracy and speed comparisons on the same machine.

Same data, features, imputation and folds as rf_expt_gap_cv.py (matminer v0.9.0 Magpie features, mean imputation fitted on each
training fold, official Matbench folds). Models (scikit-learn 1.2.1 defaults unless given):
  extra-trees  ExtraTreesRegressor(n_estimators=100, n_jobs=2, random_state=seed)
  tree         DecisionTreeRegressor(random_state=seed)
  gbm          HistGradientBoostingRegressor(random_state=seed)
  gbm-tuned    HistGradientBoostingRegressor(learning_rate=0.02, max_iter=3000, max_leaf_nodes=63, min_samples_leaf=2,
               l2_regularization=1.0, early_stopping=False, random_state=seed): the Pure.Materials preset=accurate settings
               without its max_features=0.2 and subsample=0.6, which scikit-learn 1.2.1 does not have
Prints per-fold MAE, the mean, and the wall-clock seconds of the 5 fits + predictions.

Run: /usr/bin/python3 benchmarks/sklearn/trees_expt_gap_cv.py MODEL [seed]   (Debian python3-sklearn 1.2.1)
"""
import os
import sys
import time
import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import ExtraTreesRegressor, HistGradientBoostingRegressor
from sklearn.tree import DecisionTreeRegressor
from sklearn.impute import SimpleImputer

root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
name = sys.argv[1] if len(sys.argv) > 1 else "extra-trees"
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
MODELS = {
    "extra-trees": lambda: ExtraTreesRegressor(n_estimators=100, n_jobs=2, random_state=seed),
    "tree": lambda: DecisionTreeRegressor(random_state=seed),
    "gbm": lambda: HistGradientBoostingRegressor(random_state=seed),
    "gbm-tuned": lambda: HistGradientBoostingRegressor(learning_rate=0.02, max_iter=3000, max_leaf_nodes=63, min_samples_leaf=2,
                                                       l2_regularization=1.0, early_stopping=False, random_state=seed),
}
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
    model = MODELS[name]().fit(imputer.transform(X[train]), y[train])
    pred = model.predict(imputer.transform(X[test]))
    maes.append(float(np.mean(np.abs(pred - y[test]))))
seconds = time.perf_counter() - start
print(f"scikit-learn {sklearn.__version__} {name}: per-fold MAE {' '.join(f'{m:.4f}' for m in maes)}")
print(f"mean MAE {np.mean(maes):.4f} eV, {seconds:.1f} s for 5 fits + predictions (seed {seed})")
