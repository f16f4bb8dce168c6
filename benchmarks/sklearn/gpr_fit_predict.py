"""scikit-learn side of the Gaussian-process benchmark (issue 6): fit with optimisation and predict at n = 500 and 2000.

Data (identical in both languages, no file needed): X (n, 5) and y from the SplitMix64 stream of seed 42 exactly as
Pure.Materials' Rng.FromSeed(42) + RngCursor.NextDouble (row-major X, then one noise draw per row):
    y = sin(3 x0) + x1^2 - x2 x3 + 0.5 cos(2 x4) + 0.1 (u - 0.5).
Test points: the next 1000 rows of the same stream (noise draws unused).
Model: GaussianProcessRegressor(ConstantKernel(1.0) * RBF(ones(5)) + WhiteKernel(0.1), alpha=1e-10, normalize_y=True,
n_restarts_optimizer=1, random_state=0), default bounds (1e-5, 1e5), optimizer fmin_l_bfgs_b; predict(return_std=True).
The C# side is benchmarks/Pure.Materials.Benchmarks/GaussianBenchmarks.cs (same data, kernel, bounds, start, one restart).
Prints n, fit seconds, predict seconds, final log marginal likelihood and the fitted kernel.

Run: /usr/bin/python3 benchmarks/sklearn/gpr_fit_predict.py [n ...]   (Debian python3-sklearn 1.2.1); default 500 2000.
"""
import sys
import time
import numpy as np
import sklearn
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import ConstantKernel, RBF, WhiteKernel

MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def mix64(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def stream(seed):
    state = mix64(seed & MASK)
    while True:
        state = (state + GAMMA) & MASK
        yield (mix64(state) >> 11) * (1.0 / (1 << 53))


def synthetic(n, n_test, d=5, seed=42):
    s = stream(seed)
    x = np.array([next(s) for _ in range(n * d)]).reshape(n, d)
    u = np.array([next(s) for _ in range(n)])
    xt = np.array([next(s) for _ in range(n_test * d)]).reshape(n_test, d)
    y = np.sin(3 * x[:, 0]) + x[:, 1] ** 2 - x[:, 2] * x[:, 3] + 0.5 * np.cos(2 * x[:, 4]) + 0.1 * (u - 0.5)
    return x, y, xt


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [500, 2000]
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}")
    for n in sizes:
        x, y, xt = synthetic(n, 1000)
        kernel = ConstantKernel(1.0) * RBF(np.ones(5)) + WhiteKernel(0.1)
        gpr = GaussianProcessRegressor(kernel, alpha=1e-10, normalize_y=True, n_restarts_optimizer=1, random_state=0)
        t0 = time.perf_counter()
        gpr.fit(x, y)
        t1 = time.perf_counter()
        mean, std = gpr.predict(xt, return_std=True)
        t2 = time.perf_counter()
        print(f"n={n} fit {t1 - t0:.2f} s predict(1000, std) {t2 - t1:.3f} s LML {gpr.log_marginal_likelihood_value_:.6f} "
              f"kernel {gpr.kernel_} mean[0] {mean[0]:.6f} std[0] {std[0]:.6f}", flush=True)
