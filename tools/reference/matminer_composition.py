#!/usr/bin/env python3
"""Independent re-implementation of matminer v0.9.0 composition featurizers, kept only for the cells where matminer raises.

THIS IS NOT MATMINER OUTPUT. matminer v0.9.0's own output for ElementProperty("matminer"), TMetalFraction,
BandCenter and IonProperty is in tests/.../Reference/matminer-0.9.0/composition_*_extra.csv(.gz) and is what the
C# tests compare with. On a few rows matminer raises instead of returning values (its featurize_dataframe(...,
ignore_errors=True) then writes NaN for the whole featurizer); Pure.Materials returns values there as a documented
extension. This script computes those values independently (plain Python + numpy, no code shared with the C# library),
written from matminer v0.9.0 (commit f39992b) and pymatgen 2022.11.7's source:

  ElementProperty.from_preset("matminer")   matminer/featurizers/composition/composite.py
      13 PymatgenData properties x (minimum, maximum, range, mean, std_dev), PropertyStats semantics
      (matminer/featurizers/utils/stats.py): weights = element amounts as parsed; mean = np.average;
      std_dev = sqrt(beta * sum w (v - mean)^2), beta = W / (W^2 - sum w^2), 0 for one element;
      min/max/range NaN when any value is NaN. "block" maps s,p,d,f to 1,2,3,3. A value pymatgen leaves as a
      non-numeric string (Fr melting point "maybe about 300 K") is NaN here; matminer raises on it.
  TMetalFraction, BandCenter, Stoichiometry, ElementFraction   matminer/featurizers/composition/element.py
      BandCenter = prod_i (0.5 (IE1_i / 1000 + EA_i) / 96.48) ^ (w_i / W), IE1 = Deml first ionization
      energy (J/mol), EA = Magpie ElectronAffinity (kJ/mol); NaN where matminer raises (no Deml value, Z > 88).
  ValenceOrbital                             matminer/featurizers/composition/orbital.py
  IonProperty (fast=False, PymatgenData common oxidation states)   matminer/featurizers/composition/ion.py
      compound possible = pymatgen Composition.oxi_state_guesses(oxi_states_override=common states) is
      non-empty: there are, for every element with integer amount n, n oxidation states from its list
      (repetition allowed) whose sum over all elements is 0. Enumerated here as sets of reachable sums
      (the same sets pymatgen builds with combinations_with_replacement). One element: 1. Non-integer
      amounts: NaN (pymatgen raises "Charge balance analysis requires integer values", so matminer returns
      nothing for the whole featurizer, ionic character included).
      max/avg ionic char from 1 - exp(-(X_i - X_j)^2 / 4) over element pairs, avg weighted by x_i x_j.

Inputs (all inside the repository): the embedded Magpie tables and pymatgen flat table, and
tools/reference/element_extra.csv (written by pymatgen_element_extra.py). Formulas are parsed with a
re-implementation of pymatgen 2022.11.7 Composition._parse_formula (regex, parentheses expanded).

Checks before writing (the script stops on a failure):
  1. Stoichiometry, ValenceOrbital, ElementFraction and Magpie values computed here against matminer's own
     composition_small.csv / composition_expt_gap.csv.gz (1e-12 relative);
  2. all 70 columns computed here against matminer's own composition_*_extra.csv(.gz) (1e-9 relative; NaN where
     matminer has NaN, except on rows where matminer raised for that featurizer, i.e. all its cells are empty).

Writes tests/Pure.Materials.Tests/Reference/independent-matminer-0.9.0/matminer_raises.csv: the rows (of both
reference inputs) where matminer raised for a featurizer and this re-implementation has values, with columns
file, composition, the 65 PymatgenData features, transition metal fraction, band center, compound possible,
max ionic char, avg ionic char (doubles as repr(), NaN empty).

Usage (from the repository root):
    /usr/bin/python3 tools/reference/matminer_composition.py

Versions used for the committed file: Python 3.11.2, numpy 1.24.2.
"""
import csv
import gzip
import math
import os
import re
import sys
from collections import defaultdict
from itertools import combinations

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLES = os.path.join(ROOT, "src", "Pure.Materials", "Featurize", "Tables")
MATMINER_REF = os.path.join(ROOT, "tests", "Pure.Materials.Tests", "Reference", "matminer-0.9.0")
OUT = os.path.join(ROOT, "tests", "Pure.Materials.Tests", "Reference", "independent-matminer-0.9.0")

# ----------------------------------------------------------------------------------------------- data

SYMBOLS = []
PMG = {}          # symbol -> dict of numeric properties (matminer names)
COMMON_OXI = {}   # symbol -> tuple of ints
Z_OF = {}


def _num(cell):
    return float(cell) if cell not in ("", None) else math.nan


def load_pymatgen():
    block_key = {"s": 1.0, "p": 2.0, "d": 3.0, "f": 3.0}
    with open(os.path.join(TABLES, "pymatgen", "periodic_table_flat.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            s = r["symbol"]
            SYMBOLS.append(s)
            Z_OF[s] = int(r["Z"])
            PMG[s] = {
                "X": _num(r["X_pauling"]),
                "row": _num(r["row"]),
                "group": _num(r["group"]),
                "block": block_key.get(r["block"], math.nan),
                "atomic_mass": _num(r["atomic_mass_amu"]),
                "atomic_radius": _num(r["atomic_radius_A"]),
                "mendeleev_no": _num(r["mendeleev_no"]),
                "thermal_conductivity": _num(r["thermal_conductivity_W_mK"]),
                "melting_point": _num(r["melting_point_K"]),
            }
            states = r["common_oxidation_states"].strip("[]").strip()
            COMMON_OXI[s] = tuple(int(x) for x in states.split(",")) if states else ()
    with open(os.path.join(ROOT, "tools", "reference", "element_extra.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            d = PMG[r["symbol"]]
            for k in ("electrical_resistivity", "velocity_of_sound", "bulk_modulus",
                      "coefficient_of_linear_thermal_expansion", "deml_first_ionization"):
                d[k] = _num(r[k])


MAGPIE = {}


def magpie(prop):
    if prop not in MAGPIE:
        values = {}
        with open(os.path.join(TABLES, "magpie", prop + ".table"), encoding="utf-8") as f:
            lines = f.readlines()
        for z in range(1, 119):
            try:
                values[SYMBOLS[z - 1]] = float(lines[z - 1])
            except (ValueError, IndexError):
                values[SYMBOLS[z - 1]] = math.nan
        MAGPIE[prop] = values
    return MAGPIE[prop]


# ----------------------------------------------------------------------------------------------- formula

def parse_formula(formula):
    """pymatgen 2022.11.7 Composition._parse_formula, re-implemented: list of (symbol, amount), first-seen order."""
    formula = formula.replace("@", "")

    def sym_dict(form, factor):
        d = defaultdict(float)
        for m in re.finditer(r"([A-Z][a-z]*)\s*([-*\.e\d]*)", form):
            amt = float(m.group(2)) if m.group(2).strip() != "" else 1.0
            d[m.group(1)] += amt * factor
            form = form.replace(m.group(), "", 1)
        if form.strip():
            raise ValueError(f"{form} is an invalid formula")
        return d

    m = re.search(r"\(([^\(\)]+)\)\s*([\.e\d]*)", formula)
    if m:
        factor = float(m.group(2)) if m.group(2) != "" else 1.0
        unit = sym_dict(m.group(1), factor)
        expanded = "".join(f"{el}{amt!r}" for el, amt in unit.items())
        return parse_formula(formula.replace(m.group(), expanded))
    return [(el, amt) for el, amt in sym_dict(formula, 1).items() if abs(amt) >= 1e-8]


# ----------------------------------------------------------------------------------------------- statistics

def stat(name, values, weights):
    v = np.array(values, dtype=float)
    w = np.array(weights, dtype=float)
    if name in ("minimum", "maximum", "range"):
        if np.any(np.isnan(v)):
            return math.nan
        return {"minimum": min(values), "maximum": max(values), "range": max(values) - min(values)}[name]
    if name == "mean":
        return float(np.average(v, weights=w))
    if name == "avg_dev":
        mean = np.average(v, weights=w)
        return float(np.average(np.abs(v - mean), weights=w))
    if name == "std_dev":
        if len(values) == 1:
            return 0.0
        beta = np.sum(w) / (np.sum(w) ** 2 - np.sum(np.power(w, 2)))
        dev = np.power(v - np.average(v, weights=w), 2)
        return float(np.sqrt(beta * np.dot(dev, w)))
    if name == "mode":
        most = np.isclose(w, w.max())
        return float(v[most].min())
    raise ValueError(name)


# ----------------------------------------------------------------------------------------------- featurizers

MATMINER_FEATURES = ["X", "row", "group", "block", "atomic_mass", "atomic_radius", "mendeleev_no",
                     "electrical_resistivity", "velocity_of_sound", "thermal_conductivity", "melting_point",
                     "bulk_modulus", "coefficient_of_linear_thermal_expansion"]
MATMINER_STATS = ["minimum", "maximum", "range", "mean", "std_dev"]
MAGPIE_FEATURES = ["Number", "MendeleevNumber", "AtomicWeight", "MeltingT", "Column", "Row", "CovalentRadius",
                   "Electronegativity", "NsValence", "NpValence", "NdValence", "NfValence", "NValence", "NsUnfilled",
                   "NpUnfilled", "NdUnfilled", "NfUnfilled", "NUnfilled", "GSvolume_pa", "GSbandgap", "GSmagmom",
                   "SpaceGroupNumber"]
MAGPIE_STATS = ["minimum", "maximum", "range", "mean", "avg_dev", "mode"]
TMETALS = {"Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Ta", "W",
           "Re", "Os", "Ir", "Pt"}


def matminer_preset(comp):
    els, w = zip(*comp)
    return [stat(s, [PMG[e][p] for e in els], w) for p in MATMINER_FEATURES for s in MATMINER_STATS]


def magpie_preset(comp):
    els, w = zip(*comp)
    return [stat(s, [magpie(p)[e] for e in els], w) for p in MAGPIE_FEATURES for s in MAGPIE_STATS]


def stoichiometry(comp):
    n = sum(a for _, a in comp)
    out = []
    for p in (0, 2, 3, 5, 7, 10):
        if p == 0:
            out.append(float(len(comp)))
        else:
            acc = 0
            for _, a in comp:
                acc += (a / n) ** p
            out.append(acc ** (1.0 / p))
    return out


def valence_orbital(comp):
    els, w = zip(*comp)
    avg = [float(np.average([magpie(f"N{o}Valence")[e] for e in els], weights=w)) for o in "spdf"]
    total = float(np.average([magpie("NValence")[e] for e in els], weights=w))
    return avg + [a / total for a in avg]


def element_fraction(comp):
    n = sum(a for _, a in comp)
    v = [0.0] * 103
    for e, a in comp:
        v[Z_OF[e] - 1] = a / n
    return v


def tmetal_fraction(comp):
    return sum(a for e, a in comp if e in TMETALS) / sum(a for _, a in comp)


def band_center(comp):
    total = sum(a for _, a in comp)
    g = 1.0
    for e, a in comp:
        ie = PMG[e]["deml_first_ionization"] / 1000
        g *= (0.5 * (ie + magpie("ElectronAffinity")[e]) / 96.48) ** (a / total)
    return g


def reachable_sums(states, n):
    """Every sum of n oxidation states drawn from `states` with repetition (pymatgen's per-element el_sums)."""
    sums = {0}
    for _ in range(n):
        sums = {s + x for s in sums for x in states}
    return sums


def ion_property(comp):
    els, amounts = zip(*comp)
    if len(els) < 2:
        return [1.0, 0.0, 0.0]
    if all(a == int(a) for a in amounts):
        totals = {0}
        for e, a in comp:
            totals = {t + s for t in totals for s in reachable_sums(COMMON_OXI[e], int(a))}
        possible = 1.0 if 0 in totals else 0.0
    else:
        possible = math.nan
    x = [PMG[e]["X"] for e in els]
    frac = list(np.true_divide(amounts, sum(amounts)))
    ionic, avg = [], 0.0
    for i, j in combinations(range(len(els)), 2):
        ionic.append(1.0 - np.exp(-0.25 * ((x[i] - x[j]) ** 2)))
        avg += frac[i] * frac[j] * ionic[-1]
    return [possible, float(np.max(ionic)), float(avg)]


def extra_labels():
    return (["composition"] + [f"PymatgenData {s} {p}" for p in MATMINER_FEATURES for s in MATMINER_STATS]
            + ["transition metal fraction", "band center", "compound possible", "max ionic char", "avg ionic char"])


def extra_row(comp):
    return matminer_preset(comp) + [tmetal_fraction(comp), band_center(comp)] + ion_property(comp)


# ----------------------------------------------------------------------------------------------- check + write

def read_reference(name):
    path = os.path.join(MATMINER_REF, name)
    raw = gzip.open(path, "rt", encoding="utf-8") if name.endswith(".gz") else open(path, encoding="utf-8")
    with raw as f:
        return list(csv.DictReader(f))


def self_check(rows):
    labels = ([f"MagpieData {s} {p}" for p in MAGPIE_FEATURES for s in MAGPIE_STATS]
              + [f"{p}-norm" for p in (0, 2, 3, 5, 7, 10)]
              + [f"{k} {o} valence electrons" for k in ("avg", "frac") for o in "spdf"]
              + SYMBOLS[:103])
    worst = 0.0
    for r in rows:
        comp = parse_formula(r["composition"])
        mine = magpie_preset(comp) + stoichiometry(comp) + valence_orbital(comp) + element_fraction(comp)
        for label, value in zip(labels, mine):
            cell = r[label]
            ref = float(cell) if cell != "" else math.nan
            if math.isnan(ref) or math.isnan(value):
                if not (math.isnan(ref) and math.isnan(value)):
                    sys.exit(f"self-check failed: {r['composition']} {label}: matminer {ref!r}, here {value!r}")
                continue
            rel = abs(value - ref) / max(abs(ref), 1e-300) if ref != 0 else abs(value)
            worst = max(worst, rel)
            if rel > 1e-12:
                sys.exit(f"self-check failed: {r['composition']} {label}: matminer {ref!r}, here {value!r}")
    return worst, len(labels)


GROUPS = (("ElementProperty(matminer)", range(0, 65)), ("TMetalFraction", range(65, 66)),
          ("BandCenter", range(66, 67)), ("IonProperty", range(67, 70)))


def parse_cell(cell):
    return {"": math.nan, "True": 1.0, "False": 0.0}.get(cell) if cell in ("", "True", "False") else float(cell)


def matminer_check(name, rows):
    """Compares every cell with matminer's own output; returns (worst relative difference, extension rows)."""
    labels = extra_labels()[1:]
    worst, extensions = 0.0, []
    for r in rows:
        comp = parse_formula(r["composition"])
        mine = extra_row(comp)
        ref = [parse_cell(r[label]) for label in labels]
        raised = {g for g, cols in GROUPS if all(math.isnan(ref[j]) for j in cols)}
        extended = False
        for g, cols in GROUPS:
            for j in cols:
                if math.isnan(ref[j]):
                    if not math.isnan(mine[j]):
                        if g not in raised:
                            sys.exit(f"matminer check failed: {r['composition']} {labels[j]}: matminer NaN, here {mine[j]!r}")
                        extended = True
                    continue
                if math.isnan(mine[j]):
                    sys.exit(f"matminer check failed: {r['composition']} {labels[j]}: matminer {ref[j]!r}, here NaN")
                rel = abs(mine[j] - ref[j]) / max(abs(ref[j]), abs(mine[j])) if mine[j] != ref[j] else 0.0
                worst = max(worst, rel)
                if rel > 1e-9:
                    sys.exit(f"matminer check failed: {r['composition']} {labels[j]}: matminer {ref[j]!r}, here {mine[j]!r}")
        if extended:
            extensions.append((name, r["composition"], mine))
    return worst, extensions


def fmt(v):
    return "" if math.isnan(v) else repr(float(v))


def write(extensions):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "matminer_raises.csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file"] + extra_labels())
        for name, formula, values in extensions:
            w.writerow([name, formula] + [fmt(v) for v in values])
    print(f"wrote {path} ({len(extensions)} rows)")


def main():
    load_pymatgen()
    np.seterr(all="ignore")
    extensions = []
    for ref, extra in (("composition_small.csv", "composition_small_extra.csv"),
                       ("composition_expt_gap.csv.gz", "composition_expt_gap_extra.csv.gz")):
        rows = read_reference(ref)
        worst, n = self_check(rows)
        print(f"self-check {ref}: {n} matminer columns x {len(rows)} rows, max relative difference {worst:.3g}")
        extra_rows = read_reference(extra)
        if [r["composition"] for r in extra_rows] != [r["composition"] for r in rows]:
            sys.exit(f"{extra}: rows differ from {ref}")
        worst, found = matminer_check(extra, extra_rows)
        print(f"matminer check {extra}: 70 columns x {len(extra_rows)} rows, max relative difference {worst:.3g}, "
              f"{len(found)} rows where matminer raised and values are computed here")
        extensions += found
    write(extensions)


if __name__ == "__main__":
    main()
