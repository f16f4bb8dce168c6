// One-shot timing of the gradient-boosting classifier's 5-fold cross-validation on matbench_expt_is_metal with the 149 Ward-2016
// features (magpie, stoichiometry, valence-orbital, ion-property), official folds, mean imputation fitted on each training fold:
// the fit + predict loop of `pure-materials cv --model gbm --task classification`, without loading and featurizing.
// Prints per-fold accuracy, the seconds of the 5 fits and a checksum of every predicted probability (bit-level), so that a
// speed change can be shown to leave the model unchanged.
// Run: dotnet benchmarks/Pure.Materials.Benchmarks/bin/Release/net10.0/Pure.Materials.Benchmarks.dll hgb-timing [repeats]
using System.Diagnostics;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Trees;
using Pure.Materials.Split;

internal static class HistGradientBoostingTiming
{
    public static void Timed(int repeats)
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "is_metal", FoldColumn = "fold" },
            BundledData.Open("matbench_expt_is_metal").OrThrow()).OrThrow();
        var featurizers = CompositionFeaturizers.Parse("magpie,stoichiometry,valence-orbital,ion-property").OrThrow();
        var x = CompositionFeaturizers.Build(featurizers, ds).OrThrow().X;
        var y = ds.Target!.Select(v => (int)v).ToArray();
        var folds = PredefinedFolds.FromLabels(ds.Folds!).OrThrow();
        var data = folds.Select(fold =>
        {
            var imputer = Pure.Materials.Scale.MeanImputer.Fit(x.SelectRows(fold.Train)).OrThrow();
            return (Train: Pure.Materials.Scale.MeanImputer.Transform(imputer, x.SelectRows(fold.Train)), YTrain: fold.Train.Select(i => y[i]).ToArray(),
                Test: Pure.Materials.Scale.MeanImputer.Transform(imputer, x.SelectRows(fold.Test)), YTest: fold.Test.Select(i => y[i]).ToArray());
        }).ToArray();
        Console.WriteLine($"expt_is_metal: {x.Rows} rows x {x.Cols} features, {data.Length} folds");
        for (var rep = 0; rep < repeats; rep++)
        {
            var watch = Stopwatch.StartNew();
            var accuracies = new List<double>();
            ulong hash = 1469598103934665603UL;
            foreach (var (train, yTrain, test, yTest) in data)
            {
                var model = HistGradientBoostingClassifier.Fit(new HistGradientBoostingClassifierOptions(), train, yTrain, Rng.FromSeed(0)).OrThrow();
                var proba = HistGradientBoostingClassifier.PredictProba(model, test);
                var correct = 0;
                for (var i = 0; i < test.Rows; i++)
                {
                    if ((proba[i, 1] > proba[i, 0] ? 1 : 0) == yTest[i]) correct++;
                    hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(proba[i, 1])) * 1099511628211UL;
                }
                accuracies.Add((double)correct / test.Rows);
            }
            watch.Stop();
            Console.WriteLine($"per-fold accuracy {string.Join(" ", accuracies.Select(a => a.ToString("F4")))}; mean {accuracies.Average():F4}; " +
                $"{watch.Elapsed.TotalSeconds:F2} s for 5 fits + predictions; probabilities checksum {hash:x16}");
        }
    }
}
