"""Reference values from scikit-learn for Pure.Materials' classifiers and classification metrics.

Run (Debian python3-sklearn 1.2.1, numpy 1.24.2, pandas 1.5.3), from the repository root:
    /usr/bin/python3 tools/reference/sklearn_classification.py
Writes to tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/:
- classifiers.csv (long format case,params,quantity,index,value): the 20 standardised Magpie "mean" columns chosen by
  sklearn_linear.py (listed there) of the expt_gap reference file; binary target gap == 0 (metal, 1) and a 3-class target
  (0: gap == 0, 1: 0 < gap <= 2 eV, 2: gap > 2 eV). Fitted on rows i % 5 != 0, evaluated on rows i % 5 == 0.
  LogisticRegression(solver="newton-cg", C, tol=1e-14, max_iter=10000), scikit-learn's own second-order solver run to the
  optimum: its lbfgs stops on scipy's default ftol (relative decrease 2.2e-9) whatever tol is given, 1e-4..5e-3 relative away from
  the optimum on these data; coef (row-major (n_classes or 1, n_features)), intercept, proba (row-major (n_test, n_classes)),
  objective C * sum(log loss) + ||W||^2 / 2 at newton-cg's answer and (objective_lbfgs) at the default lbfgs answer. GaussianNB: theta, var, proba. KNeighborsClassifier: proba (test rows
  with a tie at the k-th neighbour left out, kept rows listed as test_row).
- metrics_classification.csv: cases of (y_true, y_pred, score) generated with numpy.random.default_rng(20240101), vectors space
  separated, with confusion matrix (row-major, labels sorted), accuracy, precision, recall, f1 (binary, pos_label=1),
  specificity (recall of class 0), balanced accuracy, ROC-AUC and log loss of the score.
"""
import os
import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn import metrics

assert sklearn.__version__ == "1.2.1", sklearn.__version__
assert np.__version__ == "1.24.2", np.__version__

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
out_dir = os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")
header = f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}; /usr/bin/python3 tools/reference/sklearn_classification.py\n"

ref = pd.read_csv(os.path.join(out_dir, "linear_models.csv"), comment="#", float_precision="round_trip")
chosen = list(ref[(ref.case == "linear") & (ref.quantity == "column")].sort_values("index").value)
mag = pd.read_csv(os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"), float_precision="round_trip")
gap = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_gap.csv"), float_precision="round_trip")["gap expt"].to_numpy(float)
X = StandardScaler().fit_transform(mag[chosen].to_numpy(dtype=float))
targets = {"binary": (gap == 0).astype(int), "three": np.where(gap == 0, 0, np.where(gap <= 2, 1, 2))}
train = np.arange(len(gap)) % 5 != 0
test = ~train

rows = []


def objective(m, X, y, C):
    """C * sum_i loss_i + ||W||^2 / 2: the objective both of scikit-learn's solvers minimise (intercepts unpenalised)."""
    p = np.clip(m.predict_proba(X), 1e-300, 1)
    idx = np.searchsorted(m.classes_, y)
    return C * -np.log(p[np.arange(len(y)), idx]).sum() + 0.5 * (m.coef_ ** 2).sum()


def put(case, params, quantity, values):
    for i, v in enumerate(np.ravel(np.atleast_1d(values))):
        rows.append((case, params, quantity, i, v))


for tname, y in targets.items():
    for C in [1.0, 0.01]:
        m = LogisticRegression(C=C, solver="newton-cg", tol=1e-14, max_iter=10000).fit(X[train], y[train])
        lb = LogisticRegression(C=C).fit(X[train], y[train])  # the default solver (lbfgs, tol=1e-4)
        p = f"target={tname};C={C!r}"
        put("logistic", p, "coef", m.coef_)
        put("logistic", p, "intercept", m.intercept_)
        put("logistic", p, "proba", m.predict_proba(X[test]))
        put("logistic", p, "objective", objective(m, X[train], y[train], C))
        put("logistic", p, "objective_lbfgs", objective(lb, X[train], y[train], C))
    m = GaussianNB().fit(X[train], y[train])
    p = f"target={tname}"
    put("gnb", p, "theta", m.theta_)
    put("gnb", p, "var", m.var_)
    put("gnb", p, "proba", m.predict_proba(X[test]))
    for k, weights in [(5, "uniform"), (7, "distance")]:
        m = KNeighborsClassifier(n_neighbors=k, weights=weights, algorithm="brute").fit(X[train], y[train])
        d, _ = m.kneighbors(X[test], n_neighbors=k + 1)
        kept = np.flatnonzero(d[:, k] - d[:, k - 1] > 1e-9 * d[:, k])
        p = f"target={tname};n_neighbors={k};weights={weights}"
        put("knn", p, "test_row", kept)
        put("knn", p, "proba", m.predict_proba(X[test][kept]))

with open(os.path.join(out_dir, "classifiers.csv"), "w") as f:
    f.write(header)
    f.write("case,params,quantity,index,value\n")
    for case, params, quantity, i, v in rows:
        f.write(f"{case},{params},{quantity},{i},{float(v)!r}\n")

rng = np.random.default_rng(20240101)
cases = []
for n in [5, 12, 40, 200]:
    for kind in ["random", "ties", "perfect", "one_class_predicted"]:
        y_true = rng.integers(0, 2, n)
        y_true[0], y_true[1] = 0, 1  # both classes present
        score = rng.random(n)
        if kind == "ties":
            score = np.round(score * 4) / 4
        if kind == "perfect":
            score = 0.5 * y_true + 0.4 * rng.random(n)
        if kind == "one_class_predicted":
            score = 0.4 * rng.random(n)  # nothing predicted positive: precision 0/0 -> 0 as scikit-learn's zero_division default
        score = np.clip(score, 0, 1)
        y_pred = (score >= 0.5).astype(int)
        cm = metrics.confusion_matrix(y_true, y_pred, labels=[0, 1])
        cases.append([f"{kind}_{n}", " ".join(map(str, y_true)), " ".join(map(str, y_pred)), " ".join(repr(float(s)) for s in score),
                      " ".join(map(str, cm.ravel())),
                      metrics.accuracy_score(y_true, y_pred),
                      metrics.precision_score(y_true, y_pred, zero_division=0),
                      metrics.recall_score(y_true, y_pred, zero_division=0),
                      metrics.f1_score(y_true, y_pred, zero_division=0),
                      metrics.recall_score(y_true, y_pred, pos_label=0, zero_division=0),
                      metrics.balanced_accuracy_score(y_true, y_pred),
                      metrics.roc_auc_score(y_true, score),
                      metrics.log_loss(y_true, score)])
with open(os.path.join(out_dir, "metrics_classification.csv"), "w") as f:
    f.write(header)
    f.write("case,y_true,y_pred,score,confusion,accuracy,precision,recall,f1,specificity,balanced_accuracy,roc_auc,log_loss\n")
    for c in cases:
        f.write(",".join(c[:5] + [repr(float(v)) for v in c[5:]]) + "\n")
print(f"wrote classifiers.csv ({len(rows)} rows), metrics_classification.csv ({len(cases)} cases)")
