"""Writes matbench_phonons as the original CGCNN code's data directory: one CIF per structure, id_prop.csv, atom_init.json.

Used to time the original PyTorch CGCNN (github.com/txie-93/cgcnn, run from a checkout outside this repository) on the
same 1265 structures the C# CGCNN trains on (issue 18). The structures are the library's bundled
src/Pure.Materials/Structures/Bundled/matbench_phonons_structures.json.gz; atom_init.json is the bundled
src/Pure.Materials/Models/Graph/Tables/atom_init.json (CGCNN's own).

    /usr/bin/python3 tools/reference/cgcnn_phonons_cifs.py OUT_DIR

Writes OUT_DIR/<mbid>.cif (pymatgen's CifWriter, P1), OUT_DIR/id_prop.csv (mbid,target in cm^-1, Matbench row order),
OUT_DIR/atom_init.json. Needs pymatgen (2022.11.7 here).
"""
import gzip
import json
import os
import shutil
import sys

from pymatgen.core import Lattice, Structure
from pymatgen.io.cif import CifWriter

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    with gzip.open(os.path.join(ROOT, "src/Pure.Materials/Structures/Bundled/matbench_phonons_structures.json.gz"), "rt") as f:
        records = json.load(f)["records"]
    with open(os.path.join(out_dir, "id_prop.csv"), "w") as ids:
        for r in records:
            s = Structure(Lattice(r["lattice"]), r["species"], r["frac_coords"])
            CifWriter(s).write_file(os.path.join(out_dir, r["mbid"] + ".cif"))
            ids.write("%s,%r\n" % (r["mbid"], r["target"]))
    shutil.copy(os.path.join(ROOT, "src/Pure.Materials/Models/Graph/Tables/atom_init.json"), out_dir)
    print("%d structures written to %s" % (len(records), out_dir))


if __name__ == "__main__":
    main(sys.argv[1])
