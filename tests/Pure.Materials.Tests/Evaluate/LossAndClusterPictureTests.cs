using System.Xml.Linq;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Linear;
using Pure.Materials.Split;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Evaluate;

/// <summary>Training/validation loss per epoch (gradient descent, loss curves, loss plot) and the cluster map: values, SVG content, problems, CLI files.</summary>
public class LossAndClusterPictureTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static (Matrix X, double[] Y) Data(int n = 60, int seed = 3)
    {
        var cursor = new RngCursor(Rng.FromSeed(seed));
        var rows = new double[n][];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            rows[i] = [cursor.NextDouble() * 4 - 2, cursor.NextDouble() * 10, cursor.NextDouble() - 0.5];
            y[i] = 1.5 * rows[i][0] - 0.3 * rows[i][1] + 2 * rows[i][2] + 0.2 * (cursor.NextDouble() - 0.5) + 4;
        }
        return (Matrix.FromRows(rows), y);
    }

    private static double HalfMse(IReadOnlyList<double> y, IReadOnlyList<double> p) => y.Select((v, i) => (v - p[i]) * (v - p[i])).Sum() / (2 * y.Count);

    [Fact]
    public void FitWithValidation_GivesFitsModel_AndTrainingLossEqualsLossHistory_WhenAlphaIsZero()
    {
        var (x, y) = Data();
        var train = Enumerable.Range(0, 45).ToArray();
        var val = Enumerable.Range(45, 15).ToArray();
        var (xt, yt) = (x.SelectRows(train), train.Select(i => y[i]).ToArray());
        var (xv, yv) = (x.SelectRows(val), val.Select(i => y[i]).ToArray());
        var options = new GradientDescentOptions { LearningRate = 0.05, MaxIter = 300, BatchSize = 8 };
        var plain = GradientDescent.Fit(options, xt, yt, Rng.FromSeed(1)).OrThrow();
        var monitored = GradientDescent.FitWithValidation(options, xt, yt, xv, yv, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(plain.Coef, monitored.Model.Coef);
        Assert.Equal(plain.NIter, monitored.TrainingLoss.Count);
        Assert.Equal(plain.NIter, monitored.ValidationLoss.Count);
        Assert.Equal(plain.LossHistory, monitored.TrainingLoss);
        Assert.Equal(HalfMse(yv, GradientDescent.Predict(plain, xv)), monitored.ValidationLoss[^1], 12);
        Assert.True(monitored.ValidationLoss[^1] < monitored.ValidationLoss[0] / 10, "validation loss falls as training proceeds");
    }

    [Fact]
    public void FitWithValidation_TrainingLossLeavesOutThePenalty_AndBadValidationRowsAreProblems()
    {
        var (x, y) = Data();
        var options = new GradientDescentOptions { LearningRate = 0.02, MaxIter = 50, Alpha = 0.5 };
        var m = GradientDescent.FitWithValidation(options, x, y, x, y, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(m.TrainingLoss, m.ValidationLoss);
        Assert.Equal(m.Model.LossHistory[^1] - 0.25 * m.Model.Coef.Sum(c => c * c), m.TrainingLoss[^1], 12);
        var narrow = Matrix.FromRows([[1.0, 2.0]]);
        Assert.Contains(GradientDescent.FitWithValidation(options, x, y, narrow, [1.0], Rng.FromSeed(1)).Problems(), p => p.Code == "shape.columns_mismatch");
        Assert.Contains(GradientDescent.FitWithValidation(options, x, y, x.SelectRows([]), [], Rng.FromSeed(1)).Problems(), p => p.Code == "data.empty");
    }

    [Fact]
    public void LossCurves_HeldOutLossIsThePipelinesHalfMseOnTheHeldOutRows_AndRidgeHasNone()
    {
        var (x, y) = Data();
        var splits = KFold.Split(60, 3, true, Rng.FromSeed(2)).OrThrow();
        var pipeline = new PipelineOptions(ImputeStrategy.Mean, ScaleStrategy.Standard, Learners.GradientDescent(new GradientDescentOptions { LearningRate = 0.1, MaxIter = 400 }));
        var curves = LossCurves.Run(pipeline, x, y, splits, Rng.FromSeed(4)).OrThrow();
        Assert.Equal(3, curves.Length);
        for (var k = 0; k < 3; k++)
        {
            Assert.Equal(curves[k].Epochs, curves[k].Training.Count);
            Assert.Equal(splits[k].Test.Length, curves[k].ValidationRows);
            // Full batch draws nothing, so the pipeline fitted on the training rows alone gives the curve's last held-out loss.
            var fitted = Pipeline.Fit(pipeline, x.SelectRows(splits[k].Train), splits[k].Train.Select(i => y[i]).ToArray(), Rng.FromSeed(9)).OrThrow();
            Assert.Equal(HalfMse(splits[k].Test.Select(i => y[i]).ToArray(), fitted.Predict(x.SelectRows(splits[k].Test))), curves[k].Validation[^1], 10);
        }
        var ridge = pipeline with { Learner = Learners.Ridge(new RidgeOptions()) };
        var p = Assert.Single(LossCurves.Run(ridge, x, y, splits, Rng.FromSeed(4)).Problems());
        Assert.Equal("param.invalid_value", p.Code);
        Assert.Contains("'ridge' does not train by epochs", p.Message);
    }

    [Fact]
    public void LossCurveSvg_DrawsTwoLinesPerRun_WithAxisTitles_AndRejectsBadHistories()
    {
        IReadOnlyList<double> a = [4.0, 2.0, 1.0, 0.8], b = [4.5, 2.5, 1.4, 1.2];
        var svg = XDocument.Parse(Plots.LossCurveSvg([(a, b), (b, a)], new PlotOptions(Unit: "eV")).OrThrow());
        Assert.Equal(2, svg.Descendants(Svg + "polyline").Count(e => (string?)e.Attribute("class") == "train"));
        Assert.Equal(2, svg.Descendants(Svg + "polyline").Count(e => (string?)e.Attribute("class") == "validation"));
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToArray();
        Assert.Contains("Epoch", texts);
        Assert.Contains("Loss, half MSE (eV\u00b2)", texts);
        Assert.Equal(4, svg.Descendants(Svg + "polyline").First().Attribute("points")!.Value.Split(' ').Length);
        Assert.Contains(Plots.LossCurveSvg([], new PlotOptions()).Problems(), p => p.Code == "data.empty");
        Assert.Contains(Plots.LossCurveSvg([(a, [1.0])], new PlotOptions()).Problems(), p => p.Code == "shape.rows_mismatch");
        Assert.Contains(Plots.LossCurveSvg([(a, [1.0, double.NaN, 1, 1])], new PlotOptions()).Problems(), p => p.Code == "data.nan_metric");
    }

    [Fact]
    public void ClusterScatterSvg_DrawsEveryRowInItsClusterColour_AndEachCentre()
    {
        double[] x = [0, 0.1, 1, 1.1, 5, 5.2], y = [0, 0.2, 1, 0.9, 3, 3.1];
        int[] labels = [0, 0, 1, 1, -1, 1];
        var svg = XDocument.Parse(Plots.ClusterScatterSvg(x, y, labels, [(0.05, 0.1), (2.4, 1.7)], "PC 1", "PC 2", new PlotOptions(Title: "clusters")).OrThrow());
        var circles = svg.Descendants(Svg + "circle").ToArray();
        Assert.Equal(2, circles.Count(c => (string?)c.Attribute("class") == "cluster-0"));
        Assert.Equal(3, circles.Count(c => (string?)c.Attribute("class") == "cluster-1"));
        Assert.Single(circles, c => (string?)c.Attribute("class") == "noise");
        Assert.Single(circles.Where(c => (string?)c.Attribute("class") == "cluster-0").Select(c => c.Attribute("fill")!.Value).Distinct());
        Assert.NotEqual(circles[0].Attribute("fill")!.Value, circles[2].Attribute("fill")!.Value);
        Assert.Equal(2, svg.Descendants(Svg + "path").Count(e => (string?)e.Attribute("class") == "centre"));
        Assert.Contains(Plots.ClusterScatterSvg(x, y, [0, 1], null, "a", "b", new PlotOptions()).Problems(), p => p.Code == "shape.rows_mismatch");
        Assert.Contains(Plots.ClusterScatterSvg([double.NaN], [0.0], [0], null, "a", "b", new PlotOptions()).Problems(), p => p.Code == "data.nan_feature");
    }

}
