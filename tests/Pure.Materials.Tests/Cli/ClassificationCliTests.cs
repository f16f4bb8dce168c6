using System.Text.Json.Nodes;
using Xunit;

namespace Pure.Materials.Tests.Cli;

public class ClassificationCliTests
{
    [Fact]
    public void Cv_DetectsABooleanTarget_AndWritesConfusionMatrixAndClassificationMetrics()
    {
        var dir = CliRun.TempDir("pm-cls-");
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", "matbench_expt_is_metal", "--target", "is_metal", "--formula-column", "composition",
            "--fold-column", "fold", "--model", "gnb", "--out", dir);
        Assert.True(exit == 0, stderr);
        Assert.Contains("mean accuracy", stdout);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!;
        Assert.Equal("classification", (string)report["task"]!);
        var counts = report["confusion_matrix"]!["counts"]!.AsArray().SelectMany(r => r!.AsArray().Select(v => (int)v!)).Sum();
        Assert.Equal(4921, counts);
        Assert.InRange((double)report["metrics"]!["accuracy"]!["mean"]!, 0.5, 1.0);
        Assert.True(File.Exists(Path.Combine(dir, "confusion.svg")));
        Assert.Contains("p_True", File.ReadLines(Path.Combine(dir, "predictions.csv")).First());
    }

    [Fact]
    public void Cv_RejectsAContinuousTarget_ForClassification_AndAnUnknownTask()
    {
        var (exit, _, stderr) = CliRun.Run("cv", "--data", "matbench_expt_gap", "--target", "gap expt", "--formula-column", "composition", "--task", "classification", "--model", "logistic");
        Assert.Equal(1, exit);
        Assert.Contains("data.non_label_target", stderr);
        (exit, _, stderr) = CliRun.Run("cv", "--data", "matbench_expt_gap", "--target", "gap expt", "--formula-column", "composition", "--task", "ranking");
        Assert.Equal(1, exit);
        Assert.Contains("--task ranking", stderr);
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("lasso", "alpha=0.01")]
    [InlineData("elastic-net", "alpha=0.01", "l1_ratio=0.5")]
    [InlineData("kernel-ridge", "kernel=rbf", "alpha=0.1")]
    [InlineData("knn", "n_neighbors=5", "weights=distance")]
    [InlineData("linear-gd", "learning_rate=0.05")]
    public void Cv_RunsTheLinearKernelAndNeighbourRegressors(string model, params string[] settings)
    {
        string[] args = ["cv", "--data", "matbench_expt_gap", "--target", "gap expt", "--formula-column", "composition", "--featurizers", "stoichiometry",
            "--folds", "3", "--model", model, .. settings.SelectMany(s => new[] { "--set", s })];
        var (exit, stdout, stderr) = CliRun.Run(args);
        Assert.True(exit == 0, stderr);
        Assert.Contains("mean MAE", stdout);
    }
}
