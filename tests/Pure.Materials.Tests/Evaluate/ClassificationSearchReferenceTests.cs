using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Split;
using Pure.Materials.Tests.Split;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Evaluate;

/// <summary>Search and learning curves on a class target (the one task model) equal scikit-learn 1.2.1's GridSearchCV and learning_curve
/// with its scoring names (accuracy, balanced_accuracy, roc_auc, neg_log_loss) on 300 rows of matbench_expt_is_metal with 8 Magpie columns
/// (reference: <c>/usr/bin/python3 tools/reference/sklearn_classification_search.py</c>, file <c>search_curve_is_metal.csv</c>).</summary>
public class ClassificationSearchReferenceTests
{
    private static readonly string[] Scorings = ["accuracy", "balanced_accuracy", "roc_auc", "neg_log_loss"];

    private static readonly string[] Columns =
    [
        "MagpieData mean Number", "MagpieData mean MendeleevNumber", "MagpieData mean AtomicWeight", "MagpieData mean Electronegativity",
        "MagpieData mean NValence", "MagpieData mean GSvolume_pa", "MagpieData avg_dev Electronegativity", "MagpieData range Electronegativity",
    ];

    /// <summary>Loads the subset as a data set and builds its target exactly as cv does (a True/False column is detected as classes).</summary>
    private static (Matrix X, TaskTarget Y) Data()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "is_metal_magpie_subset.csv");
        var table = BundledData.OpenPathOrName(path).OrThrow();
        var kind = TaskTarget.Detect(table, "is_metal", null).OrThrow();
        Assert.Equal(TaskKind.Classification, kind);
        var ds = Dataset.FromTable(new DatasetSpec { TargetColumn = "is_metal", IdColumn = "mbid", FeatureColumns = [.. Columns] }, table).OrThrow();
        return (ds.ColumnFeatures, TaskTarget.FromDataset(ds, kind).OrThrow());
    }

    private static double Ref(string kind, string model, string x, string metric, string quantity) =>
        double.Parse(SelectionReference.Read("search_curve_is_metal.csv")
            .Single(r => r["kind"] == kind && r["model"] == model && r["x"] == x && r["metric"] == metric && r["quantity"] == quantity)["value"],
            NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void Close(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Abs(expected) + 1e-12, $"{what}: expected {expected:R}, got {actual:R} (tolerance {relative} relative + 1e-12)");

    private static string Python(double v) => v switch { 1e-9 => "1e-09", 1e-6 => "1e-06", _ => v.ToString("0.0##############", CultureInfo.InvariantCulture) };

    [Fact]
    public void Data_IsTheBooleanTargetWithItsLabelsKept()
    {
        var (x, y) = Data();
        var classes = Assert.IsType<TaskTarget.Classes>(y);
        Assert.Equal((300, 8), (x.Rows, x.Cols));
        Assert.Equal(["False", "True"], classes.Labels);
        Assert.Equal("True", classes.PositiveLabel);
        Assert.Equal(139, classes.Codes.Count(c => c == 1));
    }

    [Theory]
    [InlineData("gnb", 1e-9)]
    [InlineData("logistic", 1e-8)]
    public void GridSearch_OnClasses_MatchesScikitLearnForEveryScoringName(string model, double tolerance)
    {
        var (x, y) = Data();
        var folds = KFold.Split(x.Rows, 5, false, Rng.FromSeed(0)).OrThrow();
        var (param, values) = model == "gnb" ? ("var_smoothing", new[] { 1e-9, 1e-6, 1e-3, 1e-1 }) : ("C", new[] { 0.01, 1.0, 100.0 });
        var space = values.Select(v => new SearchCandidate($"{param}={Python(v)}", model == "gnb"
            ? new ClassifierPipelineOptions(ImputeStrategy.None, ScaleStrategy.None, Classifiers.GaussianNaiveBayes(new GaussianNaiveBayesOptions { VarSmoothing = v }))
            : new ClassifierPipelineOptions(ImputeStrategy.None, ScaleStrategy.Standard, Classifiers.LogisticRegression(new LogisticRegressionOptions { C = v })))).ToArray();
        foreach (var scoring in Scorings)
        {
            var report = ModelSearch.Run(new SearchOptions(scoring), space, x, y, folds, Rng.FromSeed(0)).OrThrow();
            foreach (var c in report.Candidates)
            {
                Close(Ref("search", model, c.Label, scoring, "mean_test_score"), c.MeanScore, tolerance, $"{model} {c.Label} {scoring} mean");
                Close(Ref("search", model, c.Label, scoring, "std_test_score"), c.StdScore, Math.Max(tolerance, 1e-9), $"{model} {c.Label} {scoring} std");
                Assert.Equal((int)Ref("search", model, c.Label, scoring, "rank_test_score"), c.Rank);
            }
            if (scoring == "neg_log_loss") Assert.Equal((int)Ref("search", model, "", scoring, "best_index"), report.Best.Index);
        }
    }

    [Theory]
    [InlineData("accuracy")]
    [InlineData("neg_log_loss")]
    public void LearningCurve_OnClasses_Unshuffled_MatchesScikitLearn(string scoring)
    {
        var (x, y) = Data();
        var folds = KFold.Split(x.Rows, 5, false, Rng.FromSeed(0)).OrThrow();
        var gnb = new ClassifierPipelineOptions(ImputeStrategy.None, ScaleStrategy.None, Classifiers.GaussianNaiveBayes(new GaussianNaiveBayesOptions { VarSmoothing = 1e-3 }));
        var curve = Curves.Learning(new LearningCurveOptions(Metric: scoring, Shuffle: false), gnb, x, y, folds, Rng.FromSeed(0)).OrThrow();
        Assert.Equal([24, 78, 132, 186, 240], curve.Points.Select(p => (int)p.X));
        foreach (var p in curve.Points)
        {
            var m = ((int)p.X).ToString(CultureInfo.InvariantCulture);
            Close(Ref("curve", "gnb", m, scoring, "train_mean"), p.Train.Mean, 1e-9, $"{scoring} train mean at {m}");
            Close(Ref("curve", "gnb", m, scoring, "train_std"), p.Train.Std, 1e-9, $"{scoring} train std at {m}");
            Close(Ref("curve", "gnb", m, scoring, "test_mean"), p.Test.Mean, 1e-9, $"{scoring} test mean at {m}");
            Close(Ref("curve", "gnb", m, scoring, "test_std"), p.Test.Std, 1e-9, $"{scoring} test std at {m}");
        }
    }

    [Fact]
    public void Search_RefusesAMismatchedTaskAndARegressionMetric_WithOneProblemEach()
    {
        var (x, y) = Data();
        var folds = KFold.Split(x.Rows, 5, false, Rng.FromSeed(0)).OrThrow();
        var ridge = new PipelineOptions(ImputeStrategy.None, ScaleStrategy.Standard, Learners.Ridge(new Pure.Materials.Models.Linear.RidgeOptions()));
        var mismatch = Assert.Single(ModelSearch.Run(new SearchOptions("accuracy"), [new SearchCandidate("ridge", ridge)], x, y, folds, Rng.FromSeed(0)).Problems());
        Assert.Equal("param.task_mismatch", mismatch.Code);
        var gnb = new ClassifierPipelineOptions(ImputeStrategy.None, ScaleStrategy.None, Classifiers.GaussianNaiveBayes(new GaussianNaiveBayesOptions()));
        var metric = Assert.Single(ModelSearch.Run(new SearchOptions("mae"), [new SearchCandidate("gnb", gnb)], x, y, folds, Rng.FromSeed(0)).Problems());
        Assert.Equal("param.invalid_value", metric.Code);
    }
}
