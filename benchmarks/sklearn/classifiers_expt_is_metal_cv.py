"""scikit-learn side of the tree classifiers on matbench_expt_is_metal, for accuracy and speed comparisons on the same machine.

Features: the Ward-2016 composition set (magpie, stoichiometry, valence-orbital, ion-property: 149 columns), written by
    pure-materials featurize --data matbench_expt_is_metal --featurizers magpie,stoichiometry,valence-orbital,ion-property --out FEATURES.csv
(these featurizers equal matminer v0.9.0, see tests/Pure.Materials.Tests/Reference/). Mean imputation fitted on each training fold,
official Matbench folds (column 'fold' of src/Pure.Materials/Data/Bundled/matbench_expt_is_metal.csv). Models (scikit-learn 1.2.1):
  rf           RandomForestClassifier(n_estimators=500, n_jobs=2, random_state=seed)
  rf-entropy   RandomForestClassifier(n_estimators=500, criterion="entropy", n_jobs=2, random_state=seed)
  extra-trees  ExtraTreesClassifier(n_estimators=500, n_jobs=2, random_state=seed)
  gbm          HistGradientBoostingClassifier(random_state=seed)
Prints per-fold accuracy, the mean, and the wall-clock seconds of the 5 fits + predictions.

Run: /usr/bin/python3 benchmarks/sklearn/classifiers_expt_is_metal_cv.py FEATURES.csv MODEL [seed]   (Debian python3-sklearn 1.2.1)
"""
import os
import sys
import time
import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer

root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
path, name = sys.argv[1], sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
MODELS = {
    "rf": lambda: RandomForestClassifier(n_estimators=500, n_jobs=2, random_state=seed),
    "rf-entropy": lambda: RandomForestClassifier(n_estimators=500, criterion="entropy", n_jobs=2, random_state=seed),
    "extra-trees": lambda: ExtraTreesClassifier(n_estimators=500, n_jobs=2, random_state=seed),
    "gbm": lambda: HistGradientBoostingClassifier(random_state=seed),
}
features = pd.read_csv(path, float_precision="round_trip")  # exact doubles (the default parser can be 1 ulp off)
data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_is_metal.csv"), float_precision="round_trip")
assert (features["composition"].to_numpy() == data["composition"].to_numpy()).all()
# featurize keeps the input columns (mbid, composition, is_metal, fold) before the features; older files have id, composition.
X = features.drop(columns=[c for c in features.columns if c in data.columns or c == "id"]).to_numpy(dtype=float)
y = (data["is_metal"].astype(str) == "True").to_numpy().astype(int)
fold = data["fold"].to_numpy()
print(f"scikit-learn {sklearn.__version__}, {name}, seed {seed}, X {X.shape}")
start = time.perf_counter()
accuracies = []
for k in range(5):
    train, test = fold != k, fold == k
    imputer = SimpleImputer(strategy="mean").fit(X[train])
    model = MODELS[name]().fit(imputer.transform(X[train]), y[train])
    accuracies.append(float((model.predict(imputer.transform(X[test])) == y[test]).mean()))
    print(f"fold {k}: accuracy {accuracies[-1]:.4f}")
print(f"mean accuracy {np.mean(accuracies):.4f} (std {np.std(accuracies):.4f}); {time.perf_counter() - start:.1f} s wall")
