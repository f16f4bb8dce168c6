using System.Text.Json.Nodes;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>search, learning-curve and explain detect a class target exactly as cv does and then classify it (classifiers, classification
/// metrics, class labels in report.json) instead of regressing on 0/1 codes or refusing it.</summary>
public class TaskDetectionCliTests
{
    private static readonly string[] IsMetal = ["--data", "matbench_expt_is_metal", "--target", "is_metal", "--formula-column", "composition", "--folds", "3"];

    [Fact]
    public void Search_OnABooleanTarget_RanksClassifiersByAccuracy_AndWritesTheClassLabels()
    {
        var dir = CliRun.TempDir("pm-task-search-");
        var (exit, output, err) = CliRun.Run(["search", .. IsMetal, "--model", "gnb", "--grid", "var_smoothing=1e-9,1e-3", "--out", dir]);
        Assert.True(exit == 0, err);
        Assert.Contains("classification of 'is_metal' (False, True)", output);
        Assert.Contains("best var_smoothing=1e-3: mean accuracy", output);
        Assert.StartsWith("index,candidate,rank,accuracy_mean,accuracy_std,balanced_accuracy_mean", File.ReadLines(Path.Combine(dir, "search.csv")).First());
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!;
        Assert.Equal("search", (string)report["command"]!);
        Assert.Equal("classification", (string)report["task"]!);
        Assert.Equal(["False", "True"], report["target"]!["classes"]!.AsArray().Select(v => (string)v!));
        Assert.Equal("True", (string)report["target"]!["positive_class"]!);
        Assert.Equal("accuracy", (string)report["search"]!["metric"]!);
        Assert.Equal(3, report["metrics"]!["accuracy"]!["per_fold"]!.AsArray().Count);
        Assert.Equal(4921, report["folds"]!.AsArray().Sum(f => (int)f!["n_test"]!));
        // The best candidate's mean_test_score is its mean accuracy (scikit-learn's sign: greater is better).
        var best = report["search"]!["candidates"]!.AsArray().Single(c => (int)c!["rank"]! == 1)!;
        Assert.Equal((double)report["metrics"]!["accuracy"]!["mean"]!, (double)best["mean_test_score"]!);
    }

    [Fact]
    public void Search_NegLogLoss_IsMinusTheLogLoss_AndARegressionMetricIsRefusedForClasses()
    {
        var (exit, output, err) = CliRun.Run(["search", .. IsMetal, "--model", "gnb", "--grid", "var_smoothing=1e-3", "--metric", "neg_log_loss"]);
        Assert.True(exit == 0, err);
        Assert.Contains("best var_smoothing=1e-3: mean neg_log_loss -", output);
        var (badExit, badOut, badErr) = CliRun.Run(["search", .. IsMetal, "--model", "gnb", "--grid", "var_smoothing=1e-3", "--metric", "mae"]);
        Assert.Equal(1, badExit);
        Assert.Equal("", badOut);
        var line = Assert.Single(badErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: --metric 'mae' is unknown for classification ('mae' scores regression, and this target is a set of classes); use one of accuracy,", line);
    }

    [Fact]
    public void Search_ARegressorForClasses_IsOneProblemNamingTheClassifiers()
    {
        var (exit, _, err) = CliRun.Run(["search", .. IsMetal, "--model", "ridge", "--grid", "alpha=1"]);
        Assert.Equal(1, exit);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("[param.unknown_model]", line);
    }

    [Fact]
    public void LearningCurve_OnABooleanTarget_PlotsAccuracy_AndWritesTheOneReportSchema()
    {
        var dir = CliRun.TempDir("pm-task-curve-");
        var (exit, output, err) = CliRun.Run(["learning-curve", .. IsMetal, "--model", "gnb", "--sizes", "0.5,1", "--out", dir]);
        Assert.True(exit == 0, err);
        Assert.Contains("test accuracy", output);
        Assert.Equal("x,label,train_accuracy_mean,train_accuracy_std,test_accuracy_mean,test_accuracy_std", File.ReadLines(Path.Combine(dir, "learning_curve.csv")).First());
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!;
        Assert.Equal("learning-curve", (string)report["command"]!);
        Assert.Equal("classification", (string)report["task"]!);
        Assert.Equal(2, report["curve"]!["points"]!.AsArray().Count);
        Assert.InRange((double)report["metrics"]!["accuracy"]!["mean"]!, 0.5, 1.0);
    }

    [Fact]
    public void Explain_OnABooleanTarget_ExplainsTheForestClassifier_InUnitsOfTheProbabilityOfTrue()
    {
        var dir = CliRun.TempDir("pm-task-explain-");
        var (exit, output, err) = CliRun.Run(["explain", .. IsMetal, "--set", "n_estimators=5", "--shap-rows", "20", "--repeats", "1", "--out", dir]);
        Assert.True(exit == 0, err);
        Assert.Contains("model rf (criterion=gini", output);
        Assert.Contains("(accuracy decrease; baseline accuracy 0.", output);
        Assert.Contains("SHAP values in units of P(True)", output);
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "explain.json")))!;
        Assert.Equal("classification", (string)run["task"]!);
        Assert.Equal("accuracy decrease", (string)run["permutation_score"]!);
        Assert.InRange((double)run["baseline_accuracy"]!, 0.5, 1.0);
        Assert.Equal("P(True)", (string)run["shap_output"]!);
        Assert.Equal("feature,impurity_importance,permutation_importance_mean,permutation_importance_std,mean_abs_shap", File.ReadLines(Path.Combine(dir, "importances.csv")).First());
    }
}
