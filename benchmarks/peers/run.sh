#!/usr/bin/env bash
# One run of every tree learner on the same Magpie features and official Matbench folds, one after the other:
# Pure.Materials `cv --model rf` and `--model gbm`, scikit-learn 1.2.1 RandomForestRegressor(100, n_jobs=2) and
# HistGradientBoostingRegressor, then ML.NET 6.0.0 FastForest, FastTree, LightGBM and LightGBM 4.7.0's C API (benchmarks/peers).
# Each prints its per-fold MAE, mean MAE and wall seconds. Task: expt_gap (default) or mp_e_form (132,752 rows: minutes, GBs).
# Run from the repository root: bash benchmarks/peers/run.sh [expt_gap|mp_e_form] [OUTDIR]
set -euo pipefail
# scikit-learn's HistGradientBoosting and LightGBM use OpenMP, whose default busy-waiting makes them many times slower on a shared,
# oversubscribed machine (measured here: scikit-learn's 5 folds of expt_is_metal took 54 s of CPU instead of about 5): wait passively.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
task=${1:-expt_gap}
out=${2:-$(mktemp -d)}
mkdir -p "$out"
case "$task" in
  expt_gap) data=matbench_expt_gap; target="gap expt" ;;
  mp_e_form) data=matbench_mp_e_form; target=e_form ;;
  *) echo "unknown task '$task': use expt_gap or mp_e_form" >&2; exit 2 ;;
esac
dotnet build src/Pure.Materials.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/peers -c Release -v q -nologo >/dev/null
pm="dotnet src/Pure.Materials.Cli/bin/Release/net10.0/pure-materials.dll"
$pm featurize --data "$data" --formula-column composition --featurizers magpie --out "$out/features.csv"
for model in rf gbm; do
  echo "== Pure.Materials cv --model $model"
  /usr/bin/time -f "wall %e s, peak RSS %M kB" $pm cv --data "$data" --target "$target" --formula-column composition --fold-column fold --model $model --out "$out/cv-$model"
done
# FastForest's defaults consider 0.7 x 0.7 = 0.49 of the features at a split; the same decorrelation in our forest:
echo "== Pure.Materials cv --model rf --set max_features=0.5"
/usr/bin/time -f "wall %e s, peak RSS %M kB" $pm cv --data "$data" --target "$target" --formula-column composition --fold-column fold --model rf --set max_features=0.5 --out "$out/cv-rf-mf05"
if [ "$task" = expt_gap ]; then
  echo "== scikit-learn RandomForestRegressor(100, n_jobs=2)"; /usr/bin/python3 benchmarks/sklearn/rf_expt_gap_cv.py
  echo "== scikit-learn HistGradientBoostingRegressor()"; /usr/bin/python3 benchmarks/sklearn/trees_expt_gap_cv.py gbm
fi
echo "== ML.NET and LightGBM"
dotnet benchmarks/peers/bin/Release/net10.0/Pure.Materials.Peers.dll "$out/features.csv" "$target" "${PEERS:-fastforest,fasttree,mlnet-lightgbm,lightgbm}"
