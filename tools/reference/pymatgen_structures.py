"""Structure-reader and neighbour references from pymatgen 2022.11.7 (issue 14, items 1-3).

Writes, from the repository root, into tests/Pure.Materials.Tests/Reference/pymatgen-2022.11.7/structures/:
  input files, each written by this script (POSCAR variants, pymatgen as_dict JSON, Matbench split JSON, extended XYZ)
  phonons_neighbors_8A.csv: for each of the 1265 matbench_phonons structures (the bundled
      src/Pure.Materials/Structures/Bundled/matbench_phonons_structures.json.gz, row order), the number of (site, neighbour)
      pairs from get_all_neighbors(8.0), their distance sum, and the smallest distance (repr of the doubles).
  phonons_symmetrized_cifs.json.gz: every 10th bundled matbench_phonons structure (127) written by
      CifWriter(symprec=0.01) (symmetrized, conventional cell, with symmetry operations, including hexagonal x-y terms), plus
      the disordered structure written by CifWriter: each CIF's text and what CifParser(...).get_structures(primitive=False)[0]
      reads back (lattice, species with occupancies, fractional coordinates in pymatgen's order, volume, density).
  expected.json: for every input file, what pymatgen 2022.11.7 reads from it (Poscar.from_string / Structure.from_dict /
      the script's own structure for the XYZ file, which pymatgen does not read): lattice rows (Angstrom), species strings,
      occupancies, fractional coordinates, volume, density, and per site the neighbours within 6 Angstrom from
      get_all_neighbors(6.0) as [distance, index, image a, image b, image c] sorted by (distance, index, image).

Run: /usr/bin/python3 tools/reference/pymatgen_structures.py   (refuses other pymatgen versions; byte-identical reruns)
"""
import json
import random
import sys
from pathlib import Path

import pymatgen.core
from pymatgen.core import Lattice, Structure
from pymatgen.io.vasp import Poscar

if pymatgen.core.__version__ != "2022.11.7":
    sys.exit(f"pymatgen 2022.11.7 required, found {pymatgen.core.__version__}")

root = Path(__file__).resolve().parents[2]
out = root / "tests/Pure.Materials.Tests/Reference/pymatgen-2022.11.7/structures"
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(20261205)


def describe(s):
    nbrs = []
    for site_nbrs in s.get_all_neighbors(6.0):
        rows = sorted([n.nn_distance, int(n.index), *[int(round(x)) for x in n.image]] for n in site_nbrs)
        nbrs.append(rows)
    return {
        "lattice": s.lattice.matrix.tolist(),
        "species": [[[str(sp), occ] for sp, occ in site.species.items()] for site in s],
        "frac_coords": s.frac_coords.tolist(),
        "volume": s.volume,
        "density": float(s.density),
        "neighbors_6A": nbrs,
    }


expected = {}

# 1. POSCAR variants of one three-element structure (Ba, Ga, Si, H from matbench_phonons mb-phonons-0003).
base = Structure(Lattice([[4.3015, 0.0, 0.0], [-2.15075, 3.725208, 0.0], [0.0, 0.0, 5.2703]]),
                 ["Ba", "Ga", "Si", "H"], [[0, 0, 0], [0.6666, 0.3333, 0.5423], [0.3334, 0.6667, 0.4555], [0.6666, 0.3333, 0.8759]])
m = base.lattice.matrix
frac = base.frac_coords
cart = base.cart_coords


def rows(a):
    return "\n".join("  " + " ".join(f"{x:.10f}" for x in r) for r in a)


files = {
    "POSCAR_vasp5_direct": f"BaGaSiH vasp5\n1.0\n{rows(m)}\nBa Ga Si H\n1 1 1 1\nDirect\n{rows(frac)}\n",
    # VASP 4 (no species line): pymatgen takes the species from the end of the coordinate lines (without them it
    # silently names the species H, He, Li, ...; Pure.Materials refuses such a file instead).
    "POSCAR_vasp4": f"vasp4: species after the coordinates\n1.0\n{rows(m)}\n1 1 1 1\nDirect\n"
    + "\n".join(r + " " + sym for r, sym in zip(rows(frac).split("\n"), ["Ba", "Ga", "Si", "H"])) + "\n",
    "POSCAR_negative_scale": f"volume given as a negative scale\n-{2 * base.volume:.10f}\n{rows(m)}\nBa Ga Si H\n1 1 1 1\nDirect\n{rows(frac)}\n",
    "POSCAR_selective_cartesian": f"selective dynamics, Cartesian, scale 2\n2.0\n{rows(m / 2)}\nBa Ga Si H\n1 1 1 1\nSelective dynamics\nCartesian\n"
    + "\n".join("  " + " ".join(f"{x:.10f}" for x in c / 2) + flags for c, flags in zip(cart, ["  T T T", "  F F T", "  T F F", "  F F F"])) + "\n",
    "CONTCAR_velocities": f"CONTCAR with velocities\n1.0\n{rows(m)}\nBa Ga Si H\n1 1 1 1\nDirect\n{rows(frac)}\n\n"
    + "\n".join("  0.00100000  -0.00200000  0.00300000" for _ in range(4)) + "\n",
}
for name, text in files.items():
    (out / name).write_text(text)
    expected[name] = describe(Poscar.from_string(text).structure)

# 2. A skewed triclinic cell with seeded sites (image ranges must come from the reciprocal lattice), as pymatgen JSON.
skew = Lattice.from_parameters(4.1, 5.3, 6.2, 62.0, 71.0, 118.0)
species = ["Li", "Fe", "P", "O", "O", "O", "O"]
coords = [[round(rng.uniform(-0.2, 1.2), 6) for _ in range(3)] for _ in species]  # some outside [0, 1)
skewed = Structure(skew, species, coords)
(out / "skewed_triclinic.json").write_text(json.dumps(skewed.as_dict(), indent=1))
expected["skewed_triclinic.json"] = describe(Structure.from_dict(json.loads((out / "skewed_triclinic.json").read_text())))

# 3. Disordered sites with oxidation states, as pymatgen JSON.
dis = Structure(Lattice.cubic(4.2), [{"Fe2+": 0.5, "Ni2+": 0.5}, {"O2-": 1.0}, {"Mg2+": 0.75}],
                [[0, 0, 0], [0.5, 0.5, 0.5], [0.5, 0, 0]])
(out / "disordered_oxidation.json").write_text(json.dumps(dis.as_dict(), indent=1))
expected["disordered_oxidation.json"] = describe(Structure.from_dict(json.loads((out / "disordered_oxidation.json").read_text())))

# 4. Matbench's pandas "split" layout (what matbench's load_dataset(...).to_json(orient="split") holds).
split = {"index": ["mb-x-0001", "mb-x-0002"], "columns": ["structure", "target"],
         "data": [[skewed.as_dict(), 1.5], [dis.as_dict(), -2.25]]}
(out / "matbench_split.json").write_text(json.dumps(split))

# 5. Extended XYZ of the skewed cell (Cartesian positions), written here: pymatgen does not read extxyz.
lines = [str(len(skewed)), 'Lattice="' + " ".join(f"{x:.17g}" for x in skew.matrix.flatten()) + '" Properties=species:S:1:pos:R:3 pbc="T T T"']
lines += [f"{site.specie.symbol} " + " ".join(f"{x:.17g}" for x in site.coords) for site in skewed]
(out / "skewed.extxyz").write_text("\n".join(lines) + "\n")
expected["skewed.extxyz"] = describe(skewed)

# 6. Neighbour counts and distance sums for all 1265 bundled matbench_phonons structures at 8 Angstrom.
import csv
import gzip
records = json.loads(gzip.decompress((root / "src/Pure.Materials/Structures/Bundled/matbench_phonons_structures.json.gz").read_bytes()))["records"]
with open(out / "phonons_neighbors_8A.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["mbid", "pairs", "distance_sum", "min_distance"])
    for r in records:
        s = Structure(Lattice(r["lattice"]), r["species"], r["frac_coords"])
        ds = sorted(n.nn_distance for site in s.get_all_neighbors(8.0) for n in site)
        w.writerow([r["mbid"], len(ds), repr(float(sum(ds))), repr(float(ds[0]))])

# 7. Symmetrized CIFs written and read back by pymatgen (site expansion, de-duplication and order on 128 structures).
from pymatgen.io.cif import CifParser, CifWriter
cifs = []
for r in records[::10]:
    s = Structure(Lattice(r["lattice"]), r["species"], r["frac_coords"])
    cifs.append((r["mbid"], str(CifWriter(s, symprec=0.01))))
cifs.append(("disordered_oxidation", str(CifWriter(dis))))
rows = []
for name, text in cifs:
    back = CifParser.from_string(text).get_structures(primitive=False)[0]
    d = describe(back)
    del d["neighbors_6A"]
    rows.append({"name": name, "cif": text, **d})
(out / "phonons_symmetrized_cifs.json.gz").write_bytes(gzip.compress(json.dumps(rows).encode(), mtime=0))

(out / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True))
print(f"wrote {len(expected)} references to {out}")
