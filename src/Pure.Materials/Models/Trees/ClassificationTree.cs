using System.Text;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Holds one fitted CART classification tree: the node layout of scikit-learn's <c>tree_</c> plus the weighted class counts of every node.</summary>
/// <remarks>
/// <para>The split structure (children, features, thresholds, impurities, sample counts) is a <see cref="RegressionTree"/> layout with the same
/// conventions (pre-order numbering, <c>(double)(float)x &lt;= threshold</c> goes left). <see cref="Value"/> holds, for node i and class k,
/// the weighted number of training samples of class k in the node, <c>value[i, k]</c> of scikit-learn 1.2.1 (bootstrap counts are weights).
/// A row's class probabilities are its leaf's counts divided by their sum (scikit-learn <c>DecisionTreeClassifier.predict_proba</c>).</para>
/// <para><see cref="Impurity"/> is the node's Gini impurity <c>1 - sum_k p_k^2</c> or entropy <c>-sum_k p_k log2 p_k</c> (bits, as scikit-learn).</para>
/// <para>Source: scikit-learn 1.2.1 <c>sklearn/tree/_tree.pyx</c>, <c>sklearn/tree/_criterion.pyx</c> (<c>Gini</c>, <c>Entropy</c>).</para>
/// </remarks>
public sealed record ClassificationTree : IFittedTree
{
    private readonly RegressionTree _layout; // Value[i] = i: the leaf a row reaches
    private readonly double[] _counts;
    private readonly double[] _proba;

    internal ClassificationTree(int nFeatures, int nClasses, int maxDepth, int[] left, int[] right, int[] feature, double[] threshold,
        double[] counts, double[] impurity, int[] nNodeSamples, double[] weightedNNodeSamples)
    {
        NClasses = nClasses;
        var ids = new double[left.Length];
        for (var i = 0; i < ids.Length; i++) ids[i] = i;
        _layout = new RegressionTree(nFeatures, maxDepth, left, right, feature, threshold, ids, impurity, nNodeSamples, weightedNNodeSamples);
        _counts = counts;
        _proba = new double[counts.Length];
        for (var i = 0; i < left.Length; i++)
        {
            var total = 0.0;
            for (var k = 0; k < nClasses; k++) total += counts[i * nClasses + k];
            if (total == 0) total = 1; // scikit-learn: normalizer[normalizer == 0.0] = 1.0
            for (var k = 0; k < nClasses; k++) _proba[i * nClasses + k] = counts[i * nClasses + k] / total;
        }
    }

    /// <summary>Number of classes (<c>n_classes_</c>).</summary>
    public int NClasses { get; }

    /// <summary>Number of features the tree was fitted on.</summary>
    public int NFeatures => _layout.NFeatures;

    /// <summary>Depth of the deepest leaf (<c>tree_.max_depth</c>).</summary>
    public int MaxDepth => _layout.MaxDepth;

    /// <summary>Number of nodes (<c>tree_.node_count</c>).</summary>
    public int NodeCount => _layout.NodeCount;

    /// <summary>Left child of each node, or <see cref="RegressionTree.Leaf"/>.</summary>
    public ReadOnlySpan<int> ChildrenLeft => _layout.ChildrenLeft;

    /// <summary>Right child of each node, or <see cref="RegressionTree.Leaf"/>.</summary>
    public ReadOnlySpan<int> ChildrenRight => _layout.ChildrenRight;

    /// <summary>Split feature of each node, or <see cref="RegressionTree.Undefined"/> for leaves.</summary>
    public ReadOnlySpan<int> Feature => _layout.Feature;

    /// <summary>Split threshold of each node (-2 for leaves).</summary>
    public ReadOnlySpan<double> Threshold => _layout.Threshold;

    /// <summary>Gini impurity or entropy (bits) of each node.</summary>
    public ReadOnlySpan<double> Impurity => _layout.Impurity;

    /// <summary>Distinct training samples in each node.</summary>
    public ReadOnlySpan<int> NNodeSamples => _layout.NNodeSamples;

    /// <summary>Weighted training samples in each node (bootstrap counts summed).</summary>
    public ReadOnlySpan<double> WeightedNNodeSamples => _layout.WeightedNNodeSamples;

    /// <summary>Weighted class counts, shape (NodeCount, NClasses) row-major (<c>tree_.value[:, 0, :]</c>).</summary>
    public ReadOnlySpan<double> Value => _counts;

    /// <summary>Impurity-based importances of this tree, summing to 1 (all zero for a single leaf).</summary>
    public ReadOnlySpan<double> FeatureImportances => _layout.FeatureImportances;

    /// <summary>Finds the leaf a row reaches.</summary>
    /// <param name="row">Feature values, length <see cref="NFeatures"/>.</param>
    /// <returns>The leaf's node index.</returns>
    public int Apply(ReadOnlySpan<double> row) => (int)_layout.Predict(row);

    internal int ApplyRow(ReadOnlySpan<float> row) => (int)_layout.PredictRow(row);

    /// <summary>The class probabilities of a node: its counts divided by their sum, length <see cref="NClasses"/>.</summary>
    /// <param name="node">A node index.</param>
    /// <returns>The probabilities.</returns>
    public ReadOnlySpan<double> NodeProba(int node) => _proba.AsSpan(node * NClasses, NClasses);

    /// <summary>Views the tree as a regression tree predicting the probability of class index <paramref name="k"/> (for TreeSHAP).</summary>
    /// <param name="k">Class index in [0, NClasses).</param>
    /// <returns>A regression tree with the same splits whose node values are <c>p_k</c>.</returns>
    public RegressionTree ForClass(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, NClasses);
        var value = new double[NodeCount];
        for (var i = 0; i < value.Length; i++) value[i] = _proba[i * NClasses + k];
        return new RegressionTree(NFeatures, MaxDepth, ChildrenLeft.ToArray(), ChildrenRight.ToArray(), Feature.ToArray(), Threshold.ToArray(),
            value, Impurity.ToArray(), NNodeSamples.ToArray(), WeightedNNodeSamples.ToArray());
    }

    /// <summary>Compares two trees node by node.</summary>
    /// <param name="other">The other tree.</param>
    /// <returns><c>true</c> when the layouts and class counts are equal.</returns>
    public bool Equals(ClassificationTree? other) =>
        other is not null && NClasses == other.NClasses && _layout.Equals(other._layout) && _counts.AsSpan().SequenceEqual(other._counts);

    /// <summary>Hashes the layout.</summary>
    /// <returns>A hash consistent with equality.</returns>
    public override int GetHashCode() => HashCode.Combine(NClasses, _layout.GetHashCode());

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"NClasses = {NClasses}, NodeCount = {NodeCount}, MaxDepth = {MaxDepth}");
        return true;
    }

    /// <summary>Writes the tree for a model file: scikit-learn's <c>tree_</c> arrays, <c>value</c> as (node_count, n_classes) class counts.</summary>
    /// <returns>The state.</returns>
    internal StateNode Write() => new StateNode()
        .Int("n_features", NFeatures).Int("max_depth", MaxDepth).Int("n_classes", NClasses)
        .Ints("children_left", ChildrenLeft).Ints("children_right", ChildrenRight).Ints("feature", Feature).Floats("threshold", Threshold)
        .Matrix("value", Matrix.FromRowMajor(NodeCount, NClasses, _counts)).Floats("impurity", Impurity).Ints("n_node_samples", NNodeSamples)
        .Floats("weighted_n_node_samples", WeightedNNodeSamples);

    /// <summary>Reads a tree written by <see cref="Write"/>: one tree over <paramref name="nFeatures"/> features (see
    /// <see cref="TreeState.ReadLayout"/>) with finite, non-negative class counts for <paramref name="nClasses"/> classes.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="nFeatures">The features of the model holding the tree.</param>
    /// <param name="nClasses">The classes of the model holding the tree.</param>
    /// <returns>The tree, or null after a problem (recorded on <paramref name="r"/>).</returns>
    internal static ClassificationTree? Read(StateReader r, int nFeatures, int nClasses)
    {
        r.Int("n_classes", nClasses, nClasses);
        if (!r.Ok || TreeState.ReadLayout(r, nFeatures) is not { } t) return null;
        var counts = Models.ModelState.Matrix(r, "value", t.Left.Length, nClasses);
        if (!r.Ok) return null;
        if (counts.Data.IndexOfAnyExceptInRange(0.0, double.MaxValue) is var bad and >= 0) { r.Fail("value", $"element {bad} is a negative class count"); return null; }
        return new ClassificationTree(nFeatures, nClasses, t.MaxDepth, t.Left, t.Right, t.Feature, t.Threshold, counts.Data.ToArray(), t.Impurity, t.Samples, t.Weighted);
    }
}
