"""Checks the matminer eigenvalue order (Coulomb / sine Coulomb, sort_eigenvalues=false) against numpy on the same matrices.

Usage (from the repository root):
    dotnet run -c Release --project benchmarks/Pure.Materials.Benchmarks -- coulomb-matrices /tmp/coulomb
    /usr/bin/python3 benchmarks/eigenvalue-order/check_numpy_order.py /tmp/coulomb

For each of the 1265 matbench_phonons structures it passes our matrix to numpy.linalg.eig (as matminer 0.9.0 does) and
counts the rows where numpy's eigenvalues equal ours bit for bit in the same order, and the rows where numpy's, and ours,
equal matminer's reference columns at 1e-9 relative. With pymatgen installed it also rebuilds matminer's own matrices
(sine: numpy's sin, the row vector times the lattice, np.linalg.norm; Coulomb: Structure.get_distance) and counts the rows
where numpy's eigenvalues of those equal the reference in order.
"""
import csv
import gzip
import json
import sys

import numpy as np

ROOT = "."
REFERENCE = ROOT + "/tests/Pure.Materials.Tests/Reference/matminer-0.9.0/structure_phonons.csv.gz"
STRUCTURES = ROOT + "/src/Pure.Materials/Structures/Bundled/matbench_phonons_structures.json.gz"
PREFIX = {"coulomb": "coulomb matrix eig ", "sine-coulomb": "sine coulomb matrix eig "}


def close(a, b):
    return bool(np.all(np.abs(a - b) <= 1e-9 * np.maximum(np.abs(a), np.abs(b))))


def matminer_matrices(records):
    """matminer 0.9.0's SineCoulombMatrix and CoulombMatrix matrices, rebuilt with pymatgen (None without pymatgen)."""
    try:
        import scipy.constants as const
        from pymatgen.core import Lattice, Structure
    except ImportError:
        return None
    bohr = const.value("Angstrom star") / const.value("Bohr radius")
    out = {"coulomb": [], "sine-coulomb": []}
    for rec in records:
        s = Structure(Lattice(rec["lattice"]), rec["species"], rec["frac_coords"])
        n = len(s)
        z = np.array([site.specie.Z for site in s.sites])
        coords = np.array([site.frac_coords for site in s.sites])
        lat = s.lattice.matrix
        sm = np.zeros((n, n))
        cm = np.zeros((n, n))
        for i in range(n):
            for j in range(n):
                if i == j:
                    sm[i][i] = cm[i, j] = 0.5 * z[i] ** 2.4
                    continue
                if i < j:
                    v = np.sin(np.pi * (coords[i] - coords[j])) ** 2
                    sm[i][j] = z[i] * z[j] / (np.linalg.norm((np.matrix(v) * lat).A1) * bohr)
                else:
                    sm[i][j] = sm[j][i]
                cm[i, j] = z[i] * z[j] / (s.get_distance(i, j) * bohr)
        out["sine-coulomb"].append(sm)
        out["coulomb"].append(cm)
    return out


def main(directory):
    reference = list(csv.DictReader(gzip.open(REFERENCE, "rt")))
    records = json.load(gzip.open(STRUCTURES, "rt"))["records"]
    rebuilt = matminer_matrices(records)
    for kind in ("coulomb", "sine-coulomb"):
        bitwise = numpy_ref = ours_ref = rebuilt_ref = 0
        for r, line in enumerate(open(f"{directory}/{kind}.txt")):
            left, right = line.split("|")
            head = left.split()
            n = int(head[0])
            m = np.array([float(x) for x in head[1:]]).reshape(n, n)
            ours = np.array([float(x) for x in right.split()])
            theirs = np.linalg.eig(m)[0].real
            expected = np.array([float(reference[r][PREFIX[kind] + str(k)]) for k in range(n)])
            bitwise += np.array_equal(ours, theirs)
            numpy_ref += close(theirs, expected)
            ours_ref += close(ours, expected)
            if rebuilt is not None:
                rebuilt_ref += close(np.linalg.eig(rebuilt[kind][r])[0].real, expected)
        rows = len(reference)
        print(f"{kind}: numpy on our matrices = ours bit for bit, same order: {bitwise}/{rows}; "
              f"numpy on our matrices = matminer's columns: {numpy_ref}/{rows}; ours = matminer's columns: {ours_ref}/{rows}"
              + (f"; numpy on matminer's rebuilt matrices = matminer's columns: {rebuilt_ref}/{rows}" if rebuilt is not None else ""))


if __name__ == "__main__":
    main(sys.argv[1])
