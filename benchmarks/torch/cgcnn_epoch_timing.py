"""PyTorch side of `Pure.Materials.Benchmarks.dll cgcnn-timing`: time per epoch of the ORIGINAL CGCNN code on matbench_phonons.

Runs the unmodified main.py of a checkout of github.com/txie-93/cgcnn (MIT; not part of this repository: pass its path)
with the issue's settings: 80/10/10 split, batch 128, 3 convolutions, defaults otherwise (SGD lr 0.01 momentum 0.9,
atom_fea_len 64, h_fea_len 128, n_h 1), on the directory written by tools/reference/cgcnn_phonons_cifs.py. It only wraps
main.py's own train() and validate() functions with a clock, so each epoch's training and validation seconds are printed
(the first epoch also parses the CIFs and searches neighbours: CIFData caches each crystal's graph on first use).

Run from a scratch directory (main.py writes checkpoint.pth.tar, model_best.pth.tar and test_results.csv there):
    /usr/bin/python3 benchmarks/torch/cgcnn_epoch_timing.py CGCNN_CHECKOUT DATA_DIR [EPOCHS] [THREADS]
(defaults 3 epochs, 2 threads: the machine's cores). OpenMP waits passively unless OMP_WAIT_POLICY says otherwise.
"""
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch

checkout, data_dir = sys.argv[1], sys.argv[2]
epochs = sys.argv[3] if len(sys.argv) > 3 else "3"
torch.set_num_threads(int(sys.argv[4]) if len(sys.argv) > 4 else 2)
sys.path.insert(0, checkout)
sys.argv = ["main.py", data_dir, "--train-ratio", "0.8", "--val-ratio", "0.1", "--test-ratio", "0.1", "-b", "128",
            "--n-conv", "3", "--epochs", epochs, "--print-freq", "1000"]
start = time.perf_counter()
import main  # noqa: E402  (the original script; parses sys.argv above)

times = {"train": [], "validate": []}


def clocked(name, f):
    def run(*args, **kwargs):
        t = time.perf_counter()
        result = f(*args, **kwargs)
        times[name].append(time.perf_counter() - t)
        if name == "validate" and len(times["validate"]) <= len(times["train"]):
            e = len(times["train"]) - 1
            print("EPOCH %d train %.3f s validate %.3f s total %.3f s val MAE %.4f" % (
                e, times["train"][e], times["validate"][e], times["train"][e] + times["validate"][e], float(result)), flush=True)
        return result
    return run


main.train = clocked("train", main.train)
main.validate = clocked("validate", main.validate)
main.main()
print("WALL %.3f s (start-up, data, %s epochs, test)" % (time.perf_counter() - start, epochs), flush=True)
