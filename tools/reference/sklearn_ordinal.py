"""Reference values from scikit-learn 1.2.1 for Pure.Materials' OrdinalEncoder (categorical feature columns for trees).

Run (Debian python3-sklearn 1.2.1, numpy 1.24.2, pandas 1.5.3), from the repository root:
    /usr/bin/python3 tools/reference/sklearn_ordinal.py
Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/ordinal.csv in long format case,quantity,index,value.
Encoder: OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1), fitted on the training rows only.
Cases (the same as sklearn_one_hot.py):
- jdft2d_fold2: the bundled matbench_jdft2d, columns crys_sys (text) and spg_num (space-group number, an integer column read as
  categories), fitted on the rows with fold != 2, applied to the rows with fold == 2 (six of whose space groups the training rows lack).
- missing: a hand-made column with a missing value (NaN) in the training rows and a category ('c') only in the test rows.
Quantities: categories (categories_ of each input column, index = column, value = the categories joined by '|'), codes (per test row,
index = row, value = the encoded row, space-separated, as repr(float)).
"""
import os
import numpy as np
import pandas as pd
import sklearn
from sklearn.preprocessing import OrdinalEncoder

assert sklearn.__version__ == "1.2.1", sklearn.__version__
assert np.__version__ == "1.24.2", np.__version__

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
out = os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1", "ordinal.csv")

rows = []


def case(name, train, test):
    enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1).fit(train)
    for j, c in enumerate(enc.categories_):
        rows.append((name, "categories", j, "|".join("nan" if (isinstance(v, float) and np.isnan(v)) or v is None else str(v) for v in c)))
    z = enc.transform(test)
    for i in range(z.shape[0]):
        rows.append((name, "codes", i, " ".join(repr(float(v)) for v in z[i])))


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
