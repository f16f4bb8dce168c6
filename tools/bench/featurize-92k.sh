#!/usr/bin/env bash
# The featurize CLI against matminer's anchor: 92,080 rows (the 4604 compositions of the bundled matbench_expt_gap.csv,
# in order, 20 times over) x 132 Magpie features, end to end (process start, read, parse, featurize, format, write),
# once to CSV and once to Parquet, each RUNS times (default 5) under /usr/bin/time; prints the wall-clock seconds, the peak
# RSS and the output size of every run, and the median wall time's ratio to matminer v0.9.0's 1.2 ms per composition
# (../shared/data/README.md: 110.5 s for 92,080 compositions, serial).
#
# Usage, from the repository root (about 20 s plus the build): tools/bench/featurize-92k.sh [RUNS] [WORK_DIR]
set -euo pipefail

runs=${1:-5}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ $# -ge 2 ]]; then work=$2; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi

dotnet build "$root/src/Pure.Materials.Cli" -c Release -v quiet -nologo > "$work/build.txt" || { cat "$work/build.txt"; exit 1; }
cli="$root/src/Pure.Materials.Cli/bin/Release/net10.0/pure-materials.dll"

awk -F, 'NR == 1 { print; next } { r[m++] = $0 } END { for (k = 0; k < 20; k++) for (i = 0; i < m; i++) print r[i] }' \
    "$root/src/Pure.Materials/Data/Bundled/matbench_expt_gap.csv" > "$work/in.csv"
echo "input: $(($(wc -l < "$work/in.csv") - 1)) rows"

for ext in csv parquet; do
    : > "$work/times.$ext"
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -f "%e %M" -o "$work/t.txt" dotnet "$cli" featurize --data "$work/in.csv" --formula-column composition \
            --featurizers magpie --out "$work/out.$ext" > /dev/null
        read -r wall rss < "$work/t.txt"
        echo "$wall" >> "$work/times.$ext"
        echo "$ext run $((i + 1)): $wall s wall, peak RSS $((rss / 1024)) MB, output $(( $(stat -c %s "$work/out.$ext") / 1000000 )) MB"
    done
    median=$(sort -n "$work/times.$ext" | awk '{ a[n++] = $1 } END { print (n % 2) ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2 }')
    awk -v m="$median" -v ext="$ext" 'BEGIN { printf "%s: median %.2f s; matminer 110.5 s (1.2 ms x 92,080) / median = %.0fx\n", ext, m, 110.5 / m }'
done
