#!/usr/bin/env bash
# The screening anchor (matminer + scikit-learn), measured on 10,000 candidates and scaled:
#   1. fits the main job's model (Magpie, 100-tree forest, all of matbench_expt_gap) with `pure-materials fit`;
#   2. takes every 1116th candidate of the 20-element quaternary space of the README (shard 0/1116: 9,999 of 11,158,035)
#      with `screen --all`, and writes their Magpie features with `featurize` (equal to matminer v0.9.0's);
#   3. runs benchmarks/sklearn/screen_anchor.py on them: scikit-learn's predict time per candidate, plus matminer's
#      1.2 ms per composition.
# Usage, from the repository root: tools/bench/screen-anchor.sh [WORK_DIR]   (about a minute)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ $# -ge 1 ]]; then work=$1; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
dotnet build "$root/src/Pure.Materials.Cli" -c Release -v quiet -nologo > "$work/build.txt" || { cat "$work/build.txt"; exit 1; }
cli="$root/src/Pure.Materials.Cli/bin/Release/net10.0/pure-materials.dll"
elements=Li,Na,K,Mg,Ca,Zn,Ga,In,Al,Si,Ge,Sn,O,S,Se,N,P,F,Cl,Br
[[ -f "$work/gap.pmm" ]] || dotnet "$cli" fit --data matbench_expt_gap --target "gap expt" --formula-column composition --out "$work/gap.pmm" > /dev/null
dotnet "$cli" screen --model "$work/gap.pmm" --elements "$elements" --arity 4 --max-amount 7 --rank ucb --shard 0/1116 \
    --all "$work/candidates.csv" --out "$work/top.csv" > /dev/null
dotnet "$cli" featurize --data "$work/candidates.csv" --formula-column candidate --id-column index --featurizers magpie \
    --out "$work/candidates_magpie.csv" > /dev/null
echo "candidates: $(($(wc -l < "$work/candidates.csv") - 1))"
/usr/bin/python3 "$root/benchmarks/sklearn/screen_anchor.py" "$work/candidates_magpie.csv" 5
