"""scikit-learn side of `pure-materials cv --model svr` / `--task classification --model svc`, same data, folds and preprocessing.

SVR: matminer v0.9.0's Magpie features of matbench_expt_gap
(tests/Pure.Materials.Tests/Reference/matminer-0.9.0/composition_expt_gap.csv.gz), the official Matbench folds (column `fold`),
per training fold SimpleImputer(mean) then StandardScaler then SVR(C, epsilon=0.1, rbf, gamma='scale'); prints per-fold MAE,
the mean, and the wall-clock seconds of the 5 fits + predictions.
SVC (--svc FEATURES.csv): matbench_expt_is_metal with Magpie features written by
`pure-materials featurize --data matbench_expt_is_metal --out FEATURES.csv` (matminer-identical to 1e-9, tested), same
pipeline with SVC(C, rbf, gamma='scale', probability=True, random_state=0); prints per-fold accuracy, the mean and seconds.

Run (Debian python3-sklearn 1.2.1), from the repository root:
    /usr/bin/python3 benchmarks/sklearn/svr_expt_gap_cv.py [C]                      # SVR, default C=10
    /usr/bin/python3 benchmarks/sklearn/svr_expt_gap_cv.py --svc FEATURES.csv [C]   # SVC, default C=1
"""
import os
import sys
import time
import numpy as np
import pandas as pd
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVR, SVC

root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
args = sys.argv[1:]
if args and args[0] == "--svc":
    features = pd.read_csv(args[1], float_precision="round_trip")
    C = float(args[2]) if len(args) > 2 else 1.0
    data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_is_metal.csv"), float_precision="round_trip")
    X = features[[c for c in features.columns if c.startswith("MagpieData ")]].to_numpy(dtype=float)
    y = data["is_metal"].astype(str).str.lower().eq("true").to_numpy().astype(int)
    fold = data["fold"].to_numpy()
    assert X.shape == (4921, 132), X.shape
    accs = []
    start = time.perf_counter()
    for k in range(5):
        train, test = fold != k, fold == k
        model = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(), SVC(C=C, probability=True, random_state=0)).fit(X[train], y[train])
        accs.append(float(np.mean(model.predict(X[test]) == y[test])))
    seconds = time.perf_counter() - start
    print(f"scikit-learn {sklearn.__version__} SVC(C={C}, rbf, gamma='scale', probability=True): per-fold accuracy {' '.join(f'{a:.4f}' for a in accs)}")
    print(f"mean accuracy {np.mean(accs):.6f}, {seconds:.1f} s for 5 fits + predictions")
else:
    C = float(args[0]) if args else 10.0
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
        model = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler(), SVR(C=C, epsilon=0.1)).fit(X[train], y[train])
        maes.append(float(np.mean(np.abs(model.predict(X[test]) - y[test]))))
    seconds = time.perf_counter() - start
    print(f"scikit-learn {sklearn.__version__} SVR(C={C}, epsilon=0.1, rbf, gamma='scale'): per-fold MAE {' '.join(f'{m:.4f}' for m in maes)}")
    print(f"mean MAE {np.mean(maes):.6f} eV, {seconds:.1f} s for 5 fits + predictions")
