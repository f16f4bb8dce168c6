"""Reference MLPRegressor training from scikit-learn for Pure.Materials' MLP parity test.

Run (Debian python3-sklearn 1.2.1, numpy 1.24.2):
    /usr/bin/python3 tools/reference/sklearn_mlp.py
Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/mlp_regressor.json.

Data: the 36 site-averaged descriptors of the bundled perovskite data (first 240 rows), standardised with StandardScaler,
target "Decomposition Energy". For each configuration, scikit-learn draws the initial weights itself
(MLPRegressor._initialize with random_state=0: Glorot-uniform from numpy's MT19937); the script records them, then trains
from exactly those weights (warm_start=True, so fit keeps them) with shuffle=False (batches in row order), so the only
randomness is fixed and the library can replay the same training. Recorded: the initial and final coefs_ and
intercepts_, loss_curve_, n_iter_, best_loss_ and the predictions on the training rows.
"""
import json
import os
import warnings
import numpy as np
import pandas as pd
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "perovskite_dft.csv"), float_precision="round_trip")
cols = [c for c in data.columns if c[:2] in ("A_", "B_", "X_")]
assert len(cols) == 36
X = StandardScaler().fit_transform(data[cols].to_numpy(dtype=float)[:240])
y = data["Decomposition Energy"].to_numpy(dtype=float)[:240]

configs = [
    dict(name="adam_relu", hidden_layer_sizes=(16, 8), activation="relu", solver="adam", alpha=1e-4, batch_size=32,
         learning_rate_init=1e-3, max_iter=40, tol=1e-4, n_iter_no_change=10),
    dict(name="adam_tanh_stops", hidden_layer_sizes=(12,), activation="tanh", solver="adam", alpha=1e-2, batch_size=50,
         learning_rate_init=1e-2, max_iter=300, tol=1e-3, n_iter_no_change=5),
    dict(name="sgd_logistic_nesterov", hidden_layer_sizes=(10,), activation="logistic", solver="sgd", alpha=1e-3, batch_size=40,
         learning_rate_init=0.05, max_iter=30, tol=1e-4, n_iter_no_change=10, momentum=0.9, nesterovs_momentum=True,
         learning_rate="invscaling", power_t=0.5),
    dict(name="sgd_identity_adaptive", hidden_layer_sizes=(6,), activation="identity", solver="sgd", alpha=0.0, batch_size=240,
         learning_rate_init=0.01, max_iter=60, tol=1e-2, n_iter_no_change=2, momentum=0.5, nesterovs_momentum=False,
         learning_rate="adaptive"),
]

out = {"tool": f"scikit-learn {sklearn.__version__}, numpy {np.__version__}", "X": X.tolist(), "y": y.tolist(), "configs": []}
for c in configs:
    params = {k: v for k, v in c.items() if k != "name"}
    m = MLPRegressor(shuffle=False, warm_start=True, random_state=0, **params)
    m._random_state = check_random_state(0)
    layer_units = [X.shape[1]] + list(params["hidden_layer_sizes"]) + [1]
    m._initialize(y.reshape(-1, 1), layer_units, X.dtype)
    init_coefs = [w.copy() for w in m.coefs_]
    init_intercepts = [b.copy() for b in m.intercepts_]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m.fit(X, y)
    out["configs"].append({
        "name": c["name"], "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()},
        "init_coefs": [w.tolist() for w in init_coefs], "init_intercepts": [b.tolist() for b in init_intercepts],
        "coefs": [w.tolist() for w in m.coefs_], "intercepts": [b.tolist() for b in m.intercepts_],
        "loss_curve": list(map(float, m.loss_curve_)), "n_iter": int(m.n_iter_), "best_loss": float(m.best_loss_),
        "predictions": m.predict(X).tolist(),
    })
    print(c["name"], "n_iter", m.n_iter_, "final loss", m.loss_curve_[-1])

path = os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1", "mlp_regressor.json")
with open(path, "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote", path)
