using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Models.Neighbors;
using Xunit;
using static Pure.Materials.Tests.Models.Linear.SklearnReference;

namespace Pure.Materials.Tests.Models.Neighbors;

public class KNeighborsRegressorTests
{
    [Fact]
    public void Predict_MatchesScikitLearn121_OnPerovskiteDescriptors()
    {
        // Reference: tools/reference/sklearn_linear.py (case knn; test rows with a tie at the k-th neighbour are left out there).
        var (x, y) = Perovskite();
        var (train, test) = FiveFoldSplit(x.Rows);
        var sets = ParamSets("knn");
        Assert.Equal(4, sets.Length);
        foreach (var s in sets)
        {
            var p = Params(s);
            var o = new KNeighborsOptions
            {
                NNeighbors = int.Parse(p["n_neighbors"], CultureInfo.InvariantCulture),
                Weights = p["weights"] == "distance" ? NeighborWeights.Distance : NeighborWeights.Uniform,
                Metric = p["p"] == "1" ? NeighborMetric.Manhattan : NeighborMetric.Euclidean,
            };
            var m = KNeighborsRegressor.Fit(o, x.SelectRows(train), train.Select(i => y[i]).ToArray()).OrThrow();
            var kept = Values("knn", s, "test_row").Select(v => test[(int)v]).ToArray();
            Assert.True(kept.Length >= 90, $"{s}: only {kept.Length} untied test rows");
            AllClose(Values("knn", s, "pred"), KNeighborsRegressor.Predict(m, x.SelectRows(kept)), 1e-9, s);
        }
    }

    [Fact]
    public void Predict_WithDistanceWeights_ReturnsTheTrainingTarget_AtATrainingRow()
    {
        var x = Matrix.Build(6, 1, (i, _) => i);
        double[] y = [0, 10, 20, 30, 40, 50];
        var m = KNeighborsRegressor.Fit(new KNeighborsOptions { NNeighbors = 3, Weights = NeighborWeights.Distance }, x, y).OrThrow();
        Assert.Equal(30.0, KNeighborsRegressor.Predict(m, Matrix.Build(1, 1, (_, _) => 3.0))[0]);
    }

    [Fact]
    public void Fit_Fails_WhenMoreNeighboursThanRows()
    {
        var x = Matrix.Build(3, 1, (i, _) => i);
        var p = Assert.Single(KNeighborsRegressor.Fit(new KNeighborsOptions { NNeighbors = 5 }, x, [1, 2, 3]).Problems());
        Assert.Equal("param.out_of_range", p.Code);
        Assert.Contains("3 training row", p.Message);
    }
}
