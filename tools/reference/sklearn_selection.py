#!/usr/bin/env python3
"""Reference values for Pure.Materials model selection, unsupervised learning and feature selection, from scikit-learn 1.2.1.

Writes CSV files under tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/ from data generated here with a
seeded numpy Generator, so the output is the same on every run. Doubles are written with repr(); vectors
inside one cell are separated by single spaces.

Usage (from the repository root):
    /usr/bin/python3 tools/reference/sklearn_selection.py                   # every file
    /usr/bin/python3 tools/reference/sklearn_selection.py stratified_group  # stratified_group_kfold.csv only

Versions used for the committed files: Python 3, scikit-learn 1.2.1, numpy 1.24.2, scipy 1.10.1.
"""
import csv
import math
import os
import sys

import numpy as np
import scipy
import sklearn
from sklearn.cluster import DBSCAN, KMeans
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness
from sklearn.feature_selection import RFE, SelectFromModel, VarianceThreshold, r_regression
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold, StratifiedGroupKFold, StratifiedKFold, learning_curve, validation_curve

EXPECTED = {"sklearn": "1.2.1", "numpy": "1.24.2", "scipy": "1.10.1"}
OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "..", "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1",
)
HEADER = "# scikit-learn {sk}, numpy {np_}, scipy {sp}: /usr/bin/python3 tools/reference/sklearn_selection.py\n"


def fmt(v):
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


def vec(values):
    return " ".join(fmt(v) for v in values)


def ints(values):
    return " ".join(str(int(v)) for v in values)


def open_csv(name):
    f = open(os.path.join(OUT, name), "w", newline="")
    f.write(HEADER.format(sk=sklearn.__version__, np_=np.__version__, sp=scipy.__version__))
    return f, csv.writer(f, lineterminator="\n")


def write_stratified(rng):
    f, w = open_csv("stratified_kfold.csv")
    w.writerow(["case", "k", "labels", "fold", "test"])
    cases = [
        ("hand_4_4", [0, 0, 0, 0, 1, 1, 1, 1]),
        ("unordered_3_classes", [2, 0, 1, 2, 2, 0, 1, 1, 0, 2, 2, 1, 0, 2]),
        ("imbalanced_100", list((rng.random(100) < 0.2).astype(int))),
        ("boolean_57", list((rng.random(57) < 0.45).astype(int))),
        ("five_classes_203", list(rng.integers(0, 5, 203))),
    ]
    for name, labels in cases:
        labels = np.asarray(labels)
        min_count = np.bincount(labels).min() if len(labels) else 0
        for k in (2, 3, 5, 10):
            counts = np.bincount(labels)
            if k > counts[counts > 0].min():
                continue
            for fold, (_, te) in enumerate(StratifiedKFold(n_splits=k).split(np.zeros((len(labels), 1)), labels)):
                w.writerow([name, k, ints(labels), fold, ints(te)])
    f.close()


def write_group(rng):
    f, w = open_csv("group_kfold.csv")
    w.writerow(["case", "k", "groups", "fold", "test"])
    # Distinct group sizes only: scikit-learn breaks ties with numpy's unstable argsort.
    cases = []
    sizes = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    groups = np.repeat(np.arange(len(sizes)), sizes)
    cases.append(("sizes_1_to_12_shuffled", rng.permutation(groups)))
    sizes = [15, 1, 7, 3, 22, 9, 2, 5]
    cases.append(("sizes_mixed_ordered", np.repeat(np.array([40, 3, 17, 8, 5, 11, 2, 99]), sizes)))
    for name, g in cases:
        for k in (2, 3, 5):
            if k > len(np.unique(g)):
                continue
            for fold, (_, te) in enumerate(GroupKFold(n_splits=k).split(np.zeros((len(g), 1)), groups=g)):
                w.writerow([name, k, ints(g), fold, ints(te)])
    f.close()


def write_stratified_group(rng):
    """Unshuffled StratifiedGroupKFold folds (scikit-learn 1.2.1's shuffled folds are not reproducible: it shuffles
    the per-group class counts without their group ids)."""
    f, w = open_csv("stratified_group_kfold.csv")
    w.writerow(["case", "k", "labels", "groups", "fold", "test"])
    cases = [
        # The example of scikit-learn's StratifiedGroupKFold documentation.
        ("sklearn_doc_17", [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
         [1, 1, 2, 2, 3, 3, 3, 4, 5, 5, 5, 5, 6, 6, 7, 8, 8]),
    ]
    # 30 groups of 1..8 rows, binary labels whose rate depends on the group, group ids unsorted large integers.
    sizes = rng.integers(1, 9, 30)
    ids = rng.permutation(np.arange(100, 130) * 7)
    groups = np.repeat(ids, sizes)
    rate = np.repeat(rng.random(30), sizes)
    labels = (rng.random(len(groups)) < rate).astype(int)
    order = rng.permutation(len(groups))
    cases.append(("binary_30_groups", list(labels[order]), list(groups[order])))
    # Three classes, 40 groups, 220 rows drawn at random.
    groups = rng.integers(0, 40, 220)
    labels = rng.integers(0, 3, 220)
    cases.append(("three_classes_40_groups", list(labels), list(groups)))
    for name, labels, groups in cases:
        labels, groups = np.asarray(labels), np.asarray(groups)
        for k in (2, 3, 5):
            if k > len(np.unique(groups)) or k > np.bincount(labels).min():
                continue
            splitter = StratifiedGroupKFold(n_splits=k)
            for fold, (_, te) in enumerate(splitter.split(np.zeros((len(labels), 1)), labels, groups)):
                w.writerow([name, k, ints(labels), ints(groups), fold, ints(te)])
    f.close()


def write_grid_search(rng):
    """GridSearchCV(Ridge) with unshuffled KFold(5): per-candidate mean and std of the test MAE and R2, and the best index."""
    f, w = open_csv("grid_search_ridge.csv")
    x = rng.normal(0.0, 1.0, (60, 4)) * np.array([1.0, 3.0, 0.2, 5.0])
    y = x @ np.array([0.5, -1.0, 4.0, 0.1]) + 2.0 + rng.normal(0.0, 0.8, 60)
    grid = {"alpha": [0.001, 0.1, 1.0, 10.0, 100.0, 1000.0]}
    gs = GridSearchCV(Ridge(), grid, cv=KFold(n_splits=5), scoring={"mae": "neg_mean_absolute_error", "r2": "r2"}, refit="mae")
    gs.fit(x, y)
    r = gs.cv_results_
    w.writerow(["kind", "index", "alpha", "values"])
    for i in range(x.shape[0]):
        w.writerow(["row", i, "", vec(list(x[i]) + [y[i]])])
    for i, a in enumerate(grid["alpha"]):
        w.writerow(["mae_mean", i, fmt(a), fmt(-r["mean_test_mae"][i])])
        w.writerow(["mae_std", i, fmt(a), fmt(r["std_test_mae"][i])])
        w.writerow(["r2_mean", i, fmt(a), fmt(r["mean_test_r2"][i])])
        w.writerow(["rank_mae", i, fmt(a), int(r["rank_test_mae"][i])])
    w.writerow(["best_index", gs.best_index_, fmt(grid["alpha"][gs.best_index_]), ""])
    f.close()
    return x, y


def write_curves(x, y):
    """learning_curve and validation_curve of Ridge on the grid-search data, unshuffled KFold(5), MAE (sign flipped)."""
    f, w = open_csv("curves_ridge.csv")
    w.writerow(["curve", "x", "train_mae_mean", "train_mae_std", "test_mae_mean", "test_mae_std"])
    sizes, tr, te = learning_curve(Ridge(alpha=1.0), x, y, train_sizes=np.linspace(0.1, 1.0, 5), cv=KFold(n_splits=5),
                                   scoring="neg_mean_absolute_error", shuffle=False)
    for i, n in enumerate(sizes):
        w.writerow(["learning", int(n), fmt(-tr[i].mean()), fmt(tr[i].std()), fmt(-te[i].mean()), fmt(te[i].std())])
    alphas = [0.01, 1.0, 100.0]
    tr, te = validation_curve(Ridge(), x, y, param_name="alpha", param_range=alphas, cv=KFold(n_splits=5), scoring="neg_mean_absolute_error")
    for i, a in enumerate(alphas):
        w.writerow(["validation", fmt(a), fmt(-tr[i].mean()), fmt(tr[i].std()), fmt(-te[i].mean()), fmt(te[i].std())])
    f.close()


def write_matrix_rows(w, case, quantity, m):
    m = np.atleast_2d(m)
    for i in range(m.shape[0]):
        w.writerow([case, quantity, i, vec(m[i])])


def write_unsupervised(rng):
    """PCA (full SVD) attributes and transforms; KMeans from given initial centres; DBSCAN labels."""
    f, w = open_csv("unsupervised.csv")
    w.writerow(["case", "quantity", "row", "values"])
    # PCA: correlated features with different scales (n > p), and a wide case (n < p).
    z = rng.normal(0.0, 1.0, (40, 3))
    tall = np.column_stack([z[:, 0], 2 * z[:, 0] + 0.1 * z[:, 1], z[:, 2] * 5, z[:, 1] - z[:, 2], rng.normal(0, 0.01, 40)]) + 3.0
    wide = rng.normal(0.0, 1.0, (6, 9)) * np.arange(1, 10)
    for case, x, k in (("pca_tall", tall, 3), ("pca_wide", wide, None)):
        write_matrix_rows(w, case, "X", x)
        for whiten in (False, True):
            pca = PCA(n_components=k, whiten=whiten, svd_solver="full").fit(x)
            tag = "whiten" if whiten else "plain"
            write_matrix_rows(w, case, f"{tag}_components", pca.components_)
            write_matrix_rows(w, case, f"{tag}_explained_variance", pca.explained_variance_)
            write_matrix_rows(w, case, f"{tag}_explained_variance_ratio", pca.explained_variance_ratio_)
            write_matrix_rows(w, case, f"{tag}_singular_values", pca.singular_values_)
            write_matrix_rows(w, case, f"{tag}_mean", pca.mean_)
            write_matrix_rows(w, case, f"{tag}_transform", pca.transform(x))
    # KMeans: three blobs plus uniform noise, given initial centres (rows of X), Lloyd.
    centres = np.array([[0.0, 0.0], [5.0, 5.0], [0.0, 6.0]])
    x = np.vstack([c + rng.normal(0.0, 0.9, (30, 2)) for c in centres] + [rng.uniform(-3, 9, (10, 2))])
    write_matrix_rows(w, "kmeans_blobs", "X", x)
    for k, init_rows in ((3, [0, 1, 2]), (4, [5, 50, 77, 95]), (2, [0, 99])):
        init = x[init_rows]
        km = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd").fit(x)
        case = f"kmeans_k{k}"
        write_matrix_rows(w, case, "init", init)
        write_matrix_rows(w, case, "centres", km.cluster_centers_)
        w.writerow([case, "labels", 0, ints(km.labels_)])
        w.writerow([case, "inertia", 0, fmt(km.inertia_)])
        w.writerow([case, "n_iter", 0, km.n_iter_])
    # DBSCAN on the same data, several radii.
    for eps, ms in ((0.8, 5), (1.2, 4), (0.5, 3), (3.0, 10)):
        db = DBSCAN(eps=eps, min_samples=ms).fit(x)
        case = f"dbscan_eps{eps}_min{ms}"
        w.writerow([case, "params", 0, f"{fmt(eps)} {ms}"])
        w.writerow([case, "labels", 0, ints(db.labels_)])
        w.writerow([case, "core", 0, ints(db.core_sample_indices_)])
    f.close()


def write_feature_selection(rng):
    """VarianceThreshold, r_regression, RFE(Ridge) and SelectFromModel(Ridge) on one data set with distinct importances."""
    f, w = open_csv("feature_selection.csv")
    w.writerow(["quantity", "values"])
    n = 80
    z = rng.normal(0.0, 1.0, (n, 6))
    x = np.column_stack([
        z[:, 0], z[:, 1] * 2.0, np.full(n, 4.0), z[:, 2] * 0.5, z[:, 0] * 0.98 + 0.05 * z[:, 3],
        z[:, 4], rng.integers(0, 2, n) * 0.01, z[:, 5] * 3.0,
    ])
    y = 1.5 * x[:, 0] - 0.7 * x[:, 1] + 0.3 * x[:, 3] + 0.05 * x[:, 5] + 0.2 * x[:, 7] + rng.normal(0.0, 0.5, n)
    for i in range(n):
        w.writerow([f"row{i}", vec(list(x[i]) + [y[i]])])
    for t in (0.0, 0.01, 1.0):
        vt = VarianceThreshold(threshold=t).fit(x)
        w.writerow([f"variance_{t}_variances", vec(vt.variances_)])
        w.writerow([f"variance_{t}_support", ints(np.flatnonzero(vt.get_support()))])
    with np.errstate(all="ignore"):
        r = r_regression(x, y)
    w.writerow(["r_regression", vec(np.where(np.isfinite(r), r, 0.0))])  # constant column: undefined, written as 0
    for k, step in ((3, 1), (2, 2), (5, 1)):
        rfe = RFE(Ridge(alpha=1.0), n_features_to_select=k, step=step).fit(x, y)
        w.writerow([f"rfe_{k}_{step}_ranking", ints(rfe.ranking_)])
        w.writerow([f"rfe_{k}_{step}_support", ints(np.flatnonzero(rfe.support_))])
    for thr in ("mean", "median", "0.5*mean"):
        sfm = SelectFromModel(Ridge(alpha=1.0), threshold=thr).fit(x, y)
        w.writerow([f"sfm_{thr}_support", ints(np.flatnonzero(sfm.get_support()))])
    f.close()


def write_tsne(rng):
    """Exact t-SNE with PCA initialisation on three 4-D blobs: the final KL divergence and trustworthiness (not the layout)."""
    f, w = open_csv("tsne.csv")
    w.writerow(["case", "quantity", "values"])
    centres = np.array([[0.0, 0.0, 0.0, 0.0], [6.0, 0.0, 1.0, 0.0], [0.0, 6.0, 0.0, 2.0]])
    x = np.vstack([c + rng.normal(0.0, 1.0, (20, 4)) for c in centres])
    for i in range(x.shape[0]):
        w.writerow(["blobs", f"row{i}", vec(x[i])])
    for perplexity in (5.0, 15.0):
        t = TSNE(n_components=2, perplexity=perplexity, method="exact", init="pca", learning_rate="auto", random_state=0)
        emb = t.fit_transform(x)
        w.writerow(["blobs", f"kl_{perplexity}", fmt(t.kl_divergence_)])
        w.writerow(["blobs", f"trustworthiness_{perplexity}", fmt(trustworthiness(x, emb, n_neighbors=5))])
    f.close()


def main():
    found = {"sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}
    if found != EXPECTED:
        sys.exit(f"expected {EXPECTED}, found {found}: the committed reference files name those versions")
    os.makedirs(OUT, exist_ok=True)
    if sys.argv[1:] == ["stratified_group"]:
        write_stratified_group(np.random.default_rng(20260611))
        print(f"wrote stratified_group_kfold.csv to {os.path.normpath(OUT)}")
        return
    rng = np.random.default_rng(20240607)
    write_stratified(rng)
    write_group(rng)
    x, y = write_grid_search(rng)
    write_curves(x, y)
    write_unsupervised(rng)
    write_feature_selection(rng)
    write_tsne(rng)
    # Its own stream, so adding it did not change the files above.
    write_stratified_group(np.random.default_rng(20260611))
    print(f"wrote reference files to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
