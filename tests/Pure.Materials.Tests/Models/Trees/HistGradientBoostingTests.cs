using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Trees;
using Xunit;
using static Pure.Materials.Tests.Models.Trees.TreeTestData;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models.Trees;

public class HistGradientBoostingTests
{
    [Fact]
    public void Binning_FewDistinctValues_UsesMidpoints_AndManyValuesUsesPercentiles()
    {
        Assert.Equal([1.5, 2.5], HistBinning.FindThresholds([1, 1, 2, 3, 3], 255));
        // numpy: np.percentile(np.arange(1., 8.), np.linspace(0, 100, 4)[1:-1], method="midpoint") = [3., 5.]
        Assert.Equal([3.0, 5.0], HistBinning.FindThresholds([1, 2, 3, 4, 5, 6, 7], 3));
        Assert.Equal(0, HistBinning.MapToBin([1.5, 2.5], 1.5));
        Assert.Equal(1, HistBinning.MapToBin([1.5, 2.5], 1.6));
        Assert.Equal(2, HistBinning.MapToBin([1.5, 2.5], 9.0));
    }

    [Fact]
    public void Binning_RowsOfX_EqualsBinningTheCopiedRows()
    {
        // Early stopping bins the training part of x through its row indices instead of a copy: thresholds and bins must be the same.
        var (x, _, _) = ReferenceData();
        var rows = Enumerable.Range(0, x.Rows).Where(i => i % 3 != 1).Reverse().ToArray();
        foreach (var maxBins in new[] { 255, 16 })
        {
            var viaCopy = HistBinning.Fit(x.SelectRows(rows), maxBins, Rng.FromSeed(3), 1);
            var viaRows = HistBinning.Fit(x, maxBins, Rng.FromSeed(3), 2, rows);
            Assert.Equal((viaCopy.N, viaCopy.P), (viaRows.N, viaRows.P));
            Assert.Equal(viaCopy.Binned, viaRows.Binned);
            for (var j = 0; j < x.Cols; j++) Assert.Equal(viaCopy.Thresholds[j], viaRows.Thresholds[j]);
            Assert.Contains(viaRows.Thresholds, t => t.Length > 1);
        }
    }

    [Theory]
    [InlineData("default")]
    [InlineData("lr_0_3_leaves_8_min_leaf_5_l2_1_iter_30")]
    [InlineData("max_bins_16_depth_2_iter_20")]
    public void Fit_WithoutRandomness_MatchesScikitLearn121Predictions(string name)
    {
        // tools/reference/sklearn_trees.py: below 10000 rows scikit-learn's HistGradientBoostingRegressor draws nothing at random.
        var (xTrain, yTrain, xTest) = ReferenceData();
        var reference = ReferenceCase("hist_gradient_boosting.csv", name);
        var options = name switch
        {
            "default" => new HistGradientBoostingOptions(),
            "lr_0_3_leaves_8_min_leaf_5_l2_1_iter_30" => new HistGradientBoostingOptions { LearningRate = 0.3, MaxLeafNodes = 8, MinSamplesLeaf = 5, L2Regularization = 1.0, MaxIter = 30 },
            _ => new HistGradientBoostingOptions { MaxBins = 16, MaxDepth = 2, MaxIter = 20, MinSamplesLeaf = 3 },
        };
        var model = HistGradientBoosting.Fit(options, xTrain, yTrain, Rng.FromSeed(0)).OrThrow();

        Assert.Equal((int)reference["n_iter"][0], model.NIter);
        Assert.Equal(reference["baseline"][0], model.Baseline, 14);
        // Gradients are float32 and sums run in another order, so agreement is to about single precision.
        AssertClose(reference["predict_test"], HistGradientBoosting.Predict(model, xTest), $"{name} predict(X_test)", rtol: 1e-5, atol: 1e-5);
        AssertClose(reference["predict_train"], HistGradientBoosting.Predict(model, xTrain), $"{name} predict(X_train)", rtol: 1e-5, atol: 1e-5);
    }

    [Fact]
    public void OneIteration_LearningRate1_IsAStumpOfGroupMeans()
    {
        var x = Matrix.FromRows([[1.0], [2.0], [3.0], [10.0], [11.0], [12.0]]);
        double[] y = [1, 1, 1, 5, 5, 5];
        var options = new HistGradientBoostingOptions { MaxIter = 1, LearningRate = 1.0, MinSamplesLeaf = 1 };
        var model = HistGradientBoosting.Fit(options, x, y, Rng.FromSeed(1)).OrThrow();

        Assert.Equal(3.0, model.Baseline);
        Assert.Equal(6.5, model.Trees[0].Threshold[0]);
        var predictions = HistGradientBoosting.Predict(model, Matrix.FromRows([[0.0], [6.5], [6.6]]));
        Assert.Equal(1.0, predictions[0], 9);
        Assert.Equal(1.0, predictions[1], 9);
        Assert.Equal(5.0, predictions[2], 9);
    }

    [Fact]
    public void Fit_BeatsTheMean_AndTrainingLossDecreasesWithIterations()
    {
        var (xTrain, yTrain) = Synthetic(600, 3, noise: 0.2, seed: 11);
        var (xTest, yTest) = Synthetic(300, 3, noise: 0.2, seed: 12);
        var model = HistGradientBoosting.Fit(new HistGradientBoostingOptions(), xTrain, yTrain, Rng.FromSeed(5)).OrThrow();
        var yHat = HistGradientBoosting.Predict(model, xTest);
        var mean = yTrain.Average();
        var mseMean = yTest.Average(v => (v - mean) * (v - mean));
        var mse = yTest.Zip(yHat, (a, b) => (a - b) * (a - b)).Average();

        Assert.True(mse < 0.15 * mseMean, $"gbm MSE {mse:F4} vs mean-predictor MSE {mseMean:F4}");
        Assert.Equal(100, model.NIter);
        Assert.All(model.Trees, t => Assert.True(t.LeafCount <= 31));
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(0.7, 0.5)]
    public void Fit_NJobs1And2_GiveBitIdenticalModelsAndPredictions(double subsample, double maxFeatures)
    {
        var (x, y) = Synthetic(3000, 6, noise: 0.3, seed: 5); // large enough for parallel histograms
        var options = new HistGradientBoostingOptions { MaxIter = 20, Subsample = subsample, MaxFeatures = maxFeatures };
        var a = HistGradientBoosting.Fit(options with { NJobs = 1 }, x, y, Rng.FromSeed(3)).OrThrow();
        var b = HistGradientBoosting.Fit(options with { NJobs = 2 }, x, y, Rng.FromSeed(3)).OrThrow();

        Assert.Equal(a.Trees, b.Trees);
        Assert.Equal(Bits(HistGradientBoosting.Predict(a, x)), Bits(HistGradientBoosting.Predict(b, x)));
    }

    [Fact]
    public void EarlyStopping_On_StopsBeforeMaxIter_AndRecordsValidationScores()
    {
        var (x, y) = Synthetic(500, 3, noise: 0.5, seed: 8);
        var model = HistGradientBoosting.Fit(new HistGradientBoostingOptions { MaxIter = 2000, EarlyStopping = EarlyStopping.On, LearningRate = 0.3 },
            x, y, Rng.FromSeed(2)).OrThrow();

        Assert.True(model.NIter < 2000, $"n_iter {model.NIter}");
        Assert.Equal(model.NIter + 1, model.ValidationScores.Count);
    }

    [Fact]
    public void AbsoluteError_PredictsTheMedianBaseline_AndFits()
    {
        var (x, y) = Synthetic(400, 3, noise: 0.2, seed: 9);
        var model = HistGradientBoosting.Fit(new HistGradientBoostingOptions { Loss = BoostingLoss.AbsoluteError, MaxIter = 200 }, x, y, Rng.FromSeed(2)).OrThrow();
        var sorted = y.OrderBy(v => v).ToArray();

        Assert.Equal((sorted[199] + sorted[200]) / 2, model.Baseline);
        var mae = y.Zip(HistGradientBoosting.Predict(model, x), (a, b) => Math.Abs(a - b)).Average();
        var maeMedian = y.Average(v => Math.Abs(v - model.Baseline));
        Assert.True(mae < 0.4 * maeMedian, $"{mae} vs {maeMedian}");
    }

    [Fact]
    public void Fit_ConstantTarget_GivesZeroTrees_PredictingTheConstant()
    {
        var (x, _) = Synthetic(50, 2, noise: 0.1, seed: 1);
        var model = HistGradientBoosting.Fit(new HistGradientBoostingOptions { MaxIter = 3 }, x, Enumerable.Repeat(2.0, 50).ToArray(), Rng.FromSeed(1)).OrThrow();

        Assert.All(model.Trees, t => Assert.Equal(1, t.NodeCount));
        Assert.All(HistGradientBoosting.Predict(model, x), v => Assert.Equal(2.0, v, 12));
    }

    [Fact]
    public void Fit_FewerRowsThanTwiceMinSamplesLeaf_GivesSingleLeafTrees()
    {
        var x = Matrix.FromRows([[1.0], [2.0], [3.0]]);
        var model = HistGradientBoosting.Fit(new HistGradientBoostingOptions { MaxIter = 2 }, x, [1.0, 2.0, 6.0], Rng.FromSeed(1)).OrThrow();

        Assert.All(model.Trees, t => Assert.Equal(1, t.NodeCount));
        Assert.Equal([3.0], HistGradientBoosting.Predict(model, Matrix.FromRows([[5.0]])));
    }

    [Fact]
    public void Fit_Fails_OnBadOptionsAndNaN()
    {
        var x = Matrix.Build(30, 2, (i, j) => i == 4 && j == 0 ? double.NaN : i + j);
        var problems = HistGradientBoosting.Fit(new HistGradientBoostingOptions { LearningRate = 0, MaxBins = 300 }, x, new double[30], Rng.FromSeed(1)).Problems();

        Assert.Equal(["param.out_of_range", "param.out_of_range", "data.nan_feature"], problems.Select(p => p.Code));
    }

    [Fact]
    public void Learners_Parse_GbmPresetAndOverrides()
    {
        var learner = Learners.Parse("gbm", new Dictionary<string, string> { ["max_iter"] = "50", ["preset"] = "accurate" }).OrThrow();
        Assert.Contains(new KeyValuePair<string, string>("max_iter", "50"), learner.Parameters); // explicit keys override the preset
        Assert.Contains(new KeyValuePair<string, string>("learning_rate", "0.02"), learner.Parameters);
        Assert.Equal("param.invalid_value", Assert.Single(Learners.Parse("gbm", new Dictionary<string, string> { ["preset"] = "fast" }).Problems()).Code);
    }
}
