"""Reference values from scikit-learn 1.2.1 for Pure.Materials' OneHotEncoder (categorical feature columns).

Run (Debian python3-sklearn 1.2.1, numpy 1.24.2, pandas 1.5.3), from the repository root:
    /usr/bin/python3 tools/reference/sklearn_one_hot.py
Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/one_hot.csv in long format case,quantity,index,value.
Cases:
- jdft2d_fold2: the bundled matbench_jdft2d (src/Pure.Materials/Data/Bundled/matbench_jdft2d.csv.gz), columns crys_sys (text) and
  spg_num (space-group number, an integer column read as categories); OneHotEncoder(handle_unknown="ignore") fitted on the rows with
  fold != 2, applied to the rows with fold == 2 (six of whose space groups the training rows lack).
- missing: a hand-made column with a missing value (NaN, as pandas reads an empty cell) in the training rows and a category ('c') only in the test rows.
Quantities: names (get_feature_names_out, index = output column), categories (categories_ of each input column, index = column,
value = the categories joined by '|'), ones (per test row, index = row, value = the output columns holding 1, space-separated;
'' for a row of zeros), sum (per test row, the row's sum).
"""
import os
import numpy as np
import pandas as pd
import sklearn
from sklearn.preprocessing import OneHotEncoder

assert sklearn.__version__ == "1.2.1", sklearn.__version__
assert np.__version__ == "1.24.2", np.__version__

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
out = os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1", "one_hot.csv")

rows = []


def case(name, train, test):
    enc = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(train)
    for j, n in enumerate(enc.get_feature_names_out()):
        rows.append((name, "names", j, str(n)))
    for j, c in enumerate(enc.categories_):
        rows.append((name, "categories", j, "|".join("nan" if (isinstance(v, float) and np.isnan(v)) or v is None else str(v) for v in c)))
    z = enc.transform(test)
    for i in range(z.shape[0]):
        rows.append((name, "ones", i, " ".join(str(k) for k in np.flatnonzero(z[i] == 1.0))))
        rows.append((name, "sum", i, repr(float(z[i].sum()))))


d = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_jdft2d.csv.gz"))
cols = ["crys_sys", "spg_num"]
case("jdft2d_fold2", d.loc[d.fold != 2, cols], d.loc[d.fold == 2, cols])

train = pd.DataFrame({"kind": ["b", "a", np.nan, "b", "a"]})
test = pd.DataFrame({"kind": ["c", np.nan, "a", "b"]})
case("missing", train, test)

with open(out, "w") as f:
    f.write("case,quantity,index,value\n")
    for c, q, i, v in rows:
        f.write(f"{c},{q},{i},{v}\n")
print("wrote", out, len(rows), "rows")
