#!/usr/bin/python3
"""Draws every figure kind with the built CLI, renders each in headless Chromium and checks that no text is clipped.

Runs short, real experiments on the bundled data (expt_gap: parity, residuals, residual histogram; expt_is_metal:
confusion matrix; perovskite_dft: loss curve, learning curve, PCA and UMAP maps, k-means map, TreeSHAP chart, best found over
3 seeds), then opens each SVG in headless Chromium (Debian package `chromium`) with a script that measures every <text>
element's rendered box (getBBox, mapped through its transforms with getCTM) against the SVG's viewBox, and takes a PNG
screenshot of each figure into --png-dir (docs/figures/ for the committed screenshots).

Exits 1 when a text element leaves its viewBox by more than half a pixel. Standard library only; the xunit suite checks
the same property with estimated text widths (tests/.../Evaluate/FigureFitTests.cs) and does not need Chromium.

Usage (from the repository root):
    /usr/bin/python3 tools/render-figures.py [--out DIR] [--cli PATH] [--png-dir docs/figures]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DEFAULT_CLI = os.path.join(ROOT, "src", "Pure.Materials.Cli", "bin", "Release", "net10.0", "pure-materials")
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--mute-audio"]
PEROVSKITE = ["--data", "perovskite_dft", "--feature-columns", "K,Rb,Cs,MA,FA,Ge,Sn,Pb,Cl,Br,I,B_En,X_En"]
GAP = ["--target", "Band Gap", "--target-unit", "eV"]

CHECK = r"""<!doctype html><html><body style="margin:0">%s
<pre id="fit-check">pending</pre>
<script>
const svg = document.querySelector('svg');
const vb = svg.viewBox.baseVal;
const out = [];
for (const t of svg.querySelectorAll('text')) {
  if (!t.textContent.trim()) continue;
  const b = t.getBBox();
  // The box's corners through the element's transform into the svg's user space.
  const m = t.getCTM(), root = svg.getCTM().inverse();
  const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]].map(([x, y]) => {
    const p = new DOMPoint(x, y).matrixTransform(m).matrixTransform(root);
    return [p.x, p.y];
  });
  const xs = corners.map(c => c[0]), ys = corners.map(c => c[1]);
  out.push({text: t.textContent, x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys)});
}
document.getElementById('fit-check').textContent = JSON.stringify({viewBox: [vb.x, vb.y, vb.width, vb.height], texts: out});
</script></body></html>"""


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(f"FAILED ({p.returncode}): {' '.join(cmd)}\n{p.stdout[-2000:]}{p.stderr[-2000:]}\n")
        sys.exit(1)
    return p.stdout


def chromium(args, timeout=120):
    return subprocess.run(CHROMIUM + args, capture_output=True, text=True, timeout=timeout)


def experiments(cli, out):
    """Runs the experiments; returns {figure kind: svg path}."""
    d = lambda name: os.path.join(out, name)
    steps = [
        ["cv", "--data", "matbench_expt_gap", "--target", "gap expt", "--target-unit", "eV", "--formula-column", "composition",
         "--fold-column", "fold", "--set", "n_estimators=20", "--out", d("gap")],
        ["cv", "--data", "matbench_expt_is_metal", "--target", "is_metal", "--formula-column", "composition", "--fold-column", "fold",
         "--set", "n_estimators=20", "--out", d("metal")],
        ["cv", *PEROVSKITE, *GAP, "--model", "linear-gd", "--set", "max_iter=300", "--out", d("gd")],
        ["learning-curve", *PEROVSKITE, *GAP, "--model", "ridge", "--out", d("lc")],
        ["pca", *PEROVSKITE, *GAP, "--components", "3", "--umap-n-neighbors", "15", "--out", d("pca")],
        ["cluster", *PEROVSKITE, "--k", "4", "--out", d("cluster")],
        ["explain", *PEROVSKITE, *GAP, "--model", "rf", "--set", "n_estimators=50", "--out", d("explain")],
        ["active", *PEROVSKITE, *GAP, "--rounds", "10", "--runs", "3", "--out", d("active")],
    ]
    for s in steps:
        print("$ pure-materials " + " ".join(f"'{a}'" if " " in a else a for a in s))
        run([cli, *s])
    figures = {}
    for sub in ["gap", "metal", "gd", "lc", "pca", "cluster", "explain", "active"]:
        for f in sorted(os.listdir(d(sub))):
            if f.endswith(".svg"):
                figures[f"{sub}_{f[:-4]}"] = d(os.path.join(sub, f))
    return figures


def check(name, svg_path, work, png_dir):
    svg = open(svg_path, encoding="utf-8").read()
    page = os.path.join(work, f"check_{name}.html")
    open(page, "w", encoding="utf-8").write(CHECK % svg)
    dom = chromium(["--window-size=1200,1000", "--virtual-time-budget=5000", "--dump-dom", "file://" + page]).stdout
    m = re.search(r'<pre id="fit-check">(.*?)</pre>', dom, re.S)
    if m is None or m.group(1).strip() == "pending":
        return [f"{name}: the check script did not report"]
    r = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    x, y, w, h = r["viewBox"]
    bad = [t for t in r["texts"] if t["x0"] < x - 0.5 or t["y0"] < y - 0.5 or t["x1"] > x + w + 0.5 or t["y1"] > y + h + 0.5]
    print(f"{name}: {w:g} x {h:g}, {len(r['texts'])} texts, {len(bad)} outside")
    if png_dir:
        png = os.path.join(png_dir, f"{name}.png")
        if os.path.exists(png):
            os.remove(png)
        chromium([f"--screenshot={png}", f"--window-size={int(w)},{int(h)}", "--virtual-time-budget=3000", "file://" + svg_path])
    return [f"{name}: '{t['text']}' at ({t['x0']:.0f}, {t['y0']:.0f})-({t['x1']:.0f}, {t['y1']:.0f}) outside 0 0 {w:g} {h:g}" for t in bad]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join("/tmp", "pure-materials-figures"))
    ap.add_argument("--cli", default=DEFAULT_CLI)
    ap.add_argument("--png-dir", default=None, help="write one PNG screenshot per figure here (e.g. docs/figures)")
    a = ap.parse_args()
    if shutil.which("chromium") is None:
        sys.exit("chromium not found: apt-get install -y chromium (Debian package; not a project dependency)")
    out = os.path.abspath(a.out)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    if a.png_dir:
        os.makedirs(a.png_dir, exist_ok=True)
    problems = []
    for name, path in experiments(a.cli, out).items():
        problems += check(name, path, out, os.path.abspath(a.png_dir) if a.png_dir else None)
    for p in problems:
        print("CLIPPED " + p)
    print(f"render-figures: {len(problems)} clipped text elements")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
