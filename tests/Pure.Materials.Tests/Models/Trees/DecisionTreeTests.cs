using Pure.Materials.Core;
using Pure.Materials.Models;
using Pure.Materials.Models.Trees;
using Xunit;
using static Pure.Materials.Tests.Models.Trees.TreeTestData;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models.Trees;

public class DecisionTreeTests
{
    // ---------------------------------------------------------------- scikit-learn reference (tools/reference/sklearn_trees.py)

    private static DecisionTreeOptions CaseOptions(string name) => name switch
    {
        "max_leaf_nodes_7" => new() { MaxLeafNodes = 7 },
        "max_leaf_nodes_15_min_samples_leaf_4" => new() { MaxLeafNodes = 15, MinSamplesLeaf = 4 },
        "max_leaf_nodes_12_max_depth_3" => new() { MaxLeafNodes = 12, MaxDepth = 3 },
        "min_impurity_decrease_0_01_min_samples_leaf_4" => new() { MinImpurityDecrease = 0.01, MinSamplesLeaf = 4 },
        "min_impurity_decrease_0_05" => new() { MinImpurityDecrease = 0.05, MinSamplesLeaf = 3 },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [InlineData("max_leaf_nodes_7")]
    [InlineData("max_leaf_nodes_15_min_samples_leaf_4")]
    [InlineData("max_leaf_nodes_12_max_depth_3")]
    [InlineData("min_impurity_decrease_0_01_min_samples_leaf_4")]
    [InlineData("min_impurity_decrease_0_05")]
    public void Fit_MatchesScikitLearn121_NodeByNode(string name)
    {
        var (xTrain, yTrain, xTest) = ReferenceData();
        var reference = ReferenceCase("decision_tree.csv", name);
        var model = DecisionTree.Fit(CaseOptions(name), xTrain, yTrain, Rng.FromSeed(0)).OrThrow();
        var tree = model.Tree;

        Assert.Equal((int)reference["node_count"][0], tree.NodeCount);
        Assert.Equal((int)reference["max_depth"][0], tree.MaxDepth);
        Assert.Equal(reference["children_left"].Select(v => (int)v), tree.ChildrenLeft.ToArray());
        Assert.Equal(reference["children_right"].Select(v => (int)v), tree.ChildrenRight.ToArray());
        Assert.Equal(reference["feature"].Select(v => (int)v), tree.Feature.ToArray());
        Assert.Equal(reference["n_node_samples"].Select(v => (int)v), tree.NNodeSamples.ToArray());
        Assert.Equal(reference["threshold"], tree.Threshold.ToArray());
        AssertClose(reference["value"], tree.Value.ToArray(), $"{name} value");
        AssertClose(reference["impurity"], tree.Impurity.ToArray(), $"{name} impurity");
        AssertClose(reference["feature_importances"], tree.FeatureImportances.ToArray(), $"{name} feature_importances_");
        AssertClose(reference["predict_test"], DecisionTree.Predict(model, xTest), $"{name} predict(X_test)");
        AssertClose(reference["predict_train"], DecisionTree.Predict(model, xTrain), $"{name} predict(X_train)");
    }

    // ---------------------------------------------------------------- growth options

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(17)]
    public void MaxLeafNodes_BoundsTheLeafCount_AndIsReachedOnRichData(int maxLeaves)
    {
        var (x, y) = Synthetic(300, 3, noise: 0.3, seed: 4);
        var model = DecisionTree.Fit(new DecisionTreeOptions { MaxLeafNodes = maxLeaves }, x, y, Rng.FromSeed(1)).OrThrow();

        Assert.Equal(maxLeaves, model.Tree.LeafCount);
        Assert.Equal(2 * maxLeaves - 1, model.Tree.NodeCount);
    }

    [Fact]
    public void MaxLeafNodes_Two_GivesTheSameStumpAsMaxDepthOne()
    {
        var (x, y) = Synthetic(200, 4, noise: 0.3, seed: 5);
        var bestFirst = DecisionTree.Fit(new DecisionTreeOptions { MaxLeafNodes = 2 }, x, y, Rng.FromSeed(1)).OrThrow();
        var depthFirst = DecisionTree.Fit(new DecisionTreeOptions { MaxDepth = 1 }, x, y, Rng.FromSeed(1)).OrThrow();

        Assert.Equal(depthFirst.Tree, bestFirst.Tree);
    }

    [Fact]
    public void MinImpurityDecrease_Larger_GivesFewerLeaves()
    {
        var (x, y) = Synthetic(300, 3, noise: 0.3, seed: 6);
        var leaves = new[] { 0.0, 0.001, 0.01, 0.1 }
            .Select(d => DecisionTree.Fit(new DecisionTreeOptions { MinImpurityDecrease = d }, x, y, Rng.FromSeed(1)).OrThrow().Tree.LeafCount)
            .ToArray();

        Assert.Equal(300, leaves[0]);
        for (var k = 1; k < leaves.Length; k++) Assert.True(leaves[k] < leaves[k - 1], string.Join(", ", leaves));
    }

    [Fact]
    public void RandomSplitter_ThresholdsLieInsideTheNodeRange_AndADeepTreeFitsTrainingRows()
    {
        var (x, y) = Synthetic(150, 3, noise: 0.3, seed: 7);
        var model = DecisionTree.Fit(new DecisionTreeOptions { Splitter = Splitter.Random }, x, y, Rng.FromSeed(2)).OrThrow();

        Assert.Equal(y, DecisionTree.Predict(model, x));
        var tree = model.Tree;
        for (var i = 0; i < tree.NodeCount; i++)
            if (tree.Feature[i] >= 0) Assert.InRange(tree.Threshold[i], -2.0, 2.0);
    }

    // ---------------------------------------------------------------- edge cases (documented results)

    [Fact]
    public void Fit_ConstantTarget_GivesOneLeafPredictingTheConstant()
    {
        var (x, _) = Synthetic(30, 2, noise: 0.1, seed: 1);
        var y = Enumerable.Repeat(1.5, 30).ToArray();
        var model = DecisionTree.Fit(new DecisionTreeOptions(), x, y, Rng.FromSeed(1)).OrThrow();

        Assert.Equal(1, model.Tree.NodeCount);
        Assert.All(DecisionTree.Predict(model, x), v => Assert.Equal(1.5, v));
        Assert.Equal([0.0, 0.0], model.Tree.FeatureImportances.ToArray());
    }

    [Fact]
    public void Fit_FewerRowsThanMinSamplesLeaf_GivesOneLeafPredictingTheMean()
    {
        var x = Matrix.FromRows([[1.0], [2.0], [3.0]]);
        var model = DecisionTree.Fit(new DecisionTreeOptions { MinSamplesLeaf = 5 }, x, [1.0, 2.0, 6.0], Rng.FromSeed(1)).OrThrow();

        Assert.Equal(1, model.Tree.NodeCount);
        Assert.Equal([3.0], DecisionTree.Predict(model, Matrix.FromRows([[10.0]])));
    }

    [Fact]
    public void Fit_Fails_WhenAFeatureIsNaN()
    {
        var x = Matrix.Build(5, 2, (i, j) => i == 3 && j == 1 ? double.NaN : i);
        var problem = Assert.Single(DecisionTree.Fit(new DecisionTreeOptions(), x, [0, 1, 2, 3, 4], Rng.FromSeed(1)).Problems());

        Assert.Equal("data.nan_feature", problem.Code);
        Assert.Contains("mean imputation", problem.Message);
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(null, -0.5)]
    public void Fit_Fails_WhenGrowthOptionIsOutOfRange(int? maxLeafNodes, double minImpurityDecrease)
    {
        var (x, y) = Synthetic(20, 2, noise: 0.1, seed: 1);
        var options = new DecisionTreeOptions { MaxLeafNodes = maxLeafNodes, MinImpurityDecrease = minImpurityDecrease };
        var problem = Assert.Single(DecisionTree.Fit(options, x, y, Rng.FromSeed(1)).Problems());

        Assert.Equal("param.out_of_range", problem.Code);
        Assert.Contains("fix:", problem.Message);
    }

    [Fact]
    public void Learners_Parse_TreeWithScikitLearnNames()
    {
        var settings = new Dictionary<string, string> { ["max_leaf_nodes"] = "8", ["min_impurity_decrease"] = "0.01", ["splitter"] = "random", ["max_features"] = "sqrt" };
        var learner = Learners.Parse("tree", settings).OrThrow();

        Assert.Equal("tree", learner.Name);
        Assert.Contains(new KeyValuePair<string, string>("max_leaf_nodes", "8"), learner.Parameters);
        Assert.Contains(new KeyValuePair<string, string>("splitter", "random"), learner.Parameters);
        var bad = Learners.Parse("tree", new Dictionary<string, string> { ["n_estimators"] = "3", ["splitter"] = "worst" }).Problems();
        Assert.Equal(["param.unknown", "param.invalid_value"], bad.Select(p => p.Code));
    }
}
