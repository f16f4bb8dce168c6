using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Models.Linear;
using Xunit;

namespace Pure.Materials.Tests.Models.Linear;

public class RidgeTests
{
    private static (Matrix X, double[] Y, string[] Columns) Perovskite()
    {
        var table = BundledData.Open("perovskite_dft").OrThrow();
        var cols = table.Header.Where(h => h.StartsWith("A_") || h.StartsWith("B_") || h.StartsWith("X_")).ToArray();
        var ds = Dataset.FromTable(new DatasetSpec { TargetColumn = "Decomposition Energy", FeatureColumns = [.. cols] }, table).OrThrow();
        var scaler = Pure.Materials.Scale.StandardScaler.Fit(ds.ColumnFeatures).OrThrow();
        return (Pure.Materials.Scale.StandardScaler.Transform(scaler, ds.ColumnFeatures), ds.Target!.ToArray(), cols);
    }

    [Fact]
    public void Fit_MatchesScikitLearn121_OnPerovskiteDescriptors()
    {
        // Reference: tools/reference/sklearn_ridge.py -> Reference/sklearn-1.2.1/ridge_perovskite.csv (StandardScaler, then Ridge, solver="cholesky").
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "ridge_perovskite.csv"))
            .Where(l => !l.StartsWith('#')).ToArray();
        var header = lines[0].Split(',');
        var (x, y, cols) = Perovskite();
        Assert.Equal(cols.Select(c => "coef " + c), header.Skip(2).Take(36));
        foreach (var line in lines.Skip(1))
        {
            var v = line.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var model = Ridge.Fit(new RidgeOptions { Alpha = v[0] }, x, y).OrThrow();
            AssertClose(v[1], model.Intercept, 1e-6);
            for (var j = 0; j < 36; j++) AssertClose(v[2 + j], model.Coef[j], 1e-6);
            var pred = Ridge.Predict(model, x.SelectRows([0, 1, 2, 3, 4]));
            for (var i = 0; i < 5; i++) AssertClose(v[38 + i], pred[i], 1e-6);
        }
    }

    private static void AssertClose(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(Math.Abs(expected), 1e-8),
            $"expected {expected:R}, got {actual:R} (relative tolerance {relative})");

    [Fact]
    public void Fit_RecoversExactLinearFunction_WithTinyAlpha()
    {
        var x = Matrix.Build(50, 3, (i, j) => Math.Sin(i * (j + 1) * 0.7) + j);
        var y = Enumerable.Range(0, 50).Select(i => 2.0 * x[i, 0] - 3.0 * x[i, 1] + 0.5 * x[i, 2] + 4.0).ToArray();
        var m = Ridge.Fit(new RidgeOptions { Alpha = 1e-12 }, x, y).OrThrow();
        Assert.Equal(2.0, m.Coef[0], 6);
        Assert.Equal(-3.0, m.Coef[1], 6);
        Assert.Equal(0.5, m.Coef[2], 6);
        Assert.Equal(4.0, m.Intercept, 6);
    }

    [Fact]
    public void Fit_Fails_WhenAlphaIsNegative()
    {
        var x = Matrix.Build(4, 1, (i, _) => i);
        var problems = Ridge.Fit(new RidgeOptions { Alpha = -1 }, x, [1, 2, 3, 4]).Problems();
        Assert.Equal("param.out_of_range", Assert.Single(problems).Code);
    }

    [Fact]
    public void Fit_Fails_OnSingularDesignWithoutPenalty()
    {
        var x = Matrix.Build(6, 2, (i, j) => j == 0 ? i : 2.0 * i); // second column duplicates the first
        var problems = Ridge.Fit(new RidgeOptions { Alpha = 0 }, x, [1, 2, 3, 4, 5, 6]).Problems();
        Assert.Equal("linalg.singular", Assert.Single(problems).Code);
    }

    [Fact]
    public void Fit_Fails_OnNaNFeature_NamingTheCell()
    {
        var x = Matrix.Build(3, 2, (i, j) => i == 1 && j == 1 ? double.NaN : i + j);
        var p = Assert.Single(Ridge.Fit(new RidgeOptions(), x, [1, 2, 3]).Problems());
        Assert.Equal("data.nan_feature", p.Code);
        Assert.Contains("sample 1 feature 1", p.Message);
    }

    [Fact]
    public void Fit_Fails_OnRowMismatch()
    {
        var x = Matrix.Build(3, 2, (i, j) => i + j);
        Assert.Contains(Ridge.Fit(new RidgeOptions(), x, [1, 2]).Problems(), p => p.Code == "shape.rows_mismatch");
    }
}
