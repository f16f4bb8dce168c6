// Select a model for perovskite band gaps (ridge alpha and random-forest settings) by cross-validation on
// development rows, then report the selected model's error on a held-out test split exactly once.
// Run: dotnet run -c Release --project examples/PerovskiteSearch [seed]
using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Linear;
using Pure.Materials.Models.Trees;
using Pure.Materials.Split;
using Pure.Materials.Pipelines;

var seed = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 0;

string[] features =
[
    "K", "Rb", "Cs", "MA", "FA", "Ca", "Sr", "Ba", "Ge", "Sn", "Pb", "Cl", "Br", "I",
    "A_ion_rad", "A_BP", "A_MP", "A_dens", "A_at_wt", "A_EA", "A_IE", "A_hof", "A_hov", "A_En", "A_at_num", "A_period",
    "B_ion_rad", "B_BP", "B_MP", "B_dens", "B_at_wt", "B_EA", "B_IE", "B_hof", "B_hov", "B_En", "B_at_num", "B_period",
    "X_ion_rad", "X_BP", "X_MP", "X_dens", "X_at_wt", "X_EA", "X_IE", "X_hof", "X_hov", "X_En", "X_at_num", "X_period",
];
var spec = new DatasetSpec { TargetColumn = "Band Gap", IdColumn = "Index", FeatureColumns = [.. features] };

// The search space: a LINQ query over parameter values for each learner, every point an immutable options value.
var ridge =
    from alpha in new[] { 1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0 }
    select new SearchCandidate($"ridge alpha={alpha.ToString(CultureInfo.InvariantCulture)}",
        new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard, Learners.Ridge(new RidgeOptions { Alpha = alpha })));
var forest =
    from maxFeatures in new[] { 1.0, 0.33 }
    from minSamplesLeaf in new[] { 1, 3 }
    select new SearchCandidate($"rf max_features={maxFeatures.ToString(CultureInfo.InvariantCulture)} min_samples_leaf={minSamplesLeaf}",
        new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.None, Learners.RandomForest(new RandomForestOptions
        {
            NEstimators = 100,
            MaxFeatures = MaxFeatures.Fraction(maxFeatures),
            MinSamplesLeaf = minSamplesLeaf,
        })));
var space = ridge.Concat(forest).ToArray();

// load -> hold out 20 % as test (grouped by the Formula column, so no composition is on both sides;
// MA and FA are molecular cations, not elements, so reduced formulas cannot be computed here) -> 5-fold search on the
// other 80 % -> refit the best on those 80 % -> score once on the test rows. One value, run once with one seed.
var experiment =
    from table in Step.From(() => BundledData.Open("perovskite_dft"))
    from data in Step.From(() => Dataset.FromTable(spec, table))
    from groups in Step.From(() => Groups.ByColumn(table, "Formula"))
    from holdOut in Step.Random(rng => GroupKFold.Split(groups, 5, true, rng).Map(folds => folds[0]))
    from result in Step.Random(rng => ModelSearch.SelectThenTest(new SearchOptions("mae"), space, data.ColumnFeatures, data.Target!, holdOut,
        (n, r) => KFold.Split(n, 5, true, r), rng))
    select (data, holdOut, result);

return experiment.Run(seed).Match(
    Succ: r =>
    {
        Console.WriteLine($"perovskite_dft: {r.data.Count} compositions, {features.Length} features, target band gap (eV), seed {seed}");
        Console.WriteLine($"development rows {r.holdOut.Train.Length}, held-out test rows {r.holdOut.Test.Length}; 5-fold CV on the development rows:");
        foreach (var c in r.result.Search.Candidates.OrderBy(c => c.Rank))
            Console.WriteLine($"  {c.Rank,2}. {c.Label,-40} MAE {c.Summary["mae"].Mean:0.0000} +- {c.Summary["mae"].Std:0.0000} eV, R2 {c.Summary["r2"].Mean:0.000}");
        Console.WriteLine($"selected: {r.result.Selected.Label}");
        Console.WriteLine($"held-out test (scored once, after selection): MAE {r.result.TestScores.Metric("mae"):0.0000} eV, RMSE {r.result.TestScores.Metric("rmse"):0.0000} eV, R2 {r.result.TestScores.Metric("r2"):0.000}");
        return 0;
    },
    Fail: problems =>
    {
        foreach (var p in problems) Console.Error.WriteLine($"error: {p}");
        return 1;
    });
