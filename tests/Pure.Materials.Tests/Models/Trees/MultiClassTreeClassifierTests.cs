using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Models.Classification;
using Pure.Materials.Models.Explain;
using Pure.Materials.Models.Trees;
using Xunit;
using static Pure.Materials.Tests.Models.Trees.TreeTestData;
using Pure.Materials.Pipelines;

namespace Pure.Materials.Tests.Models.Trees;

/// <summary>Multi-class Gini / entropy trees and forests against scikit-learn 1.2.1 (tools/reference/sklearn_tree_classifier.py).</summary>
public class MultiClassTreeClassifierTests
{
    private static readonly RandomForestClassifierOptions OneExactTree = new() { NEstimators = 1, Bootstrap = false, MaxFeatures = MaxFeatures.All, NJobs = 1 };

    /// <summary>The 200 training rows, their 3-class labels and the 88 test rows of <c>tree_classifier_data.csv</c> (real expt_gap rows).</summary>
    internal static (Matrix XTrain, int[] YTrain, Matrix XTest, int[] YTest) Data()
    {
        var rows = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", "tree_classifier_data.csv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Skip(1).Select(l => l.Split(',')).ToList();
        Matrix X(string set) => Matrix.FromRows(rows.Where(r => r[0] == set)
            .Select(r => r.Skip(2).Take(6).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList());
        int[] Y(string set) => rows.Where(r => r[0] == set).Select(r => int.Parse(r[8], CultureInfo.InvariantCulture)).ToArray();
        return (X("train"), Y("train"), X("test"), Y("test"));
    }

    [Theory]
    [InlineData("gini_max_depth_4_min_impurity_decrease_0_02")]
    [InlineData("gini_min_samples_leaf_5_min_impurity_decrease_0_01")]
    [InlineData("gini_max_leaf_nodes_12")]
    [InlineData("entropy_min_samples_leaf_5_min_impurity_decrease_0_03")]
    [InlineData("entropy_max_depth_5_min_samples_leaf_5_min_impurity_decrease_0_02")]
    [InlineData("log_loss_max_leaf_nodes_9")]
    public void SingleTree_EqualsScikitLearn121NodeByNode(string name)
    {
        var (xTrain, yTrain, xTest, _) = Data();
        var reference = ReferenceCase("tree_classifier.csv", name);
        var options = name switch
        {
            "gini_max_depth_4_min_impurity_decrease_0_02" => OneExactTree with { MaxDepth = 4, MinImpurityDecrease = 0.02 },
            "gini_min_samples_leaf_5_min_impurity_decrease_0_01" => OneExactTree with { MinSamplesLeaf = 5, MinImpurityDecrease = 0.01 },
            "gini_max_leaf_nodes_12" => OneExactTree with { MaxLeafNodes = 12 },
            "entropy_min_samples_leaf_5_min_impurity_decrease_0_03" =>
                OneExactTree with { Criterion = ClassificationCriterion.Entropy, MinSamplesLeaf = 5, MinImpurityDecrease = 0.03 },
            "entropy_max_depth_5_min_samples_leaf_5_min_impurity_decrease_0_02" =>
                OneExactTree with { Criterion = ClassificationCriterion.Entropy, MaxDepth = 5, MinSamplesLeaf = 5, MinImpurityDecrease = 0.02 },
            _ => OneExactTree with { Criterion = ClassificationCriterion.Entropy, MaxLeafNodes = 9 },
        };
        var model = RandomForestClassifier.Fit(options, xTrain, yTrain, Rng.FromSeed(0)).OrThrow();
        var tree = model.Trees[0];

        Assert.Equal([0, 1, 2], model.Classes);
        Assert.Equal((int)reference["node_count"][0], tree.NodeCount);
        Assert.Equal((int)reference["max_depth"][0], tree.MaxDepth);
        Assert.Equal(reference["children_left"].Select(v => (int)v), tree.ChildrenLeft.ToArray());
        Assert.Equal(reference["children_right"].Select(v => (int)v), tree.ChildrenRight.ToArray());
        Assert.Equal(reference["feature"].Select(v => (int)v), tree.Feature.ToArray());
        Assert.Equal(reference["threshold"], tree.Threshold.ToArray());
        Assert.Equal(reference["n_node_samples"].Select(v => (int)v), tree.NNodeSamples.ToArray());
        Assert.Equal(reference["weighted_n_node_samples"], tree.WeightedNNodeSamples.ToArray());
        Assert.Equal(reference["value"], tree.Value.ToArray());
        AssertClose(reference["impurity"], tree.Impurity.ToArray(), $"{name} impurity");
        AssertClose(reference["feature_importances"], model.FeatureImportances, $"{name} feature_importances_");
        AssertClose(reference["proba_test"], RandomForestClassifier.PredictProba(model, xTest).Data.ToArray(), $"{name} predict_proba");
    }

    [Fact]
    public void Forest_ThreeClasses_ProbabilitiesSumToOne_AndBeatTheMajorityClass()
    {
        var (xTrain, yTrain, xTest, yTest) = Data();
        foreach (var entropy in new[] { false, true })
        {
            var options = new RandomForestClassifierOptions { NEstimators = 60, Criterion = entropy ? ClassificationCriterion.Entropy : ClassificationCriterion.Gini };
            foreach (var model in new[]
                     {
                         RandomForestClassifier.Fit(options, xTrain, yTrain, Rng.FromSeed(5)).OrThrow(),
                         ExtraTreesClassifier.Fit(options with { Bootstrap = false }, xTrain, yTrain, Rng.FromSeed(5)).OrThrow(),
                     })
            {
                var proba = RandomForestClassifier.PredictProba(model, xTest);
                Assert.Equal(3, proba.Cols);
                for (var i = 0; i < proba.Rows; i++) Assert.Equal(1.0, proba[i, 0] + proba[i, 1] + proba[i, 2], 12);
                var accuracy = RandomForestClassifier.Predict(model, xTest).Zip(yTest, (a, b) => a == b ? 1.0 : 0.0).Average();
                var majority = yTest.GroupBy(v => v).Max(g => g.Count()) / (double)yTest.Length;
                Assert.True(accuracy > majority, $"accuracy {accuracy} <= majority share {majority}");
            }
        }
    }

    [Fact]
    public void Forest_IsBitIdentical_ForAnyThreadCount()
    {
        var (xTrain, yTrain, xTest, _) = Data();
        foreach (var extra in new[] { false, true })
        {
            RandomForestClassifierModel Fit(int jobs)
            {
                var o = new RandomForestClassifierOptions { NEstimators = 24, Criterion = ClassificationCriterion.Entropy, NJobs = jobs, OobScore = !extra };
                return (extra ? ExtraTreesClassifier.Fit(o with { Bootstrap = false }, xTrain, yTrain, Rng.FromSeed(9))
                    : RandomForestClassifier.Fit(o, xTrain, yTrain, Rng.FromSeed(9))).OrThrow();
            }
            var one = Fit(1);
            var three = Fit(3);
            Assert.Equal(one.Trees, three.Trees); // options differ only in n_jobs
            Assert.Equal(Bits(RandomForestClassifier.PredictProba(one, xTest).Data.ToArray()), Bits(RandomForestClassifier.PredictProba(three, xTest).Data.ToArray()));
            if (!extra) Assert.Equal(Bits(one.OobDecisionFunction!.Data.ToArray()), Bits(three.OobDecisionFunction!.Data.ToArray()));
        }
    }

    [Fact]
    public void OutOfBag_DecisionFunctionIsAProbability_AndScoreIsItsAccuracy()
    {
        var (xTrain, yTrain, _, _) = Data();
        var model = RandomForestClassifier.Fit(new RandomForestClassifierOptions { NEstimators = 40, OobScore = true }, xTrain, yTrain, Rng.FromSeed(2)).OrThrow();
        var oob = model.OobDecisionFunction!;
        Assert.Equal((200, 3), (oob.Rows, oob.Cols));
        var correct = 0;
        for (var i = 0; i < oob.Rows; i++)
        {
            var sum = oob[i, 0] + oob[i, 1] + oob[i, 2];
            Assert.True(Math.Abs(sum - 1) < 1e-12 || sum == 0, $"row {i} sums to {sum}");
            if (ClassifierPredictor.ArgMax(model.Classes, Matrix.FromRows([oob.Row(i).ToArray()]))[0] == yTrain[i]) correct++;
        }
        Assert.Equal(correct / 200.0, model.OobScore);
        Assert.InRange(model.OobScore!.Value, 0.55, 1.0);
        Assert.Equal("param.conflict", Assert.Single(RandomForestClassifier.Fit(new RandomForestClassifierOptions { OobScore = true, Bootstrap = false },
            xTrain, yTrain, Rng.FromSeed(2)).Problems()).Code);
    }

    [Fact]
    public void TreeShap_OnThreeClassForest_SumsToTheLastClassProbability()
    {
        var (xTrain, yTrain, xTest, _) = Data();
        var model = RandomForestClassifier.Fit(new RandomForestClassifierOptions { NEstimators = 10, MaxDepth = 6 }, xTrain, yTrain, Rng.FromSeed(3)).OrThrow();
        var proba = RandomForestClassifier.PredictProba(model, xTest);
        var shap = TreeShap.Explain(TreeEnsemble.From(model).OrThrow(), xTest).OrThrow();
        for (var i = 0; i < 5; i++)
            Assert.Equal(proba[i, 2], shap.ExpectedValue + Enumerable.Range(0, 6).Sum(j => shap.Values[i, j]), 9);
    }

    [Fact]
    public void Parse_AcceptsEntropyLogLossAndExtraTrees_AndRejectsAnUnknownCriterion()
    {
        Assert.True(Classifiers.Parse("extra-trees", new Dictionary<string, string> { ["criterion"] = "log_loss", ["n_estimators"] = "5" }).IsSuccess);
        Assert.True(Classifiers.Parse("rf", new Dictionary<string, string> { ["criterion"] = "entropy", ["oob_score"] = "true" }).IsSuccess);
        Assert.Equal("param.invalid_value", Assert.Single(Classifiers.Parse("tree", new Dictionary<string, string> { ["criterion"] = "hellinger" }).Problems()).Code);
        Assert.Equal("param.unknown", Assert.Single(Classifiers.Parse("tree", new Dictionary<string, string> { ["oob_score"] = "true" }).Problems()).Code);
    }

}
