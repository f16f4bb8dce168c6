"""Reference Gaussian-process values from scikit-learn for Pure.Materials' tests.

Run (Debian python3-sklearn 1.2.1, numpy 1.24.2, pandas 1.5.3):
    /usr/bin/python3 tools/reference/sklearn_gpr.py
Writes tests/Pure.Materials.Tests/Reference/sklearn-1.2.1/gpr.csv with rows `case,quantity,values` (values space-separated):
for each case, GaussianProcessRegressor(kernel, alpha, normalize_y, optimizer=None) is fitted and we record
theta, lml (log_marginal_likelihood_value_), lml_grad (log_marginal_likelihood(theta, eval_gradient=True)[1]),
mean and std of predict(X_test, return_std=True), and for small cases the flattened predictive covariance.
Cases "perov_*" use the 14 site-fraction columns of the bundled perovskite data (train rows 0..399, test rows 400..510)
predicting "Decomposition Energy"; "syn_*" use synthetic data (3 features; "syn1_*" only the first) written to the file as rows x_train / y_train / x_test.
Cases ending in "_opt" are fitted with the default optimizer (fmin_l_bfgs_b, no restarts) from the same start and record
the optimised lml and theta (our optimiser must reach at least that lml).
"""
import os
import numpy as np
import pandas as pd
import sklearn
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import (ConstantKernel as C, RBF, WhiteKernel, DotProduct, RationalQuadratic,
                                              ExpSineSquared, Matern)

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "perovskite_dft.csv"), float_precision="round_trip")
cols = ["K", "Rb", "Cs", "MA", "FA", "Ca", "Sr", "Ba", "Ge", "Sn", "Pb", "Cl", "Br", "I"]
Xp = data[cols].to_numpy(dtype=float)
yp = data["Decomposition Energy"].to_numpy(dtype=float)
Xp_tr, yp_tr, Xp_te = Xp[:400], yp[:400], Xp[400:]

rs = np.random.RandomState(0)
Xs = rs.uniform(-2, 2, size=(30, 3))
ys = np.sin(Xs[:, 0]) + 0.5 * Xs[:, 1] ** 2 - 0.3 * Xs[:, 2] + 0.05 * rs.randn(30)
Xs_te = rs.uniform(-2, 2, size=(8, 3))

# (name, kernel, alpha, normalize_y, data)
cases = [
    ("perov_c_ard_white", C(0.5) * RBF(length_scale=[0.3 + 0.1 * i for i in range(14)]) + WhiteKernel(0.01), 1e-10, True, "perov"),
    ("perov_matern25_white", C(0.02) * Matern(length_scale=0.7, nu=2.5) + WhiteKernel(1e-3), 1e-10, False, "perov"),
    ("perov_rq", C(1.0) * RationalQuadratic(length_scale=0.8, alpha=0.5), 1e-4, True, "perov"),
    ("syn_rbf", RBF(0.9), 1e-6, False, "syn"),
    ("syn_rbf_ard", C(2.0) * RBF([0.5, 1.5, 3.0]), 1e-6, True, "syn"),
    ("syn_rq", RationalQuadratic(length_scale=1.2, alpha=0.7), 1e-6, False, "syn"),
    ("syn1_expsine", ExpSineSquared(length_scale=1.3, periodicity=2.5) + WhiteKernel(0.1), 1e-10, False, "syn1"),
    ("syn_dot_white", DotProduct(sigma_0=0.8) + WhiteKernel(0.3), 1e-10, True, "syn"),
    ("syn_matern05_ard", Matern(length_scale=[0.7, 1.1, 2.0], nu=0.5), 1e-6, False, "syn"),
    ("syn_matern15", C(1.5) * Matern(length_scale=0.9, nu=1.5), 1e-6, False, "syn"),
    ("syn_matern25_ard", Matern(length_scale=[0.7, 1.1, 2.0], nu=2.5) + WhiteKernel(0.05), 1e-10, True, "syn"),
    ("syn_pow", C(0.7) * RBF(1.1) ** 2 + C(0.3) * DotProduct(0.5), 1e-6, False, "syn"),
    ("syn_fixed", C(1.0, constant_value_bounds="fixed") * RBF(1.0, length_scale_bounds="fixed") + WhiteKernel(0.1, noise_level_bounds=(1e-3, 10.0)), 1e-10, False, "syn"),
    ("syn_c_ard_white_opt", C(1.0) * RBF([1.0, 1.0, 1.0]) + WhiteKernel(0.1), 1e-10, True, "syn"),
    ("perov_c_ard_white_opt", C(1.0) * RBF(length_scale=[1.0] * 14) + WhiteKernel(0.1), 1e-10, True, "perov"),
]

def fmt(v):
    return " ".join(repr(float(x)) for x in np.ravel(v))

out_dir = os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "sklearn-1.2.1")
os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "gpr.csv"), "w") as f:
    f.write(f"# scikit-learn {sklearn.__version__}, numpy {np.__version__}; /usr/bin/python3 tools/reference/sklearn_gpr.py\n")
    f.write("case,quantity,values\n")
    for i in range(len(Xs)):
        f.write(f"syn,x_train,{fmt(Xs[i])}\n")
    f.write(f"syn,y_train,{fmt(ys)}\n")
    for i in range(len(Xs_te)):
        f.write(f"syn,x_test,{fmt(Xs_te[i])}\n")
    for name, kernel, alpha, norm, which in cases:
        X, y, Xt = {"perov": (Xp_tr, yp_tr, Xp_te), "syn": (Xs, ys, Xs_te), "syn1": (Xs[:, :1], ys, Xs_te[:, :1])}[which]
        opt = name.endswith("_opt")
        gp = GaussianProcessRegressor(kernel=kernel, alpha=alpha, normalize_y=norm,
                                      optimizer="fmin_l_bfgs_b" if opt else None).fit(X, y)
        lml, grad = gp.log_marginal_likelihood(gp.kernel_.theta, eval_gradient=True)
        mean, std = gp.predict(Xt, return_std=True)
        f.write(f"{name},kernel,{str(gp.kernel_).replace(',', ';')}\n")
        f.write(f"{name},start_theta,{fmt(kernel.theta)}\n")
        f.write(f"{name},theta,{fmt(gp.kernel_.theta)}\n")
        f.write(f"{name},lml,{fmt([gp.log_marginal_likelihood_value_])}\n")
        f.write(f"{name},lml_grad,{fmt(grad)}\n")
        f.write(f"{name},mean,{fmt(mean)}\n")
        f.write(f"{name},std,{fmt(std)}\n")
        if which != "perov":
            _, cov = gp.predict(Xt, return_cov=True)
            f.write(f"{name},cov,{fmt(cov)}\n")
            K, Kg = gp.kernel_(X[:5], eval_gradient=True)
            f.write(f"{name},K5,{fmt(K)}\n")
            f.write(f"{name},K5_grad,{fmt(np.transpose(Kg, (2, 0, 1)))}\n")
print("wrote gpr.csv")
