"""Reference: Gaussian-process mean and standard deviation through a scaling pipeline, from scikit-learn.

Run (Debian python3-sklearn 1.2.1, numpy 1.24.2, pandas 1.5.3):
    /usr/bin/python3 tools/reference/sklearn_gpr_pipeline_std.py
Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/gpr_pipeline_std.csv with columns index,mean,std: the
predictions of make_pipeline(StandardScaler(), GaussianProcessRegressor(C(1.0) * RBF([1.0] * 6) + WhiteKernel(0.1),
normalize_y=True, optimizer=None)).predict(X_test, return_std=True) on the bundled perovskite data, features
A_ion_rad, B_ion_rad, X_ion_rad, A_En, B_En, X_En (unscaled they differ by a factor of 1000: scaling matters), target
"Decomposition Energy" (eV), training rows Index % 4 != 0 (384), test rows Index % 4 == 0 (128).
Our side: PipelineOptions(impute none, scale standard, gpr kernel=constant*ard+white(0.1), normalize_y=true,
optimizer=None), Predictor.PredictWithStd (tests/.../Models/Gaussian/PipelineStdTests.cs), tolerance 1e-8 relative.
"""
import os
import pandas as pd
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel as C, RBF, WhiteKernel
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "perovskite_dft.csv"), float_precision="round_trip")
cols = ["A_ion_rad", "B_ion_rad", "X_ion_rad", "A_En", "B_En", "X_En"]
test = data["Index"] % 4 == 0
x, y = data[cols].to_numpy(dtype=float), data["Decomposition Energy"].to_numpy(dtype=float)
model = make_pipeline(StandardScaler(), GaussianProcessRegressor(C(1.0) * RBF([1.0] * len(cols)) + WhiteKernel(0.1),
                                                                 normalize_y=True, optimizer=None))
model.fit(x[~test.to_numpy()], y[~test.to_numpy()])
mean, std = model.predict(x[test.to_numpy()], return_std=True)
out = pd.DataFrame({"index": data["Index"][test].to_numpy(), "mean": mean, "std": std})
path = os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1", "gpr_pipeline_std.csv")
out.to_csv(path, index=False, float_format="%.17g")
print(f"wrote {path}: {len(out)} rows, mean std {std.mean():.6g} eV")
