#!/usr/bin/env python3
"""Extracts the element data that the embedded pymatgen flat table lacks, for Pure.Materials.

Writes
  src/Pure.Materials/Featurize/ExtraElementData.cs  (generated C#: arrays indexed by Z)
  tools/reference/element_extra.csv                (the same numbers as CSV, read by matminer_composition.py)

Contents, one value per element Z = 1..118 (empty / NaN when missing):
  electrical_resistivity (ohm m), velocity_of_sound (m/s), bulk_modulus (GPa),
  coefficient_of_linear_thermal_expansion (1/K)
      parsed from pymatgen 2022.11.7's periodic_table.json strings following the rules of pymatgen's
      Element.__getattr__ (re-implemented here from its documented behaviour, see parse_pymatgen below):
      "no data ..." -> missing; "(...)" removed; "about" removed; "<a> 10<sup>n</sup> ..." -> a e n
      ("&gt;" / "high" read as 1); "<a> <unit>" -> a. A value pymatgen leaves as a non-numeric string
      (only Fr's melting point "maybe about 300 K") and a key absent from the json (Z >= 104) are missing.
  deml_first_ionization (J/mol)
      first entry of `ionization_en` in matminer v0.9.0 matminer/utils/data_files/deml_elementdata.py
      (A. Deml et al., Phys. Rev. B 93, 085142 (2016)); present for H..Ra (Z = 1..88) only.

The melting point and thermal conductivity re-parsed here are checked against the embedded flat table
(periodic_table_flat.csv) so the two sources agree.

Usage (from the repository root):
    /usr/bin/python3 tools/reference/pymatgen_element_extra.py /path/to/shared/data/element_tables/periodic_table.json

Versions: Python 3.11, no third-party packages.
"""
import csv
import json
import math
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FLAT = os.path.join(ROOT, "src", "Pure.Materials", "Featurize", "Tables", "pymatgen", "periodic_table_flat.csv")
OUT_CS = os.path.join(ROOT, "src", "Pure.Materials", "Featurize", "ExtraElementData.cs")
OUT_CSV = os.path.join(ROOT, "tools", "reference", "element_extra.csv")

# Deml et al. first ionization energies (J/mol), Z = 1..88, transcribed from matminer v0.9.0
# matminer/utils/data_files/deml_elementdata.py, `ionization_en[symbol][0]`.
DEML_FIRST_IONIZATION = [
    1312000, 2372300, 520200, 899500, 800600, 1086500, 1402300, 1313900, 1681000, 2080700,
    495800, 737700, 577500, 786500, 1011800, 999600, 1251200, 1520600, 418800, 589800,
    633100, 658800, 650900, 652900, 717300, 762500, 760400, 737100, 745500, 906400,
    578800, 762000, 947000, 941000, 1139900, 1350800, 403000, 549500, 600000, 640100,
    652100, 684300, 702000, 710200, 719700, 804400, 731000, 867800, 558300, 708600,
    834000, 869300, 1008400, 1170400, 375700, 502900, 538100, 534400, 527000, 533100,
    540000, 544500, 547100, 593400, 565800, 573000, 581000, 589300, 596700, 603400,
    523500, 658500, 761000, 770000, 760000, 840000, 880000, 870000, 890100, 1007100,
    589400, 715600, 703000, 812100, 920000, 1037000, 380000, 509300,
]

PROPERTIES = [
    ("electrical_resistivity", "Electrical resistivity", "ohm m"),
    ("velocity_of_sound", "Velocity of sound", "m/s"),
    ("bulk_modulus", "Bulk modulus", "GPa"),
    ("coefficient_of_linear_thermal_expansion", "Coefficient of linear thermal expansion", "1/K"),
]


def parse_pymatgen(value):
    """A number as pymatgen 2022.11.7's Element attribute would give it, or NaN when it gives None or a string."""
    if value is None:
        return math.nan
    if str(value).startswith("no data"):
        return math.nan
    try:
        return float(value)
    except ValueError:
        pass
    nobracket = re.sub(r"\(.*\)", "", value)
    toks = nobracket.replace("about", "").strip().split(" ", 1)
    if len(toks) != 2:
        return math.nan
    head, tail = toks
    if "10<sup>" in tail:
        powers = re.findall(r"([+-]?\d+)", tail)
        if head in ("&gt;", "high"):
            head = "1"
        head += "e" + powers[1]
    try:
        return float(head)
    except ValueError:
        return math.nan


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pymatgen_element_extra.py PATH/periodic_table.json")
    with open(sys.argv[1], encoding="utf-8") as f:
        table = json.load(f)
    by_z = {d["Atomic no"]: (symbol, d) for symbol, d in table.items()}
    assert sorted(by_z) == list(range(1, 119))

    # Cross-check the parser on two properties the flat table already holds.
    with open(FLAT, encoding="utf-8") as f:
        flat = {int(r["Z"]): r for r in csv.DictReader(f)}
    for key, column in (("Melting point", "melting_point_K"), ("Thermal conductivity", "thermal_conductivity_W_mK")):
        for z in range(1, 119):
            mine = parse_pymatgen(by_z[z][1].get(key))
            cell = flat[z][column]
            theirs = float(cell) if cell else math.nan
            same = (math.isnan(mine) and math.isnan(theirs)) or mine == theirs
            if not same:
                sys.exit(f"{by_z[z][0]} {key}: parsed {mine!r}, flat table {theirs!r}")

    rows = []
    for z in range(1, 119):
        symbol, d = by_z[z]
        values = [parse_pymatgen(d.get(key)) for _, key, _ in PROPERTIES]
        deml = float(DEML_FIRST_IONIZATION[z - 1]) if z <= len(DEML_FIRST_IONIZATION) else math.nan
        rows.append((z, symbol, values, deml))

    with open(OUT_CSV, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Z", "symbol"] + [p for p, _, _ in PROPERTIES] + ["deml_first_ionization"])
        for z, symbol, values, deml in rows:
            w.writerow([z, symbol] + ["" if math.isnan(v) else repr(v) for v in values + [deml]])

    def cs(v):
        return "N" if math.isnan(v) else repr(v)

    lines = [
        "// <auto-generated>",
        "// Generated by tools/reference/pymatgen_element_extra.py from pymatgen 2022.11.7 periodic_table.json",
        "// (MIT) and matminer v0.9.0 deml_elementdata.py (BSD-style). Do not edit by hand; re-run the script.",
        "// </auto-generated>",
        "namespace Pure.Materials.Featurize;",
        "",
        "/// <summary>Element data not in the embedded pymatgen flat table, indexed by Z (index 0 unused, NaN = missing).</summary>",
        "/// <remarks>Source: pymatgen 2022.11.7 <c>periodic_table.json</c> parsed as pymatgen's <c>Element</c> attributes;",
        "/// Deml et al., Phys. Rev. B 93, 085142 (2016) via matminer v0.9.0 <c>deml_elementdata.py</c>.</remarks>",
        "internal static class ExtraElementData",
        "{",
        "    private const double N = double.NaN;",
        "",
    ]
    for i, (name, _, unit) in enumerate(PROPERTIES):
        lines.append(f"    /// <summary>pymatgen <c>{name}</c> ({unit}).</summary>")
        pascal = "".join(p.capitalize() for p in name.split("_"))
        lines.append(f"    internal static readonly double[] {pascal} = [N, {', '.join(cs(r[2][i]) for r in rows)}];")
        lines.append("")
    lines.append("    /// <summary>Deml first ionization energy (J/mol), H..Ra.</summary>")
    lines.append(f"    internal static readonly double[] DemlFirstIonization = [N, {', '.join(cs(r[3]) for r in rows)}];")
    lines.append("}")
    with open(OUT_CS, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {OUT_CSV} and {OUT_CS}")


if __name__ == "__main__":
    main()
