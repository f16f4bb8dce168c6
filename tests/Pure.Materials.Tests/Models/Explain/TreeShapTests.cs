using Pure.Materials.Core;
using Pure.Materials.Models.Explain;
using Pure.Materials.Models.Trees;
using Xunit;
using static Pure.Materials.Tests.Models.Trees.TreeTestData;

namespace Pure.Materials.Tests.Models.Explain;

public class TreeShapTests
{
    /// <summary>Shapley values by definition: f_x(S) from Algorithm 1 (cover-weighted expectation over features outside S), all subsets.</summary>
    private static double[] BruteForce(RegressionTree tree, double[] row)
    {
        var p = row.Length;
        double Expect(int node, int mask)
        {
            if (tree.ChildrenLeft[node] < 0) return tree.Value[node];
            int l = tree.ChildrenLeft[node], r = tree.ChildrenRight[node], f = tree.Feature[node];
            if ((mask & (1 << f)) != 0)
                return (double)(float)row[f] <= tree.Threshold[node] ? Expect(l, mask) : Expect(r, mask);
            var w = tree.WeightedNNodeSamples;
            return (w[l] * Expect(l, mask) + w[r] * Expect(r, mask)) / w[node];
        }
        static double Factorial(int k) => k <= 1 ? 1 : k * Factorial(k - 1);
        var phi = new double[p];
        for (var j = 0; j < p; j++)
            for (var mask = 0; mask < 1 << p; mask++)
            {
                if ((mask & (1 << j)) != 0) continue;
                var s = System.Numerics.BitOperations.PopCount((uint)mask);
                var weight = Factorial(s) * Factorial(p - s - 1) / Factorial(p);
                phi[j] += weight * (Expect(0, mask | (1 << j)) - Expect(0, mask));
            }
        return phi;
    }

    [Theory]
    [InlineData(4, 3, 1)]
    [InlineData(6, 4, 2)]
    [InlineData(8, 5, 3)]
    public void AddTree_EqualsBruteForceShapleyValues_OnSmallTrees(int maxDepth, int p, long seed)
    {
        // Small grids make features repeat along paths, exercising the unwind of an already-seen feature.
        var (x, y) = Synthetic(60, p, noise: 0.3, seed: seed);
        var xs = Matrix.Build(x.Rows, p, (i, j) => Math.Round(x[i, j] * 2) / 2);
        var tree = DecisionTree.Fit(new DecisionTreeOptions { MaxDepth = maxDepth }, xs, y, Rng.FromSeed(seed)).OrThrow().Tree;

        for (var i = 0; i < 10; i++)
        {
            var row = xs.Row(i).ToArray();
            var phi = new double[p];
            TreeShap.AddTree(tree, row, phi);
            AssertClose(BruteForce(tree, row), phi, $"row {i}", rtol: 1e-10, atol: 1e-12);
        }
    }

    [Fact]
    public void Explain_Stump_GivesTheWholeDifferenceToTheSplitFeature()
    {
        // One split on x0 at 6.5, leaves 1 (3 rows) and 5 (3 rows): E = 3; for x0 = 1: phi0 = 1 - 3 = -2, phi1 = 0.
        var x = Matrix.FromRows([[1, 0], [2, 1], [3, 0], [10, 1], [11, 0], [12, 1]]);
        double[] y = [1, 1, 1, 5, 5, 5];
        var model = DecisionTree.Fit(new DecisionTreeOptions(), x, y, Rng.FromSeed(1)).OrThrow();
        var shap = TreeShap.Explain(TreeEnsemble.From(model).OrThrow(), x).OrThrow();

        Assert.Equal(3.0, shap.ExpectedValue, 12);
        Assert.Equal(-2.0, shap.Values[0, 0], 12);
        Assert.Equal(0.0, shap.Values[0, 1], 12);
        Assert.Equal(2.0, shap.Values[5, 0], 12);
        Assert.Equal([2.0, 0.0], shap.MeanAbsolute());
    }

    [Fact]
    public void Explain_Forest_IsTheMeanOfTheTreesAndSumsToThePrediction()
    {
        var (x, y) = Synthetic(200, 4, noise: 0.2, seed: 3);
        var model = RandomForest.Fit(new RandomForestOptions { NEstimators = 10, NJobs = 1 }, x, y, Rng.FromSeed(2)).OrThrow();
        var ensemble = TreeEnsemble.From(model).OrThrow();
        var shap = TreeShap.Explain(ensemble, x).OrThrow();
        var predictions = RandomForest.Predict(model, x);

        for (var i = 0; i < x.Rows; i++)
        {
            var sum = shap.ExpectedValue + Enumerable.Range(0, 4).Sum(j => shap.Values[i, j]);
            Assert.Equal(predictions[i], sum, 9);
        }
        // y = sin(x0) + x1^2: the irrelevant x2, x3 get the smallest mean |SHAP|.
        var mean = shap.MeanAbsolute();
        Assert.True(mean[2] < mean[0] && mean[3] < mean[1], string.Join(", ", mean));
    }

    [Fact]
    public void Explain_Gbm_SumsToThePrediction()
    {
        var (x, y) = Synthetic(300, 3, noise: 0.2, seed: 4);
        var model = HistGradientBoosting.Fit(new HistGradientBoostingOptions { MaxIter = 30 }, x, y, Rng.FromSeed(2)).OrThrow();
        var shap = TreeShap.Explain(TreeEnsemble.From(model).OrThrow(), x).OrThrow();
        var predictions = HistGradientBoosting.Predict(model, x);

        for (var i = 0; i < x.Rows; i++)
            Assert.Equal(predictions[i], shap.ExpectedValue + Enumerable.Range(0, 3).Sum(j => shap.Values[i, j]), 9);
    }

    [Fact]
    public void From_NonTreeModel_IsAProblem()
    {
        Assert.Equal("explain.unsupported_model", Assert.Single(TreeEnsemble.From("not a model").Problems()).Code);
    }

    [Fact]
    public void PermutationImportance_IsSeeded_AndRanksTheRelevantFeaturesFirst()
    {
        var (x, y) = Synthetic(300, 4, noise: 0.2, seed: 5);
        var (xTest, yTest) = Synthetic(200, 4, noise: 0.2, seed: 6);
        var model = RandomForest.Fit(new RandomForestOptions { NEstimators = 20 }, x, y, Rng.FromSeed(1)).OrThrow();
        var a = PermutationImportance.Compute(m => RandomForest.Predict(model, m), xTest, yTest, 3, Rng.FromSeed(7)).OrThrow();
        var b = PermutationImportance.Compute(m => RandomForest.Predict(model, m), xTest, yTest, 3, Rng.FromSeed(7)).OrThrow();

        Assert.Equal(a.Mean, b.Mean);
        Assert.True(a.Mean[0] > a.Mean[2] && a.Mean[1] > a.Mean[3], string.Join(", ", a.Mean));
        Assert.Equal((4, 3), (a.Repeats.Rows, a.Repeats.Cols));
        Assert.Equal("data.constant_target",
            Assert.Single(PermutationImportance.Compute(m => new double[m.Rows], xTest, Enumerable.Repeat(1.0, 200).ToArray(), 3, Rng.FromSeed(7)).Problems()).Code);
    }
}
