using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Classification;
using Pure.Materials.Split;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Evaluate;

public class ClassificationCrossValidationTests
{
    private static (Matrix X, int[] Y) Blobs(int n)
    {
        var x = Matrix.Build(n, 2, (i, j) => (i % 2 == 0 ? 1.5 : -1.5) + Math.Sin(7.3 * i + 2.1 * j));
        return (x, Enumerable.Range(0, n).Select(i => i % 2).ToArray());
    }

    private static ClassifierPipelineOptions Logistic => new(ImputeStrategy.Mean, ScaleStrategy.Standard, Classifiers.LogisticRegression(new LogisticRegressionOptions()));

    [Fact]
    public void Run_SumsFoldConfusionMatrices_AndScoresEveryFold()
    {
        var (x, y) = Blobs(60);
        var splits = KFold.Split(60, 5, true, Rng.FromSeed(3)).OrThrow();
        var report = ClassificationCrossValidation.Run(Logistic, x, y, splits, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(5, report.Folds.Count);
        Assert.Equal(60, report.Confusion.Total);
        Assert.Equal([0, 1], report.Classes);
        Assert.All(ClassificationReport.MetricKeys, k => Assert.True(double.IsFinite(report.Summary[k].Mean), k));
        Assert.True(report.Summary["accuracy"].Mean > 0.9);
    }

    [Fact]
    public void Run_Fails_WhenAFoldTrainsOnASingleClass()
    {
        var (x, _) = Blobs(10);
        int[] y = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
        var splits = new[] { new TrainTest([0, 1, 2, 3, 4], [5, 6, 7, 8, 9]), new TrainTest([5, 6, 7, 8, 9], [0, 1, 2, 3, 4]) };
        var p = Assert.Single(ClassificationCrossValidation.Run(Logistic, x, y, splits, Rng.FromSeed(1)).Problems());
        Assert.Equal("data.single_class", p.Code);
        Assert.StartsWith("fold 0:", p.Message);
    }

    [Fact]
    public void ConfusionMatrixPlot_IsDeterministic_AndShowsEveryCount()
    {
        var c = ClassificationMetrics.Confusion([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]);
        var svg = ConfusionMatrixPlot.ToSvg(c, ["non-metal", "metal"]);
        Assert.Equal(svg, ConfusionMatrixPlot.ToSvg(c, ["non-metal", "metal"]));
        Assert.StartsWith("<svg", svg);
        Assert.Contains(">2</text>", svg);
        Assert.Contains("accuracy = 0.6000", svg);
    }
}
