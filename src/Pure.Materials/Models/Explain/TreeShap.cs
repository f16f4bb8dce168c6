using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Models.Trees;

namespace Pure.Materials.Models.Explain;

/// <summary>Exact SHAP values of tree models: each feature's share of the difference between a prediction and the expected prediction.</summary>
/// <param name="ExpectedValue">The model's expected prediction <c>E[f(X)]</c> under the training distribution of the trees (covers).</param>
/// <param name="Values">Attributions, shape (n_samples, n_features): <c>ExpectedValue + sum_j Values[i, j] = f(x_i)</c>.</param>
public sealed record ShapValues(double ExpectedValue, Matrix Values)
{
    /// <summary>Computes the mean absolute SHAP value of each feature (a global importance in the target's unit).</summary>
    /// <returns>Shape (n_features,).</returns>
    public double[] MeanAbsolute()
    {
        var result = new double[Values.Cols];
        for (var i = 0; i < Values.Rows; i++)
            for (var j = 0; j < Values.Cols; j++) result[j] += Math.Abs(Values[i, j]);
        if (Values.Rows > 0)
            for (var j = 0; j < result.Length; j++) result[j] /= Values.Rows;
        return result;
    }
}

/// <summary>Computes exact, path-dependent TreeSHAP values (Lundberg et al. 2018, Algorithm 2) for any tree model of this library.</summary>
/// <remarks>
/// <para>For one tree, <c>phi_j = sum_{S subset of F \ {j}} |S|! (M - |S| - 1)! / M! (f_x(S + j) - f_x(S))</c>, where
/// <c>f_x(S)</c> is the tree's expected output given the features in S (Algorithm 1: at a split on a feature outside S, both
/// children weighted by their share of the training samples (cover, <see cref="RegressionTree.WeightedNNodeSamples"/>)). Algorithm 2
/// computes all phi_j in O(L D^2) per tree and row (L leaves, D depth) by tracking, along each root-to-leaf path, the proportion of
/// subsets of every size that flow through it. For ensembles <c>f = Offset + Scale sum_t f_t</c>, SHAP values are linear:
/// <c>phi = Scale sum_t phi_t</c> and <c>E[f] = Offset + Scale sum_t E[f_t]</c>, so attributions and expected value sum to the
/// prediction exactly (up to rounding). The path element arithmetic follows the reference C++ implementation
/// (<c>shap/cext/tree_shap.h</c>).</para>
/// <para>Rows are computed in parallel (each tree's arrays prepared once and shared); a row's trees are always added in model order,
/// so its values are bit-identical for any thread count. NaN features are not supported (the
/// models refuse them).</para>
/// <para>Source: Lundberg, Erion, Lee, "Consistent individualized feature attribution for tree ensembles", arXiv:1802.03888 (2018);
/// Lundberg et al., "From local explanations to global understanding with explainable AI for trees", Nat. Mach. Intell. 2, 56-67 (2020).</para>
/// </remarks>
public static class TreeShap
{
    /// <summary>Computes SHAP values for every row.</summary>
    /// <param name="model">The tree model view (see <see cref="TreeEnsemble.From"/>).</param>
    /// <param name="x">Features, shape (n_samples, <see cref="TreeEnsemble.NFeatures"/>), finite.</param>
    /// <returns>The values, or <c>shape.cols_mismatch</c>, <c>data.nan_feature</c>.</returns>
    public static Validation<Problem, ShapValues> Explain(TreeEnsemble model, Matrix x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        var problems = ForestCore.CheckPredictInput(model.NFeatures, x);
        if (problems.Count > 0) return Valid.Fail<ShapValues>(problems);
        int n = x.Rows, p = x.Cols;
        var values = new double[n * p];
        // Each tree's arrays are prepared once and shared read-only; each worker owns its path buffer and accumulator.
        var trees = model.Trees.Select(t => new Context(t)).ToArray();
        var bufferLength = trees.Length == 0 ? 0 : trees.Max(t => t.BufferLength);
        Parallel.For(0, n, () => (Phi: new double[p], Path: new PathElement[bufferLength]), (i, _, scratch) =>
        {
            Array.Clear(scratch.Phi);
            var row = x.Row(i);
            foreach (var tree in trees) Recurse(tree, row, scratch.Phi, 0, 0, scratch.Path, 0, 1.0, 1.0, -1);
            for (var j = 0; j < p; j++) values[i * p + j] = model.Scale * scratch.Phi[j];
            return scratch;
        }, _ => { });
        var expected = 0.0;
        foreach (var tree in model.Trees) expected += ExpectedValue(tree);
        return Valid.Ok(new ShapValues(model.Offset + model.Scale * expected, Matrix.Own(n, p, values)));
    }

    /// <summary>Computes one tree's expected output: leaves weighted by their share of the root's cover.</summary>
    /// <param name="tree">The tree.</param>
    /// <returns><c>sum_leaves cover_leaf / cover_root * value_leaf</c>.</returns>
    public static double ExpectedValue(RegressionTree tree)
    {
        var cover = tree.WeightedNNodeSamples;
        var value = tree.Value;
        var left = tree.ChildrenLeft;
        var sum = 0.0;
        for (var k = 0; k < tree.NodeCount; k++)
            if (left[k] < 0) sum += cover[k] * value[k];
        return sum / cover[0];
    }

    /// <summary>Adds one tree's SHAP values for one row to <paramref name="phi"/> (length n_features).</summary>
    /// <param name="tree">The tree.</param>
    /// <param name="row">Feature values.</param>
    /// <param name="phi">Accumulator.</param>
    public static void AddTree(RegressionTree tree, ReadOnlySpan<double> row, Span<double> phi)
    {
        var ctx = new Context(tree);
        Recurse(ctx, row, phi, 0, 0, new PathElement[ctx.BufferLength], 0, 1.0, 1.0, -1);
    }

    /// <summary>One tree's arrays, copied once per explanation and shared read-only by every row.</summary>
    private sealed class Context(RegressionTree tree)
    {
        public readonly int[] Left = tree.ChildrenLeft.ToArray();
        public readonly int[] Right = tree.ChildrenRight.ToArray();
        public readonly int[] Feature = tree.Feature.ToArray();
        public readonly double[] Threshold = tree.Threshold.ToArray();
        public readonly double[] Value = tree.Value.ToArray();
        public readonly double[] Cover = tree.WeightedNNodeSamples.ToArray();
        public readonly bool Single = tree.SinglePrecision;

        /// <summary>Path slots for the deepest recursion (shap/cext/tree_shap.h layout).</summary>
        public int BufferLength => (tree.MaxDepth + 3) * (tree.MaxDepth + 4) / 2 + tree.MaxDepth + 2;
    }

    private struct PathElement
    {
        public int Feature;
        public double Zero;
        public double One;
        public double Weight;
    }

    private static void Recurse(Context c, ReadOnlySpan<double> row, Span<double> phi, int node, int depth, PathElement[] buffer, int parentOffset,
        double parentZero, double parentOne, int parentFeature)
    {
        // The path of this node starts depth + 1 slots after its parent's (shap/cext/tree_shap.h layout): copy the parent's
        // first depth elements, then extend by the split that led here.
        var offset = parentOffset + depth + 1;
        var path = buffer.AsSpan(offset);
        if (depth > 0) buffer.AsSpan(parentOffset, depth).CopyTo(path);
        Extend(path, depth, parentZero, parentOne, parentFeature);

        if (c.Left[node] < 0)
        {
            // An element with one = 0 (the row goes the other way at that feature's split) has the unwound sum
            // sum_k w_k (depth + 1) / (zero (depth - k)), so its contribution w (0 - zero) value = -value sum_k w_k (depth + 1) / (depth - k)
            // is the same for every such element: computed once per leaf (O(D) instead of O(D^2) for those elements).
            var value = c.Value[node];
            var coldShare = double.NaN;
            for (var i = 1; i <= depth; i++)
            {
                var e = path[i];
                if (e.One == 0)
                {
                    if (e.Zero == 0) continue;
                    if (double.IsNaN(coldShare))
                    {
                        coldShare = 0;
                        for (var j = depth - 1; j >= 0; j--) coldShare += path[j].Weight / ((depth - j) / (double)(depth + 1));
                    }
                    phi[e.Feature] -= coldShare * value;
                    continue;
                }
                var w = UnwoundSum(path, depth, i);
                phi[e.Feature] += w * (e.One - e.Zero) * value;
            }
            return;
        }

        var f = c.Feature[node];
        var v = c.Single ? (double)(float)row[f] : row[f];
        var goLeft = v <= c.Threshold[node];
        int hot = goLeft ? c.Left[node] : c.Right[node], cold = goLeft ? c.Right[node] : c.Left[node];
        var w0 = c.Cover[node];
        var hotZero = c.Cover[hot] / w0;
        var coldZero = c.Cover[cold] / w0;
        double incomingZero = 1, incomingOne = 1;
        var unique = depth;
        var k = 0;
        for (; k <= unique; k++) if (path[k].Feature == f) break;
        if (k != unique + 1)
        {
            incomingZero = path[k].Zero;
            incomingOne = path[k].One;
            Unwind(path, unique, k);
            unique--;
        }
        Recurse(c, row, phi, hot, unique + 1, buffer, offset, hotZero * incomingZero, incomingOne, f);
        Recurse(c, row, phi, cold, unique + 1, buffer, offset, coldZero * incomingZero, 0, f);
    }

    private static void Extend(Span<PathElement> path, int depth, double zero, double one, int feature)
    {
        path[depth] = new PathElement { Feature = feature, Zero = zero, One = one, Weight = depth == 0 ? 1.0 : 0.0 };
        for (var i = depth - 1; i >= 0; i--)
        {
            path[i + 1].Weight += one * path[i].Weight * (i + 1) / (depth + 1);
            path[i].Weight = zero * path[i].Weight * (depth - i) / (depth + 1);
        }
    }

    private static void Unwind(Span<PathElement> path, int depth, int index)
    {
        var one = path[index].One;
        var zero = path[index].Zero;
        var next = path[depth].Weight;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var tmp = path[i].Weight;
                path[i].Weight = next * (depth + 1) / ((i + 1) * one);
                next = tmp - path[i].Weight * zero * (depth - i) / (depth + 1);
            }
            else
            {
                path[i].Weight = path[i].Weight * (depth + 1) / (zero * (depth - i));
            }
        }
        for (var i = index; i < depth; i++)
        {
            path[i].Feature = path[i + 1].Feature;
            path[i].Zero = path[i + 1].Zero;
            path[i].One = path[i + 1].One;
        }
    }

    private static double UnwoundSum(Span<PathElement> path, int depth, int index)
    {
        var one = path[index].One;
        var zero = path[index].Zero;
        var next = path[depth].Weight;
        var total = 0.0;
        for (var i = depth - 1; i >= 0; i--)
        {
            if (one != 0)
            {
                var tmp = next * (depth + 1) / ((i + 1) * one);
                total += tmp;
                next = path[i].Weight - tmp * zero * ((depth - i) / (double)(depth + 1));
            }
            else if (zero != 0)
            {
                total += path[i].Weight / zero / ((depth - i) / (double)(depth + 1));
            }
        }
        return total;
    }
}
