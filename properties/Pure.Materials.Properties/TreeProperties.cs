using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Models.Explain;
using Pure.Materials.Models.Trees;

namespace Pure.Materials.Properties;

/// <summary>TreeSHAP attributions plus the expected value equal the prediction for every tree model, and trees respect their limits.</summary>
[Properties(MaxTest = 40)]
public class TreeProperties
{
    /// <summary>A small regression data set from a seed: n in [8, 60] rows, p in [1, 5] features, values on a coarse grid (ties happen).</summary>
    private static (Matrix X, double[] Y) Data(int seed)
    {
        var rng = Rng.FromSeed(seed);
        (var a, rng) = rng.NextInt(53);
        (var b, rng) = rng.NextInt(5);
        int n = 8 + a, p = 1 + b;
        var x = new double[n * p];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < p; j++)
            {
                (var v, rng) = rng.NextInt(12);
                x[i * p + j] = v * 0.5 - 2;
            }
            (var e, rng) = rng.NextDouble();
            y[i] = x[i * p] * (p > 1 ? x[i * p + 1] : 1) + e;
        }
        return (Matrix.FromRowMajor(n, p, x), y);
    }

    private static bool SumsToPrediction(TreeEnsemble model, Matrix x)
    {
        var shap = TreeShap.Explain(model, x).OrThrow();
        for (var i = 0; i < x.Rows; i++)
        {
            var sum = shap.ExpectedValue;
            for (var j = 0; j < x.Cols; j++) sum += shap.Values[i, j];
            var prediction = model.Predict(x.Row(i));
            if (Math.Abs(sum - prediction) > 1e-9 * (1 + Math.Abs(prediction))) return false;
        }
        return true;
    }

    [Property]
    public bool TreeShap_ExpectedValuePlusAttributions_EqualsThePrediction_ForEveryTreeModel(int seed)
    {
        var (x, y) = Data(seed);
        var rng = Rng.FromSeed(seed);
        var rf = RandomForest.Fit(new RandomForestOptions { NEstimators = 5, MaxFeatures = MaxFeatures.Sqrt, NJobs = 1 }, x, y, rng).OrThrow();
        var et = ExtraTrees.Fit(new ExtraTreesOptions { NEstimators = 5, NJobs = 1, MaxLeafNodes = 6 }, x, y, rng).OrThrow();
        var tree = DecisionTree.Fit(new DecisionTreeOptions { MaxDepth = 4 }, x, y, rng).OrThrow();
        var gbm = HistGradientBoosting.Fit(new HistGradientBoostingOptions { MaxIter = 5, MinSamplesLeaf = 2, NJobs = 1 }, x, y, rng).OrThrow();
        return SumsToPrediction(TreeEnsemble.From(rf).OrThrow(), x)
            && SumsToPrediction(TreeEnsemble.From(et).OrThrow(), x)
            && SumsToPrediction(TreeEnsemble.From(tree).OrThrow(), x)
            && SumsToPrediction(TreeEnsemble.From(gbm).OrThrow(), x);
    }

    [Property]
    public bool DecisionTree_MaxLeafNodes_IsNeverExceeded_AndMinSamplesLeafHolds(int seed)
    {
        var (x, y) = Data(seed);
        var maxLeaves = 2 + Math.Abs(seed % 9);
        var minLeaf = 1 + Math.Abs(seed % 3);
        var model = DecisionTree.Fit(new DecisionTreeOptions { MaxLeafNodes = maxLeaves, MinSamplesLeaf = minLeaf }, x, y, Rng.FromSeed(seed)).OrThrow();
        var t = model.Tree;
        var leavesOk = t.LeafCount <= maxLeaves;
        var sizesOk = Enumerable.Range(0, t.NodeCount).All(k => t.NNodeSamples[k] >= minLeaf || t.NodeCount == 1);
        return leavesOk && sizesOk;
    }
}
