using System.Text.Json.Nodes;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Split;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Evaluate;

/// <summary>The one task model: the target union built as cv detects it, scoring names and signs, one report.json schema, explanations of either task.</summary>
public class TaskModelTests
{
    private static CsvTable Table(params string[][] rows) => new("test", ["id", "x1", "x2", "y"], rows);

    private static readonly string[][] Booleans = [.. Enumerable.Range(0, 40).Select(i => new[] { $"r{i}", $"{i % 7}", $"{(i * 3) % 11}", i % 7 > 3 ? "True" : "False" })];

    private static readonly string[][] Words = [.. Enumerable.Range(0, 30).Select(i => new[] { $"r{i}", $"{i % 5}", $"{i % 3}", (i % 3) switch { 0 => "metal", 1 => "insulator", _ => "semiconductor" } })];

    private static readonly string[][] Numbers = [.. Enumerable.Range(0, 30).Select(i => new[] { $"r{i}", $"{i % 5}", $"{i % 3}", $"{0.5 * i}" })];

    private static Dataset Load(CsvTable t, bool labels) =>
        Dataset.FromTable(new DatasetSpec { TargetColumn = "y", IdColumn = "id", FeatureColumns = ["x1", "x2"], ClassLabels = labels }, t).OrThrow();

    [Fact]
    public void Detect_ClassifiesBooleansAndTextLabels_RegressesNumbers_AndRefusesRegressionOfBooleans()
    {
        Assert.Equal(TaskKind.Classification, TaskTarget.Detect(Table(Booleans), "y", null).OrThrow());
        Assert.Equal(TaskKind.Classification, TaskTarget.Detect(Table(Words), "y", null).OrThrow());
        Assert.Equal(TaskKind.Regression, TaskTarget.Detect(Table(Numbers), "y", null).OrThrow());
        Assert.Equal(TaskKind.Classification, TaskTarget.Detect(Table(Numbers), "y", TaskKind.Classification).OrThrow());
        var p = Assert.Single(TaskTarget.Detect(Table(Booleans), "y", TaskKind.Regression).Problems());
        Assert.Equal(("data.non_numeric_target", 1, "y"), (p.Code, p.Row, p.Column));
    }

    [Fact]
    public void FromDataset_KeepsTheTextLabels_InCodeOrder_AndTheUnitOfAContinuousTarget()
    {
        var words = Assert.IsType<TaskTarget.Classes>(TaskTarget.FromDataset(Load(Table(Words), true), TaskKind.Classification).OrThrow());
        Assert.Equal(["insulator", "metal", "semiconductor"], words.Labels);
        Assert.Equal([0, 1, 2], words.ClassCodes);
        Assert.Equal("metal", words.Label(words.Codes[0]));
        Assert.Null(words.PositiveLabel);
        var booleans = Assert.IsType<TaskTarget.Classes>(TaskTarget.FromDataset(Load(Table(Booleans), false), TaskKind.Classification).OrThrow());
        Assert.Equal(["False", "True"], booleans.Labels);
        Assert.Equal("True", booleans.PositiveLabel);
        var numbers = Assert.IsType<TaskTarget.Continuous>(TaskTarget.FromDataset(Load(Table(Numbers), false), TaskKind.Regression, "eV").OrThrow());
        Assert.Equal("eV", numbers.Unit);
        Assert.Equal("data.non_label_target", Assert.Single(TaskTarget.FromDataset(Load(Table(Numbers), false), TaskKind.Classification).Problems()).Code);
        Assert.Equal("data.non_numeric_target", Assert.Single(TaskTarget.FromDataset(Load(Table(Booleans), false), TaskKind.Regression).Problems()).Code);
        // A subset keeps every class of the whole data set.
        Assert.Equal(words.ClassCodes, ((TaskTarget.Classes)words.Subset([0, 3])).ClassCodes);
    }

    [Theory]
    [InlineData("mae", TaskKind.Regression, "mae", false, false)]
    [InlineData("r2", TaskKind.Regression, "r2", false, true)]
    [InlineData("neg_mean_absolute_error", TaskKind.Regression, "mae", true, true)]
    [InlineData("neg_root_mean_squared_error", TaskKind.Regression, "rmse", true, true)]
    [InlineData("accuracy", TaskKind.Classification, "accuracy", false, true)]
    [InlineData("log_loss", TaskKind.Classification, "log_loss", false, false)]
    [InlineData("neg_log_loss", TaskKind.Classification, "log_loss", true, true)]
    [InlineData("roc_auc_ovr_weighted", TaskKind.Classification, "roc_auc_weighted", false, true)]
    public void Scoring_ResolvesReportKeysAndScikitLearnNames_WithTheirSigns(string name, TaskKind kind, string key, bool negated, bool greater)
    {
        var s = Scoring.Resolve(name, kind).OrThrow();
        Assert.Equal((key, negated, greater), (s.Key, s.Negated, s.GreaterIsBetter));
        Assert.Equal(negated ? -0.25 : 0.25, s.Score(0.25));
    }

    [Fact]
    public void Scoring_RefusesAMetricOfTheOtherTask_NamingIt()
    {
        var p = Assert.Single(Scoring.Resolve("accuracy", TaskKind.Regression).Problems());
        Assert.Equal("param.invalid_value", p.Code);
        Assert.Contains("'accuracy' scores classification", p.Message);
    }

    [Fact]
    public void RunReport_WritesOneSchema_ForBothTasks()
    {
        var x = Load(Table(Booleans), false);
        var y = TaskTarget.FromDataset(x, TaskKind.Classification).OrThrow();
        var folds = KFold.Split(x.Count, 4, true, Rng.FromSeed(1)).OrThrow();
        var gnb = (TaskPipeline)new ClassifierPipelineOptions(ImputeStrategy.None, ScaleStrategy.None, Classifiers.GaussianNaiveBayes(new GaussianNaiveBayesOptions()));
        var cv = TaskEvaluation.CrossValidate(gnb, x.ColumnFeatures, y, folds, Rng.FromSeed(2)).OrThrow();
        var report = new RunReport
        {
            Command = "cv", Seed = 2, TargetName = "y", Target = y, Pipeline = gnb, Split = new RunSplit("kfold", [new("n_splits", 4), new("shuffle", true)]),
            Options = [new("data", "test"), new("featurizers", new[] { "magpie" }), new("folds", (int?)4)],
            Rows = x.Count, Features = 2, Folds = cv.FoldSizes, Metrics = RunReport.FromCrossValidation(cv),
            Confusion = ((TaskReport.Classification)cv).Report.Confusion,
        };
        var json = JsonNode.Parse(report.ToJson())!;
        Assert.Equal(RunReport.Schema, (string)json["schema"]!);
        Assert.Equal("classification", (string)json["task"]!);
        Assert.Equal(["False", "True"], json["target"]!["classes"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("gnb", (string)json["options"]!["model"]!);
        Assert.Equal("kfold", (string)json["options"]!["split"]!["kind"]!);
        Assert.Equal(4, (int)json["options"]!["split"]!["n_splits"]!);
        Assert.Equal("magpie", (string)json["options"]!["featurizers"]![0]!);
        Assert.Equal(40, json["folds"]!.AsArray().Sum(f => (int)f!["n_test"]!));
        Assert.Equal(cv.PerFold("accuracy"), json["metrics"]!["accuracy"]!["per_fold"]!.AsArray().Select(v => (double)v!));
        Assert.Equal(["False", "True"], json["confusion_matrix"]!["labels"]!.AsArray().Select(v => (string)v!));

        var numbers = Load(Table(Numbers), false);
        var ridge = (TaskPipeline)new PipelineOptions(ImputeStrategy.None, ScaleStrategy.Standard, Learners.Ridge(new Pure.Materials.Models.Linear.RidgeOptions()));
        var target = TaskTarget.FromDataset(numbers, TaskKind.Regression, "eV").OrThrow();
        var rcv = TaskEvaluation.CrossValidate(ridge, numbers.ColumnFeatures, target, KFold.Split(numbers.Count, 3, true, Rng.FromSeed(1)).OrThrow(), Rng.FromSeed(2)).OrThrow();
        var rjson = JsonNode.Parse((report with { Target = target, Pipeline = ridge, Metrics = RunReport.FromCrossValidation(rcv), Confusion = null }).ToJson())!;
        Assert.Equal("regression", (string)rjson["task"]!);
        Assert.Equal("eV", (string)rjson["target"]!["unit"]!);
        Assert.Equal(3, rjson["metrics"]!["mae"]!["per_fold"]!.AsArray().Count);
        Assert.Null(rjson["confusion_matrix"]);
    }

    [Fact]
    public void Explain_AForestClassifier_IsSeeded_AndItsShapValuesSumToTheProbabilityOfTheLastClass()
    {
        var x = Load(Table(Booleans), false);
        var y = TaskTarget.FromDataset(x, TaskKind.Classification).OrThrow();
        var rf = (TaskPipeline)new ClassifierPipelineOptions(ImputeStrategy.None, ScaleStrategy.None, Classifiers.Parse("rf", new Dictionary<string, string> { ["n_estimators"] = "10" }).OrThrow());
        var split = TrainTestSplit.Split(x.Count, 0.25, Rng.FromSeed(3)).OrThrow();
        var e = Explanations.Explain(new ExplainOptions(Repeats: 3, ShapRows: 0), rf, x.ColumnFeatures, y, split, Rng.FromSeed(4)).OrThrow();
        var again = Explanations.Explain(new ExplainOptions(Repeats: 3, ShapRows: 0), rf, x.ColumnFeatures, y, split, Rng.FromSeed(4)).OrThrow();
        Assert.Equal(e.Permutation.Mean, again.Permutation.Mean);
        Assert.Equal(("accuracy", "P(True)"), (e.Scoring, e.ShapOutput));
        Assert.InRange(e.Permutation.BaselineScore, 0.0, 1.0);
        // TreeSHAP is exact: expected value + the row's attributions = the forest's probability of True for that row.
        var xt = x.ColumnFeatures.SelectRows(split.Test);
        for (var i = 0; i < xt.Rows; i++)
        {
            var sum = e.Shap.ExpectedValue;
            for (var j = 0; j < xt.Cols; j++) sum += e.Shap.Values[i, j];
            Assert.Equal(e.Ensemble.Predict(xt.Row(i)), sum, 10);
        }
        var ridge = (TaskPipeline)new PipelineOptions(ImputeStrategy.None, ScaleStrategy.None, Learners.Ridge(new Pure.Materials.Models.Linear.RidgeOptions()));
        Assert.Equal("param.task_mismatch", Assert.Single(Explanations.Explain(new ExplainOptions(), ridge, x.ColumnFeatures, y, split, Rng.FromSeed(4)).Problems()).Code);
    }
}
