"""Oxidation-state table and charge-balance reference from pymatgen 2022.11.7 (issue 13, candidate generation).

Writes, from the repository root:
  src/Pure.Materials/Screening/Tables/pymatgen_oxidation_states.csv
      symbol, Z, icsd, all: Element(el).icsd_oxidation_states and Element(el).oxidation_states for Z = 1..118,
      space-separated, in pymatgen's order (empty when pymatgen has none).
  tests/Pure.Materials.Tests/Reference/pymatgen-2022.11.7/charge_balance.csv
      formula, balanced_default, balanced_all: whether Composition(formula).oxi_state_guesses() (default,
      all_oxi_states=False) and oxi_state_guesses(all_oxi_states=True) return at least one guess, for 400
      integer compositions drawn with random.Random(20261205) plus hand-picked cases.

Run: /usr/bin/python3 tools/reference/pymatgen_oxidation.py   (refuses other pymatgen versions; byte-identical reruns)
"""
import csv
import random
import sys
from pathlib import Path

import pymatgen.core
from pymatgen.core import Composition, Element

if pymatgen.core.__version__ != "2022.11.7":
    sys.exit(f"pymatgen 2022.11.7 required, found {pymatgen.core.__version__}")

root = Path(__file__).resolve().parents[2]
table = root / "src/Pure.Materials/Screening/Tables/pymatgen_oxidation_states.csv"
reference = root / "tests/Pure.Materials.Tests/Reference/pymatgen-2022.11.7/charge_balance.csv"

with open(table, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["symbol", "Z", "icsd", "all"])
    for z in range(1, 119):
        e = Element.from_Z(z)
        w.writerow([e.symbol, z, " ".join(str(int(o)) for o in e.icsd_oxidation_states),
                    " ".join(str(int(o)) for o in e.oxidation_states)])

# Elements across the table: alkali/alkaline earth, transition metals with several states, p-block with negative
# and positive states, noble gases (no states), lanthanides/actinides (some without ICSD states), superheavy.
pool = ["H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar", "K",
        "Ca", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr",
        "Y", "Nb", "Mo", "Ru", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Eu", "Gd",
        "Hf", "Ta", "W", "Os", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "U", "Np", "Pu", "Am", "Og"]
fixed = ["Fe3O4", "Fe2O3", "FeO", "Fe", "O2", "NaCl", "LiFePO4", "Li2O2", "Pb3O4", "SnO2", "CsPbI3", "CsSnBr3",
         "KCaCl3", "Li2NiF4", "Na2CoS4", "HeO", "XeF2", "Pu2O3", "PuO2", "CO2", "CH4", "NH3", "N2O5", "H2O", "Ag2O",
         "AuCl3", "Mn3O4", "Cr2O7", "U3O8", "Ti2O3", "TiO", "Co3O4", "V2O5", "GaAs", "Mg2Si", "Ca3N2", "BN", "SiC",
         "Ba2In2O5", "Sr2FeMoO6"]
rng = random.Random(20261205)
formulas = list(fixed)
seen = set(formulas)
while len(formulas) < 400:
    n = rng.choice([1, 2, 2, 3, 3, 3, 4])
    els = rng.sample(pool, n)
    top = 8 if n <= 3 else 4
    amounts = [rng.randint(1, top) for _ in els]
    formula = "".join(e + ("" if a == 1 else str(a)) for e, a in zip(els, amounts))
    if formula in seen:
        continue
    seen.add(formula)
    formulas.append(formula)

with open(reference, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["formula", "balanced_default", "balanced_all"])
    for formula in formulas:
        c = Composition(formula)
        d = len(c.oxi_state_guesses()) > 0
        a = len(c.oxi_state_guesses(all_oxi_states=True)) > 0
        w.writerow([formula, str(d).lower(), str(a).lower()])
print(f"wrote {table} and {reference} ({len(formulas)} compositions)")
