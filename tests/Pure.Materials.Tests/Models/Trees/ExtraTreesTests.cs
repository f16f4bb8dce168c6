using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Trees;
using Xunit;
using static Pure.Materials.Tests.Models.Trees.TreeTestData;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models.Trees;

public class ExtraTreesTests
{
    [Fact]
    public void Defaults_AreScikitLearns_NoBootstrapAllFeatures()
    {
        var o = new ExtraTreesOptions();
        Assert.False(o.Bootstrap);
        Assert.Equal(MaxFeatures.All, o.MaxFeatures);
        Assert.Equal(100, o.NEstimators);
    }

    [Theory]
    [InlineData(false, "1.0")]
    [InlineData(true, "sqrt")]
    public void Fit_NJobs1And2And3_GiveBitIdenticalModelsAndPredictions(bool bootstrap, string maxFeatures)
    {
        var (x, y) = Synthetic(400, 6, noise: 0.3, seed: 5);
        var (xTest, _) = Synthetic(100, 6, noise: 0.3, seed: 6);
        var options = new ExtraTreesOptions { NEstimators = 24, Bootstrap = bootstrap, OobScore = bootstrap, MaxFeatures = MaxFeatures.Parse(maxFeatures).OrThrow() };
        var models = new[] { 1, 2, 3 }.Select(j => ExtraTrees.Fit(options with { NJobs = j }, x, y, Rng.FromSeed(9)).OrThrow()).ToArray();

        for (var k = 1; k < models.Length; k++)
        {
            Assert.Equal(models[0].Trees, models[k].Trees);
            Assert.Equal(Bits(ExtraTrees.Predict(models[0], xTest)), Bits(ExtraTrees.Predict(models[k], xTest)));
            if (bootstrap) Assert.Equal(Bits(models[0].OobPrediction!), Bits(models[k].OobPrediction!));
        }
    }

    [Fact]
    public void Fit_SameSeedEqual_DifferentSeedDifferent()
    {
        var (x, y) = Synthetic(200, 4, noise: 0.2, seed: 1);
        var options = new ExtraTreesOptions { NEstimators = 10 };
        var a = ExtraTrees.Fit(options, x, y, Rng.FromSeed(42)).OrThrow();
        var b = ExtraTrees.Fit(options, x, y, Rng.FromSeed(42)).OrThrow();
        var c = ExtraTrees.Fit(options, x, y, Rng.FromSeed(43)).OrThrow();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Forest_OnNoisySinPlusSquare_BeatsTheMeanAndRanksTheIrrelevantFeatureLast()
    {
        var (xTrain, yTrain) = Synthetic(600, 3, noise: 0.2, seed: 11);
        var (xTest, yTest) = Synthetic(300, 3, noise: 0.2, seed: 12);
        var model = ExtraTrees.Fit(new ExtraTreesOptions { NEstimators = 60 }, xTrain, yTrain, Rng.FromSeed(5)).OrThrow();
        var yHat = ExtraTrees.Predict(model, xTest);

        var mean = yTrain.Average();
        var mseMean = yTest.Average(v => (v - mean) * (v - mean));
        var mse = yTest.Zip(yHat, (a, b) => (a - b) * (a - b)).Average();
        Assert.True(mse < 0.15 * mseMean, $"extra-trees MSE {mse:F4} vs mean-predictor MSE {mseMean:F4}");
        var importances = model.FeatureImportances;
        Assert.Equal(1.0, importances.Sum(), 12);
        Assert.True(importances[2] < importances[0] && importances[2] < importances[1], string.Join(", ", importances));
    }

    [Fact]
    public void OobScore_RandomForest_IsCloseToTheHeldOutR2_AndPredictsEveryRow()
    {
        var (xTrain, yTrain) = Synthetic(500, 3, noise: 0.3, seed: 21);
        var (xTest, yTest) = Synthetic(500, 3, noise: 0.3, seed: 22);
        var model = RandomForest.Fit(new RandomForestOptions { NEstimators = 50, OobScore = true }, xTrain, yTrain, Rng.FromSeed(3)).OrThrow();
        var yHat = RandomForest.Predict(model, xTest);
        var mean = yTest.Average();
        var r2 = 1 - yTest.Zip(yHat, (a, b) => (a - b) * (a - b)).Sum() / yTest.Sum(v => (v - mean) * (v - mean));

        var oob = model.OobPrediction!;
        Assert.Equal(500, oob.Length);
        Assert.All(oob, v => Assert.False(double.IsNaN(v))); // P(a row is in all 50 samples) = (1 - 0.366)^50, negligible
        Assert.InRange(model.OobScore!.Value, r2 - 0.05, r2 + 0.05);
    }

    [Fact]
    public void OobScore_WithOneTree_LeavesInBagRowsNaN()
    {
        var (x, y) = Synthetic(100, 2, noise: 0.3, seed: 23);
        var model = RandomForest.Fit(new RandomForestOptions { NEstimators = 1, OobScore = true }, x, y, Rng.FromSeed(3)).OrThrow();
        var tree = model.Trees[0];
        var oob = model.OobPrediction!;

        // Rows out of the single bootstrap sample get that tree's prediction; the others are NaN.
        Assert.Equal(tree.NNodeSamples[0], oob.Count(double.IsNaN));
        Assert.NotNull(model.OobScore);
    }

    [Fact]
    public void OobScore_WithoutBootstrap_IsAConflict()
    {
        var (x, y) = Synthetic(20, 2, noise: 0.1, seed: 1);
        var problem = Assert.Single(ExtraTrees.Fit(new ExtraTreesOptions { OobScore = true }, x, y, Rng.FromSeed(1)).Problems());

        Assert.Equal("param.conflict", problem.Code);
    }

    [Fact]
    public void Learners_Parse_ExtraTreesAndRfGrowthOptions()
    {
        var et = Learners.Parse("extra-trees", new Dictionary<string, string> { ["n_estimators"] = "7", ["bootstrap"] = "true", ["oob_score"] = "true" }).OrThrow();
        Assert.Equal("extra-trees", et.Name);
        Assert.Contains(new KeyValuePair<string, string>("bootstrap", "true"), et.Parameters);
        var rf = Learners.Parse("rf", new Dictionary<string, string> { ["max_leaf_nodes"] = "31", ["min_impurity_decrease"] = "0.001" });
        Assert.True(rf.IsSuccess);
        Assert.Contains("tree", Learners.Names);
        Assert.Contains("extra-trees", Learners.Names);
    }
}
