#!/usr/bin/python3
"""Renders an experiment's HTML report in headless Chromium and checks that every picture really drew.

Runs a real experiment with the built CLI on the bundled perovskite data (cv with the linear-gd learner, so
its loss curve too; ridge learning-curve and search; pca; k-means cluster), gathers it with `report DIR`, then opens
DIR/index.html in headless Chromium (Debian package `chromium`: apt-get install -y chromium) three ways:

1. a full-page screenshot of index.html (DIR/report.png, also copied to --screenshot);
2. a check page (DIR/check.html = index.html plus a small script) whose DOM, dumped with --dump-dom, reports for
   every inline <svg>, <img> and <object>: its rendered box, the number of drawn shapes with a non-empty bounding
   box, and the non-white pixels after drawing the picture on a canvas (for <img>: naturalWidth > 0);
3. each picture alone on a page, screenshotted, its PNG decoded here with zlib, and its non-white pixels counted.

Exits 1 when any picture is missing, has no box, draws no shape or leaves (almost) no ink; prints one line per
picture and a summary. Standard library only; the xunit suite does not depend on Chromium.

Usage (from the repository root):
    /usr/bin/python3 tools/render-report.py [--out DIR] [--cli PATH] [--screenshot PNG]
"""
import argparse
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
DEFAULT_CLI = os.path.join(ROOT, "src", "Pure.Materials.Cli", "bin", "Release", "net10.0", "pure-materials")
FEATURES = "K,Rb,Cs,MA,FA,Ge,Sn,Pb,Cl,Br,I,B_En,X_En"
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--mute-audio"]
# A picture passes when at least this share of its pixels differ from white (axes, text and marks all count).
MIN_INK = 0.002
MIN_SHAPES = 3

CHECK_SCRIPT = r"""
<pre id="render-check">pending</pre>
<script>
(async () => {
  const ink = (canvas) => {
    const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
      if (d[i + 3] > 0 && (d[i] < 245 || d[i + 1] < 245 || d[i + 2] < 245)) n++;
    return n;
  };
  const draw = (src, w, h) => new Promise((resolve) => {
    const img = new Image();
    img.onload = () => {
      const c = document.createElement('canvas');
      c.width = Math.max(1, Math.round(w || img.naturalWidth));
      c.height = Math.max(1, Math.round(h || img.naturalHeight));
      const g = c.getContext('2d');
      g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height);
      g.drawImage(img, 0, 0, c.width, c.height);
      resolve({natural: [img.naturalWidth, img.naturalHeight], ink: ink(c), pixels: c.width * c.height});
    };
    img.onerror = () => resolve({natural: [0, 0], ink: 0, pixels: 0, error: 'image failed to load'});
    img.src = src;
  });
  const out = [];
  const pictures = document.querySelectorAll('svg, img, object');
  for (const el of pictures) {
    if (el.tagName.toLowerCase() === 'svg' && el.parentElement.closest('svg')) continue;
    const section = el.closest('section');
    const title = section ? section.querySelector('h2').textContent : '(no section)';
    const box = el.getBoundingClientRect();
    const r = {title, tag: el.tagName.toLowerCase(), width: box.width, height: box.height};
    if (r.tag === 'svg') {
      let shapes = 0;
      for (const s of el.querySelectorAll('circle, rect, line, polyline, polygon, path, text, ellipse')) {
        const b = s.getBBox();
        if (b.width > 0 || b.height > 0) shapes++;
      }
      r.shapes = shapes;
      const text = new XMLSerializer().serializeToString(el);
      Object.assign(r, await draw('data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text), box.width, box.height));
    } else if (r.tag === 'img') {
      r.shapes = el.complete && el.naturalWidth > 0 ? 1 : 0;
      Object.assign(r, await draw(el.src, box.width, box.height));
    } else {
      r.shapes = el.contentDocument ? el.contentDocument.querySelectorAll('*').length : 0;
      r.natural = [box.width, box.height]; r.ink = r.shapes > 0 ? 1 : 0; r.pixels = 1;
    }
    out.push(r);
  }
  document.getElementById('render-check').textContent =
    JSON.stringify({pictures: out, page: [document.documentElement.scrollWidth, document.documentElement.scrollHeight]});
})();
</script>
"""


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.stderr.write(f"FAILED ({p.returncode}): {' '.join(cmd)}\n{p.stdout[-2000:]}{p.stderr[-2000:]}\n")
        sys.exit(1)
    return p.stdout


def chromium(args, timeout=120):
    return subprocess.run(CHROMIUM + args, capture_output=True, text=True, timeout=timeout)


def screenshot(url, png, width, height, scale=1.0):
    if os.path.exists(png):
        os.remove(png)
    p = chromium([f"--screenshot={png}", f"--window-size={width},{height}", f"--force-device-scale-factor={scale}",
                  "--virtual-time-budget=5000", url])
    if not os.path.exists(png):
        sys.stderr.write(f"chromium wrote no screenshot for {url}:\n{p.stderr[-2000:]}\n")
        sys.exit(1)


def decode_png(path):
    """Decodes an 8-bit, non-interlaced RGB or RGBA PNG into (width, height, channels, rows of bytes)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        if f == 1:
            for x in range(channels, stride):
                line[x] = (line[x] + line[x - channels]) & 255
        elif f == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif f == 3:
            for x in range(stride):
                left = line[x - channels] if x >= channels else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif f == 4:
            for x in range(stride):
                a = line[x - channels] if x >= channels else 0
                b, c = prev[x], prev[x - channels] if x >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, channels, rows


def ink(path):
    """Share of non-white pixels, number of distinct colours (capped) and the inked bounding box of a PNG."""
    width, height, ch, rows = decode_png(path)
    inked, colours, box = 0, set(), [width, height, -1, -1]
    for y, line in enumerate(rows):
        for x in range(width):
            r, g, b = line[x * ch], line[x * ch + 1], line[x * ch + 2]
            if r < 245 or g < 245 or b < 245:
                inked += 1
                if len(colours) < 64:
                    colours.add((r >> 4, g >> 4, b >> 4))
                box = [min(box[0], x), min(box[1], y), max(box[2], x), max(box[3], y)]
    return inked / (width * height), len(colours), box, (width, height)


def experiment(cli, out, seed):
    base = ["--data", "perovskite_dft", "--feature-columns", FEATURES]
    target = ["--target", "Band Gap", "--target-unit", "eV"]
    steps = [
        ["cv", *base, *target, "--model", "linear-gd", "--set", "max_iter=300", "--seed", seed, "--out", out],
        ["learning-curve", *base, *target, "--model", "ridge", "--seed", seed, "--out", out],
        ["pca", *base, *target, "--components", "3", "--out", out],
    ]
    steps.append(["cluster", *base, "--k", "4", "--seed", seed, "--out", out])
    steps.append(["search", *base, *target, "--model", "ridge", "--grid", "alpha=0.01,0.1,1,10", "--seed", seed, "--out", out])
    for s in steps:
        print("$ pure-materials " + " ".join(f"'{a}'" if " " in a else a for a in s))
        lines = run([cli, *s]).splitlines()
        for line in lines:
            if re.match(r"^(mean |best |k-means|explained|nested|selected |wrote|fold 0:)", line):
                print("  " + line)
    run([cli, "report", out, "--title", "Perovskite band gaps: gradient descent, ridge learning curve and search, PCA, k-means"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join("/tmp", "pure-materials-render-report"))
    ap.add_argument("--cli", default=DEFAULT_CLI)
    ap.add_argument("--seed", default="0")
    ap.add_argument("--screenshot", default=None, help="also copy the full-page screenshot here (e.g. docs/report-screenshot.png)")
    ap.add_argument("--scale", type=float, default=0.5, help="device scale factor of the full-page screenshot (keeps the PNG small)")
    ap.add_argument("--check-only", action="store_true", help="check DIR/index.html as it is (no experiment, no report run)")
    a = ap.parse_args()
    if shutil.which("chromium") is None:
        sys.exit("chromium not found: apt-get install -y chromium (Debian package; not a project dependency)")
    if not a.check_only and not os.path.exists(a.cli):
        print("building the CLI: dotnet build src/Pure.Materials.Cli -c Release")
        run(["dotnet", "build", os.path.join(ROOT, "src", "Pure.Materials.Cli"), "-c", "Release", "-v", "q"])
    out = os.path.abspath(a.out)
    if not a.check_only:
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        experiment(a.cli, out, a.seed)
    index = os.path.join(out, "index.html")
    html = open(index, encoding="utf-8").read()
    svg_files = sorted(f for f in os.listdir(out) if f.endswith(".svg"))

    # 2. The check page: every picture's box, drawn shapes and canvas ink, read back with --dump-dom.
    check = os.path.join(out, "check.html")
    open(check, "w", encoding="utf-8").write(html.replace("</body>", CHECK_SCRIPT + "</body>"))
    dom = chromium(["--window-size=1200,900", "--virtual-time-budget=15000", "--dump-dom", "file://" + check]).stdout
    m = re.search(r'<pre id="render-check">(.*?)</pre>', dom, re.S)
    if m is None or m.group(1).strip() == "pending":
        sys.exit("the check page did not report (script did not finish in headless Chromium)")
    result = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    pictures = result["pictures"]
    page_w, page_h = result["page"]

    # 1. The full page.
    full = os.path.join(out, "report.png")
    screenshot("file://" + index, full, 1200, page_h + 40, a.scale)
    page_ink, page_colours, _, page_size = ink(full)

    # 3. Each picture alone, screenshotted and decoded here.
    figures = re.findall(r"<figure>(.*?)</figure>", html, re.S)
    failures, bad_pictures = [], 0
    if len(figures) != len(svg_files):
        failures.append(f"index.html embeds {len(figures)} pictures but the directory holds {len(svg_files)} SVG files")
    if len(pictures) != len(figures):
        failures.append(f"Chromium found {len(pictures)} pictures, index.html has {len(figures)} figures")
    print(f"\n{'picture':<44} {'box (px)':>11} {'shapes':>6} {'canvas ink':>10} {'shot ink':>8} {'colours':>7}  result")
    for i, (fig, p) in enumerate(zip(figures, pictures)):
        w = int(re.search(r'width="([\d.]+)"', fig).group(1)) if re.search(r'width="([\d.]+)"', fig) else 800
        h = int(re.search(r'height="([\d.]+)"', fig).group(1)) if re.search(r'height="([\d.]+)"', fig) else 600
        alone = os.path.join(out, f"picture_{i}.html")
        open(alone, "w", encoding="utf-8").write(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><style>body{margin:0;background:#fff}</style></head><body>" + fig + "</body></html>")
        png = os.path.join(out, f"picture_{i}.png")
        screenshot("file://" + alone, png, w, h)
        share, colours, box, _ = ink(png)
        canvas = p["ink"] / p["pixels"] if p.get("pixels") else 0.0
        problems = []
        if p["width"] <= 0 or p["height"] <= 0:
            problems.append("no rendered box")
        if p.get("shapes", 0) < MIN_SHAPES:
            problems.append(f"{p.get('shapes', 0)} drawn shapes")
        if canvas < MIN_INK:
            problems.append(f"canvas ink {canvas:.4f}" + (f" ({p['error']})" if "error" in p else ""))
        if share < MIN_INK or colours < 2:
            problems.append(f"screenshot ink {share:.4f}, {colours} colour(s)")
        verdict = "ok" if not problems else "FAIL: " + "; ".join(problems)
        if problems:
            bad_pictures += 1
            failures.append(f"{p['title']}: {verdict}")
        print(f"{p['title'][:44]:<44} {int(p['width']):>5}x{int(p['height']):<5} {p.get('shapes', 0):>6} {canvas:>10.4f} {share:>8.4f} {colours:>7}  {verdict}")
    if page_ink < MIN_INK:
        failures.append(f"full-page screenshot is blank (ink {page_ink:.4f})")
    if a.screenshot:
        os.makedirs(os.path.dirname(os.path.abspath(a.screenshot)), exist_ok=True)
        shutil.copyfile(full, a.screenshot)
    print(f"\nfull page: {page_w}x{page_h} CSS px, screenshot {page_size[0]}x{page_size[1]} px at scale {a.scale}, "
          f"{os.path.getsize(full)} bytes, ink {page_ink:.4f}: {full}")
    print(f"{len(pictures)} pictures in {index}: {len(pictures) - bad_pictures} rendered, "
          f"{len(failures)} problem(s)")
    for f in failures:
        print("FAIL " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
