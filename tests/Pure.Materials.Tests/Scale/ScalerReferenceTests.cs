using Pure.Materials.Core;
using Pure.Materials.Scale;
using Pure.Materials.Tests.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Scale;

/// <summary>StandardScaler, MinMaxScaler and MeanImputer against scikit-learn 1.2.1 (scalers.csv), at rtol 1e-12 + atol 1e-14.</summary>
public class ScalerReferenceTests
{
    private static readonly Lazy<Dictionary<(string Case, string Estimator, string Quantity), Matrix>> Reference = new(Load);

    private static Dictionary<(string, string, string), Matrix> Load()
    {
        var cells = SklearnReference.Read("scalers.csv")
            .GroupBy(r => (r["case"], r["estimator"], r["quantity"]));
        return cells.ToDictionary(g => g.Key, g =>
        {
            var rows = g.Max(r => int.Parse(r["row"])) + 1;
            var cols = g.Max(r => int.Parse(r["col"])) + 1;
            var data = new double[rows * cols];
            foreach (var r in g) data[int.Parse(r["row"]) * cols + int.Parse(r["col"])] = SklearnReference.Num(r["value"]);
            return Matrix.FromRowMajor(rows, cols, data);
        });
    }

    private static Matrix Get(string @case, string estimator, string quantity) => Reference.Value[(@case, estimator, quantity)];

    private static void AssertMatrix(Matrix expected, Matrix actual, string what)
    {
        Assert.Equal((expected.Rows, expected.Cols), (actual.Rows, actual.Cols));
        for (var i = 0; i < expected.Rows; i++)
            for (var j = 0; j < expected.Cols; j++)
                SklearnReference.AssertClose(expected[i, j], actual[i, j], $"{what}[{i}, {j}]");
    }

    private static void AssertVector(Matrix expected, IReadOnlyList<double> actual, string what) =>
        AssertMatrix(expected, Matrix.FromRowMajor(1, actual.Count, actual.ToArray()), what);

    public static TheoryData<string> ScalerCases() => new() { "mixed", "constant", "large_offset" };

    [Theory]
    [MemberData(nameof(ScalerCases))]
    public void StandardScaler_MatchesScikitLearn(string @case)
    {
        var (train, test) = (Get(@case, "input", "X_train"), Get(@case, "input", "X_test"));

        var model = StandardScaler.Fit(train).OrThrow();

        AssertVector(Get(@case, "standard", "mean_"), model.Mean, "mean_");
        AssertVector(Get(@case, "standard", "var_"), model.Var, "var_");
        AssertVector(Get(@case, "standard", "scale_"), model.Scale, "scale_");
        Assert.Equal(train.Rows, model.SamplesSeen);
        AssertMatrix(Get(@case, "standard", "transform_train"), StandardScaler.Transform(model, train), "transform_train");
        var zTest = StandardScaler.Transform(model, test);
        AssertMatrix(Get(@case, "standard", "transform_test"), zTest, "transform_test");
        AssertMatrix(Get(@case, "standard", "inverse_transform_test"), StandardScaler.InverseTransform(model, zTest), "inverse_transform_test");
    }

    [Theory]
    [InlineData("mixed", "minmax", 0.0, 1.0)]
    [InlineData("constant", "minmax", 0.0, 1.0)]
    [InlineData("large_offset", "minmax", 0.0, 1.0)]
    [InlineData("mixed", "minmax_m1_2", -1.0, 2.0)]
    [InlineData("constant", "minmax_m1_2", -1.0, 2.0)]
    [InlineData("large_offset", "minmax_m1_2", -1.0, 2.0)]
    public void MinMaxScaler_MatchesScikitLearn(string @case, string estimator, double lo, double hi)
    {
        var (train, test) = (Get(@case, "input", "X_train"), Get(@case, "input", "X_test"));

        var model = MinMaxScaler.Fit(new MinMaxScalerOptions(lo, hi), train).OrThrow();

        AssertVector(Get(@case, estimator, "data_min_"), model.DataMin, "data_min_");
        AssertVector(Get(@case, estimator, "data_max_"), model.DataMax, "data_max_");
        AssertVector(Get(@case, estimator, "data_range_"), model.DataRange, "data_range_");
        AssertVector(Get(@case, estimator, "scale_"), model.Scale, "scale_");
        AssertVector(Get(@case, estimator, "min_"), model.Min, "min_");
        AssertMatrix(Get(@case, estimator, "transform_train"), MinMaxScaler.Transform(model, train), "transform_train");
        var sTest = MinMaxScaler.Transform(model, test);
        AssertMatrix(Get(@case, estimator, "transform_test"), sTest, "transform_test");
        AssertMatrix(Get(@case, estimator, "inverse_transform_test"), MinMaxScaler.InverseTransform(model, sTest), "inverse_transform_test");
    }

    [Fact]
    public void MeanImputer_MatchesScikitLearn()
    {
        var (train, test) = (Get("missing", "input", "X_train"), Get("missing", "input", "X_test"));
        Assert.True(train.CountNaN() > 0 && test.CountNaN() > 0);

        var model = MeanImputer.Fit(train).OrThrow();

        AssertVector(Get("missing", "mean_imputer", "statistics_"), model.Statistics, "statistics_");
        AssertMatrix(Get("missing", "mean_imputer", "transform_train"), MeanImputer.Transform(model, train), "transform_train");
        AssertMatrix(Get("missing", "mean_imputer", "transform_test"), MeanImputer.Transform(model, test), "transform_test");
    }
}
