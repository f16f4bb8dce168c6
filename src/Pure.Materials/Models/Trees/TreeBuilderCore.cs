using System.Runtime.CompilerServices;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>The chosen split of a node [start, end): children [start, Pos) and [Pos, end); <c>Pos = end</c> when none was found.</summary>
internal struct TreeSplit
{
    public int Pos;
    public int Feature;
    public double Threshold;
    public double ImpurityLeft;
    public double ImpurityRight;
    public double Improvement;
}

/// <summary>A node waiting to be built: its samples [Start, End), depth, parent link, impurity (computed by the parent's split),
/// the number of known constant features, and the feature whose sorted order its samples are in (-1: row order).</summary>
internal readonly record struct NodeEntry(
    int Start, int End, int Depth, int Parent, bool IsLeft, double Impurity, int NConstants, int StatsFeature);

/// <summary>
/// scikit-learn's draw of <c>max_features</c> candidate features without replacement at one node (<c>BestSplitter.node_split</c> and
/// <c>RandomSplitter.node_split</c>), with its constant-feature bookkeeping: known constants of the ancestors sit first in
/// <c>features</c> and are skipped when drawn; constants found here are moved after them; visited features go to the back.
/// </summary>
/// <remarks>Source: scikit-learn 1.2.1 <c>sklearn/tree/_splitter.pyx</c>. The draws use the tree's stream in the same order as scikit-learn.</remarks>
internal struct FeatureDraw
{
    private readonly int[] _features;
    private readonly int _nKnownConstants;
    private readonly int _maxFeatures;
    private int _nVisited;
    private int _nFoundConstants;
    private int _nDrawnConstants;
    private int _nTotalConstants;
    private int _fI;

    public FeatureDraw(int[] features, int p, int nKnownConstants, int maxFeatures)
    {
        _features = features;
        _nKnownConstants = nKnownConstants;
        _maxFeatures = maxFeatures;
        _nTotalConstants = nKnownConstants;
        _fI = p;
    }

    /// <summary>Known plus newly found constant features: <c>features[..NTotalConstants)</c> are constant in this node.</summary>
    public readonly int NTotalConstants => _nTotalConstants;

    /// <summary>Whether another feature is to be drawn: unvisited non-constant features are left, and fewer than <c>max_features</c>
    /// non-constant ones have been visited.</summary>
    public readonly bool More =>
        _fI > _nTotalConstants && (_nVisited < _maxFeatures || _nVisited <= _nFoundConstants + _nDrawnConstants);

    /// <summary>Draws one feature: its position in <c>features</c>, or -1 when it is a known constant (skipped; draw again while <see cref="More"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Draw(ref RngCursor cursor)
    {
        _nVisited++;
        var j = _nDrawnConstants + cursor.NextInt(_fI - _nFoundConstants - _nDrawnConstants);
        if (j < _nKnownConstants)
        {
            (_features[_nDrawnConstants], _features[j]) = (_features[j], _features[_nDrawnConstants]);
            _nDrawnConstants++;
            return -1;
        }
        return j + _nFoundConstants;
    }

    /// <summary>The candidate at <paramref name="fJ"/> is constant in this node: it joins the constants.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Constant(int fJ)
    {
        var features = _features;
        (features[fJ], features[_nTotalConstants]) = (features[_nTotalConstants], features[fJ]);
        _nFoundConstants++;
        _nTotalConstants++;
    }

    /// <summary>The candidate at <paramref name="fJ"/> is not constant: it is moved to the visited features at the back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Visited(int fJ)
    {
        var features = _features;
        _fI--;
        (features[_fI], features[fJ]) = (features[fJ], features[_fI]);
    }

    /// <summary>Keeps the known constants first and in their original order for the node's descendants and siblings, records the
    /// constants found here after them in <paramref name="constantFeatures"/>, and returns the number of constants of this node.</summary>
    public readonly int Finish(int[] constantFeatures)
    {
        Array.Copy(constantFeatures, 0, _features, 0, _nKnownConstants);
        Array.Copy(_features, _nKnownConstants, constantFeatures, _nKnownConstants, _nFoundConstants);
        return _nTotalConstants;
    }
}

/// <summary>Computes one node's statistics and split and records it (see <see cref="TreeBuilderCore"/>). Implemented by a struct over
/// a builder, so that the growth loops are specialised per builder by the JIT: a direct call per node, no virtual dispatch.</summary>
internal interface INodeAdder
{
    /// <summary>Computes node <paramref name="node"/>'s statistics and split (when it is not a leaf), writes it to the node arrays and
    /// links it to its parent. Returns whether it is a leaf.</summary>
    bool AddNode(int node, in NodeEntry e, double weightTotal, bool first, int nKnownConstants, ref RngCursor cursor,
        out TreeSplit split, out int nConstants);
}

/// <summary>
/// What scikit-learn 1.2.1's regression and classification tree builders share: bootstrap counts, the depth-first
/// (<c>DepthFirstTreeBuilder</c>) and best-first (<c>BestFirstTreeBuilder</c>) growth orders, the leaf tests and the node arrays.
/// A subclass computes a node's statistics and split (an <see cref="INodeAdder"/>, called once per node; the split search is its own).
/// </summary>
/// <remarks>Source: scikit-learn 1.2.1 <c>sklearn/tree/_tree.pyx</c>.</remarks>
internal abstract class TreeBuilderCore
{
    /// <summary>scikit-learn <c>FEATURE_THRESHOLD</c>: values closer than this are not split apart.</summary>
    protected const double FeatureThreshold = 1e-7;

    /// <summary>scikit-learn <c>EPSILON = np.finfo('double').eps</c>.</summary>
    protected const double Epsilon = 2.220446049250313e-16;

    protected readonly TreeSettings _settings;
    protected readonly int[] _counts;
    protected readonly int[] _features;
    protected readonly int[] _constantFeatures;
    private readonly NodeEntry[] _stack;

    // Node buffers (at most 2N - 1 nodes); _nodeValue holds ValueWidth values per node.
    protected readonly int[] _nodeLeft;
    protected readonly int[] _nodeRight;
    protected readonly int[] _nodeFeature;
    protected readonly double[] _nodeThreshold;
    protected readonly double[] _nodeValue;
    protected readonly double[] _nodeImpurity;
    protected readonly int[] _nodeSamples;
    protected readonly double[] _nodeWeight;

    protected TreeBuilderCore(int n, int p, TreeSettings settings, int valueWidth)
    {
        _settings = settings;
        _counts = new int[n];
        _features = new int[p];
        _constantFeatures = new int[p];
        _stack = new NodeEntry[n + 1];
        var maxNodes = Math.Max(1, 2 * n - 1);
        _nodeLeft = new int[maxNodes];
        _nodeRight = new int[maxNodes];
        _nodeFeature = new int[maxNodes];
        _nodeThreshold = new double[maxNodes];
        _nodeValue = new double[(long)maxNodes * valueWidth];
        _nodeImpurity = new double[maxNodes];
        _nodeSamples = new int[maxNodes];
        _nodeWeight = new double[maxNodes];
    }

    /// <summary>Bootstrap counts of every row (as <see cref="ForestCore.BootstrapCounts"/>: <c>NBootstrap</c> uniform draws), or all ones.</summary>
    protected void DrawCounts(ref RngCursor cursor)
    {
        var counts = _counts;
        if (_settings.Bootstrap)
        {
            Array.Clear(counts);
            var n = counts.Length;
            for (var k = 0; k < _settings.NBootstrap; k++) counts[cursor.NextInt(n)]++;
        }
        else
        {
            Array.Fill(counts, 1);
        }
    }

    /// <summary>Grows the tree over samples [0, m): best first when <c>max_leaf_nodes</c> is set, depth first otherwise. Returns the node count.</summary>
    protected int Grow<TNodes>(TNodes nodes, int m, double weightTotal, ref RngCursor cursor, out int maxDepthSeen)
        where TNodes : struct, INodeAdder
    {
        for (var f = 0; f < _features.Length; f++) _features[f] = f;
        return _settings.MaxLeafNodes < int.MaxValue
            ? GrowBestFirst(nodes, m, weightTotal, ref cursor, out maxDepthSeen)
            : GrowDepthFirst(nodes, m, weightTotal, ref cursor, out maxDepthSeen);
    }

    /// <summary>scikit-learn's leaf test for a node at <paramref name="depth"/> with <paramref name="nSamples"/> distinct rows.</summary>
    protected bool IsLeaf(int depth, int nSamples, double impurity) =>
        depth >= _settings.MaxDepth || nSamples < _settings.MinSamplesSplit || nSamples < 2 * _settings.MinSamplesLeaf
        || impurity <= Epsilon;

    /// <summary>Whether a found split is not taken: none found, or its improvement is below <c>min_impurity_decrease</c>.</summary>
    protected bool Rejects(in TreeSplit split, int end) =>
        split.Pos >= end || split.Improvement + Epsilon < _settings.MinImpurityDecrease;

    /// <summary>Links the node to its parent and writes everything but its value to the node arrays.</summary>
    protected void RecordNode(int node, in NodeEntry e, bool isLeaf, in TreeSplit split, double impurity, int nSamples, double weight)
    {
        if (e.Parent >= 0)
        {
            if (e.IsLeft) _nodeLeft[e.Parent] = node;
            else _nodeRight[e.Parent] = node;
        }
        _nodeLeft[node] = RegressionTree.Leaf;
        _nodeRight[node] = RegressionTree.Leaf;
        _nodeFeature[node] = isLeaf ? RegressionTree.Undefined : split.Feature;
        _nodeThreshold[node] = isLeaf ? RegressionTree.Undefined : split.Threshold;
        _nodeImpurity[node] = impurity;
        _nodeSamples[node] = nSamples;
        _nodeWeight[node] = weight;
    }

    /// <summary>scikit-learn's threshold between two consecutive distinct values: the midpoint, or the lower value when the midpoint rounds to the upper one.</summary>
    protected static double Midpoint(double lo, double hi)
    {
        var t = lo / 2.0 + hi / 2.0;
        return t == hi || double.IsInfinity(t) ? lo : t;
    }

    /// <summary>scikit-learn <c>RandomSplitter</c>: a threshold uniform in [lo, hi) (a draw of exactly hi maps back to lo).</summary>
    protected static double RandomThreshold(double lo, double hi, ref RngCursor cursor)
    {
        var threshold = (hi - lo) * cursor.NextDouble() + lo;
        return threshold == hi ? lo : threshold;
    }

    /// <summary>scikit-learn <c>DepthFirstTreeBuilder</c>: nodes numbered in pre-order, the left child first.</summary>
    private int GrowDepthFirst<TNodes>(TNodes nodes, int m, double weightTotal, ref RngCursor cursor, out int maxDepthSeen)
        where TNodes : struct, INodeAdder
    {
        var nodeCount = 0;
        maxDepthSeen = 0;
        var sp = 0;
        _stack[sp++] = new NodeEntry(0, m, 0, -1, false, double.NaN, 0, -1);
        while (sp > 0)
        {
            var e = _stack[--sp];
            var node = nodeCount++;
            var isLeaf = nodes.AddNode(node, e, weightTotal, node == 0, e.NConstants, ref cursor, out var split, out var nConstants);
            if (!isLeaf)
            {
                _stack[sp++] = new NodeEntry(split.Pos, e.End, e.Depth + 1, node, false, split.ImpurityRight, nConstants, split.Feature);
                _stack[sp++] = new NodeEntry(e.Start, split.Pos, e.Depth + 1, node, true, split.ImpurityLeft, nConstants, split.Feature);
            }
            if (e.Depth > maxDepthSeen) maxDepthSeen = e.Depth;
        }
        return nodeCount;
    }

    /// <summary>
    /// scikit-learn <c>BestFirstTreeBuilder</c>: a node's split is computed when the node is created; the frontier node with the
    /// largest impurity improvement is expanded next (ties: the earlier node) until <c>max_leaf_nodes - 1</c> nodes are split; the
    /// rest become leaves. Nodes are numbered in creation order (a split node's children are consecutive, left first), and every
    /// node starts with no known constant features, as in scikit-learn.
    /// </summary>
    private int GrowBestFirst<TNodes>(TNodes nodes, int m, double weightTotal, ref RngCursor cursor, out int maxDepthSeen)
        where TNodes : struct, INodeAdder
    {
        maxDepthSeen = 0;
        var frontier = new PriorityQueue<FrontierEntry, (double NegImprovement, int Node)>();
        var rootEntry = new NodeEntry(0, m, 0, -1, false, double.NaN, 0, -1);
        var rootLeaf = nodes.AddNode(0, rootEntry, weightTotal, true, 0, ref cursor, out var rootSplit, out _);
        var nodeCount = 1;
        frontier.Enqueue(new FrontierEntry(0, rootEntry, rootSplit, rootLeaf), (rootLeaf ? -0.0 : -rootSplit.Improvement, 0));
        var maxSplitNodes = _settings.MaxLeafNodes - 1;
        while (frontier.Count > 0)
        {
            var f = frontier.Dequeue();
            var e = f.Entry;
            if (e.Depth > maxDepthSeen) maxDepthSeen = e.Depth;
            if (f.IsLeaf || maxSplitNodes <= 0)
            {
                _nodeFeature[f.Node] = RegressionTree.Undefined;
                _nodeThreshold[f.Node] = RegressionTree.Undefined;
                continue;
            }
            maxSplitNodes--;
            var split = f.Split;
            var left = new NodeEntry(e.Start, split.Pos, e.Depth + 1, f.Node, true, split.ImpurityLeft, 0, split.Feature);
            var right = new NodeEntry(split.Pos, e.End, e.Depth + 1, f.Node, false, split.ImpurityRight, 0, split.Feature);
            var l = nodeCount++;
            var leftLeaf = nodes.AddNode(l, left, weightTotal, false, 0, ref cursor, out var leftSplit, out _);
            var r = nodeCount++;
            var rightLeaf = nodes.AddNode(r, right, weightTotal, false, 0, ref cursor, out var rightSplit, out _);
            frontier.Enqueue(new FrontierEntry(l, left, leftSplit, leftLeaf), (leftLeaf ? -0.0 : -leftSplit.Improvement, l));
            frontier.Enqueue(new FrontierEntry(r, right, rightSplit, rightLeaf), (rightLeaf ? -0.0 : -rightSplit.Improvement, r));
        }
        return nodeCount;
    }

    private readonly record struct FrontierEntry(int Node, NodeEntry Entry, TreeSplit Split, bool IsLeaf);
}
