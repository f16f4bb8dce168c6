// Predict experimental band gaps from compositions: the main job written as one LINQ query.
// Run: dotnet run -c Release --project examples/BandGap [seed]
using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models;
using Pure.Materials.Models.Trees;
using Pure.Materials.Split;
using Pure.Materials.Pipelines;

var seed = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 0;

var spec = new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt", FoldColumn = "fold", IdColumn = "mbid" };
var pipeline = new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.None, Learners.RandomForest(new RandomForestOptions { NEstimators = 100 }));

// featurize -> split -> (impute -> fit -> predict inside each fold) -> evaluate, one value, run once with one seed.
var experiment =
    from table in Step.From(() => BundledData.Open("matbench_expt_gap"))
    from data in Step.From(() => Dataset.FromTable(spec, table))
    from features in Step.From(() => CompositionFeaturizers.Build([ElementProperty.Magpie], data))
    from folds in Step.From(() => PredefinedFolds.FromLabels(data.Folds!))
    from report in CrossValidation.Step(pipeline, features.X, data.Target!, folds)
    select (data, features, report);

var result = experiment.Run(seed);
return result.Match(
    Succ: r =>
    {
        Console.WriteLine($"matbench_expt_gap: {r.data.Count} compositions, {r.features.Labels.Count} Magpie features, random forest (100 trees), seed {seed}");
        foreach (var fold in r.report.Folds)
            Console.WriteLine($"fold {fold.Fold}: MAE {fold.Scores.Mae:0.0000} eV, RMSE {fold.Scores.Rmse:0.0000} eV, R2 {fold.Scores.R2:0.0000}");
        var mae = r.report.Summary["mae"];
        Console.WriteLine($"mean MAE {mae.Mean:0.0000} eV (std {mae.Std:0.0000}); Matbench RF-SCM/Magpie: 0.4461 eV");
        return 0;
    },
    Fail: problems =>
    {
        foreach (var p in problems) Console.Error.WriteLine($"error: {p}");
        return 1;
    });
