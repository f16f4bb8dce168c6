#!/usr/bin/env bash
# Submits the screening run: the array job (SHARDS tasks of screen-array.sbatch), then merge.sbatch as a job that starts
# only when every task succeeded (--dependency=afterok). Returns at once with the two job ids; watch them with squeue.
#   ./submit.sh           settings from config.sh (next to this script) and the environment
#   ./submit.sh --wait    block until the merge has run, exit non-zero if a task or the merge failed (CI: .ci/slurm)
# Extra sbatch options for both jobs go in SBATCH_EXTRA, e.g. SBATCH_EXTRA="--partition=short --account=my-group".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=examples/slurm/config.sh
source "$here/config.sh"
wait=()
case "${1:-}" in
  --wait) wait=(--wait) ;;
  "") ;;
  *) echo "usage: $0 [--wait]" >&2; exit 2 ;;
esac
[ -x "$PM_CLI" ] || { echo "error: PM_CLI '$PM_CLI' is not an executable; publish the command first (README.md, \"Install once\")" >&2; exit 2; }
[ -f "$MODEL" ] || { echo "error: MODEL '$MODEL' does not exist; write it with pure-materials fit (README.md, \"The model file\")" >&2; exit 2; }
mkdir -p "$RUN_DIR/shards"
# shellcheck disable=SC2086  # SBATCH_EXTRA is a list of options
if ! array=$(sbatch --parsable ${SBATCH_EXTRA:-} "${wait[@]}" --array=0-$((SHARDS - 1)) "$here/screen-array.sbatch"); then
  echo "error: the array job ${array%%;*} failed or could not be submitted; see pm-screen-${array%%;*}_*.log" >&2
  exit 1
fi
array=${array%%;*}   # --parsable prints "id" or "id;cluster"
echo "array job $array: $SHARDS tasks writing $RUN_DIR/shards/shard-K-of-$SHARDS.csv (logs pm-screen-${array}_K.log)"
# --kill-on-invalid-dep: if a task fails, the merge job is cancelled instead of pending forever (DependencyNeverSatisfied).
# shellcheck disable=SC2086
if ! merge=$(sbatch --parsable ${SBATCH_EXTRA:-} "${wait[@]}" --dependency=afterok:"$array" --kill-on-invalid-dep=yes "$here/merge.sbatch"); then
  echo "error: the merge job ${merge%%;*} failed or could not be submitted; see pm-merge-${merge%%;*}.log" >&2
  exit 1
fi
merge=${merge%%;*}
echo "merge job $merge: $RUN_DIR/top.csv once every task of $array succeeded (log pm-merge-$merge.log)"
