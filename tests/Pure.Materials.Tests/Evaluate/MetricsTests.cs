using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Evaluate;

/// <summary>Regression metrics: by hand, against scikit-learn 1.2.1 / scipy 1.10.1 / Matbench (metrics_regression.csv) at rtol 1e-12, and invariants on seeded random vectors.</summary>
public class MetricsTests
{
    public static TheoryData<string> ReferenceCases()
    {
        var data = new TheoryData<string>();
        foreach (var row in SklearnReference.Read("metrics_regression.csv")) data.Add(row["case"]);
        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void EveryMetric_MatchesScikitLearn(string name)
    {
        var row = SklearnReference.Read("metrics_regression.csv").Single(r => r["case"] == name);
        var yTrue = SklearnReference.Vec(row["y_true"]);
        var yPred = SklearnReference.Vec(row["y_pred"]);
        Assert.Equal(int.Parse(row["n"]), yTrue.Length);

        SklearnReference.AssertClose(SklearnReference.Num(row["mae"]), Metrics.Mae(yTrue, yPred), "mae");
        SklearnReference.AssertClose(SklearnReference.Num(row["mse"]), Metrics.Mse(yTrue, yPred), "mse");
        SklearnReference.AssertClose(SklearnReference.Num(row["rmse"]), Metrics.Rmse(yTrue, yPred), "rmse");
        SklearnReference.AssertClose(SklearnReference.Num(row["r2"]), Metrics.R2(yTrue, yPred), "r2");
        SklearnReference.AssertClose(SklearnReference.Num(row["mape"]), Metrics.Mape(yTrue, yPred), "mape");
        SklearnReference.AssertClose(SklearnReference.Num(row["mape_matbench"]), Metrics.MapeMatbench(yTrue, yPred), "mape_matbench");
        SklearnReference.AssertClose(SklearnReference.Num(row["max_error"]), Metrics.MaxError(yTrue, yPred), "max_error");
        SklearnReference.AssertClose(SklearnReference.Num(row["pearson_r"]), Metrics.PearsonR(yTrue, yPred), "pearson_r");
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Regression_GivesTheSameScoresAsTheSingleMetrics(string name)
    {
        var row = SklearnReference.Read("metrics_regression.csv").Single(r => r["case"] == name);
        var yTrue = SklearnReference.Vec(row["y_true"]);
        var yPred = SklearnReference.Vec(row["y_pred"]);

        var s = Metrics.Regression(yTrue, yPred).OrThrow();

        Assert.Equal(Metrics.Mae(yTrue, yPred), s.Mae);
        Assert.Equal(Metrics.Mse(yTrue, yPred), s.Mse);
        Assert.Equal(Metrics.Rmse(yTrue, yPred), s.Rmse);
        Assert.Equal(Metrics.R2(yTrue, yPred), s.R2);
        Assert.Equal(Metrics.Mape(yTrue, yPred), s.Mape);
        Assert.Equal(Metrics.MaxError(yTrue, yPred), s.MaxError);
        Assert.Equal(Metrics.PearsonR(yTrue, yPred), s.PearsonR);
    }

    [Fact]
    public void Mae_Of_1_2_3_Against_2_2_2_IsTwoThirds()
    {
        Assert.Equal(2.0 / 3.0, Metrics.Mae([1.0, 2.0, 3.0], [2.0, 2.0, 2.0]), 15);
    }

    [Fact]
    public void Mse_Rmse_MaxError_ByHand()
    {
        double[] y = [1.0, 2.0, 3.0, 4.0], p = [2.0, 2.0, 1.0, 4.0];
        Assert.Equal((1.0 + 0.0 + 4.0 + 0.0) / 4.0, Metrics.Mse(y, p));
        Assert.Equal(Math.Sqrt(1.25), Metrics.Rmse(y, p));
        Assert.Equal(2.0, Metrics.MaxError(y, p));
    }

    [Fact]
    public void R2_ByHand_IsOneMinusResidualOverTotalSumOfSquares()
    {
        // mean 2.5, total SS = 2.25 + 0.25 + 0.25 + 2.25 = 5; residual SS = 1 + 0 + 4 + 0 = 5 -> R2 = 0.
        Assert.Equal(0.0, Metrics.R2([1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 1.0, 4.0]), 15);
        Assert.Equal(1.0 - 0.5 / 5.0, Metrics.R2([1.0, 2.0, 3.0, 4.0], [1.5, 2.0, 3.0, 3.5]), 15);
    }

    [Fact]
    public void R2_IsOne_WhenTargetsAreConstantAndPredictionsPerfect()
    {
        Assert.Equal(1.0, Metrics.R2([2.0, 2.0, 2.0], [2.0, 2.0, 2.0]));
    }

    [Fact]
    public void R2_IsZero_WhenTargetsAreConstantAndPredictionsImperfect()
    {
        Assert.Equal(0.0, Metrics.R2([2.0, 2.0, 2.0], [1.0, 2.0, 3.0]));
    }

    [Fact]
    public void R2_IsNaN_ForOneSample_AsScikitLearn()
    {
        Assert.True(double.IsNaN(Metrics.R2([1.0], [1.0])));
    }

    [Fact]
    public void PearsonR_IsNaN_WhenEitherVectorIsConstant()
    {
        Assert.True(double.IsNaN(Metrics.PearsonR([1.0, 2.0, 3.0], [5.0, 5.0, 5.0])));
        Assert.True(double.IsNaN(Metrics.PearsonR([5.0, 5.0, 5.0], [1.0, 2.0, 3.0])));
        Assert.True(double.IsNaN(Metrics.PearsonR([1.0], [2.0])));
    }

    [Fact]
    public void PearsonR_OfTwoPoints_IsTheProductOfSigns()
    {
        Assert.Equal(-1.0, Metrics.PearsonR([1.0, 2.0], [3.0, 1.0]));
        Assert.Equal(1.0, Metrics.PearsonR([1.0, 2.0], [1.0, 30.0]));
    }

    [Fact]
    public void PearsonR_OfAnAffineMap_IsPlusOrMinusOne()
    {
        double[] x = [0.5, 1.5, -2.0, 7.25, 3.0];
        Assert.Equal(1.0, Metrics.PearsonR(x, x.Select(v => 3 * v + 1).ToArray()), 14);
        Assert.Equal(-1.0, Metrics.PearsonR(x, x.Select(v => -0.5 * v + 2).ToArray()), 14);
    }

    [Fact]
    public void Mape_WithAZeroTarget_DividesByMachineEpsilon_AsScikitLearn()
    {
        // scikit-learn's documented example: 0.1 / eps dominates.
        var mape = Metrics.Mape([1.0, 0.0, 2.4, 7.0], [1.2, 0.1, 2.4, 8.0]);
        SklearnReference.AssertClose(112589990684262.48, mape, "mape");
        Assert.Equal(Metrics.MapeEpsilon, Math.Pow(2, -52)); // machine epsilon, not double.Epsilon
    }

    [Fact]
    public void MapeMatbench_SkipsTargetsAtOrBelowTheThreshold()
    {
        // Row 1 (0) and row 2 (1e-5, not strictly above the threshold) are skipped: mean(|0.2/1|, |1/7|).
        var mape = Metrics.MapeMatbench([1.0, 0.0, 1e-5, 7.0], [1.2, 0.1, 5.0, 8.0]);
        Assert.Equal((0.19999999999999996 + 1.0 / 7.0) / 2.0, mape, 15);
    }

    [Fact]
    public void MapeMatbench_IsNaN_WhenEveryTargetIsBelowTheThreshold()
    {
        Assert.True(double.IsNaN(Metrics.MapeMatbench([0.0, 1e-6], [1.0, 1.0])));
    }

    [Fact]
    public void SingleMetrics_Throw_WhenLengthsDifferOrInputIsEmpty()
    {
        Assert.Throws<ArgumentException>(() => Metrics.Mae([1.0, 2.0], [1.0]));
        Assert.Throws<ArgumentException>(() => Metrics.R2([], []));
        Assert.Throws<ArgumentException>(() => Metrics.PearsonR([1.0], [1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => Metrics.MapeMatbench([], []));
    }

    [Fact]
    public void SingleMetrics_PropagateNaN()
    {
        double[] y = [1.0, double.NaN, 3.0], p = [1.0, 2.0, 3.5];
        Assert.True(double.IsNaN(Metrics.Mae(y, p)));
        Assert.True(double.IsNaN(Metrics.Rmse(y, p)));
        Assert.True(double.IsNaN(Metrics.R2(y, p)));
        Assert.True(double.IsNaN(Metrics.Mape(y, p)));
        Assert.True(double.IsNaN(Metrics.MaxError(y, p)));
        Assert.True(double.IsNaN(Metrics.PearsonR(y, p)));
        Assert.True(double.IsNaN(Metrics.PearsonR([double.NaN, 1.0], [1.0, 2.0])));
    }

    [Fact]
    public void Regression_ByHand()
    {
        var s = Metrics.Regression([1.0, 2.0, 3.0], [2.0, 2.0, 2.0]).OrThrow();
        Assert.Equal(2.0 / 3.0, s.Mae, 15);
        Assert.Equal(2.0 / 3.0, s.Mse, 15);
        Assert.Equal(0.0, s.R2);
        Assert.Equal(1.0, s.MaxError);
        Assert.True(double.IsNaN(s.PearsonR));
    }

    [Fact]
    public void Regression_Fails_WhenLengthsDiffer()
    {
        var p = Assert.Single(Metrics.Regression([1.0, 2.0, 3.0], [1.0, 2.0]).Problems());
        Assert.Equal("shape.rows_mismatch", p.Code);
        Assert.Contains("3", p.Message);
        Assert.Contains("2", p.Message);
    }

    [Fact]
    public void Regression_Fails_WhenEmpty()
    {
        Assert.Equal("data.empty", Assert.Single(Metrics.Regression([], []).Problems()).Code);
    }

    [Fact]
    public void Regression_Fails_WithOneRow()
    {
        Assert.Equal("data.too_few_rows", Assert.Single(Metrics.Regression([1.0], [1.0]).Problems()).Code);
    }

    [Fact]
    public void Regression_ReportsNaNTargetsAndPredictions_WithTheirRows()
    {
        var problems = Metrics.Regression([1.0, double.NaN, 3.0, double.NaN], [1.0, 2.0, double.PositiveInfinity, 4.0]).Problems();

        Assert.Equal(2, problems.Length);
        var target = problems.Single(p => p.Code == "data.nan_target");
        Assert.Equal(2, target.Row);
        Assert.Equal("y_true", target.Column);
        Assert.Contains("2 NaN or infinite", target.Message);
        var prediction = problems.Single(p => p.Code == "data.nan_prediction");
        Assert.Equal(3, prediction.Row);
        Assert.Equal("y_pred", prediction.Column);
    }

    [Fact]
    public void Regression_DoesNotModifyItsInputs()
    {
        double[] y = [1.0, 2.0, 3.5], p = [1.5, 2.0, 3.0];
        double[] y0 = [.. y], p0 = [.. p];
        Metrics.Regression(y, p).OrThrow();
        Assert.Equal(y0, y);
        Assert.Equal(p0, p);
    }

    public static TheoryData<string> SummaryCases()
    {
        var data = new TheoryData<string>();
        foreach (var row in SklearnReference.Read("fold_summary.csv")) data.Add(row["case"]);
        return data;
    }

    [Theory]
    [MemberData(nameof(SummaryCases))]
    public void Summarize_MatchesNumpy(string name)
    {
        var row = SklearnReference.Read("fold_summary.csv").Single(r => r["case"] == name);
        var values = SklearnReference.Vec(row["values"]);

        var s = Metrics.Summarize(values).OrThrow();

        SklearnReference.AssertClose(SklearnReference.Num(row["mean"]), s.Mean, "mean");
        SklearnReference.AssertClose(SklearnReference.Num(row["std"]), s.Std, "std");
        Assert.Equal(SklearnReference.Num(row["min"]), s.Min);
        Assert.Equal(SklearnReference.Num(row["max"]), s.Max);
        Assert.Equal(values.Length, s.Count);
    }

    [Fact]
    public void Summarize_UsesThePopulationStandardDeviation()
    {
        var s = Metrics.Summarize([1.0, 3.0]).OrThrow();
        Assert.Equal(2.0, s.Mean);
        Assert.Equal(1.0, s.Std); // ddof = 0: sqrt(((1-2)^2 + (3-2)^2) / 2); ddof = 1 would give sqrt(2)
    }

    [Fact]
    public void Summarize_Fails_WhenEmptyOrNaN()
    {
        Assert.Equal("data.empty", Assert.Single(Metrics.Summarize([]).Problems()).Code);
        var p = Assert.Single(Metrics.Summarize([0.9, double.NaN, 0.8]).Problems());
        Assert.Equal("data.nan_metric", p.Code);
        Assert.Equal(2, p.Row);
    }

    /// <summary>Seeded random vectors (the test project has no FsCheck): invariants every metric must satisfy.</summary>
    [Fact]
    public void Invariants_HoldOnRandomVectors()
    {
        var rng = Rng.FromSeed(20240601);
        for (var trial = 0; trial < 500; trial++)
        {
            (var n, rng) = rng.NextInt(40);
            n += 2;
            (var scaleDraw, rng) = rng.NextDouble();
            var scale = Math.Pow(10, 6 * scaleDraw - 3);
            var y = new double[n];
            var p = new double[n];
            for (var i = 0; i < n; i++)
            {
                (var a, rng) = rng.NextDouble();
                (var b, rng) = rng.NextDouble();
                y[i] = scale * (a - 0.5);
                p[i] = trial % 7 == 0 ? y[i] : scale * (b - 0.5);
            }
            var s = Metrics.Regression(y, p).OrThrow();
            var context = $"trial {trial}, n {n}";
            Assert.True(s.Rmse >= s.Mae * (1 - 1e-12), $"RMSE < MAE ({context})");
            Assert.True(s.MaxError >= s.Rmse * (1 - 1e-12), $"max error < RMSE ({context})");
            Assert.True(s.R2 <= 1.0, $"R2 > 1 ({context})");
            Assert.True(s.Mae >= 0 && s.Mape >= 0, context);
            Assert.InRange(s.PearsonR, -1.0, 1.0);
            Assert.Equal(s.Mae, Metrics.Mae(p, y), 12); // symmetric in its arguments
            if (trial % 7 == 0) Assert.Equal(1.0, s.R2);
        }
    }
}
