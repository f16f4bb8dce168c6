using Pure.Materials.Core;
using Pure.Materials.Scale;
using Xunit;

namespace Pure.Materials.Tests.Scale;

public class ScalerTests
{
    private static Matrix M(params double[][] rows) => Matrix.FromRows(rows);

    [Fact]
    public void StandardScaler_ByHand_UsesThePopulationStandardDeviation()
    {
        var model = StandardScaler.Fit(M([1.0, 10.0], [3.0, 10.0])).OrThrow();

        Assert.Equal([2.0, 10.0], model.Mean);
        Assert.Equal([1.0, 0.0], model.Var); // ((1-2)^2 + (3-2)^2) / 2
        Assert.Equal(2, model.Features);
        var z = StandardScaler.Transform(model, M([1.0, 10.0], [5.0, 12.0]));
        Assert.Equal(-1.0, z[0, 0]);
        Assert.Equal(3.0, z[1, 0]);
    }

    [Fact]
    public void StandardScaler_ConstantColumn_GetsScaleOne_AndMapsToZero()
    {
        var model = StandardScaler.Fit(M([0.1, 1.0], [0.1, 2.0], [0.1, 4.0])).OrThrow();

        Assert.Equal(1.0, model.Scale[0]);
        var z = StandardScaler.Transform(model, M([0.1, 1.0], [0.6, 1.0]));
        // The mean of three 0.1 is 0.10000000000000002 in binary64 (as in numpy), so the result is -1.4e-17, not 0.
        Assert.Equal(0.0, z[0, 0], 15);
        Assert.Equal(0.5, z[1, 0], 15); // only centred, not divided
    }

    [Fact]
    public void StandardScaler_Fit_ReportsNaNWithRowAndColumn_AndSaysToImpute()
    {
        var problems = StandardScaler.Fit(M([1.0, 2.0], [1.0, double.NaN], [2.0, double.NaN])).Problems();

        var p = Assert.Single(problems);
        Assert.Equal("data.nan_feature", p.Code);
        Assert.Equal(2, p.Row);
        Assert.Equal("1", p.Column);
        Assert.Contains("impute", p.Message);
        Assert.Contains("2 NaN", p.Message);
    }

    [Fact]
    public void StandardScaler_Fit_ReportsEveryBadColumn()
    {
        var problems = StandardScaler.Fit(M([double.NaN, double.PositiveInfinity, 1.0], [1.0, 2.0, double.NaN])).Problems();

        Assert.Equal(["data.nan_feature", "data.infinite_feature", "data.nan_feature"], problems.Select(p => p.Code));
        Assert.Equal(["0", "1", "2"], problems.Select(p => p.Column));
    }

    [Fact]
    public void Fit_Fails_OnAnEmptyMatrix()
    {
        var empty = Matrix.FromRowMajor(0, 3, []);
        Assert.Equal("data.empty", Assert.Single(StandardScaler.Fit(empty).Problems()).Code);
        Assert.Equal("data.empty", Assert.Single(MinMaxScaler.Fit(empty).Problems()).Code);
        Assert.Equal("data.empty", Assert.Single(MeanImputer.Fit(empty).Problems()).Code);
    }

    [Fact]
    public void Transform_Throws_WhenTheColumnCountDiffers()
    {
        var x = M([1.0, 2.0], [3.0, 5.0]);
        var wide = M([1.0, 2.0, 3.0]);
        Assert.Throws<ArgumentException>(() => StandardScaler.Transform(StandardScaler.Fit(x).OrThrow(), wide));
        Assert.Throws<ArgumentException>(() => MinMaxScaler.InverseTransform(MinMaxScaler.Fit(x).OrThrow(), wide));
        Assert.Throws<ArgumentException>(() => MeanImputer.Transform(MeanImputer.Fit(x).OrThrow(), wide));
    }

    [Fact]
    public void FittingTwice_GivesEqualModels_AndLeavesTheInputUnchanged()
    {
        var x = M([1.0, 2.0, double.NaN], [3.0, 5.0, 1.0], [0.5, -2.0, 4.0]);
        var before = x.Data.ToArray();

        Assert.Equal(MeanImputer.Fit(x).OrThrow(), MeanImputer.Fit(x).OrThrow());
        var filled = MeanImputer.Transform(MeanImputer.Fit(x).OrThrow(), x);
        Assert.Equal(StandardScaler.Fit(filled).OrThrow(), StandardScaler.Fit(filled).OrThrow());
        Assert.Equal(StandardScaler.Fit(filled).OrThrow().GetHashCode(), StandardScaler.Fit(filled).OrThrow().GetHashCode());
        Assert.Equal(MinMaxScaler.Fit(filled).OrThrow(), MinMaxScaler.Fit(filled).OrThrow());
        Assert.NotEqual(StandardScaler.Fit(filled).OrThrow(), StandardScaler.Fit(M([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])).OrThrow());
        Assert.Equal(before, x.Data.ToArray());
    }

    [Fact]
    public void MinMaxScaler_ByHand()
    {
        var model = MinMaxScaler.Fit(M([1.0, -2.0], [3.0, 2.0], [2.0, 0.0])).OrThrow();

        Assert.Equal([1.0, -2.0], model.DataMin);
        Assert.Equal([3.0, 2.0], model.DataMax);
        var s = MinMaxScaler.Transform(model, M([2.0, 2.0], [5.0, -4.0]));
        Assert.Equal([0.5, 1.0, 2.0, -0.5], s.Data.ToArray());
    }

    [Fact]
    public void MinMaxScaler_ConstantColumn_MapsToTheLowerEndOfTheRange()
    {
        var model = MinMaxScaler.Fit(new MinMaxScalerOptions(-1.0, 2.0), M([4.0, 1.0], [4.0, 2.0])).OrThrow();

        Assert.Equal(0.0, model.DataRange[0]);
        Assert.Equal(3.0, model.Scale[0]); // (2 - (-1)) / 1: the zero range is replaced by 1
        var s = MinMaxScaler.Transform(model, M([4.0, 1.0]));
        Assert.Equal(-1.0, s[0, 0]);
    }

    [Fact]
    public void MinMaxScaler_Clip_KeepsNewRowsInsideTheRange()
    {
        var model = MinMaxScaler.Fit(new MinMaxScalerOptions(Clip: true), M([0.0], [10.0])).OrThrow();
        Assert.Equal([0.0, 1.0, 0.5], MinMaxScaler.Transform(model, M([-5.0], [50.0], [5.0])).Data.ToArray());
    }

    [Fact]
    public void MinMaxScaler_Fit_Fails_OnAnInvalidRange()
    {
        var p = Assert.Single(MinMaxScaler.Fit(new MinMaxScalerOptions(1.0, 1.0), M([1.0], [2.0])).Problems());
        Assert.Equal("param.out_of_range", p.Code);
        Assert.Equal("data.nan_feature", Assert.Single(MinMaxScaler.Fit(M([1.0], [double.NaN])).Problems()).Code);
    }

    [Fact]
    public void MeanImputer_FillsWithTheMeanOfObservedTrainingValues()
    {
        var model = MeanImputer.Fit(M([1.0, double.NaN], [double.NaN, 4.0], [3.0, 8.0])).OrThrow();

        Assert.Equal([2.0, 6.0], model.Statistics);
        var filled = MeanImputer.Transform(model, M([double.NaN, double.NaN], [7.0, -1.0]));
        Assert.Equal([2.0, 6.0, 7.0, -1.0], filled.Data.ToArray());
    }

    [Fact]
    public void MeanImputer_Fit_Fails_OnAColumnWithNoObservedValue()
    {
        var problems = MeanImputer.Fit(M([1.0, double.NaN, double.NaN], [2.0, double.NaN, 3.0])).Problems();

        var p = Assert.Single(problems);
        Assert.Equal("data.all_missing_column", p.Code);
        Assert.Equal("1", p.Column);
        Assert.Contains("drop the column", p.Message);
    }

    [Fact]
    public void MeanImputer_Fit_Fails_OnInfinity()
    {
        var p = Assert.Single(MeanImputer.Fit(M([1.0], [double.NegativeInfinity])).Problems());
        Assert.Equal("data.infinite_feature", p.Code);
        Assert.Equal(2, p.Row);
    }

    [Fact]
    public void StandardScaler_Transform_KeepsNaNInNewRows()
    {
        var model = StandardScaler.Fit(M([1.0], [3.0])).OrThrow();
        Assert.True(double.IsNaN(StandardScaler.Transform(model, M([double.NaN]))[0, 0]));
    }
}
