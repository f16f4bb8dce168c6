"""Three SGD steps of the ORIGINAL CGCNN code (github.com/txie-93/cgcnn, a checkout outside this repository) in float64, for
tests/.../Models/Graph/CgcnnTrainingTests.cs (Reference/cod-cgcnn/torch_train_steps.json).

The ten COD CIFs of Reference/cod-cgcnn with id_prop.csv's targets (1..10), read by the original CIFData (12 neighbours within
8 A, 41 Gaussians) and joined by its collate_pool in ascending CIF id; CrystalGraphConvNet(92, 41, atom_fea_len=8, n_conv=2,
h_fea_len=16, n_h=2) with PyTorch's default initialisation (torch.manual_seed(0)), .double(); the Normalizer of main.py (mean and
torch.std of the ten targets); model.train(); three steps of main.py's loop on the one batch of ten: MSELoss(output, normed target),
optim.SGD(lr 0.01, momentum 0.9, weight_decay 0), zero_grad, backward, step. Writes the initial and final state dicts (with the
batch-norm running statistics) in the JSON form Cgcnn.ReadJson reads, and each step's loss.

    /usr/bin/python3 tools/reference/torch_cgcnn_train_steps.py CGCNN_CHECKOUT OUT.json [adam-l1|sgd-milestone|classification]

With the optional third argument `adam-l1` (-> torch_train_steps_adam_l1.json): the same network and batch, three steps of
optim.Adam(lr 0.01, weight_decay 0.001) on L1Loss (nn.L1Loss, the mean absolute error) of the normed targets instead. With
`sgd-milestone` (-> torch_train_steps_sgd_milestone.json): SGD(lr 0.01, momentum 0.9, weight_decay 0.001) on MSELoss with
main.py's MultiStepLR(milestones=[2], gamma=0.1) stepped after each step (one batch is one epoch), so the third step runs at 0.001.
With `classification` (-> torch_train_steps_classification.json): CrystalGraphConvNet(..., classification=True) (2 outputs,
log-softmax) with its dropout's p set to 0 (a random mask cannot be replayed across frameworks), labels target > 5 (0 for the
first five ids, 1 for the rest), main.py's classification Normalizer (mean 0, std 1), NLLLoss, SGD(lr 0.01, momentum 0.9).
(PyTorch 1.13.1 and pymatgen 2022.11.7 from Debian here.)
"""
import json
import os
import shutil
import sys
import tempfile

import torch

checkout, out = sys.argv[1], sys.argv[2]
variant = sys.argv[3] if len(sys.argv) > 3 else "sgd-mse"
assert variant in ("sgd-mse", "adam-l1", "sgd-milestone", "classification"), variant
classify = variant == "classification"
sys.path.insert(0, checkout)
from cgcnn.data import CIFData, collate_pool  # noqa: E402
from cgcnn.model import CrystalGraphConvNet  # noqa: E402

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Pure.Materials.Tests", "Reference", "cod-cgcnn")
ids = sorted(f[:-4] for f in os.listdir(here) if f.endswith(".cif"))
work = tempfile.mkdtemp()
for i in ids:
    shutil.copy(os.path.join(here, i + ".cif"), work)
shutil.copy(os.path.join(here, "atom_init.json"), work)
with open(os.path.join(work, "id_prop.csv"), "w") as f:
    for k, i in enumerate(ids):
        f.write("%s,%d\n" % (i, k + 1))
data = CIFData(work)
items = sorted((data[k] for k in range(len(data))), key=lambda item: item[2])
assert [item[2] for item in items] == ids
(atom_fea, nbr_fea, nbr_idx, crystal_idx), target, _ = collate_pool(items)
atom_fea, nbr_fea, target = atom_fea.double(), nbr_fea.double(), target.double()

torch.manual_seed(0)
model = CrystalGraphConvNet(92, 41, atom_fea_len=8, n_conv=2, h_fea_len=16, n_h=2, classification=classify).double()
mean, std = torch.mean(target), torch.std(target)
if classify:
    model.dropout.p = 0.0
    labels = (target > 5).long().view(-1)
    mean, std = torch.tensor(0.0), torch.tensor(1.0)


def state():
    return {"normalizer": {"mean": float(mean), "std": float(std)},
            "tensors": {k: {"shape": list(v.shape), "data": [float(x) for x in v.reshape(-1).tolist()]}
                        for k, v in model.state_dict().items() if v.dtype.is_floating_point}}


initial = state()
if variant == "adam-l1":
    criterion = torch.nn.L1Loss()
    optimizer = torch.optim.Adam(model.parameters(), 0.01, weight_decay=0.001)
elif classify:
    criterion = torch.nn.NLLLoss()
    optimizer = torch.optim.SGD(model.parameters(), 0.01, momentum=0.9, weight_decay=0)
else:
    criterion = torch.nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), 0.01, momentum=0.9, weight_decay=0.001 if variant == "sgd-milestone" else 0)
scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[2], gamma=0.1) if variant == "sgd-milestone" else None
model.train()
losses = []
for step in range(3):
    output = model(atom_fea, nbr_fea, nbr_idx, crystal_idx)
    loss = criterion(output, labels) if classify else criterion(output, (target - mean) / std)
    losses.append(float(loss))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if scheduler is not None:
        scheduler.step()
with open(out, "w") as f:
    json.dump({"variant": variant, "ids": ids, "targets": [int(v) for v in labels] if classify else list(range(1, 11)), "losses": losses, "initial": initial, "final": state()}, f)
shutil.rmtree(work)
print("losses", losses)
