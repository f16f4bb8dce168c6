// Metal or non-metal from the composition alone: Matbench expt_is_metal, the Ward et al. (2016) composition attributes (Magpie
// element statistics, stoichiometry, valence-orbital fractions, ion properties: 149 features), official 5 folds, five classifiers
// cross-validated, the best one's out-of-fold confusion matrix printed and drawn as SVG.
// Run: dotnet run -c Release --project examples/MetalClassification [seed] [output-directory]
// Expected output (seed 0): expected-output.txt. Every learner gets standardised features (ScaleStrategy.Standard), so gbm and rf give
// 0.9360 and 0.9281 where `pure-materials cv` (trees unscaled by default) gives 0.9362 and 0.9273; with `--scale standard` cv gives the same.
using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Featurize;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.Neighbors;
using Pure.Materials.Split;
using Pure.Materials.Pipelines;

var seed = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 0;
var output = args.Length > 1 ? args[1] : "metal-classification";

var spec = new DatasetSpec { FormulaColumn = "composition", TargetColumn = "is_metal", FoldColumn = "fold", IdColumn = "mbid" };
ClassifierLearner[] learners =
[
    Classifiers.LogisticRegression(new LogisticRegressionOptions { C = 1.0 }),
    Classifiers.KNeighbors(new KNeighborsOptions { NNeighbors = 5, Weights = NeighborWeights.Distance }),
    Classifiers.GaussianNaiveBayes(new GaussianNaiveBayesOptions()),
    // Histogram gradient boosting (scikit-learn HistGradientBoostingClassifier defaults).
    Classifiers.Parse("gbm", new Dictionary<string, string>()).OrThrow(),
    // The random-forest classifier of Models/Trees, by its command-line name, as the Matbench baseline RF-SCM/Magpie (500 trees, gini).
    Classifiers.Parse("rf", new Dictionary<string, string> { ["n_estimators"] = "500" }).OrThrow(),
];
// The full Ward-2016 attribute set (RF-SCM/Magpie uses these descriptors): same as --featurizers magpie,stoichiometry,valence-orbital,ion-property.
var featurizers = CompositionFeaturizers.Parse("magpie,stoichiometry,valence-orbital,ion-property").OrThrow();

// load -> featurize -> official folds -> (impute, scale, fit, predict inside each fold) for every classifier: one value, one seed.
var experiment =
    from table in Step.From(() => BundledData.Open("matbench_expt_is_metal"))
    from data in Step.From(() => Dataset.FromTable(spec, table))
    from features in Step.From(() => CompositionFeaturizers.Build(featurizers, data))
    from folds in Step.From(() => PredefinedFolds.FromLabels(data.Folds!))
    let labels = data.Target!.Select(v => (int)v).ToArray() // True/False read as 1/0
    from reports in Step.Random(rng => Valid.All(learners.Select(l =>
        ClassificationCrossValidation.Run(new ClassifierPipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard, l), features.X, labels, folds, rng))))
    select (data, features, reports);

var result = experiment.Run(seed);
return result.Match(
    Succ: r =>
    {
        Console.WriteLine($"matbench_expt_is_metal: {r.data.Count} compositions ({r.data.Target!.Count(v => v == 1)} metals), {r.features.Labels.Count} Ward-2016 features, official 5 folds, seed {seed}");
        for (var m = 0; m < learners.Length; m++)
        {
            var s = r.reports[m].Summary;
            Console.WriteLine($"{learners[m].Name,-9} accuracy {s["accuracy"].Mean:0.0000} (std {s["accuracy"].Std:0.0000}), balanced accuracy {s["balanced_accuracy"].Mean:0.0000}, " +
                $"F1 {s["f1"].Mean:0.0000}, ROC-AUC {s["roc_auc"].Mean:0.0000}, log loss {s["log_loss"].Mean:0.0000}");
        }
        Console.WriteLine("Matbench v0.1 leaderboard, RF-SCM/Magpie: accuracy 0.9167 (random forest on Magpie features for this composition-only task; logistic, knn and gnb are baselines)");
        var best = Enumerable.Range(0, learners.Length).MaxBy(m => r.reports[m].Summary["accuracy"].Mean);
        var confusion = r.reports[best].Confusion;
        string[] names = ["non-metal", "metal"];
        Console.WriteLine($"out-of-fold confusion matrix of {learners[best].Name} (rows: true, columns: predicted):");
        Console.WriteLine(confusion.ToText(names));
        Directory.CreateDirectory(output);
        var svg = Path.Combine(output, "confusion.svg");
        File.WriteAllText(svg, ConfusionMatrixPlot.ToSvg(confusion, names, $"{learners[best].Name}, Matbench expt_is_metal, out-of-fold (5 official folds)"));
        Console.WriteLine($"wrote {svg}");
        return 0;
    },
    Fail: problems =>
    {
        foreach (var p in problems) Console.Error.WriteLine($"error: {p}");
        return 1;
    });
