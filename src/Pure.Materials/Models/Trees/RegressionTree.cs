using System.Text;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Holds one fitted CART regression tree as flat node arrays, laid out as scikit-learn's <c>tree_</c> attribute.</summary>
/// <remarks>
/// Nodes are numbered in depth-first pre-order (the root is 0 and a split node's left child is the next node), as scikit-learn's
/// depth-first builder numbers them; trees grown best first (<c>max_leaf_nodes</c>) are numbered in creation order, as scikit-learn's
/// best-first builder numbers them (a split node's children are consecutive, left first). A sample goes left when <c>(double)(float)x[Feature[i]] &lt;= Threshold[i]</c>: features are
/// compared in single precision, as scikit-learn casts <c>X</c> to <c>float32</c> (CART trees; histogram gradient-boosting trees compare in double, see <see cref="SinglePrecision"/>). A NaN feature value goes right; fit and predict
/// refuse NaN, so that never happens through <see cref="RandomForest"/>.
/// Equality is structural (same arrays, element by element), so fitting twice with the same seed gives equal trees.
/// Source: scikit-learn 1.2.1 <c>sklearn/tree/_tree.pyx</c> (<c>Tree</c>, <c>compute_feature_importances</c>).
/// </remarks>
public sealed record RegressionTree : IFittedTree
{
    /// <summary>Marks a missing child in <see cref="ChildrenLeft"/> and <see cref="ChildrenRight"/> (scikit-learn <c>TREE_LEAF</c>).</summary>
    public const int Leaf = -1;

    /// <summary>Marks the feature (and, as -2.0, the threshold) of a leaf (scikit-learn <c>TREE_UNDEFINED</c>).</summary>
    public const int Undefined = -2;

    private readonly int[] _left;
    private readonly int[] _right;
    private readonly int[] _feature;
    private readonly double[] _threshold;
    private readonly double[] _value;
    private readonly double[] _impurity;
    private readonly int[] _nNodeSamples;
    private readonly double[] _weightedNNodeSamples;
    private readonly double[] _featureImportances;
    private readonly PackedNode[] _packed;

    internal RegressionTree(int nFeatures, int maxDepth, int[] left, int[] right, int[] feature, double[] threshold, double[] value,
        double[] impurity, int[] nNodeSamples, double[] weightedNNodeSamples, bool singlePrecision = true)
    {
        SinglePrecision = singlePrecision;
        NFeatures = nFeatures;
        MaxDepth = maxDepth;
        _left = left;
        _right = right;
        _feature = feature;
        _threshold = threshold;
        _value = value;
        _impurity = impurity;
        _nNodeSamples = nNodeSamples;
        _weightedNNodeSamples = weightedNNodeSamples;
        _packed = new PackedNode[left.Length];
        for (var i = 0; i < left.Length; i++)
            _packed[i] = feature[i] >= 0
                ? new PackedNode(threshold[i], feature[i], left[i], right[i])
                : new PackedNode(value[i], Undefined, Leaf, Leaf);
        _featureImportances = ComputeFeatureImportances();
    }

    /// <summary>Whether features are rounded to single precision before comparison: <c>true</c> for CART trees (scikit-learn casts
    /// <c>X</c> to <c>float32</c>), <c>false</c> for histogram gradient-boosting trees (compared in double, as scikit-learn's predictors).</summary>
    public bool SinglePrecision { get; }

    /// <summary>Number of features the tree was fitted on (<c>n_features_in_</c>).</summary>
    public int NFeatures { get; }

    /// <summary>Depth of the deepest leaf, the root having depth 0 (<c>tree_.max_depth</c>).</summary>
    public int MaxDepth { get; }

    /// <summary>Number of nodes, leaves included (<c>tree_.node_count</c>).</summary>
    public int NodeCount => _left.Length;

    /// <summary>Number of leaves (<c>tree_.n_leaves</c>).</summary>
    public int LeafCount
    {
        get
        {
            var n = 0;
            foreach (var f in _feature) if (f < 0) n++;
            return n;
        }
    }

    /// <summary>Left child of each node, or <see cref="Leaf"/> (-1); shape (NodeCount,).</summary>
    public ReadOnlySpan<int> ChildrenLeft => _left;

    /// <summary>Right child of each node, or <see cref="Leaf"/> (-1); shape (NodeCount,).</summary>
    public ReadOnlySpan<int> ChildrenRight => _right;

    /// <summary>Feature (0-based column) tested at each node, or <see cref="Undefined"/> (-2) at a leaf; shape (NodeCount,).</summary>
    public ReadOnlySpan<int> Feature => _feature;

    /// <summary>Threshold of each split node (samples with <c>x &lt;= threshold</c> go left), -2.0 at a leaf; shape (NodeCount,).</summary>
    /// <remarks>The midpoint <c>x[p-1]/2 + x[p]/2</c> of two consecutive distinct single-precision values of the node, computed in
    /// double; the lower value when the midpoint rounds to the upper one.</remarks>
    public ReadOnlySpan<double> Threshold => _threshold;

    /// <summary>Weighted mean of the target over the node's training samples, in the target's unit; shape (NodeCount,).</summary>
    public ReadOnlySpan<double> Value => _value;

    /// <summary>Weighted variance of the target in the node (squared-error impurity, target unit squared); shape (NodeCount,).</summary>
    /// <remarks>Computed as scikit-learn does, <c>sum(w y^2)/W - (sum(w y)/W)^2</c>, so it can be a tiny negative number for a pure node.</remarks>
    public ReadOnlySpan<double> Impurity => _impurity;

    /// <summary>Number of distinct training rows in each node (bootstrap duplicates counted once); shape (NodeCount,).</summary>
    public ReadOnlySpan<int> NNodeSamples => _nNodeSamples;

    /// <summary>Sum of the sample weights (bootstrap counts) in each node; shape (NodeCount,).</summary>
    public ReadOnlySpan<double> WeightedNNodeSamples => _weightedNNodeSamples;

    /// <summary>Impurity-based importance of each feature in this tree, summing to 1 (all 0 for a single-leaf tree); shape (NFeatures,).</summary>
    /// <remarks>Sum over split nodes of <c>W_node * impurity_node - W_left * impurity_left - W_right * impurity_right</c> per feature,
    /// divided by the root weight, then normalised to sum 1 (scikit-learn <c>feature_importances_</c>).</remarks>
    public ReadOnlySpan<double> FeatureImportances => _featureImportances;

    /// <summary>Predicts one sample.</summary>
    /// <param name="row">Feature values, length <see cref="NFeatures"/>; rounded to single precision before comparison when <see cref="SinglePrecision"/>.</param>
    /// <returns>The value of the leaf the sample falls in.</returns>
    /// <exception cref="ArgumentException">When <paramref name="row"/> does not have <see cref="NFeatures"/> values (a programmer error).</exception>
    public double Predict(ReadOnlySpan<double> row)
    {
        if (row.Length != NFeatures) throw new ArgumentException($"Row has {row.Length} values, expected {NFeatures}.", nameof(row));
        var nodes = _packed;
        var i = 0;
        while (true)
        {
            var node = nodes[i];
            if (node.Feature < 0) return node.Threshold;
            var v = row[node.Feature];
            i = (SinglePrecision ? (double)(float)v : v) <= node.Threshold ? node.Left : node.Right;
        }
    }

    /// <summary>Predicts one sample comparing in double precision; no length check (histogram trees).</summary>
    internal double PredictRowDouble(ReadOnlySpan<double> row)
    {
        var nodes = _packed;
        var i = 0;
        while (true)
        {
            var node = nodes[i];
            if (node.Feature < 0) return node.Threshold;
            i = row[node.Feature] <= node.Threshold ? node.Left : node.Right;
        }
    }

    /// <summary>Predicts one sample whose features are already single precision; no length check.</summary>
    internal double PredictRow(ReadOnlySpan<float> row)
    {
        var nodes = _packed;
        var i = 0;
        while (true)
        {
            var node = nodes[i];
            if (node.Feature < 0) return node.Threshold;
            i = (double)row[node.Feature] <= node.Threshold ? node.Left : node.Right;
        }
    }

    /// <summary>Compares two trees node by node.</summary>
    /// <param name="other">The other tree, or <c>null</c>.</param>
    /// <returns><c>true</c> when both have the same number of features and identical node arrays.</returns>
    public bool Equals(RegressionTree? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (NFeatures == other.NFeatures && MaxDepth == other.MaxDepth && SinglePrecision == other.SinglePrecision
                && _left.AsSpan().SequenceEqual(other._left) && _right.AsSpan().SequenceEqual(other._right)
                && _feature.AsSpan().SequenceEqual(other._feature) && _threshold.AsSpan().SequenceEqual(other._threshold)
                && _value.AsSpan().SequenceEqual(other._value) && _impurity.AsSpan().SequenceEqual(other._impurity)
                && _nNodeSamples.AsSpan().SequenceEqual(other._nNodeSamples)
                && _weightedNNodeSamples.AsSpan().SequenceEqual(other._weightedNNodeSamples)));

    /// <summary>Hashes the shape and the split structure.</summary>
    /// <returns>A hash consistent with <see cref="Equals(RegressionTree?)"/>.</returns>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(NFeatures);
        h.Add(NodeCount);
        for (var i = 0; i < Math.Min(NodeCount, 16); i++)
        {
            h.Add(_feature[i]);
            h.Add(_threshold[i]);
            h.Add(_value[i]);
        }
        return h.ToHashCode();
    }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"NFeatures = {NFeatures}, NodeCount = {NodeCount}, LeafCount = {LeafCount}, MaxDepth = {MaxDepth}");
        return true;
    }

    private double[] ComputeFeatureImportances()
    {
        var importances = new double[NFeatures];
        for (var i = 0; i < NodeCount; i++)
        {
            if (_left[i] == Leaf) continue;
            int l = _left[i], r = _right[i];
            importances[_feature[i]] += _weightedNNodeSamples[i] * _impurity[i]
                - _weightedNNodeSamples[l] * _impurity[l]
                - _weightedNNodeSamples[r] * _impurity[r];
        }
        var root = _weightedNNodeSamples[0];
        for (var j = 0; j < NFeatures; j++) importances[j] /= root;
        var total = 0.0;
        foreach (var v in importances) total += v;
        if (total > 0)
            for (var j = 0; j < NFeatures; j++) importances[j] /= total;
        return importances;
    }

    /// <summary>A node laid out for prediction: a split (feature &gt;= 0) or a leaf whose value is stored in <c>Threshold</c>.</summary>
    /// <summary>Writes the tree's node arrays for a model file (scikit-learn's <c>tree_</c> attribute names).</summary>
    /// <returns>The state.</returns>
    internal StateNode Write() => new StateNode()
        .Int("n_features", NFeatures).Int("max_depth", MaxDepth).Bool("single_precision", SinglePrecision)
        .Ints("children_left", _left).Ints("children_right", _right).Ints("feature", _feature).Floats("threshold", _threshold)
        .Floats("value", _value).Floats("impurity", _impurity).Ints("n_node_samples", _nNodeSamples).Floats("weighted_n_node_samples", _weightedNNodeSamples);

    /// <summary>Reads a tree written by <see cref="Write"/>, checking that it is one finite tree over <paramref name="nFeatures"/> features.</summary>
    /// <param name="r">The reader.</param>
    /// <param name="nFeatures">The features of the model holding the tree.</param>
    /// <param name="singlePrecision">How the model compares features (<see cref="SinglePrecision"/>: true for CART trees, false for
    /// histogram gradient boosting), or null to accept either.</param>
    /// <returns>The tree, or null after a problem (recorded on <paramref name="r"/>).</returns>
    internal static RegressionTree? Read(StateReader r, int nFeatures, bool? singlePrecision = null)
    {
        var single = r.Bool("single_precision");
        if (r.Ok && singlePrecision is { } expected && single != expected)
            r.Fail("single_precision", $"is {(single ? "true" : "false")}, but this model's trees compare features in {(expected ? "single" : "double")} precision");
        if (TreeState.ReadLayout(r, nFeatures) is not { } t) return null;
        var value = r.Floats("value", t.Left.Length);
        return r.Ok ? new RegressionTree(nFeatures, t.MaxDepth, t.Left, t.Right, t.Feature, t.Threshold, value, t.Impurity, t.Samples, t.Weighted, single) : null;
    }

    private readonly record struct PackedNode(double Threshold, int Feature, int Left, int Right);
}
