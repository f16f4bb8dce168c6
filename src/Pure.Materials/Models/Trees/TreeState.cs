using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Checks the node arrays of a tree read from a model file, so that prediction on a loaded tree always ends at a leaf.</summary>
internal static class TreeState
{
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
