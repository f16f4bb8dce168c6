"""scikit-learn side of the screening anchor: the cost per candidate of predicting with the main job's model.

The Python stack screens a candidate in two steps: matminer's Magpie featurization (1.2 ms per composition, serial,
measured on this machine with matminer v0.9.0: ../shared/data/README.md; matminer is not installed here, so that figure
is taken as given) and scikit-learn's RandomForestRegressor(n_estimators=100, n_jobs=2, random_state=0) predict.
This script times the second step: it fits the forest on matminer v0.9.0's Magpie features of matbench_expt_gap
(all 4604 rows, mean-imputed) and predicts CANDIDATES.csv (Magpie features of candidate compositions written by
`pure-materials featurize`, which equal matminer's bit for bit), REPEATS times, and prints the median predict time per
candidate and the anchor: 1.2 ms + that, as candidates per minute.

Run: /usr/bin/python3 benchmarks/sklearn/screen_anchor.py CANDIDATES.csv [REPEATS]   (Debian python3-sklearn 1.2.1)
tools/bench/screen-anchor.sh makes CANDIDATES.csv (10,000 quaternaries) and runs this.
"""
import os
import sys
import time
import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer

root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
candidates_path = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
features = pd.read_csv(os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"), float_precision="round_trip")
data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_gap.csv"), float_precision="round_trip")
columns = [c for c in features.columns if c.startswith("MagpieData ")]
X = features[columns].to_numpy(dtype=float)
y = data["gap expt"].to_numpy(dtype=float)
candidates = pd.read_csv(candidates_path, float_precision="round_trip")
Xc = candidates[columns].to_numpy(dtype=float)

imputer = SimpleImputer(strategy="mean").fit(X)
forest = RandomForestRegressor(n_estimators=100, n_jobs=2, random_state=0).fit(imputer.transform(X), y)
times = []
for _ in range(repeats):
    start = time.perf_counter()
    forest.predict(imputer.transform(Xc))
    times.append(time.perf_counter() - start)
per_candidate = float(np.median(times)) / len(Xc)
total = 1.2e-3 + per_candidate
print(f"scikit-learn {sklearn.__version__}: predict {len(Xc)} candidates, median of {repeats}: {np.median(times):.4f} s ({per_candidate * 1e6:.2f} us per candidate)")
print(f"anchor: matminer Magpie 1.2 ms + predict {per_candidate * 1e3:.4f} ms = {total * 1e3:.4f} ms per candidate = {60 / total:,.0f} candidates per minute")
