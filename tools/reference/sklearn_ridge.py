"""Reference ridge coefficients from scikit-learn for Pure.Materials' tests.

Run (Debian python3-sklearn 1.2.1, numpy 1.24.2, pandas 1.5.3):
    /usr/bin/python3 tools/reference/sklearn_ridge.py
Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/ridge_perovskite.csv:
one row per alpha with intercept_ and coef_ of Ridge(alpha, fit_intercept=True, solver="cholesky")
fitted on the 36 site-averaged descriptors of the bundled perovskite data, standardised with
StandardScaler (raw descriptors span 1e-1..1e3 and are nearly collinear, so the raw normal equations have a
condition number near 1e13 and no two correct solvers agree to 1e-6 there), predicting "Decomposition Energy",
plus the predictions of the first 5 rows.
"""
import os
import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "perovskite_dft.csv"), float_precision="round_trip")
cols = [c for c in data.columns if c[:2] in ("A_", "B_", "X_")]
assert len(cols) == 36
X = StandardScaler().fit_transform(data[cols].to_numpy(dtype=float))
y = data["Decomposition Energy"].to_numpy(dtype=float)

rows = []
for alpha in [0.01, 1.0, 100.0]:
    m = Ridge(alpha=alpha, fit_intercept=True, solver="cholesky").fit(X, y)
    pred = m.predict(X[:5])
    rows.append([alpha, m.intercept_] + list(m.coef_) + list(pred))

out_dir = os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")
os.makedirs(out_dir, exist_ok=True)
header = ["alpha", "intercept"] + ["coef " + c for c in cols] + [f"pred {i}" for i in range(5)]
with open(os.path.join(out_dir, "ridge_perovskite.csv"), "w") as f:
    f.write(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}; tools/reference/sklearn_ridge.py\n")
    f.write(",".join(header) + "\n")
    for r in rows:
        f.write(",".join(repr(float(v)) for v in r) + "\n")
print("wrote ridge_perovskite.csv")
