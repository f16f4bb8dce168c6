using System.Runtime.InteropServices;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>The resolved settings of one histogram tree.</summary>
internal readonly record struct HistTreeSettings(
    int MaxLeafNodes, int MaxDepth, int MinSamplesLeaf, double L2Regularization, double Shrinkage, int FeaturesPerNode, int Dop);

/// <summary>One histogram tree in flat pre-order arrays: bin thresholds for training, real thresholds for prediction.</summary>
internal sealed record HistTree(int[] Left, int[] Right, int[] Feature, int[] BinThreshold, double[] Threshold, double[] Value, int[] Count, int MaxDepth,
    int[] Start, int[] End)
{
    /// <summary>The leaf reached by a binned training row.</summary>
    public int LeafOfBinned(byte[] binned, int n, int row)
    {
        var node = 0;
        while (Left[node] >= 0)
            node = binned[Feature[node] * n + row] <= BinThreshold[node] ? Left[node] : Right[node];
        return node;
    }

    /// <summary>Adds each leaf's value to <c>raw[rows[k] * stride + offset]</c> for the rows <c>rows[Start..End)</c> the grower left in the
    /// leaf (scikit-learn's <c>_update_raw_predictions</c>): valid right after <see cref="HistTreeGrower.Grow"/> on all training rows, and
    /// equal to adding <c>Value[LeafOfBinned(row)]</c> row by row.</summary>
    public void AddLeafValues(int[] rows, double[] raw, int stride, int offset)
    {
        for (var node = 0; node < Left.Length; node++)
        {
            if (Left[node] >= 0) continue;
            var v = Value[node];
            for (var k = Start[node]; k < End[node]; k++) raw[rows[k] * stride + offset] += v;
        }
    }
}

/// <summary>
/// Grows one least-squares tree on binned features, best first by gain, as scikit-learn 1.2.1's <c>TreeGrower</c> with unit
/// hessians: per-node gradient histograms (the smaller child built from its rows, the larger one as parent minus smaller child),
/// split gain <c>G_L^2/(H_L + l2) + G_R^2/(H_R + l2) - G^2/(H + l2)</c>, leaf value <c>-shrinkage G / (H + l2)</c>.
/// One grower per fit; scratch memory is reused between trees.
/// </summary>
internal sealed class HistTreeGrower
{
    /// <summary>Sets <c>rows[..n)</c> to 0..n-1, then (when <paramref name="nSub"/> &lt; n) moves a uniform sample of <paramref name="nSub"/>
    /// rows without replacement (a partial Fisher-Yates shuffle) to the front, sorted: the rows one boosting iteration grows its trees on.</summary>
    internal static void SubsampleRows(int[] rows, int n, int nSub, ref RngCursor cursor)
    {
        for (var i = 0; i < n; i++) rows[i] = i;
        if (nSub >= n) return;
        for (var s = 0; s < nSub; s++)
        {
            var r = s + cursor.NextInt(n - s);
            (rows[s], rows[r]) = (rows[r], rows[s]);
        }
        Array.Sort(rows, 0, nSub);
    }

    private const int MaxBinsPerFeature = 256;
    private const double Eps = 1e-15; // scikit-learn compute_node_value
    private const double MinHessianToSplit = 1e-3;

    private readonly HistBinning _bins;
    private readonly HistTreeSettings _s;
    private readonly int _p;
    private readonly Stack<Histogram> _pool = new();
    private readonly int[] _scratch;
    private readonly int[] _featureOrder;
    private readonly bool[] _allowed;

    public HistTreeGrower(HistBinning bins, HistTreeSettings settings)
    {
        _bins = bins;
        _s = settings;
        _p = bins.P;
        _scratch = new int[bins.N];
        _featureOrder = Enumerable.Range(0, _p).ToArray();
        _allowed = new bool[_p];
        _orderedG = new float[bins.N];
        _orderedH = new float[bins.N];
    }

    private readonly float[] _orderedG;
    private readonly float[] _orderedH;

    /// <summary>One histogram bin: gradient sum, hessian sum (zero with constant hessians) and row count, side by side as
    /// scikit-learn's <c>HISTOGRAM_DTYPE</c>, so a row's update touches one cache line. The count is a double (exact: counts are
    /// far below 2^53) so that a histogram is a flat run of doubles and the sibling subtraction is one vector loop.</summary>
    private struct Bin
    {
        public double G, H, C;
    }

    /// <summary>A node's histograms, feature-major: feature j's bins at <c>[j * 256, j * 256 + BinCount(j))</c>; bins past
    /// <c>BinCount(j)</c> are never written nor read.</summary>
    private sealed class Histogram(int p)
    {
        public readonly Bin[] B = new Bin[p * MaxBinsPerFeature];
    }

    private sealed class Node
    {
        public int Start, End, Depth, Id;
        public double SumG, SumH, Value;
        public Histogram? Hist;
        public int SplitFeature = -1, SplitBin;
        public double Gain = -1, GLeft, HLeft;
        public int NLeft;
        public Node? LeftChild, RightChild;
        public int N => End - Start;
    }

    /// <summary>Grows a tree on the rows <c>rows[0..m)</c> (reordered in place) with float32 gradients and hessians (<c>null</c>: unit
    /// hessians, scikit-learn's <c>hessians_are_constant</c>, where a bin's hessian sum is its row count).</summary>
    public HistTree Grow(int[] rows, int m, float[] gradients, ref RngCursor cursor, float[]? hessians = null)
    {
        _hessians = hessians;
        var nextId = 0;
        var root = new Node { Start = 0, End = m, Depth = 0, Id = nextId++ };
        double g = 0;
        for (var k = 0; k < m; k++) g += gradients[rows[k]];
        double sumH = m;
        if (hessians is not null)
        {
            sumH = 0;
            for (var k = 0; k < m; k++) sumH += hessians[rows[k]];
        }
        root.SumG = g;
        root.SumH = sumH;
        root.Value = -g / (sumH + _s.L2Regularization + Eps);
        var frontier = new PriorityQueue<Node, (double, int)>();
        if (m >= 2 * _s.MinSamplesLeaf && root.SumH >= MinHessianToSplit)
        {
            root.Hist = Rent();
            BuildHistogram(root.Hist, rows, root.Start, root.End, gradients);
            FindSplitAndPush(root, frontier, ref cursor);
        }
        var leaves = 1;
        while (frontier.Count > 0)
        {
            var node = frontier.Dequeue();
            SplitNode(node, rows, ref nextId);
            leaves++;
            var left = node.LeftChild!;
            var right = node.RightChild!;
            var full = leaves >= _s.MaxLeafNodes;
            var leftLeaf = full || left.Depth >= _s.MaxDepth || left.N < 2 * _s.MinSamplesLeaf;
            var rightLeaf = full || right.Depth >= _s.MaxDepth || right.N < 2 * _s.MinSamplesLeaf;
            if (!leftLeaf || !rightLeaf)
            {
                var (small, large) = left.N < right.N ? (left, right) : (right, left);
                small.Hist = Rent();
                BuildHistogram(small.Hist, rows, small.Start, small.End, gradients);
                large.Hist = Rent();
                Subtract(node.Hist!, small.Hist, large.Hist);
            }
            Return(node);
            if (!leftLeaf) FindSplitAndPush(left, frontier, ref cursor); else Return(left);
            if (!rightLeaf) FindSplitAndPush(right, frontier, ref cursor); else Return(right);
            if (full)
            {
                while (frontier.Count > 0)
                {
                    var rest = frontier.Dequeue();
                    rest.SplitFeature = -1;
                    Return(rest);
                }
            }
        }
        return Flatten(root);
    }

    private float[]? _hessians;

    private Histogram Rent() => _pool.Count > 0 ? _pool.Pop() : new Histogram(_p);

    private void Return(Node node)
    {
        if (node.Hist is { } h) _pool.Push(h);
        node.Hist = null;
    }

    /// <summary>Fills <paramref name="h"/> with the gradient (and hessian) sums and counts of the rows <c>rows[start..end)</c>. The node's
    /// gradients are first gathered in row order (scikit-learn's <c>ordered_gradients</c>), then each feature's bins are summed in that
    /// same order, so every sum is bit-identical to a row-by-row loop. At the root of an unsubsampled tree the rows are 0..n-1 and the
    /// gather and the indirection are skipped.</summary>
    private void BuildHistogram(Histogram h, int[] rows, int start, int end, float[] gradients)
    {
        var n = _bins.N;
        var binned = _bins.Binned;
        var hessians = _hessians;
        var m = end - start;
        var identity = start == 0 && m == n && IsIdentity(rows, n);
        float[] og, oh;
        if (identity)
        {
            og = gradients;
            oh = hessians ?? _orderedH;
        }
        else
        {
            og = _orderedG;
            oh = _orderedH;
            for (var k = 0; k < m; k++) og[k] = gradients[rows[start + k]];
            if (hessians is not null)
                for (var k = 0; k < m; k++) oh[k] = hessians[rows[start + k]];
        }
        var bins = _bins;
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        void Feature(int j)
        {
            var hist = h.B.AsSpan(j * MaxBinsPerFeature, bins.BinCount(j));
            hist.Clear();
            var col = binned.AsSpan(j * n, n);
            var g = og.AsSpan(0, m);
            if (hessians is not null)
            {
                var hs = oh.AsSpan(0, m);
                if (identity)
                    for (var k = 0; k < g.Length; k++)
                    {
                        ref var bin = ref hist[col[k]];
                        bin.G += g[k];
                        bin.H += hs[k];
                        bin.C++;
                    }
                else
                {
                    var r = rows.AsSpan(start, m);
                    for (var k = 0; k < g.Length; k++)
                    {
                        ref var bin = ref hist[col[r[k]]];
                        bin.G += g[k];
                        bin.H += hs[k];
                        bin.C++;
                    }
                }
            }
            else if (identity)
                for (var k = 0; k < g.Length; k++)
                {
                    ref var bin = ref hist[col[k]];
                    bin.G += g[k];
                    bin.C++;
                }
            else
            {
                var r = rows.AsSpan(start, m);
                for (var k = 0; k < g.Length; k++)
                {
                    ref var bin = ref hist[col[r[k]]];
                    bin.G += g[k];
                    bin.C++;
                }
            }
        }
        var work = (long)m * _p;
        if (_s.Dop <= 1 || work < 200_000)
            for (var j = 0; j < _p; j++) Feature(j);
        else
            Parallel.For(0, _p, new ParallelOptions { MaxDegreeOfParallelism = _s.Dop }, Feature);
    }

    private static bool IsIdentity(int[] rows, int n)
    {
        for (var i = 0; i < n; i++)
            if (rows[i] != i) return false;
        return true;
    }

    /// <summary>The larger child's histogram as parent minus smaller child, bin by bin and field by field (element-wise, so exact
    /// IEEE subtractions whatever the vector width).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void Subtract(Histogram parent, Histogram small, Histogram large)
    {
        for (var j = 0; j < _p; j++)
        {
            var off = j * MaxBinsPerFeature;
            var count = _bins.BinCount(j);
            System.Numerics.Tensors.TensorPrimitives.Subtract(
                MemoryMarshal.Cast<Bin, double>(parent.B.AsSpan(off, count)),
                MemoryMarshal.Cast<Bin, double>(small.B.AsSpan(off, count)),
                MemoryMarshal.Cast<Bin, double>(large.B.AsSpan(off, count)));
        }
    }

    private double Loss(double g, double h) => g * (-g / (h + _s.L2Regularization + Eps));

    private void FindSplitAndPush(Node node, PriorityQueue<Node, (double, int)> frontier, ref RngCursor cursor)
    {
        // Candidate features: all, or a fresh random subset of FeaturesPerNode (partial Fisher-Yates on a persistent order).
        if (_s.FeaturesPerNode < _p)
        {
            Array.Clear(_allowed);
            for (var k = 0; k < _s.FeaturesPerNode; k++)
            {
                var r = k + cursor.NextInt(_p - k);
                (_featureOrder[k], _featureOrder[r]) = (_featureOrder[r], _featureOrder[k]);
                _allowed[_featureOrder[k]] = true;
            }
        }
        var c = ScanFeatures(node, 0, _p);
        if (c.Feature >= 0)
        {
            node.Gain = c.Gain;
            node.SplitFeature = c.Feature;
            node.SplitBin = c.Bin;
            node.GLeft = c.GLeft;
            node.HLeft = c.HLeft;
            node.NLeft = c.NLeft;
        }
        if (node.SplitFeature >= 0 && node.Gain > 0) frontier.Enqueue(node, (-node.Gain, node.Id));
        else
        {
            node.SplitFeature = -1;
            Return(node);
        }
    }

    private readonly record struct Candidate(double Gain, int Feature, int Bin, double GLeft, double HLeft, int NLeft);

    /// <summary>The best split of <paramref name="node"/> over the features <c>[from, to)</c> (the allowed ones): the first bin, in
    /// feature then bin order, with the largest positive gain; <c>Feature = -1</c> when none. (Scanning the features on two threads
    /// was tried: on 149 features it was slower than one thread.)</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private Candidate ScanFeatures(Node node, int from, int to)
    {
        double sumG = node.SumG, sumH = node.SumH;
        double nNode = node.N;
        var lossNode = Loss(sumG, sumH);
        var h = node.Hist!;
        var minLeaf = _s.MinSamplesLeaf;
        var constantHessian = _hessians is null;
        var subset = _s.FeaturesPerNode < _p;
        double bestGain = -1, bestGl = 0, bestHl = 0;
        int bestFeature = -1, bestBin = 0, bestNl = 0;
        for (var j = from; j < to; j++)
        {
            if (subset && !_allowed[j]) continue;
            var end = _bins.BinCount(j) - 1;
            double gl = 0, hl = 0, nl = 0;
            var hist = h.B.AsSpan(j * MaxBinsPerFeature, end + 1);
            for (var b = 0; b < end; b++)
            {
                ref readonly var bin = ref hist[b];
                var c = bin.C;
                nl += c;
                hl += constantHessian ? c : bin.H;
                gl += bin.G;
                var nr = nNode - nl;
                if (nl < minLeaf) continue;
                if (nr < minLeaf) break;
                var hr = sumH - hl;
                if (hl < MinHessianToSplit) continue;
                if (hr < MinHessianToSplit) break;
                var gr = sumG - gl;
                var gain = lossNode - Loss(gl, hl) - Loss(gr, hr);
                if (gain > bestGain && gain > 0)
                {
                    bestGain = gain;
                    bestFeature = j;
                    bestBin = b;
                    bestGl = gl;
                    bestHl = hl;
                    bestNl = (int)nl;
                }
            }
        }
        return new Candidate(bestGain, bestFeature, bestBin, bestGl, bestHl, bestNl);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void SplitNode(Node node, int[] rows, ref int nextId)
    {
        var n = _bins.N;
        var col = _bins.Binned.AsSpan(node.SplitFeature * n, n);
        var bin = node.SplitBin;
        int l = node.Start, r = 0;
        for (var k = node.Start; k < node.End; k++)
        {
            var i = rows[k];
            if (col[i] <= bin) rows[l++] = i;
            else _scratch[r++] = i;
        }
        _scratch.AsSpan(0, r).CopyTo(rows.AsSpan(l, r));
        double gl = node.GLeft, hl = node.HLeft, gr = node.SumG - gl, hr = node.SumH - hl;
        var l2 = _s.L2Regularization;
        node.LeftChild = new Node { Start = node.Start, End = l, Depth = node.Depth + 1, Id = nextId++, SumG = gl, SumH = hl, Value = -gl / (hl + l2 + Eps) };
        node.RightChild = new Node { Start = l, End = node.End, Depth = node.Depth + 1, Id = nextId++, SumG = gr, SumH = hr, Value = -gr / (hr + l2 + Eps) };
    }

    private HistTree Flatten(Node root)
    {
        var left = new List<int>();
        var right = new List<int>();
        var feature = new List<int>();
        var binThr = new List<int>();
        var thr = new List<double>();
        var value = new List<double>();
        var count = new List<int>();
        var starts = new List<int>();
        var ends = new List<int>();
        var maxDepth = 0;
        int Add(Node node)
        {
            var id = left.Count;
            left.Add(RegressionTree.Leaf);
            right.Add(RegressionTree.Leaf);
            var isSplit = node.LeftChild is not null;
            feature.Add(isSplit ? node.SplitFeature : RegressionTree.Undefined);
            binThr.Add(isSplit ? node.SplitBin : 0);
            thr.Add(isSplit ? _bins.Thresholds[node.SplitFeature][node.SplitBin] : RegressionTree.Undefined);
            value.Add(node.Value * _s.Shrinkage);
            count.Add(node.N);
            starts.Add(node.Start);
            ends.Add(node.End);
            if (node.Depth > maxDepth) maxDepth = node.Depth;
            if (isSplit)
            {
                left[id] = Add(node.LeftChild!);
                right[id] = Add(node.RightChild!);
            }
            return id;
        }
        Add(root);
        return new HistTree([.. left], [.. right], [.. feature], [.. binThr], [.. thr], [.. value], [.. count], maxDepth, [.. starts], [.. ends]);
    }
}
