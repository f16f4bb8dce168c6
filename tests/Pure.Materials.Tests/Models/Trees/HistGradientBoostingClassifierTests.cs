using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.Trees;
using Xunit;
using static Pure.Materials.Tests.Models.Trees.TreeTestData;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models.Trees;

/// <summary>HistGradientBoostingClassifier against scikit-learn 1.2.1 (tools/reference/sklearn_tree_classifier.py), binary and 3-class.</summary>
public class HistGradientBoostingClassifierTests
{
    private static (Matrix XTrain, int[] YTrain, Matrix XTest) Data()
    {
        var rows = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "tree_classifier_data.csv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Skip(1).Select(l => l.Split(',')).ToList();
        Matrix X(string set) => Matrix.FromRows(rows.Where(r => r[0] == set)
            .Select(r => r.Skip(2).Take(6).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList());
        return (X("train"), rows.Where(r => r[0] == "train").Select(r => int.Parse(r[8], CultureInfo.InvariantCulture)).ToArray(), X("test"));
    }

    private static HistGradientBoostingClassifierOptions Options(string name) => name switch
    {
        "default" => new(),
        "lr_0_3_leaves_8_min_leaf_5_l2_1_iter_30" => new() { LearningRate = 0.3, MaxLeafNodes = 8, MinSamplesLeaf = 5, L2Regularization = 1.0, MaxIter = 30 },
        _ => new() { MaxBins = 16, MaxDepth = 2, MaxIter = 20, MinSamplesLeaf = 3 },
    };

    [Theory]
    [InlineData("binary", "default")]
    [InlineData("binary", "lr_0_3_leaves_8_min_leaf_5_l2_1_iter_30")]
    [InlineData("binary", "max_bins_16_depth_2_iter_20")]
    [InlineData("multiclass", "default")]
    [InlineData("multiclass", "lr_0_3_leaves_8_min_leaf_5_l2_1_iter_30")]
    [InlineData("multiclass", "max_bins_16_depth_2_iter_20")]
    public void Probabilities_EqualScikitLearn121_Within1e5(string kind, string name)
    {
        var (xTrain, yTrain, xTest) = Data();
        var labels = kind == "binary" ? yTrain.Select(v => v > 0 ? 1 : 0).ToArray() : yTrain;
        var reference = ReferenceCase("hist_gradient_boosting_classifier.csv", $"{kind}_{name}");
        var model = HistGradientBoostingClassifier.Fit(Options(name), xTrain, labels, Rng.FromSeed(0)).OrThrow();

        Assert.Equal((int)reference["n_iter"][0], model.NIter);
        AssertClose(reference["baseline"], model.Baseline.ToArray(), "baseline", rtol: 1e-12, atol: 1e-12);
        AssertClose(reference["proba_test"], HistGradientBoostingClassifier.PredictProba(model, xTest).Data.ToArray(), "predict_proba", rtol: 0, atol: 1e-5);
        AssertClose(reference["decision_test"], HistGradientBoostingClassifier.DecisionFunction(model, xTest).Data.ToArray(), "decision_function", rtol: 1e-5, atol: 1e-5);
    }

    [Fact]
    public void Fit_IsBitIdentical_ForAnyThreadCount_AndEarlyStoppingStops()
    {
        var (xTrain, yTrain, xTest) = Data();
        var options = new HistGradientBoostingClassifierOptions { EarlyStopping = EarlyStopping.On, MaxIter = 300, LearningRate = 0.5, Subsample = 0.8 };
        var one = HistGradientBoostingClassifier.Fit(options with { NJobs = 1 }, xTrain, yTrain, Rng.FromSeed(4)).OrThrow();
        var two = HistGradientBoostingClassifier.Fit(options with { NJobs = 2 }, xTrain, yTrain, Rng.FromSeed(4)).OrThrow();
        Assert.Equal(Bits(HistGradientBoostingClassifier.PredictProba(one, xTest).Data.ToArray()), Bits(HistGradientBoostingClassifier.PredictProba(two, xTest).Data.ToArray()));
        Assert.True(one.NIter < 300, $"n_iter {one.NIter}");
        Assert.Equal(one.NIter + 1, one.ValidationScores.Count);
        var proba = HistGradientBoostingClassifier.PredictProba(one, xTest);
        for (var i = 0; i < proba.Rows; i++) Assert.Equal(1.0, proba[i, 0] + proba[i, 1] + proba[i, 2], 12);
    }

    [Fact]
    public void BadInput_IsAProblem_AndTheLearnerParsesScikitLearnNames()
    {
        var (xTrain, yTrain, _) = Data();
        Assert.Equal("data.single_class", Assert.Single(HistGradientBoostingClassifier.Fit(new(), xTrain, yTrain.Select(_ => 2).ToArray(), Rng.FromSeed(0)).Problems()).Code);
        Assert.Equal("param.out_of_range", Assert.Single(HistGradientBoostingClassifier.Fit(new() { LearningRate = -1 }, xTrain, yTrain, Rng.FromSeed(0)).Problems()).Code);
        var learner = Classifiers.Parse("gbm", new Dictionary<string, string> { ["max_iter"] = "10", ["early_stopping"] = "false", ["loss"] = "log_loss" }).OrThrow();
        var predictor = learner.Fit(xTrain, yTrain, Rng.FromSeed(0)).OrThrow();
        Assert.Equal([0, 1, 2], predictor.Classes);
        Assert.Equal("param.invalid_value", Assert.Single(Classifiers.Parse("gbm", new Dictionary<string, string> { ["loss"] = "hinge" }).Problems()).Code);
    }
}
