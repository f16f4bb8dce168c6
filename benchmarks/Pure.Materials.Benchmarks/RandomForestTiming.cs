// One-shot timing of the random forest at Materials Project scale (issue 17): matbench_mp_e_form (132,752 rows), Magpie features,
// official folds, mean imputation fitted on each training fold, 10 trees (the forest of `cv --set n_estimators=10`).
// Prints, per fold, the seconds (wall and process CPU) of the presort, of growing the trees and of predicting the test rows, the MAE, and a checksum of
// every prediction (bit-level), so that a speed change can be shown to leave the forest unchanged.
// Run: dotnet benchmarks/Pure.Materials.Benchmarks/bin/Release/net10.0/Pure.Materials.Benchmarks.dll rf-timing [folds, e.g. 0 or 0,1,2,3,4] [trees]
using System.Diagnostics;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Trees;
using Pure.Materials.Split;

internal static class RandomForestTiming
{
    public static void Timed(int[] folds, int trees)
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "e_form", FoldColumn = "fold" },
            BundledData.Open("matbench_mp_e_form").OrThrow()).OrThrow();
        var x = ElementProperty.Magpie.FeaturizeMany(ds.Compositions!);
        var splits = PredefinedFolds.FromLabels(ds.Folds!).OrThrow();
        Console.WriteLine($"mp_e_form: {x.Rows} rows x {x.Cols} features; {trees} trees; folds {string.Join(",", folds)}");
        var options = new RandomForestOptions { NEstimators = trees };
        ulong hash = 1469598103934665603UL;
        double presortTotal = 0, growTotal = 0, predictTotal = 0, presortCpu = 0, growCpu = 0;
        foreach (var k in folds)
        {
            var fold = splits[k];
            var imputer = Pure.Materials.Scale.MeanImputer.Fit(x.SelectRows(fold.Train)).OrThrow();
            var train = Pure.Materials.Scale.MeanImputer.Transform(imputer, x.SelectRows(fold.Train));
            var test = Pure.Materials.Scale.MeanImputer.Transform(imputer, x.SelectRows(fold.Test));
            var yTrain = fold.Train.Select(i => ds.Target![i]).ToArray();
            var yTest = fold.Test.Select(i => ds.Target![i]).ToArray();

            var dop = ForestCore.DegreeOfParallelism(options.NJobs);
            var watch = Stopwatch.StartNew();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var data = TrainingData.Create(train, yTrain, dop, pooled: true);
            var presort = watch.Elapsed.TotalSeconds;
            var cpu1 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var settings = ForestCore.Settings(options, train.Rows, train.Cols, randomSplits: false);
            var (streams, _) = Rng.FromSeed(0).SplitMany(trees);
            var grown = ForestCore.Grow(data, settings, streams, dop);
            data.Release();
            var grow = watch.Elapsed.TotalSeconds - presort;
            var cpu2 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var prediction = ForestCore.PredictMean(grown, test, dop);
            var predict = watch.Elapsed.TotalSeconds - presort - grow;
            var mae = 0.0;
            for (var i = 0; i < prediction.Length; i++)
            {
                mae += Math.Abs(prediction[i] - yTest[i]);
                hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(prediction[i])) * 1099511628211UL;
            }
            presortCpu += cpu1 - cpu0;
            growCpu += cpu2 - cpu1;
            presortTotal += presort;
            growTotal += grow;
            predictTotal += predict;
            Console.WriteLine($"fold {k}: {train.Rows} training rows; presort {presort:F2} s ({cpu1 - cpu0:F2} s CPU), grow {grow:F2} s ({cpu2 - cpu1:F2} s CPU), predict {predict:F2} s; "
                + $"MAE {mae / prediction.Length:F4}; nodes {string.Join(" ", grown.Select(t => t.NodeCount))}");
            GC.Collect();
        }
        Console.WriteLine($"total: presort {presortTotal:F2} s ({presortCpu:F2} s CPU), grow {growTotal:F2} s ({growCpu:F2} s CPU), predict {predictTotal:F2} s; predictions checksum {hash:x16}");
    }
}
