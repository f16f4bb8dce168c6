"""Reference values from scikit-learn for Pure.Materials' linear, kernel and neighbour regressors.

Run (Debian python3-sklearn 1.2.1, numpy 1.24.2, pandas 1.5.3), from the repository root:
    /usr/bin/python3 tools/reference/sklearn_linear.py
Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/linear_models.csv in long format
    case,params,quantity,index,value
- perovskite: the 36 site-averaged descriptors of the bundled perovskite data standardised with StandardScaler
  (fitted on all 512 rows), target "Decomposition Energy". Lasso / ElasticNet are fitted on all rows
  (quantities intercept, coef, n_iter, dual_gap, pred of the first 5 rows). KernelRidge and
  KNeighborsRegressor are fitted on rows with index % 5 != 0 and predict rows with index % 5 == 0
  (quantity pred, 103 values; KernelRidge also dual_coef of the first 5 training rows; KNeighborsRegressor leaves out
  test rows with a tie at the k-th neighbour and lists the kept ones as quantity test_row, 0-based within the test rows).
- magpie: LinearRegression on the expt_gap Magpie "mean" features of
  tests/Pure.Materials.Tests/Reference/matminer-0.9.0/composition_expt_gap.csv.gz with target "gap expt" from the
  bundled matbench_expt_gap.csv (same row order), standardised; the columns are chosen in file order, keeping a column
  only while the condition number of the standardised design stays below 1e3 (perovskite's standardised design has rank
  13 of 36, so ordinary least squares is not defined there). Quantity "column" lists the chosen column names.
"""
import os
import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import Lasso, ElasticNet, LinearRegression
from sklearn.kernel_ridge import KernelRidge
from sklearn.neighbors import KNeighborsRegressor
from sklearn.preprocessing import StandardScaler

assert sklearn.__version__ == "1.2.1", sklearn.__version__
assert np.__version__ == "1.24.2", np.__version__

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
rows = []


def put(case, params, quantity, values):
    for i, v in enumerate(np.atleast_1d(values)):
        rows.append((case, params, quantity, i, v))


data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "perovskite_dft.csv"), float_precision="round_trip")
cols = [c for c in data.columns if c[:2] in ("A_", "B_", "X_")]
assert len(cols) == 36
X = StandardScaler().fit_transform(data[cols].to_numpy(dtype=float))
y = data["Decomposition Energy"].to_numpy(dtype=float)

for alpha in [0.001, 0.01, 0.1, 10.0]:
    m = Lasso(alpha=alpha).fit(X, y)
    p = f"alpha={alpha!r}"
    put("lasso", p, "intercept", m.intercept_)
    put("lasso", p, "coef", m.coef_)
    put("lasso", p, "n_iter", m.n_iter_)
    put("lasso", p, "dual_gap", m.dual_gap_)
    put("lasso", p, "pred", m.predict(X[:5]))

for alpha, l1 in [(0.01, 0.5), (0.1, 0.2), (0.001, 0.9)]:
    m = ElasticNet(alpha=alpha, l1_ratio=l1).fit(X, y)
    p = f"alpha={alpha!r};l1_ratio={l1!r}"
    put("elastic-net", p, "intercept", m.intercept_)
    put("elastic-net", p, "coef", m.coef_)
    put("elastic-net", p, "n_iter", m.n_iter_)
    put("elastic-net", p, "dual_gap", m.dual_gap_)
    put("elastic-net", p, "pred", m.predict(X[:5]))

train = np.arange(len(y)) % 5 != 0
test = ~train
for kernel, alpha, extra in [("linear", 1.0, {}), ("polynomial", 1.0, {"degree": 2}), ("polynomial", 0.5, {"degree": 3, "gamma": 0.02, "coef0": 2.0}),
                             ("rbf", 0.1, {}), ("rbf", 0.01, {"gamma": 0.05}), ("laplacian", 0.1, {"gamma": 0.02})]:
    m = KernelRidge(alpha=alpha, kernel=kernel, **extra).fit(X[train], y[train])
    p = ";".join([f"kernel={kernel}", f"alpha={alpha!r}"] + [f"{k}={v!r}" for k, v in extra.items()])
    put("kernel-ridge", p, "dual_coef", m.dual_coef_[:5])
    put("kernel-ridge", p, "pred", m.predict(X[test]))

for k, weights, pp in [(5, "uniform", 2), (5, "distance", 2), (3, "uniform", 1), (10, "distance", 1)]:
    m = KNeighborsRegressor(n_neighbors=k, weights=weights, p=pp, algorithm="brute").fit(X[train], y[train])
    # A tie at the k-th neighbour (equal distances up to rounding: the perovskite descriptors repeat site values) makes
    # the prediction depend on the search order; those test rows are left out and the kept ones listed (quantity test_row).
    d, _ = m.kneighbors(X[test], n_neighbors=k + 1)
    kept = np.flatnonzero(d[:, k] - d[:, k - 1] > 1e-9 * d[:, k])
    p = f"n_neighbors={k};weights={weights};p={pp}"
    put("knn", p, "test_row", kept)
    put("knn", p, "pred", m.predict(X[test][kept]))
    print(f"knn {p}: {test.sum() - len(kept)} tied test rows left out")

mag = pd.read_csv(os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"), float_precision="round_trip")
gap = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_gap.csv"), float_precision="round_trip")
assert list(mag["composition"]) == list(gap["composition"])
chosen = []
for c in [c for c in mag.columns if c.startswith("MagpieData mean ")]:
    trial = StandardScaler().fit_transform(mag[chosen + [c]].to_numpy(dtype=float))
    if np.linalg.cond(trial) < 1e3:
        chosen.append(c)
Xm = StandardScaler().fit_transform(mag[chosen].to_numpy(dtype=float))
ym = gap["gap expt"].to_numpy(dtype=float)
m = LinearRegression().fit(Xm, ym)
put("linear", "magpie", "column", np.array(chosen, dtype=object))
put("linear", "magpie", "intercept", m.intercept_)
put("linear", "magpie", "coef", m.coef_)
put("linear", "magpie", "pred", m.predict(Xm[:5]))

out_dir = os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")
with open(os.path.join(out_dir, "linear_models.csv"), "w") as f:
    f.write(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}; /usr/bin/python3 tools/reference/sklearn_linear.py\n")
    f.write("case,params,quantity,index,value\n")
    for case, params, quantity, i, v in rows:
        text = v if isinstance(v, str) else repr(float(v))
        f.write(f"{case},{params},{quantity},{i},{text}\n")
print(f"wrote linear_models.csv ({len(rows)} rows); magpie OLS columns: {len(chosen)}")
