"""Reference MLPClassifier training from scikit-learn for Pure.Materials' MLP classifier parity test.

Run (Debian python3-sklearn 1.2.1, numpy 1.24.2), from the repository root:
    /usr/bin/python3 tools/reference/sklearn_mlp_classifier.py
Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/mlp_classifier.json.

Data (real, both already committed as reference inputs):
- binary: tests/.../sklearn-1.2.1/is_metal_magpie_subset.csv, 300 rows of matbench_expt_is_metal (every 16th) with 8 Magpie
  columns; the label is is_metal (False < True, so classes_ = [False, True] -> [0, 1]);
- 3 classes: tests/.../sklearn-1.2.1/tree_classifier_data.csv, 288 rows of matbench_expt_gap with 6 Magpie columns, label 0 (metal),
  1 (0 < gap < 2 eV), 2 (gap >= 2 eV).
Each X is standardised with StandardScaler. For each configuration scikit-learn draws the initial weights itself
(MLPClassifier._initialize with random_state=0), the script records them, then trains from exactly those weights (warm_start=True)
with shuffle=False. With early_stopping, fit's train_test_split uses a fresh RandomState(0) (fit resets _random_state), stratified
by the binarised labels for two classes: the script repeats that split on the row numbers and records the training rows in their
order (the batch order) and the held-out rows. Recorded: initial and final coefs_ / intercepts_, loss_curve_, n_iter_, best_loss_,
validation_scores_, predict_proba and predict on every row.
"""
import copy
import json
import os
import warnings
import numpy as np
import pandas as pd
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import LabelBinarizer, StandardScaler
from sklearn.utils import check_random_state

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
ref = os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")

metal = pd.read_csv(os.path.join(ref, "is_metal_magpie_subset.csv"), float_precision="round_trip")
Xb = StandardScaler().fit_transform(metal.iloc[:, 3:].to_numpy(dtype=float))
yb = metal["is_metal"].astype(bool).astype(int).to_numpy()
gap = pd.read_csv(os.path.join(ref, "tree_classifier_data.csv"), comment="#", float_precision="round_trip")
Xm = StandardScaler().fit_transform(gap.iloc[:, 2:-1].to_numpy(dtype=float))
ym = gap["label"].to_numpy(dtype=int)
assert Xb.shape == (300, 8) and Xm.shape == (288, 6)

configs = [
    dict(name="binary_adam_relu", data="binary", hidden_layer_sizes=(16, 8), activation="relu", solver="adam", alpha=1e-4, batch_size=32,
         learning_rate_init=1e-3, max_iter=40, tol=1e-4, n_iter_no_change=10),
    dict(name="binary_sgd_logistic_nesterov", data="binary", hidden_layer_sizes=(10,), activation="logistic", solver="sgd", alpha=1e-3,
         batch_size=40, learning_rate_init=0.1, max_iter=30, tol=1e-4, n_iter_no_change=10, momentum=0.9, nesterovs_momentum=True,
         learning_rate="invscaling", power_t=0.25),
    dict(name="binary_adam_tanh_early_stopping", data="binary", hidden_layer_sizes=(12,), activation="tanh", solver="adam", alpha=1e-3,
         batch_size=50, learning_rate_init=1e-2, max_iter=200, tol=1e-4, n_iter_no_change=5, early_stopping=True, validation_fraction=0.2),
    dict(name="multi_adam_tanh_stops", data="multi", hidden_layer_sizes=(12,), activation="tanh", solver="adam", alpha=1e-2, batch_size=50,
         learning_rate_init=1e-2, max_iter=300, tol=1e-3, n_iter_no_change=5),
    dict(name="multi_sgd_relu_adaptive", data="multi", hidden_layer_sizes=(16,), activation="relu", solver="sgd", alpha=1e-4, batch_size=64,
         learning_rate_init=0.05, max_iter=60, tol=1e-2, n_iter_no_change=2, momentum=0.5, nesterovs_momentum=False, learning_rate="adaptive"),
    dict(name="multi_adam_relu_early_stopping", data="multi", hidden_layer_sizes=(20, 10), activation="relu", solver="adam", alpha=1e-4,
         batch_size=32, learning_rate_init=3e-3, max_iter=100, tol=1e-4, n_iter_no_change=8, early_stopping=True, validation_fraction=0.15),
]

out = {"tool": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}", "command": "/usr/bin/python3 tools/reference/sklearn_mlp_classifier.py",
       "binary": {"X": Xb.tolist(), "y": yb.tolist()}, "multi": {"X": Xm.tolist(), "y": ym.tolist()}, "configs": []}
for c in configs:
    params = {k: v for k, v in c.items() if k not in ("name", "data")}
    X, y = (Xb, yb) if c["data"] == "binary" else (Xm, ym)
    m = MLPClassifier(shuffle=False, warm_start=True, random_state=0, **params)
    m._random_state = check_random_state(0)
    m._label_binarizer = LabelBinarizer().fit(y)
    m.classes_ = m._label_binarizer.classes_
    Y = m._label_binarizer.transform(y).astype(bool)
    layer_units = [X.shape[1]] + list(params["hidden_layer_sizes"]) + [Y.shape[1]]
    m._initialize(Y, layer_units, X.dtype)
    init_coefs = [w.copy() for w in m.coefs_]
    init_intercepts = [b.copy() for b in m.intercepts_]
    split = None
    if params.get("early_stopping"):
        idx_train, idx_val = train_test_split(np.arange(X.shape[0]), random_state=check_random_state(0), test_size=params["validation_fraction"],
                                              stratify=Y if Y.shape[1] == 1 else None)
        split = {"train": idx_train.tolist(), "held": idx_val.tolist()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(X, y)
    out["configs"].append({
        "name": c["name"], "data": c["data"], "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()},
        "init_coefs": [w.tolist() for w in init_coefs], "init_intercepts": [b.tolist() for b in init_intercepts], "split": split,
        "coefs": [w.tolist() for w in m.coefs_], "intercepts": [b.tolist() for b in m.intercepts_],
        "loss_curve": list(map(float, m.loss_curve_)), "n_iter": int(m.n_iter_),
        "best_loss": None if m.best_loss_ is None else float(m.best_loss_),
        "validation_scores": None if m.validation_scores_ is None else list(map(float, m.validation_scores_)),
        "proba": m.predict_proba(X).tolist(), "predict": m.predict(X).tolist(),
    })
    print(c["name"], "n_iter", m.n_iter_, "final loss", m.loss_curve_[-1], "train accuracy", (m.predict(X) == y).mean())

path = os.path.join(ref, "mlp_classifier.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote", path)
