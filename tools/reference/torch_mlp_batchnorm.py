"""Reference training of a tiny MLP with batch norm in PyTorch 1.13, for Pure.Materials' mlp batch_norm=true test.

Run (Debian python3-torch 1.13.1, numpy 1.24.2):
    /usr/bin/python3 tools/reference/torch_mlp_batchnorm.py
Writes tests/Pure.Materials.Tests/Reference/torch-1.13/mlp_batchnorm.json (byte-identical on re-run).

Network: Linear(5, 6) -> BatchNorm1d(6) -> act -> Linear(6, 4) -> BatchNorm1d(4) -> act -> Linear(4, 1), BatchNorm1d with
PyTorch's defaults (momentum 0.1, eps 1e-5, affine, track_running_stats). Data: 20 rows from numpy's RandomState(20261205),
x uniform on [-2, 2), y = sin(x0) + x1 x2 - 0.5 x3. Initial weights and biases: Glorot-uniform drawn from the same RandomState
(scikit-learn's bound sqrt(6 / (fan_in + fan_out))) and written out, so the library starts from them. Training: plain SGD
(torch.optim.SGD, lr 0.1, no momentum), fixed batches of 8, 8 and 4 rows in row order (no shuffle), 3 epochs (9 steps);
objective per batch 0.5 mean (y_hat - y)^2 + alpha / (2 n_batch) sum_l ||W_l||^2 (alpha 1e-3, weights only: scikit-learn's,
which the library's mlp uses). Recorded: the epoch losses (batch losses weighted by batch size over n, scikit-learn's
loss_curve_), the final weights (as (fan_in, fan_out), scikit-learn's coefs_ layout), biases, gammas, betas, running means and
variances, and the eval-mode predictions of the 20 training rows and of 5 further rows. Two configurations: relu in float64 and
tanh in float32 (torch's default dtype; data and initial weights rounded to float32 first).
"""
import json
import os
import numpy as np
import torch

assert torch.__version__.startswith("1.13"), torch.__version__
assert np.__version__ == "1.24.2", np.__version__
torch.set_num_threads(1)

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "..", "..", "tests", "Pure.Materials.Tests", "Reference", "torch-1.13", "mlp_batchnorm.json")

rs = np.random.RandomState(20261205)
X = rs.uniform(-2, 2, size=(20, 5))
y = np.sin(X[:, 0]) + X[:, 1] * X[:, 2] - 0.5 * X[:, 3]
X_new = rs.uniform(-2, 2, size=(5, 5))
sizes = [5, 6, 4, 1]
coefs, intercepts = [], []
for l in range(3):
    bound = np.sqrt(6.0 / (sizes[l] + sizes[l + 1]))
    coefs.append(rs.uniform(-bound, bound, size=(sizes[l], sizes[l + 1])))
    intercepts.append(rs.uniform(-bound, bound, size=sizes[l + 1]))

ALPHA, LR, BATCH, EPOCHS = 1e-3, 0.1, 8, 3


def run(activation, dtype):
    cast = (lambda a: np.asarray(a, dtype=np.float32).astype(np.float64)) if dtype == torch.float32 else (lambda a: np.asarray(a))
    x, t, xn = cast(X), cast(y), cast(X_new)
    c0, b0 = [cast(c) for c in coefs], [cast(b) for b in intercepts]
    act = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh}[activation]
    linears = [torch.nn.Linear(sizes[l], sizes[l + 1]).to(dtype) for l in range(3)]
    norms = [torch.nn.BatchNorm1d(sizes[l + 1]).to(dtype) for l in range(2)]
    with torch.no_grad():
        for l in range(3):
            linears[l].weight.copy_(torch.tensor(c0[l].T, dtype=dtype))
            linears[l].bias.copy_(torch.tensor(b0[l], dtype=dtype))
    model = torch.nn.Sequential(linears[0], norms[0], act(), linears[1], norms[1], act(), linears[2])
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    xt, yt = torch.tensor(x, dtype=dtype), torch.tensor(t, dtype=dtype)
    losses = []
    for epoch in range(EPOCHS):
        model.train()
        total = 0.0
        for start in range(0, len(x), BATCH):
            xb, yb = xt[start:start + BATCH], yt[start:start + BATCH]
            n = len(xb)
            opt.zero_grad()
            pred = model(xb)[:, 0]
            loss = 0.5 * torch.mean((pred - yb) ** 2) + ALPHA / (2 * n) * sum((lin.weight ** 2).sum() for lin in linears)
            loss.backward()
            opt.step()
            total += float(loss) * n
        losses.append(total / len(x))
    model.eval()
    with torch.no_grad():
        pred_train = model(xt)[:, 0].double().tolist()
        pred_new = model(torch.tensor(xn, dtype=dtype))[:, 0].double().tolist()
    f = lambda v: v.detach().double().numpy().tolist()
    return dict(
        name=f"sgd_{activation}_{'float64' if dtype == torch.float64 else 'float32'}", activation=activation,
        dtype="float64" if dtype == torch.float64 else "float32",
        x=x.tolist(), y=t.tolist(), x_new=xn.tolist(),
        coefs_init=[c.tolist() for c in c0], intercepts_init=[b.tolist() for b in b0],
        loss_curve=losses,
        coefs=[f(lin.weight.T) for lin in linears], intercepts=[f(lin.bias) for lin in linears],
        gamma=[f(bn.weight) for bn in norms], beta=[f(bn.bias) for bn in norms],
        running_mean=[f(bn.running_mean) for bn in norms], running_var=[f(bn.running_var) for bn in norms],
        predict_train=pred_train, predict_new=pred_new)


doc = dict(
    tool=f"torch {torch.__version__}, numpy {np.__version__}", command="/usr/bin/python3 tools/reference/torch_mlp_batchnorm.py",
    hidden_layer_sizes=sizes[1:-1], alpha=ALPHA, learning_rate_init=LR, batch_size=BATCH, max_iter=EPOCHS, momentum=0.1, eps=1e-5,
    configs=[run("relu", torch.float64), run("tanh", torch.float32)])
os.makedirs(os.path.dirname(out), exist_ok=True)
with open(out, "w") as fh:
    json.dump(doc, fh, indent=1)
print("wrote", os.path.normpath(out))
