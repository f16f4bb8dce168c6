"""Reference values from scikit-learn for Pure.Materials' multi-class classification metrics on real predictions.

Run (Debian python3-sklearn 1.2.1, numpy 1.24.2, pandas 1.5.3), from the repository root:
    /usr/bin/python3 tools/reference/sklearn_multiclass_metrics.py
Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/metrics_multiclass.csv: one row per case (a classifier's predicted
probabilities on held-out rows), with y_true (class indices, space separated), y_pred (argmax of the probabilities, first on ties),
proba (row-major (n_test, n_classes), repr, space separated) and scikit-learn's metrics of them:
roc_auc_score(multi_class="ovr", average="macro" and "weighted"), log_loss, accuracy_score, balanced_accuracy_score,
precision/recall/f1_score(average="macro", zero_division=0), confusion_matrix (row-major).
Data: the 20 standardised Magpie "mean" columns chosen by sklearn_linear.py of matminer's expt_gap features
(tests/Pure.Materials.Tests/Reference/matminer-0.9.0/composition_expt_gap.csv.gz); targets: three classes (gap == 0, 0 < gap <= 2,
gap > 2 eV) and four classes (gap == 0, 0 < gap <= 1, 1 < gap <= 3, gap > 3 eV); fitted on rows i % 10 != 0, predicted on rows
i % 10 == 0 (461 rows). Classifiers: LogisticRegression(C=1) (lbfgs), GaussianNB(), KNeighborsClassifier(n_neighbors=5) (its
probabilities are multiples of 1/5: many tied scores, which exercises the tie handling of the ROC curve).
"""
import os
import numpy as np
import pandas as pd
import sklearn
from sklearn import metrics
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

assert sklearn.__version__ == "1.2.1", sklearn.__version__
assert np.__version__ == "1.24.2", np.__version__

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
out_dir = os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")
header = f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}; /usr/bin/python3 tools/reference/sklearn_multiclass_metrics.py\n"

ref = pd.read_csv(os.path.join(out_dir, "linear_models.csv"), comment="#", float_precision="round_trip")
chosen = list(ref[(ref.case == "linear") & (ref.quantity == "column")].sort_values("index").value)
mag = pd.read_csv(os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"), float_precision="round_trip")
gap = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_gap.csv"), float_precision="round_trip")["gap expt"].to_numpy(float)
X = StandardScaler().fit_transform(mag[chosen].to_numpy(dtype=float))
targets = {
    "three": np.where(gap == 0, 0, np.where(gap <= 2, 1, 2)),
    "four": np.where(gap == 0, 0, np.where(gap <= 1, 1, np.where(gap <= 3, 2, 3))),
}
train = np.arange(len(gap)) % 10 != 0
test = ~train
models = {"logistic": lambda: LogisticRegression(C=1.0, max_iter=1000), "gnb": GaussianNB, "knn5": lambda: KNeighborsClassifier(n_neighbors=5, algorithm="brute")}

cases = []
for tname, y in targets.items():
    for mname, make in models.items():
        m = make().fit(X[train], y[train])
        proba = m.predict_proba(X[test])
        y_true = y[test]
        y_pred = np.argmax(proba, axis=1)
        labels = np.arange(proba.shape[1])
        cases.append([f"{tname}_{mname}", str(proba.shape[1]), " ".join(map(str, y_true)), " ".join(map(str, y_pred)),
                      " ".join(repr(float(v)) for v in proba.ravel()),
                      " ".join(map(str, metrics.confusion_matrix(y_true, y_pred, labels=labels).ravel())),
                      metrics.roc_auc_score(y_true, proba, multi_class="ovr", average="macro", labels=labels),
                      metrics.roc_auc_score(y_true, proba, multi_class="ovr", average="weighted", labels=labels),
                      metrics.log_loss(y_true, proba, labels=labels),
                      metrics.accuracy_score(y_true, y_pred),
                      metrics.balanced_accuracy_score(y_true, y_pred),
                      metrics.precision_score(y_true, y_pred, average="macro", labels=labels, zero_division=0),
                      metrics.recall_score(y_true, y_pred, average="macro", labels=labels, zero_division=0),
                      metrics.f1_score(y_true, y_pred, average="macro", labels=labels, zero_division=0)])

with open(os.path.join(out_dir, "metrics_multiclass.csv"), "w") as f:
    f.write(header)
    f.write("case,n_classes,y_true,y_pred,proba,confusion,roc_auc_ovr_macro,roc_auc_ovr_weighted,log_loss,accuracy,balanced_accuracy,precision_macro,recall_macro,f1_macro\n")
    for c in cases:
        f.write(",".join(c[:6] + [repr(float(v)) for v in c[6:]]) + "\n")
print(f"wrote metrics_multiclass.csv ({len(cases)} cases)")
