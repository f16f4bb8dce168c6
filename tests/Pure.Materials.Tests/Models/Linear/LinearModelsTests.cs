using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Models.Linear;
using Xunit;
using static Pure.Materials.Tests.Models.Linear.SklearnReference;

namespace Pure.Materials.Tests.Models.Linear;

public class LinearModelsTests
{
    private static double P(Dictionary<string, string> p, string key) => double.Parse(p[key], CultureInfo.InvariantCulture);

    [Fact]
    public void LinearRegression_MatchesScikitLearn121_OnStandardisedMagpieMeans()
    {
        // Reference: tools/reference/sklearn_linear.py -> Reference/sklearn-1.2.1/linear_models.csv (case linear).
        var columns = Strings("linear", "magpie", "column");
        Assert.Equal(20, columns.Length);
        var (x, y) = MagpieExptGap(columns);
        var m = LinearRegression.Fit(new LinearRegressionOptions(), x, y).OrThrow();
        Close(Values("linear", "magpie", "intercept")[0], m.Intercept, 1e-9, "intercept");
        AllClose(Values("linear", "magpie", "coef"), m.Coef, 1e-8, "coef");
        AllClose(Values("linear", "magpie", "pred"), LinearRegression.Predict(m, x.SelectRows([0, 1, 2, 3, 4])), 1e-9, "pred");
    }

    [Fact]
    public void LinearRegression_Fails_OnRankDeficientPerovskiteDescriptors()
    {
        var (x, y) = Perovskite(); // standardised design has rank 13 of 36
        var p = Assert.Single(LinearRegression.Fit(new LinearRegressionOptions(), x, y).Problems());
        Assert.Equal("linalg.singular", p.Code);
        Assert.Contains("rank-deficient", p.Message);
    }

    [Fact]
    public void LinearRegression_Fails_OnDuplicatedColumn_AndOnFewerRowsThanFeatures()
    {
        var dup = Matrix.Build(6, 2, (i, j) => j == 0 ? i : 2.0 * i);
        Assert.Equal("linalg.singular", Assert.Single(LinearRegression.Fit(new LinearRegressionOptions(), dup, [1, 2, 3, 4, 5, 7]).Problems()).Code);
        var wide = Matrix.Build(3, 5, (i, j) => Math.Sin(i + 3 * j));
        Assert.Equal("linalg.singular", Assert.Single(LinearRegression.Fit(new LinearRegressionOptions(), wide, [1, 2, 3]).Problems()).Code);
    }

    [Fact]
    public void LinearRegression_RecoversExactLinearFunction_WithAndWithoutIntercept()
    {
        var x = Matrix.Build(30, 3, (i, j) => Math.Sin(i * (j + 1) * 0.7) + j);
        var y = Enumerable.Range(0, 30).Select(i => 2.0 * x[i, 0] - 3.0 * x[i, 1] + 0.5 * x[i, 2] + 4.0).ToArray();
        var m = LinearRegression.Fit(new LinearRegressionOptions(), x, y).OrThrow();
        Assert.Equal(new[] { 2.0, -3.0, 0.5 }, m.Coef.Select(c => Math.Round(c, 10)));
        Assert.Equal(4.0, m.Intercept, 10);
        var y0 = Enumerable.Range(0, 30).Select(i => 2.0 * x[i, 0] - 3.0 * x[i, 1]).ToArray();
        var m0 = LinearRegression.Fit(new LinearRegressionOptions { FitIntercept = false }, x, y0).OrThrow();
        Assert.Equal(0.0, m0.Intercept);
        Assert.Equal(new[] { 2.0, -3.0, 0.0 }, m0.Coef.Select(c => Math.Round(c, 10) + 0.0));
    }

    [Fact]
    public void Lasso_MatchesScikitLearn121_OnPerovskiteDescriptors()
    {
        var (x, y) = Perovskite();
        var sets = ParamSets("lasso");
        Assert.Equal(4, sets.Length);
        foreach (var s in sets)
        {
            var m = Lasso.Fit(new LassoOptions { Alpha = P(Params(s), "alpha") }, x, y).OrThrow();
            Assert.True(m.Converged, s);
            Assert.Equal((int)Values("lasso", s, "n_iter")[0], m.NIter);
            Close(Values("lasso", s, "intercept")[0], m.Intercept, 1e-6, s + " intercept");
            AllClose(Values("lasso", s, "coef"), m.Coef, 1e-6, s + " coef");
            AllClose(Values("lasso", s, "pred"), Lasso.Predict(m, x.SelectRows([0, 1, 2, 3, 4])), 1e-6, s + " pred");
            Close(Values("lasso", s, "dual_gap")[0], m.DualGap, 1e-3, s + " dual gap");
        }
    }

    [Fact]
    public void ElasticNet_MatchesScikitLearn121_OnPerovskiteDescriptors()
    {
        var (x, y) = Perovskite();
        var sets = ParamSets("elastic-net");
        Assert.Equal(3, sets.Length);
        foreach (var s in sets)
        {
            var p = Params(s);
            var m = ElasticNet.Fit(new ElasticNetOptions { Alpha = P(p, "alpha"), L1Ratio = P(p, "l1_ratio") }, x, y).OrThrow();
            Assert.Equal((int)Values("elastic-net", s, "n_iter")[0], m.NIter);
            Close(Values("elastic-net", s, "intercept")[0], m.Intercept, 1e-6, s + " intercept");
            AllClose(Values("elastic-net", s, "coef"), m.Coef, 1e-6, s + " coef");
            AllClose(Values("elastic-net", s, "pred"), ElasticNet.Predict(m, x.SelectRows([0, 1, 2, 3, 4])), 1e-6, s + " pred");
        }
    }

    [Fact]
    public void Lasso_WithLargeAlpha_GivesAllZeroCoefficients_AndTheMeanAsIntercept()
    {
        var (x, y) = Perovskite();
        var m = Lasso.Fit(new LassoOptions { Alpha = 1e3 }, x, y).OrThrow();
        Assert.All(m.Coef, c => Assert.Equal(0.0, c));
        Assert.Equal(y.Average(), m.Intercept, 12);
    }

    [Fact]
    public void ElasticNet_ReportsNonConvergence_WhenMaxIterIsTooSmall()
    {
        var (x, y) = Perovskite();
        var m = ElasticNet.Fit(new ElasticNetOptions { Alpha = 0.001, MaxIter = 3 }, x, y).OrThrow();
        Assert.False(m.Converged);
        Assert.Equal(3, m.NIter);
    }

    [Fact]
    public void ElasticNet_Fails_OnBadParameters_ListingEveryOne()
    {
        var x = Matrix.Build(4, 1, (i, _) => i);
        var problems = ElasticNet.Fit(new ElasticNetOptions { Alpha = -1, L1Ratio = 1.5, MaxIter = 0, Tol = -1 }, x, [1, 2, 3, 4]).Problems();
        Assert.Equal(4, problems.Length);
        Assert.All(problems, p => Assert.Equal("param.out_of_range", p.Code));
    }

    [Fact]
    public void ElasticNet_Fails_OnNaNFeature()
    {
        var x = Matrix.Build(3, 2, (i, j) => i == 2 && j == 0 ? double.NaN : i + j);
        Assert.Equal("data.nan_feature", Assert.Single(Lasso.Fit(new LassoOptions(), x, [1, 2, 3]).Problems()).Code);
    }
}
