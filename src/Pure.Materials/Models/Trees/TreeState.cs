using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Checks the node arrays of a tree read from a model file, so that prediction on a loaded tree always ends at a leaf.</summary>
internal static class TreeState
{
    /// <summary>The node arrays every CART-layout tree stores (scikit-learn <c>tree_</c> names), as read and checked by <see cref="ReadLayout"/>.</summary>
    internal sealed record Layout(int MaxDepth, int[] Left, int[] Right, int[] Feature, double[] Threshold, double[] Impurity, int[] Samples, double[] Weighted);

    /// <summary>Reads a tree's split structure (everything but its node values): <c>n_features</c> (must equal <paramref name="nFeatures"/>),
    /// <c>max_depth</c> (must be the deepest leaf's depth), children, features, thresholds, impurities and sample counts, all of one length,
    /// finite, forming one tree (<see cref="CheckStructure"/>) whose root has a positive weight.</summary>
    /// <param name="r">The reader (problems are recorded on it).</param>
    /// <param name="nFeatures">The features of the model holding the tree.</param>
    /// <returns>The arrays, or null after a problem.</returns>
    public static Layout? ReadLayout(StateReader r, int nFeatures)
    {
        r.Int("n_features", nFeatures, nFeatures);
        var maxDepth = r.Int("max_depth");
        var left = r.Ints("children_left", null, RegressionTree.Leaf);
        var n = left.Length;
        var right = r.Ints("children_right", n, RegressionTree.Leaf);
        var feature = r.Ints("feature", n, RegressionTree.Undefined);
        var threshold = r.Floats("threshold", n);
        var impurity = r.Floats("impurity", n);
        var samples = r.Ints("n_node_samples", n, 0);
        var weighted = r.Floats("weighted_n_node_samples", n);
        if (!r.Ok) return null;
        var depth = CheckStructure(r, "children_left", left, right, feature, nFeatures, RegressionTree.Undefined);
        if (depth < 0) return null;
        if (depth != maxDepth) { r.Fail("max_depth", $"is {maxDepth}, but the deepest leaf is at depth {depth}"); return null; }
        if (!(weighted[0] > 0)) { r.Fail("weighted_n_node_samples", "the root's weight is not positive"); return null; }
        return new Layout(maxDepth, left, right, feature, threshold, impurity, samples, weighted);
    }

    /// <summary>Checks that the arrays form one tree rooted at node 0: a leaf has both children -1 (and, when <paramref name="leafFeature"/>
    /// is given, that feature marker); a split node has a feature in [0, nFeatures) and two children with larger indices; every node but
    /// the root has exactly one parent. Children after their parent make every path finite; one parent each makes it a tree.</summary>
    /// <param name="r">The reader (problems are recorded on it under <paramref name="name"/>).</param>
    /// <param name="name">The entry holding the tree, for messages.</param>
    /// <param name="left">Left children, length n.</param>
    /// <param name="right">Right children, length n.</param>
    /// <param name="feature">Split feature per node, length n.</param>
    /// <param name="nFeatures">Number of features the tree was fitted on.</param>
    /// <param name="leafFeature">The feature value leaves carry (e.g. -2), or null when leaves may carry any value.</param>
    /// <returns>The depth of the deepest leaf (root 0), or -1 after a problem.</returns>
    public static int CheckStructure(StateReader r, string name, ReadOnlySpan<int> left, ReadOnlySpan<int> right, ReadOnlySpan<int> feature, int nFeatures, int? leafFeature)
    {
        var n = left.Length;
        if (n == 0 || right.Length != n || feature.Length != n) { r.Fail(name, $"has {n} nodes in children_left, {right.Length} in children_right and {feature.Length} features; expected the same positive count"); return -1; }
        var parents = new int[n];
        var depth = new int[n];
        var maxDepth = 0;
        for (var i = 0; i < n; i++)
        {
            if (left[i] == -1 || right[i] == -1)
            {
                if (left[i] != right[i]) { r.Fail(name, $"node {i} has one child ({left[i]}, {right[i]}); a node has two children or none"); return -1; }
                if (leafFeature is { } lf && feature[i] != lf) { r.Fail(name, $"leaf {i} has feature {feature[i]}, expected {lf}"); return -1; }
                continue;
            }
            if (left[i] <= i || right[i] <= i || left[i] >= n || right[i] >= n || left[i] == right[i])
            {
                r.Fail(name, $"node {i} has children {left[i]} and {right[i]}; children must be distinct nodes after their parent, below {n}");
                return -1;
            }
            if (feature[i] < 0 || feature[i] >= nFeatures) { r.Fail(name, $"node {i} splits on feature {feature[i]}, outside [0, {nFeatures})"); return -1; }
            parents[left[i]]++;
            parents[right[i]]++;
            depth[left[i]] = depth[right[i]] = depth[i] + 1;
            maxDepth = Math.Max(maxDepth, depth[i] + 1);
        }
        for (var i = 1; i < n; i++)
            if (parents[i] != 1) { r.Fail(name, $"node {i} has {parents[i]} parents; every node but the root has one"); return -1; }
        return maxDepth;
    }
}
