using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>Training data shared (read-only) by every classification tree of one fit: class indices and per-feature value ranks.</summary>
internal sealed class ClassificationData
{
    public int N { get; }
    public int P { get; }
    public int NClasses { get; }

    /// <summary>Class index of each row, in [0, NClasses).</summary>
    public int[] Y { get; }

    /// <summary>Feature value of row i in single precision at <c>[f*N + i]</c> (scikit-learn casts X to float32).</summary>
    public float[] Values { get; }

    /// <summary>Rank of row i's value of feature f at <c>[f*N + i]</c>: equal values share a rank, larger values have larger ranks.</summary>
    public int[] Rank { get; }

    private ClassificationData(int n, int p, int nClasses, int[] y, float[] values, int[] rank)
    {
        N = n;
        P = p;
        NClasses = nClasses;
        Y = y;
        Values = values;
        Rank = rank;
    }

    public static ClassificationData Create(Matrix x, int[] y, int nClasses, int degreeOfParallelism)
    {
        int n = x.Rows, p = x.Cols;
        var sorted = TrainingData.Create(x, new double[n], degreeOfParallelism).Presorted;
        var values = new float[(long)n * p];
        var rank = new int[(long)n * p];
        for (var f = 0; f < p; f++)
        {
            var r = -1;
            var previous = float.NaN;
            for (var k = 0; k < n; k++)
            {
                var e = sorted[f * n + k];
                var v = e.X + 0f;
                if (k == 0 || v != previous) r = k;
                previous = v;
                rank[f * n + e.Id] = r;
                values[f * n + e.Id] = e.X;
            }
        }
        return new ClassificationData(n, p, nClasses, y, values, rank);
    }
}

/// <summary>Grows CART classification trees exactly as scikit-learn 1.2.1's tree builders with the <c>gini</c> or <c>entropy</c> criterion,
/// on reusable scratch memory (one builder per thread, never shared).</summary>
/// <remarks>
/// <para>Follows <c>BestSplitter.node_split</c> (or <c>RandomSplitter.node_split</c> for extra trees): the node's samples are sorted by each
/// drawn feature (here by a precomputed rank, so sorting is on integers), splits lie between consecutive values more than 1e-7 apart, the
/// proxy <c>-W_R I_R - W_L I_L</c> is maximised (the first best wins), and features are drawn without replacement with the constant-feature
/// bookkeeping of scikit-learn. Class counts are sums of integer bootstrap weights, so every sum is exact whatever the order of samples.</para>
/// <para>Source: scikit-learn 1.2.1 <c>sklearn/tree/_splitter.pyx</c>, <c>_criterion.pyx</c>, <c>_tree.pyx</c>.</para>
/// </remarks>
internal sealed class ClassificationTreeBuilder : TreeBuilderCore
{
    private static readonly double Ln2 = Math.Log(2.0);

    private readonly ClassificationData _data;
    private readonly bool _entropy;
    private readonly int _k;

    private readonly int[] _samples;
    private readonly double[] _w; // weight by row
    private readonly ulong[] _keys;
    private readonly float[] _xf;
    private readonly double[] _sumTotal;
    private readonly double[] _sumLeft;
    private readonly double[] _sumRight;

    public ClassificationTreeBuilder(ClassificationData data, TreeSettings settings, bool entropy)
        : base(data.N, data.P, settings, data.NClasses)
    {
        _data = data;
        _entropy = entropy;
        _k = data.NClasses;
        var n = data.N;
        _samples = new int[n];
        _w = new double[n];
        _keys = new ulong[n];
        _xf = new float[n];
        _sumTotal = new double[_k];
        _sumLeft = new double[_k];
        _sumRight = new double[_k];
    }

    /// <summary>Grows one tree from its own stream: bootstrap counts first (as <see cref="ForestCore.BootstrapCounts"/>), then the node draws.</summary>
    public ClassificationTree Build(Rng rng)
    {
        var cursor = new RngCursor(rng);
        int n = _data.N, p = _data.P;
        DrawCounts(ref cursor);
        var m = 0;
        var weightTotal = 0.0;
        for (var i = 0; i < n; i++)
        {
            _w[i] = _counts[i];
            if (_counts[i] == 0) continue;
            _samples[m++] = i;
            weightTotal += _counts[i];
        }
        var nodeCount = Grow(new Nodes(this), m, weightTotal, ref cursor, out var maxDepthSeen);
        return new ClassificationTree(p, _k, maxDepthSeen,
            _nodeLeft.AsSpan(0, nodeCount).ToArray(), _nodeRight.AsSpan(0, nodeCount).ToArray(),
            _nodeFeature.AsSpan(0, nodeCount).ToArray(), _nodeThreshold.AsSpan(0, nodeCount).ToArray(),
            _nodeValue.AsSpan(0, nodeCount * _k).ToArray(), _nodeImpurity.AsSpan(0, nodeCount).ToArray(),
            _nodeSamples.AsSpan(0, nodeCount).ToArray(), _nodeWeight.AsSpan(0, nodeCount).ToArray());
    }

    /// <summary>Impurity of class counts with total weight <paramref name="w"/>: Gini <c>1 - sum c_k^2 / w^2</c> or entropy in bits.</summary>
    private double ImpurityOf(ReadOnlySpan<double> counts, double w)
    {
        if (_entropy)
        {
            var entropy = 0.0;
            foreach (var c in counts)
            {
                if (c <= 0.0) continue;
                var q = c / w;
                entropy -= q * (Math.Log(q) / Ln2);
            }
            return entropy;
        }
        var sq = 0.0;
        foreach (var c in counts) sq += c * c;
        return 0.0 + (1.0 - sq / (w * w));
    }

    /// <summary>
    /// Computes node <paramref name="node"/>'s statistics and split (when it is not a leaf), writes it to the node arrays and links it
    /// to its parent. Returns whether it is a leaf.
    /// </summary>
    private bool AddNode(int node, in NodeEntry e, double weightTotal, bool first, int nKnownConstants, ref RngCursor cursor,
        out TreeSplit split, out int nConstants)
    {
        int start = e.Start, end = e.End, nNode = end - start;
        var y = _data.Y;
        Array.Clear(_sumTotal);
        var w = 0.0;
        for (var i = start; i < end; i++)
        {
            var s = _samples[i];
            _sumTotal[y[s]] += _w[s];
            w += _w[s];
        }

        var impurity = first ? ImpurityOf(_sumTotal, w) : e.Impurity;
        var isLeaf = IsLeaf(e.Depth, nNode, impurity);

        split = new TreeSplit { Pos = end, Feature = -1 };
        nConstants = nKnownConstants;
        if (!isLeaf)
        {
            split = NodeSplit(start, end, w, weightTotal, impurity, nKnownConstants, ref cursor, out nConstants);
            isLeaf = Rejects(split, end);
        }

        RecordNode(node, e, isLeaf, split, impurity, nNode, w);
        _sumTotal.CopyTo(_nodeValue.AsSpan(node * _k, _k));
        return isLeaf;
    }

    /// <summary>scikit-learn <c>BestSplitter.node_split</c> / <c>RandomSplitter.node_split</c> for node [start, end); on a split, the node's
    /// samples are left partitioned (left child first).</summary>
    private TreeSplit NodeSplit(int start, int end, double weightNode, double weightTotal, double impurity, int nKnownConstants,
        ref RngCursor cursor, out int nConstantsOut)
    {
        var n = end - start;
        int nAll = _data.N, p = _data.P, kc = _k;
        var features = _features;
        var minLeaf = _settings.MinSamplesLeaf;
        var y = _data.Y;
        var rank = _data.Rank;
        var values = _data.Values;
        var samples = _samples;
        var xf = _xf;
        var sumLeft = _sumLeft;
        var sumRight = _sumRight;
        var sumTotal = _sumTotal;

        var draw = new FeatureDraw(features, p, nKnownConstants, _settings.MaxFeatures);
        var bestProxy = double.NegativeInfinity;
        int bestPos = end, bestFeature = -1;
        var bestThreshold = 0.0;

        while (draw.More)
        {
            var fJ = draw.Draw(ref cursor);
            if (fJ < 0) continue;
            var f = features[fJ];
            var offset = f * nAll;

            if (_settings.RandomSplits)
            {
                var lo = float.PositiveInfinity;
                var hi = float.NegativeInfinity;
                for (var i = start; i < end; i++)
                {
                    var v = values[offset + samples[i]];
                    if (v < lo) lo = v;
                    if (v > hi) hi = v;
                }
                if (hi <= lo + FeatureThreshold)
                {
                    draw.Constant(fJ);
                    continue;
                }
                draw.Visited(fJ);
                var threshold = RandomThreshold(lo, hi, ref cursor);
                Array.Clear(sumLeft);
                double wl = 0;
                var nLeft = 0;
                for (var i = start; i < end; i++)
                {
                    var s = samples[i];
                    if (values[offset + s] <= threshold)
                    {
                        sumLeft[y[s]] += _w[s];
                        wl += _w[s];
                        nLeft++;
                    }
                }
                if (nLeft < minLeaf || n - nLeft < minLeaf) continue;
                var proxy = Proxy(sumLeft, wl, weightNode);
                if (proxy > bestProxy)
                {
                    bestProxy = proxy;
                    bestFeature = f;
                    bestPos = start + nLeft;
                    bestThreshold = threshold;
                }
                continue;
            }

            // Sort the node's samples by this feature (rank, then row: a deterministic order).
            for (var i = start; i < end; i++)
            {
                var s = samples[i];
                _keys[i] = ((ulong)(uint)rank[offset + s] << 32) | (uint)s;
            }
            Array.Sort(_keys, start, n);
            for (var i = start; i < end; i++)
            {
                var s = (int)(uint)_keys[i];
                samples[i] = s;
                xf[i] = values[offset + s];
            }
            if (xf[end - 1] <= xf[start] + FeatureThreshold)
            {
                draw.Constant(fJ);
                continue;
            }
            draw.Visited(fJ);

            Array.Clear(sumLeft);
            double weightLeft = 0;
            for (var i = start; i < end - 1; i++)
            {
                var s = samples[i];
                sumLeft[y[s]] += _w[s];
                weightLeft += _w[s];
                if (xf[i + 1] <= xf[i] + FeatureThreshold) continue;
                var pos = i + 1;
                if (pos - start < minLeaf || end - pos < minLeaf) continue;
                var proxy = Proxy(sumLeft, weightLeft, weightNode);
                if (proxy > bestProxy)
                {
                    bestProxy = proxy;
                    bestFeature = f;
                    bestPos = pos;
                    bestThreshold = Midpoint(xf[i], xf[i + 1]);
                }
            }
        }

        var split = new TreeSplit { Pos = end, Feature = -1 };
        if (bestPos < end)
        {
            // Partition the node's samples: values <= threshold first (scikit-learn re-partitions by the best feature).
            var offset = bestFeature * nAll;
            int l = start, r = end - 1;
            while (l <= r)
            {
                if (values[offset + samples[l]] <= bestThreshold) l++;
                else
                {
                    (samples[l], samples[r]) = (samples[r], samples[l]);
                    r--;
                }
            }
            Array.Clear(sumLeft);
            double wl = 0;
            for (var i = start; i < l; i++)
            {
                var s = samples[i];
                sumLeft[y[s]] += _w[s];
                wl += _w[s];
            }
            for (var c = 0; c < kc; c++) sumRight[c] = sumTotal[c] - sumLeft[c];
            var wr = weightNode - wl;
            var impurityLeft = ImpurityOf(sumLeft, wl);
            var impurityRight = ImpurityOf(sumRight, wr);
            var improvement = weightNode / weightTotal * (impurity - wr / weightNode * impurityRight - wl / weightNode * impurityLeft);
            split = new TreeSplit
            {
                Pos = l, Feature = bestFeature, Threshold = bestThreshold,
                ImpurityLeft = impurityLeft, ImpurityRight = impurityRight, Improvement = improvement,
            };
        }

        nConstantsOut = draw.Finish(_constantFeatures);
        return split;
    }

    /// <summary>scikit-learn <c>proxy_impurity_improvement</c>: <c>-W_R I_R - W_L I_L</c>, right counts as total minus left.</summary>
    private double Proxy(double[] sumLeft, double weightLeft, double weightNode)
    {
        var kc = _k;
        var sumRight = _sumRight;
        for (var c = 0; c < kc; c++) sumRight[c] = _sumTotal[c] - sumLeft[c];
        var weightRight = weightNode - weightLeft;
        return -weightRight * ImpurityOf(sumRight, weightRight) - weightLeft * ImpurityOf(sumLeft, weightLeft);
    }

    /// <summary>This builder's nodes for the growth loops of <see cref="TreeBuilderCore"/> (a struct: the loops are specialised).</summary>
    private readonly struct Nodes(ClassificationTreeBuilder builder) : INodeAdder
    {
        public bool AddNode(int node, in NodeEntry e, double weightTotal, bool first, int nKnownConstants, ref RngCursor cursor,
            out TreeSplit split, out int nConstants) =>
            builder.AddNode(node, e, weightTotal, first, nKnownConstants, ref cursor, out split, out nConstants);
    }
}
