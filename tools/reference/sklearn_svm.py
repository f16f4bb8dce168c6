"""Reference values from scikit-learn 1.2.1 (libsvm) for Pure.Materials' epsilon-SVR and C-SVC.

Run (Debian python3-sklearn 1.2.1, numpy 1.24.2, pandas 1.5.3), from the repository root:
    /usr/bin/python3 tools/reference/sklearn_svm.py
Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/svm.csv in long format case,params,quantity,index,value.
Data (the same features as sklearn_linear.py / sklearn_classification.py):
- magpie: the 20 Magpie "mean" columns chosen by sklearn_linear.py (quantity "column" of case "linear" in linear_models.csv) of
  tests/Pure.Materials.Tests/Reference/matminer-0.9.0/composition_expt_gap.csv.gz, standardised with StandardScaler fitted on
  all 4604 rows; then only the first 600 rows are used: fit on rows i % 5 != 0 (480), evaluate on rows i % 5 == 0 (120).
  Targets: "gap expt" (eV) for SVR; binary gap == 0 (1 = metal) and three classes (0: gap == 0, 1: 0 < gap <= 2, 2: gap > 2) for SVC.
- perovskite: the 36 site-averaged descriptors of the bundled perovskite_dft.csv standardised on all 512 rows, target
  "Decomposition Energy" (eV/atom); fit on rows i % 5 != 0, evaluate on rows i % 5 == 0.
Quantities: SVR: pred (test rows), dual_coef (1, n_SV), intercept, support (training-row indices), n_iter.
SVC: decision (decision_function, default shape 'ovr', row-major (n_test, n_classes) or (n_test,) for binary), decision_ovo
(decision_function_shape='ovo', row-major (n_test, n_pairs)), pred, dual_coef (row-major (n_classes - 1, n_SV)), intercept,
support, n_support. platt: decision values and labels of the binary rbf SVC's training rows and scikit-learn's
_sigmoid_calibration (a, b) on them (quantity ab). All fits use scikit-learn's defaults (tol=1e-3, shrinking=True, cache_size=200, max_iter=-1) unless listed.
"""
import os
import numpy as np
import pandas as pd
import sklearn
from sklearn.svm import SVR, SVC
from sklearn.preprocessing import StandardScaler

assert sklearn.__version__ == "1.2.1", sklearn.__version__
assert np.__version__ == "1.24.2", np.__version__

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
out_dir = os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")
header = f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}; /usr/bin/python3 tools/reference/sklearn_svm.py\n"
rows = []


def put(case, params, quantity, values):
    for i, v in enumerate(np.ravel(np.atleast_1d(values))):
        rows.append((case, params, quantity, i, repr(float(v))))


def name(settings):
    return ";".join(f"{k}={v}" for k, v in settings.items())


ref = pd.read_csv(os.path.join(out_dir, "linear_models.csv"), comment="#", float_precision="round_trip")
chosen = list(ref[(ref.case == "linear") & (ref.quantity == "column")].sort_values("index").value)
mag = pd.read_csv(os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"), float_precision="round_trip")
gap_all = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_gap.csv"), float_precision="round_trip")["gap expt"].to_numpy(float)
Xm = StandardScaler().fit_transform(mag[chosen].to_numpy(dtype=float))[:600]
gap = gap_all[:600]

per = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "perovskite_dft.csv"), float_precision="round_trip")
cols = [c for c in per.columns if c[:2] in ("A_", "B_", "X_")]
Xp = StandardScaler().fit_transform(per[cols].to_numpy(dtype=float))
yp = per["Decomposition Energy"].to_numpy(dtype=float)


def split(n):
    train = np.arange(n) % 5 != 0
    return train, ~train


svr_cases = [
    ("magpie", dict(kernel="linear", C=1.0, epsilon=0.1)),
    ("magpie", dict(kernel="rbf", C=10.0, epsilon=0.1)),
    ("magpie", dict(kernel="rbf", C=1.0, epsilon=0.2, gamma=0.05)),
    ("magpie", dict(kernel="rbf", C=10.0, epsilon=0.1, shrinking=False)),
    ("magpie", dict(kernel="poly", C=1.0, epsilon=0.1, degree=2, coef0=1.0)),
    ("magpie", dict(kernel="sigmoid", C=0.5, epsilon=0.1, gamma=0.01, coef0=0.5)),
    ("perovskite", dict(kernel="rbf", C=1.0, epsilon=0.05)),
    ("perovskite", dict(kernel="rbf", C=100.0, epsilon=0.01, gamma="auto")),
    ("perovskite", dict(kernel="linear", C=0.1, epsilon=0.02)),
]
for data, s in svr_cases:
    X, y = (Xm, gap) if data == "magpie" else (Xp, yp)
    train, test = split(len(y))
    m = SVR(**s).fit(X[train], y[train])
    p = name(dict(data=data, **s))
    put("svr", p, "pred", m.predict(X[test]))
    put("svr", p, "dual_coef", m.dual_coef_)
    put("svr", p, "intercept", m.intercept_)
    put("svr", p, "support", m.support_)
    put("svr", p, "n_iter", m.n_iter_)

targets = {"binary": (gap == 0).astype(int), "three": np.where(gap == 0, 0, np.where(gap <= 2, 1, 2))}
svc_cases = [
    ("binary", dict(kernel="linear", C=1.0)),
    ("binary", dict(kernel="rbf", C=1.0)),
    ("binary", dict(kernel="rbf", C=10.0, gamma=0.1)),
    ("binary", dict(kernel="poly", C=1.0, degree=3, coef0=1.0)),
    ("three", dict(kernel="rbf", C=1.0)),
    ("three", dict(kernel="linear", C=0.5)),
    ("three", dict(kernel="poly", C=2.0, degree=2, gamma="auto", coef0=1.0)),
    ("three", dict(kernel="rbf", C=1.0, shrinking=False)),
]
for tname, s in svc_cases:
    y = targets[tname]
    train, test = split(len(y))
    m = SVC(**s).fit(Xm[train], y[train])
    ovo = SVC(decision_function_shape="ovo", **s).fit(Xm[train], y[train])
    p = name(dict(target=tname, **s))
    put("svc", p, "decision", m.decision_function(Xm[test]))
    put("svc", p, "decision_ovo", ovo.decision_function(Xm[test]))
    put("svc", p, "pred", m.predict(Xm[test]))
    put("svc", p, "dual_coef", m.dual_coef_)
    put("svc", p, "intercept", m.intercept_)
    put("svc", p, "support", m.support_)
    put("svc", p, "n_support", m.n_support_)

# Platt's sigmoid: scikit-learn's own fit of P(y=1|f) = 1 / (1 + exp(a f + b)) with Platt's regularised targets (the objective
# libsvm's sigmoid_train minimises by Newton's method) on the decision values of the binary rbf SVC above at its training rows.
from sklearn.calibration import _sigmoid_calibration
y = targets["binary"]
train, test = split(len(y))
m = SVC(kernel="rbf", C=1.0).fit(Xm[train], y[train])
dec = m.decision_function(Xm[train])
a, b = _sigmoid_calibration(dec, y[train])
put("platt", "target=binary;kernel=rbf;C=1.0", "decision", dec)
put("platt", "target=binary;kernel=rbf;C=1.0", "label", y[train])
put("platt", "target=binary;kernel=rbf;C=1.0", "ab", [a, b])

with open(os.path.join(out_dir, "svm.csv"), "w") as f:
    f.write(header)
    f.write("case,params,quantity,index,value\n")
    for r in rows:
        f.write(",".join(str(v) for v in r) + "\n")
print(len(rows), "rows")
