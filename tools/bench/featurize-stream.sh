#!/usr/bin/env bash
# Streaming `featurize` at scale: wall clock and peak memory of the CLI on N formulas (default 2,000,000).
#
# Input: the 4604 compositions of the bundled matbench_expt_gap.csv repeated in order to N rows (columns id, composition).
# Featurizers: stoichiometry, valence-orbital, tmetal-fraction, band-center, ion-property (6 + 8 + 1 + 1 + 3 = 19 features).
# Runs the Release build of the CLI once under /usr/bin/time -v and prints the elapsed time, the peak RSS and the output size.
#
# Usage, from the repository root (about 15 s for 2,000,000 rows on 2 cores, plus the build):
#     tools/bench/featurize-stream.sh [ROWS] [WORK_DIR]
# WORK_DIR (default: a new temporary directory) receives in.csv (~40 MB), out.csv (~500 MB for 2,000,000 rows) and time.txt;
# a temporary directory is removed at the end.
set -euo pipefail

rows=${1:-2000000}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ $# -ge 2 ]]; then work=$2; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi

dotnet build "$root/src/Pure.Materials.Cli" -c Release -v quiet -nologo > "$work/build.txt" || { cat "$work/build.txt"; exit 1; }
cli="$root/src/Pure.Materials.Cli/bin/Release/net10.0/pure-materials.dll"

awk -F, -v n="$rows" 'NR == 1 { next } { f[m++] = $2 } END {
    print "id,composition"
    for (i = 0; i < n; i++) printf "r%d,%s\n", i, f[i % m] }' "$root/src/Pure.Materials/Data/Bundled/matbench_expt_gap.csv" > "$work/in.csv"

/usr/bin/time -v -o "$work/time.txt" dotnet "$cli" featurize --data "$work/in.csv" --formula-column composition \
    --featurizers stoichiometry,valence-orbital,tmetal-fraction,band-center,ion-property --out "$work/out.csv" > "$work/stdout.txt"

echo "rows in:  $rows"
echo "rows out: $(($(wc -l < "$work/out.csv") - 1)), columns: $(head -1 "$work/out.csv" | awk -F, '{ print NF }')"
grep -E "Elapsed \(wall clock\)|Maximum resident set size|Exit status" "$work/time.txt"
