using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Linear;
using Pure.Materials.Split;
using Pure.Materials.Tests.Split;
using Xunit;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Evaluate;

/// <summary>Learning and validation curves: parity with scikit-learn's learning_curve / validation_curve, seeding, problems.</summary>
public class CurvesTests
{
    private static (Matrix X, double[] Y) Data()
    {
        var data = SelectionReference.Read("grid_search_ridge.csv").Where(r => r["kind"] == "row").Select(r => SelectionReference.Vec(r["values"])).ToArray();
        return (Matrix.FromRows(data.Select(d => d[..4]).ToArray()), data.Select(d => d[4]).ToArray());
    }

    private static PipelineOptions Ridge(double alpha) => new(ImputeStrategy.None, ScaleStrategy.None, Learners.Ridge(new RidgeOptions { Alpha = alpha }));

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R} (tolerance 1e-10)");

    [Fact]
    public void LearningCurve_Unshuffled_MatchesScikitLearn()
    {
        var (x, y) = Data();
        var folds = KFold.Split(x.Rows, 5, false, Rng.FromSeed(0)).OrThrow();
        var curve = Curves.Learning(new LearningCurveOptions(Shuffle: false), Ridge(1.0), x, y, folds, Rng.FromSeed(0)).OrThrow();
        var rows = SelectionReference.Read("curves_ridge.csv").Where(r => r["curve"] == "learning").ToArray();
        Assert.Equal(rows.Length, curve.Points.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            var p = curve.Points[i];
            Assert.Equal(double.Parse(rows[i]["x"], CultureInfo.InvariantCulture), p.X);
            Close(double.Parse(rows[i]["train_mae_mean"], CultureInfo.InvariantCulture), p.Train.Mean, $"train mean at {p.X}");
            Close(double.Parse(rows[i]["train_mae_std"], CultureInfo.InvariantCulture), p.Train.Std, $"train std at {p.X}");
            Close(double.Parse(rows[i]["test_mae_mean"], CultureInfo.InvariantCulture), p.Test.Mean, $"test mean at {p.X}");
            Close(double.Parse(rows[i]["test_mae_std"], CultureInfo.InvariantCulture), p.Test.Std, $"test std at {p.X}");
        }
    }

    [Fact]
    public void ValidationCurve_MatchesScikitLearn()
    {
        var (x, y) = Data();
        var folds = KFold.Split(x.Rows, 5, false, Rng.FromSeed(0)).OrThrow();
        var curve = Curves.Validation("mae", "alpha", from a in new[] { 0.01, 1.0, 100.0 } select (a, Ridge(a)), x, y, folds, Rng.FromSeed(0)).OrThrow();
        var rows = SelectionReference.Read("curves_ridge.csv").Where(r => r["curve"] == "validation").ToArray();
        for (var i = 0; i < rows.Length; i++)
        {
            Close(double.Parse(rows[i]["train_mae_mean"], CultureInfo.InvariantCulture), curve.Points[i].Train.Mean, $"train {i}");
            Close(double.Parse(rows[i]["test_mae_mean"], CultureInfo.InvariantCulture), curve.Points[i].Test.Mean, $"test {i}");
            Close(double.Parse(rows[i]["test_mae_std"], CultureInfo.InvariantCulture), curve.Points[i].Test.Std, $"test std {i}");
        }
        Assert.Equal("alpha=0.01", curve.Points[0].Label);
    }

    [Fact]
    public void LearningCurve_Shuffled_IsSeeded()
    {
        var (x, y) = Data();
        var folds = KFold.Split(x.Rows, 4, true, Rng.FromSeed(1)).OrThrow();
        var options = new LearningCurveOptions([0.3, 0.6, 1.0]);
        Curve Run(long seed) => Curves.Learning(options, Ridge(1.0), x, y, folds, Rng.FromSeed(seed)).OrThrow();
        Assert.Equal(Run(3).Points.Select(p => p.Test.Mean), Run(3).Points.Select(p => p.Test.Mean));
        Assert.NotEqual(Run(3).Points[0].Test.Mean, Run(4).Points[0].Test.Mean);
        Assert.Equal(Run(3).Points[^1].Test.Mean, Run(4).Points[^1].Test.Mean, 1e-12); // all training rows: only the summation order differs
    }

    [Fact]
    public void Curves_ReportBadInput()
    {
        var (x, y) = Data();
        var folds = KFold.Split(x.Rows, 5, false, Rng.FromSeed(0)).OrThrow();
        Assert.Equal("param.out_of_range", Curves.Learning(new LearningCurveOptions([0.0, 1.5]), Ridge(1), x, y, folds, Rng.FromSeed(0)).Problems()[0].Code);
        Assert.Equal("param.out_of_range", Assert.Single(Curves.Learning(new LearningCurveOptions([0.01]), Ridge(1), x, y, folds, Rng.FromSeed(0)).Problems()).Code);
        Assert.Equal("param.invalid_value", Assert.Single(Curves.Learning(new LearningCurveOptions(Metric: "f1"), Ridge(1), x, y, folds, Rng.FromSeed(0)).Problems()).Code);
        var bad = Curves.Validation("mae", "alpha", [(-1.0, Ridge(-1))], x, y, folds, Rng.FromSeed(0)).Problems();
        Assert.StartsWith("alpha=-1: fold 0:", bad[0].Message);
    }
}
