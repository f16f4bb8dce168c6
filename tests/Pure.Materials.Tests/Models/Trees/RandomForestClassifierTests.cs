using Pure.Materials.Core;
using Pure.Materials.Models.Explain;
using Pure.Materials.Models.Trees;
using Xunit;
using static Pure.Materials.Tests.Models.Trees.TreeTestData;

namespace Pure.Materials.Tests.Models.Trees;

public class RandomForestClassifierTests
{
    private static readonly RandomForestClassifierOptions OneExactTree = new() { NEstimators = 1, Bootstrap = false, MaxFeatures = MaxFeatures.All, NJobs = 1 };

    [Theory]
    [InlineData("max_depth_3")]
    [InlineData("min_samples_leaf_8")]
    [InlineData("max_leaf_nodes_6")]
    public void SingleGiniTree_MatchesScikitLearn121DecisionTreeClassifier(string name)
    {
        var (xTrain, yTrain, xTest) = ReferenceData();
        var median = yTrain.Order().ToArray() is var s ? (s[39] + s[40]) / 2 : 0;
        var labels = yTrain.Select(v => v > median ? 1 : 0).ToArray();
        var reference = ReferenceCase("decision_tree_classifier.csv", name);
        var options = name switch
        {
            "max_depth_3" => OneExactTree with { MaxDepth = 3 },
            "min_samples_leaf_8" => OneExactTree with { MinSamplesLeaf = 8 },
            _ => OneExactTree with { MaxLeafNodes = 6 },
        };
        var model = RandomForestClassifier.Fit(options, xTrain, labels, Rng.FromSeed(0)).OrThrow();
        var tree = model.Trees[0];

        Assert.Equal((int)reference["node_count"][0], tree.NodeCount);
        Assert.Equal(reference["feature"].Select(v => (int)v), tree.Feature.ToArray());
        Assert.Equal(reference["threshold"], tree.Threshold.ToArray());
        AssertClose(reference["feature_importances"], model.FeatureImportances, $"{name} feature_importances_");
        var proba = RandomForestClassifier.PredictProba(model, xTest);
        AssertClose(reference["proba_test"], Enumerable.Range(0, proba.Rows).Select(i => proba[i, 1]).ToArray(), $"{name} predict_proba");
    }

    [Fact]
    public void Forest_SeparatesTwoClasses_AndProbabilitiesSumToOne()
    {
        var (x, y) = Synthetic(400, 3, noise: 0.2, seed: 3);
        var (xTest, yTest) = Synthetic(200, 3, noise: 0.2, seed: 4);
        var labels = y.Select(v => v > 1.0 ? 7 : 3).ToArray();
        var testLabels = yTest.Select(v => v > 1.0 ? 7 : 3).ToArray();
        var model = RandomForestClassifier.Fit(new RandomForestClassifierOptions { NEstimators = 50 }, x, labels, Rng.FromSeed(1)).OrThrow();
        var proba = RandomForestClassifier.PredictProba(model, xTest);
        var predicted = RandomForestClassifier.Predict(model, xTest);

        Assert.Equal([3, 7], model.Classes);
        for (var i = 0; i < proba.Rows; i++) Assert.Equal(1.0, proba[i, 0] + proba[i, 1], 12);
        var accuracy = predicted.Zip(testLabels, (a, b) => a == b ? 1.0 : 0.0).Average();
        Assert.True(accuracy > 0.85, $"accuracy {accuracy}");
        var shap = TreeShap.Explain(TreeEnsemble.From(model).OrThrow(), xTest).OrThrow();
        Assert.Equal(proba[0, 1], shap.ExpectedValue + Enumerable.Range(0, 3).Sum(j => shap.Values[0, j]), 9);
    }

    [Fact]
    public void Fit_SingleClass_IsAProblem_ThreeClassesAndEntropyFit()
    {
        var (x, _) = Synthetic(30, 2, noise: 0.1, seed: 1);
        Assert.Equal("data.single_class", Assert.Single(RandomForestClassifier.Fit(new(), x, Enumerable.Repeat(1, 30).ToArray(), Rng.FromSeed(1)).Problems()).Code);
        Assert.Equal([0, 1, 2], RandomForestClassifier.Fit(new(), x, Enumerable.Range(0, 30).Select(i => i % 3).ToArray(), Rng.FromSeed(1)).OrThrow().Classes);
        Assert.True(RandomForestClassifier.Fit(new() { Criterion = ClassificationCriterion.Entropy }, x,
            Enumerable.Range(0, 30).Select(i => i % 2).ToArray(), Rng.FromSeed(1)).IsSuccess);
    }
}
