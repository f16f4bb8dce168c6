"""PyTorch side of `Pure.Materials.Benchmarks.dll mlp-timing`: time per epoch of the same network, data and optimiser.

The architecture, data and training step of benchmarks/sklearn/mlp_epoch_timing.py written in PyTorch 1.13 (Debian's
python3-torch, CPU): 132 -> 100 relu -> 1, Glorot-uniform weights and biases as scikit-learn draws them, the objective
(1/2) mean (y_hat - y)^2 + alpha / (2 n_batch) sum ||W||^2 (alpha 1e-4, scikit-learn's), Adam (lr 0.001, betas 0.9/0.999,
eps 1e-8), mini-batches of 200 rows (the last 83) reshuffled every epoch, on fold 0's training rows of matbench_expt_gap
(matminer v0.9.0 Magpie features, mean-imputed and standard-scaled): 3683 x 132. One 2-epoch warm-up, then EPOCHS epochs
timed; prints ms per epoch and the final epoch loss.

Run: /usr/bin/python3 benchmarks/torch/mlp_epoch_timing.py [EPOCHS] [float64|float32] [THREADS]
(defaults 20, float64, 2: the machine's cores, as many as the .NET thread pool uses). OpenMP waits passively unless
OMP_WAIT_POLICY says otherwise. Debian's torch calls the system BLAS (libblas3, the reference implementation on this machine,
which numpy and so scikit-learn use too) for its matrix products.
"""
import os
import sys
import time

# libgomp's threads spin while they wait for work by default; on a shared machine a spinning thread that has lost its core
# stalls every parallel region (550-660 ms per epoch at 2 threads, load 15-24, against 100 ms with passive waiting).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import numpy as np
import pandas as pd
import torch
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
dtype = {"float64": torch.float64, "float32": torch.float32}[sys.argv[2] if len(sys.argv) > 2 else "float64"]
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
torch.set_num_threads(threads)
torch.manual_seed(0)

root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
features = pd.read_csv(os.path.join(root, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0", "composition_expt_gap.csv.gz"), float_precision="round_trip")
data = pd.read_csv(os.path.join(root, "src", "Pure.Materials", "Data", "Bundled", "matbench_expt_gap.csv"), float_precision="round_trip")
X = features[[c for c in features.columns if c.startswith("MagpieData ")]].to_numpy(dtype=float)
y = data["gap expt"].to_numpy(dtype=float)
train = data["fold"].to_numpy() != 0
x = SimpleImputer(strategy="mean").fit_transform(X[train])
x = StandardScaler().fit_transform(x)
xt = torch.tensor(x, dtype=dtype)
yt = torch.tensor(y[train], dtype=dtype).reshape(-1, 1)
n, f = xt.shape
hidden, batch, alpha = 100, min(200, n), 1e-4


def glorot(fan_in, fan_out):
    bound = (6.0 / (fan_in + fan_out)) ** 0.5
    w = torch.empty(fan_in, fan_out, dtype=dtype).uniform_(-bound, bound).requires_grad_()
    b = torch.empty(fan_out, dtype=dtype).uniform_(-bound, bound).requires_grad_()
    return w, b


def fit(n_epochs):
    w1, b1 = glorot(f, hidden)
    w2, b2 = glorot(hidden, 1)
    params = [w1, b1, w2, b2]
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
    loss_curve = []
    for _ in range(n_epochs):
        order = torch.randperm(n)
        total = 0.0
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            xb, yb = xt[idx], yt[idx]
            out = torch.addmm(b2, torch.relu(torch.addmm(b1, xb, w1)), w2)
            loss = 0.5 * torch.mean((out - yb) ** 2) + alpha / (2 * len(idx)) * ((w1 * w1).sum() + (w2 * w2).sum())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        loss_curve.append(total / n)
    return loss_curve


fit(2)
start = time.perf_counter()
curve = fit(epochs)
seconds = time.perf_counter() - start
print(f"PyTorch {torch.__version__} {str(dtype).replace('torch.', '')} ({torch.get_num_threads()} threads) (132-100-1, relu, adam, batch 200) on {n} x {f}: "
      f"{epochs} epochs in {seconds:.3f} s, {seconds / epochs * 1000:.1f} ms per epoch; final loss {curve[-1]:.4f}")
