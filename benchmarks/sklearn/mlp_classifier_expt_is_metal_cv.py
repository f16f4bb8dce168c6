"""scikit-learn's MLPClassifier on matbench_expt_is_metal, beside `pure-materials cv --model mlp` on the same machine.

Features: Magpie (132 columns), written by
    pure-materials featurize --data matbench_expt_is_metal --formula-column composition --featurizers magpie --out FEATURES.csv
Official Matbench folds (column 'fold'); per fold, mean imputation and StandardScaler fitted on the training rows (the library's
default pipeline for mlp), then MLPClassifier(random_state=seed) with scikit-learn 1.2.1's defaults (100 relu units, adam, alpha 1e-4,
batch 200, max_iter 200). Prints per-fold accuracy and ROC-AUC, their means, and the wall-clock seconds.

Run: /usr/bin/python3 benchmarks/sklearn/mlp_classifier_expt_is_metal_cv.py FEATURES.csv [seed]   (Debian python3-sklearn 1.2.1)
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
from sklearn.metrics import roc_auc_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
path = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
features = pd.read_csv(path, float_precision="round_trip")
data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_is_metal.csv"), float_precision="round_trip")
assert (features["composition"].to_numpy() == data["composition"].to_numpy()).all()
X = features.drop(columns=[c for c in features.columns if c in data.columns or c == "id"]).to_numpy(dtype=float)
y = (data["is_metal"].astype(str) == "True").to_numpy().astype(int)
fold = data["fold"].to_numpy()
print(f"scikit-learn {sklearn.__version__}, MLPClassifier defaults, seed {seed}, X {X.shape}")
start = time.perf_counter()
acc, auc = [], []
for k in range(5):
    train, test = fold != k, fold == k
    model = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(), MLPClassifier(random_state=seed))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X[train], y[train])
    acc.append(float((model.predict(X[test]) == y[test]).mean()))
    auc.append(float(roc_auc_score(y[test], model.predict_proba(X[test])[:, 1])))
    print(f"fold {k}: accuracy {acc[-1]:.4f}, ROC-AUC {auc[-1]:.4f}, n_iter {model[-1].n_iter_}")
print(f"mean accuracy {np.mean(acc):.4f} (std {np.std(acc):.4f}), mean ROC-AUC {np.mean(auc):.4f}; {time.perf_counter() - start:.1f} s wall")
