using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>A feature value in single precision and the tree-local id of its sample.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SortedEntry
{
    public float X;
    public int Id;

    public SortedEntry(float x, int id)
    {
        X = x;
        Id = id;
    }
}

/// <summary>A sample's weighted target <c>w*y</c> and weight <c>w</c> (its bootstrap count).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct WeightedTarget
{
    public double Wy;
    public double W;
}

/// <summary>Training data shared (read-only) by every tree of one fit: features in single precision, presorted once per feature.</summary>
internal sealed class TrainingData
{
    public int N { get; }
    public int P { get; }
    public double[] Y { get; }

    /// <summary>For feature f, entries <c>[f*N, (f+1)*N)</c>: every row as (value, row index) in ascending (value, row) order.</summary>
    public SortedEntry[] Presorted { get; }

    private TrainingData(int n, int p, double[] y, SortedEntry[] presorted)
    {
        N = n;
        P = p;
        Y = y;
        Presorted = presorted;
    }

    /// <summary>Casts <paramref name="x"/> to single precision (as scikit-learn's <c>DTYPE = float32</c>) and sorts each column.</summary>
    /// <param name="x">Features, shape (n, p).</param>
    /// <param name="y">Targets, length n.</param>
    /// <param name="degreeOfParallelism">Threads sorting columns.</param>
    /// <param name="pooled">Whether <see cref="Presorted"/> comes from <see cref="ScratchPool{T}"/> (possibly longer than n*p) and goes
    /// back with <see cref="Release"/> once every tree is grown.</param>
    public static TrainingData Create(Matrix x, double[] y, int degreeOfParallelism, bool pooled = false)
    {
        int n = x.Rows, p = x.Cols;
        var presorted = pooled ? ScratchPool<SortedEntry>.Rent((long)n * p) : new SortedEntry[(long)n * p];
        // Columns are sorted a block of features at a time from a single-precision copy of the block: one row-major pass over x per
        // block instead of one strided pass per feature (at 100,000 x 132 each strided pass reads every cache line of x).
        const int block = 16;
        var nBlocks = (p + block - 1) / block;
        var data = x;
        void SortBlock(int b, (float[] Columns, ulong[] Keys, ulong[] Spare) scratch)
        {
            var (columns, keys, spare) = scratch;
            int f0 = b * block, width = Math.Min(block, p - f0);
            var values = data.Data;
            for (var i = 0; i < n; i++)
            {
                var row = values.Slice(i * p + f0, width);
                for (var j = 0; j < width; j++) columns[j * n + i] = (float)row[j];
            }
            for (var j = 0; j < width; j++)
            {
                var column = columns.AsSpan(j * n, n);
                for (var i = 0; i < n; i++)
                {
                    var v = column[i] + 0f; // + 0f turns -0 into +0, so equal values share a key
                    keys[i] = ((ulong)SortableBits(v) << 32) | (uint)i;
                }
                var sorted = SortByHigh32(keys, spare, n);
                var dst = presorted.AsSpan((f0 + j) * n, n);
                for (var k = 0; k < n; k++)
                {
                    var row = (int)(uint)sorted[k];
                    dst[k] = new SortedEntry(column[row], row);
                }
            }
        }
        (float[], ulong[], ulong[]) NewScratch() => (new float[Math.Min(block, p) * n], new ulong[n], new ulong[n]);
        if (degreeOfParallelism <= 1 || nBlocks == 1)
        {
            var scratch = NewScratch();
            for (var b = 0; b < nBlocks; b++) SortBlock(b, scratch);
        }
        else
        {
            Parallel.For(0, nBlocks, new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism }, NewScratch,
                (b, _, scratch) => { SortBlock(b, scratch); return scratch; }, _ => { });
        }
        return new TrainingData(n, p, y, presorted);
    }

    /// <summary>Gives the presorted columns back to <see cref="ScratchPool{T}"/> (data created with <c>pooled</c>; unusable afterwards).</summary>
    public void Release() => ScratchPool<SortedEntry>.Return(Presorted);

    /// <summary>Sorts <c>keys[..n)</c> by their upper 32 bits, stably (least significant digit radix sort, digits of 11, 11 and 10 bits;
    /// a digit every key shares is skipped), through <paramref name="spare"/>; returns the array holding the sorted keys.</summary>
    /// <remarks>The keys are <c>(sortable value &lt;&lt; 32) | row</c> with the rows ascending, so a stable sort on the value gives exactly
    /// the ascending order of the whole keys (what <c>Array.Sort</c> gave), in a few linear passes instead of n log n comparisons.</remarks>
    internal static ulong[] SortByHigh32(ulong[] keys, ulong[] spare, int n)
    {
        if (n <= 1) return keys;
        Span<int> counts = stackalloc int[2048];
        var src = keys;
        var dst = spare;
        for (var shift = 32; shift < 64; shift += 11)
        {
            var mask = (1 << Math.Min(11, 64 - shift)) - 1;
            counts.Clear();
            for (var i = 0; i < n; i++) counts[(int)(src[i] >> shift) & mask]++;
            if (counts[(int)(src[0] >> shift) & mask] == n) continue; // one digit for every key: the order is unchanged
            var total = 0;
            for (var d = 0; d <= mask; d++)
            {
                var c = counts[d];
                counts[d] = total;
                total += c;
            }
            for (var i = 0; i < n; i++)
            {
                var key = src[i];
                dst[counts[(int)(key >> shift) & mask]++] = key;
            }
            (src, dst) = (dst, src);
        }
        return src;
    }

    /// <summary>Maps a float to an unsigned integer with the same order (finite values only).</summary>
    private static uint SortableBits(float v)
    {
        var bits = BitConverter.SingleToUInt32Bits(v);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }
}

/// <summary>The resolved, validated hyperparameters one tree is grown with.</summary>
/// <remarks><c>RandomSplits</c>: one uniform random threshold per candidate feature (scikit-learn <c>RandomSplitter</c>, extra trees)
/// instead of the best one. <c>MinImpurityDecrease</c>: a node splits only when its weighted impurity decrease is at least this.
/// <c>MaxLeafNodes</c>: below <see cref="int.MaxValue"/>, trees grow best first (scikit-learn <c>BestFirstTreeBuilder</c>).</remarks>
internal readonly record struct TreeSettings(
    int MaxFeatures, int MinSamplesSplit, int MinSamplesLeaf, int MaxDepth, bool Bootstrap, int NBootstrap,
    bool RandomSplits = false, double MinImpurityDecrease = 0.0, int MaxLeafNodes = int.MaxValue);

/// <summary>
/// Grows CART regression trees exactly as scikit-learn 1.2.1's <c>DepthFirstTreeBuilder</c> with <c>BestSplitter</c> and the
/// <c>squared_error</c> criterion, on reusable scratch memory (one builder per thread, never shared).
/// </summary>
/// <remarks>
/// <para>scikit-learn sorts the node's samples for every candidate feature. Here each feature keeps the tree's in-bag samples in
/// sorted order instead (filtered once per tree from the fit's presorted columns); a node is a contiguous segment [start, end) of
/// every list, and after a split every list the growing children need is partitioned stably into left and right, so both children
/// stay sorted. The split search itself is the same: running sums along the sorted values, candidates between consecutive values
/// more than 1e-7 apart, the first best proxy wins.</para>
/// <para>Partitions go from one of two buffers to the other (a node at depth d reads buffer d mod 2). When two buffers would take
/// more than <see cref="DoubleBufferLimitBytes"/> (64 MiB), one buffer is partitioned in place through a scratch list instead (slower,
/// same trees).</para>
/// <para>Bootstrap duplicates are one entry with a weight (their count), exactly scikit-learn's
/// <c>sample_weight = bincount(indices)</c>; <c>min_samples_*</c> count distinct rows.</para>
/// </remarks>
internal sealed class TreeBuilder : TreeBuilderCore
{
    /// <summary>Positions per chunk of running sums in <see cref="BestPosition"/> (a multiple of 4; three buffers of 8 KiB).</summary>
    private const int ChunkSize = 1024;

    /// <summary>Default largest size of the two sorted-list buffers of one builder (16 bytes per row and feature) before it partitions in place.</summary>
    internal const long DoubleBufferLimitBytes = 64L << 20;

    private readonly TrainingData _data;

    // Per-tree scratch, sized for N rows and P features.
    private readonly int[] _local;
    private readonly WeightedTarget[] _targets;
    private readonly double[] _y;
    private readonly long _doubleBufferLimitBytes;
    private readonly SortedEntry[][] _buffers = new SortedEntry[2][]; // two buffers (or one, twice) of P lists of M entries (+1 spare slot)
    private ulong[]? _partitionScratch; // right-hand entries of an in-place partition (null with two buffers)
    private readonly byte[] _goLeft;
    private readonly double[] _cumSum;
    private readonly double[] _cumWeight;
    private readonly double[] _xs;

    private int _m; // distinct in-bag samples of the current tree

    public TreeBuilder(TrainingData data, TreeSettings settings, long doubleBufferLimitBytes = DoubleBufferLimitBytes)
        : base(data.N, data.P, settings, 1)
    {
        _data = data;
        int n = data.N, p = data.P;
        _local = new int[n];
        _targets = new WeightedTarget[n];
        _y = new double[n];
        _doubleBufferLimitBytes = doubleBufferLimitBytes;
        _goLeft = new byte[n];
        _cumSum = new double[ChunkSize];
        _cumWeight = new double[ChunkSize];
        _xs = new double[ChunkSize + 1];
    }

    /// <summary>Makes the sorted-list buffers hold P lists of <paramref name="m"/> entries and a spare slot: rented from
    /// <see cref="ScratchPool{T}"/> when the current ones are too short (with 1% to spare, so that the next trees, whose in-bag counts
    /// differ by a fraction of a percent, keep them). Two buffers when both fit in the double-buffer limit, else one.</summary>
    private void EnsureBuffers(int m)
    {
        var entries = (long)m * _data.P + 1;
        var twoBuffers = 2 * entries * Unsafe.SizeOf<SortedEntry>() <= _doubleBufferLimitBytes;
        if (_buffers[0] is { } b0 && _buffers[1] is { } b1 && b0.LongLength >= entries && b1.LongLength >= entries
            && twoBuffers == !ReferenceEquals(b0, b1)) return;
        Release();
        var length = entries + entries / 100;
        _buffers[0] = ScratchPool<SortedEntry>.Rent(length);
        _buffers[1] = twoBuffers ? ScratchPool<SortedEntry>.Rent(length) : _buffers[0];
        _partitionScratch = twoBuffers ? null : new ulong[_data.N];
    }

    /// <summary>Gives the sorted-list buffers back to <see cref="ScratchPool{T}"/> (the next <see cref="Build"/> rents them again).</summary>
    public void Release()
    {
        ScratchPool<SortedEntry>.Return(_buffers[0]);
        if (!ReferenceEquals(_buffers[1], _buffers[0])) ScratchPool<SortedEntry>.Return(_buffers[1]);
        _buffers[0] = _buffers[1] = null!;
        _partitionScratch = null;
    }

    /// <summary>Grows one tree from its own random stream: bootstrap counts first, then the feature draws of every node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RegressionTree Build(Rng rng)
    {
        var cursor = new RngCursor(rng);
        var p = _data.P;
        DrawSample(ref cursor);
        var m = _m;
        var weightTotal = 0.0;
        for (var id = 0; id < m; id++) weightTotal += _targets[id].W;

        var nodeCount = Grow(new Nodes(this), m, weightTotal, ref cursor, out var maxDepthSeen);

        return new RegressionTree(p, maxDepthSeen,
            _nodeLeft.AsSpan(0, nodeCount).ToArray(), _nodeRight.AsSpan(0, nodeCount).ToArray(),
            _nodeFeature.AsSpan(0, nodeCount).ToArray(), _nodeThreshold.AsSpan(0, nodeCount).ToArray(),
            _nodeValue.AsSpan(0, nodeCount).ToArray(), _nodeImpurity.AsSpan(0, nodeCount).ToArray(),
            _nodeSamples.AsSpan(0, nodeCount).ToArray(), _nodeWeight.AsSpan(0, nodeCount).ToArray());
    }

    /// <summary>
    /// Computes node <paramref name="node"/>'s statistics and split (when it is not a leaf), writes it to the node arrays and links it
    /// to its parent. Returns whether it is a leaf.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool AddNode(int node, in NodeEntry e, double weightTotal, bool first, int nKnownConstants, ref RngCursor cursor,
        out TreeSplit split, out int nConstants)
    {
        var m = _m;
        int start = e.Start, end = e.End, nNode = end - start;

        // criterion.init: sums over the node's samples (the root in row order, other nodes in the parent's split-feature order).
        double sum = 0, sq = 0, w = 0;
        if (e.StatsFeature < 0)
        {
            for (var id = start; id < end; id++)
            {
                var t = _targets[id];
                sum += t.Wy;
                sq += t.Wy * _y[id];
                w += t.W;
            }
        }
        else
        {
            var seg = _buffers[e.Depth & 1].AsSpan(e.StatsFeature * m + start, nNode);
            foreach (ref readonly var s in seg)
            {
                var t = _targets[s.Id];
                sum += t.Wy;
                sq += t.Wy * _y[s.Id];
                w += t.W;
            }
        }

        var impurity = first ? sq / w - (sum / w) * (sum / w) : e.Impurity;
        var isLeaf = IsLeaf(e.Depth, nNode, impurity);

        split = new TreeSplit { Pos = end, Feature = -1 };
        nConstants = nKnownConstants;
        if (!isLeaf)
        {
            split = NodeSplit(start, end, sum, sq, w, weightTotal, impurity, e.Depth, nKnownConstants, ref cursor, out nConstants);
            isLeaf = Rejects(split, end);
        }

        RecordNode(node, e, isLeaf, split, impurity, nNode, w);
        _nodeValue[node] = sum / w;
        return isLeaf;
    }

    /// <summary>Draws the bootstrap counts and fills the tree-local arrays: targets by local id and each feature's sorted in-bag list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DrawSample(ref RngCursor cursor)
    {
        int n = _data.N, p = _data.P;
        DrawCounts(ref cursor);
        var counts = _counts;

        var y = _data.Y;
        var m = 0;
        for (var i = 0; i < n; i++)
        {
            if (counts[i] == 0) continue;
            _local[i] = m;
            double w = counts[i];
            _targets[m] = new WeightedTarget { Wy = w * y[i], W = w };
            _y[m] = y[i];
            m++;
        }
        _m = m;
        EnsureBuffers(m);

        ref var c0 = ref MemoryMarshal.GetArrayDataReference(counts);
        ref var l0 = ref MemoryMarshal.GetArrayDataReference(_local);
        for (var f = 0; f < p; f++)
        {
            // Branch-free filter (a third of the rows are out of bag, at random): always write, advance only for in-bag rows.
            // The write past the last in-bag entry lands in the next feature's first slot or in the spare slot at the end.
            ref var src = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_data.Presorted), f * n);
            ref var dst = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffers[0]), f * m);
            var k = 0;
            for (var i = 0; i < n; i++)
            {
                var s = Unsafe.Add(ref src, i);
                Unsafe.Add(ref dst, k) = new SortedEntry(s.X, Unsafe.Add(ref l0, s.Id));
                k += Unsafe.Add(ref c0, s.Id) > 0 ? 1 : 0;
            }
        }
    }

    /// <summary>
    /// Finds the best split of node [start, end) (scikit-learn <c>BestSplitter.node_split</c>) and writes the children's sorted
    /// segments into the other buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private TreeSplit NodeSplit(int start, int end, double sumTotal, double sqTotal, double weightNode, double weightTotal, double impurity,
        int depth, int nKnownConstants, ref RngCursor cursor, out int nConstantsOut)
    {
        var n = end - start;
        var m = _m;
        var p = _data.P;
        var features = _features;
        var minLeaf = _settings.MinSamplesLeaf;
        var current = _buffers[depth & 1];

        // The draws of FeatureDraw (the classification builder uses it), written out on locals: this loop runs once per candidate
        // feature of every node and most nodes are small, so the bookkeeping is kept in registers (with FeatureDraw the main job's
        // cross_validate measured 0.47 s slower on average over 7 runs, about 6%, on a loaded machine).
        int nVisited = 0, nFoundConstants = 0, nDrawnConstants = 0, nTotalConstants = nKnownConstants, fI = p;
        var bestProxy = double.NegativeInfinity;
        int bestPos = end, bestFeature = -1;
        var bestThreshold = 0.0;

        // Indices below are in range by construction (0 <= fJ, fI, nDrawnConstants, nTotalConstants < p; a segment lies inside its
        // feature's list), so the loop reads the arrays without bounds checks.
        ref var feature0 = ref MemoryMarshal.GetArrayDataReference(features);
        ref var list0 = ref MemoryMarshal.GetArrayDataReference(current);
        var maxFeatures = _settings.MaxFeatures;
        while (fI > nTotalConstants
               && (nVisited < maxFeatures || nVisited <= nFoundConstants + nDrawnConstants))
        {
            nVisited++;
            var fJ = nDrawnConstants + cursor.NextInt(fI - nFoundConstants - nDrawnConstants);
            if (fJ < nKnownConstants)
            {
                Swap(ref feature0, nDrawnConstants, fJ);
                nDrawnConstants++;
                continue;
            }
            fJ += nFoundConstants;
            var f = Unsafe.Add(ref feature0, fJ);
            ref var first = ref Unsafe.Add(ref list0, (nint)f * m + start);
            if (Unsafe.Add(ref first, n - 1).X <= first.X + FeatureThreshold)
            {
                Swap(ref feature0, fJ, nTotalConstants);
                nFoundConstants++;
                nTotalConstants++;
                continue;
            }
            fI--;
            Swap(ref feature0, fI, fJ);
            var seg = MemoryMarshal.CreateReadOnlySpan(ref first, n);

            if (_settings.RandomSplits)
            {
                // scikit-learn RandomSplitter: threshold uniform in [min, max) of the node's values (max maps back to min).
                var threshold = RandomThreshold(seg[0].X, seg[n - 1].X, ref cursor);
                var kr = RandomSplitPosition(seg, threshold, sumTotal, weightNode, minLeaf, ref bestProxy);
                if (kr > 0)
                {
                    bestFeature = f;
                    bestPos = start + kr;
                    bestThreshold = threshold;
                }
                continue;
            }
            var k = n < 2 * Vector256<double>.Count + 2 * minLeaf
                ? BestPositionScalar(seg, sumTotal, weightNode, minLeaf, ref bestProxy)
                : BestPosition(seg, sumTotal, weightNode, minLeaf, ref bestProxy);
            if (k > 0)
            {
                bestFeature = f;
                bestPos = start + k;
                bestThreshold = Midpoint(seg[k - 1].X, seg[k].X);
            }
        }

        var split = new TreeSplit { Pos = end, Feature = -1 };
        if (bestPos < end)
        {
            var bestSeg = current.AsSpan(bestFeature * m + start, n);
            var nLeft = bestPos - start;
            double sumLeft = 0, sqLeft = 0, wLeft = 0;
            var goLeft = _goLeft;
            for (var k = 0; k < nLeft; k++)
            {
                var id = bestSeg[k].Id;
                var t = _targets[id];
                sumLeft += t.Wy;
                sqLeft += t.Wy * _y[id];
                wLeft += t.W;
                goLeft[id] = 1;
            }
            for (var k = nLeft; k < n; k++) goLeft[bestSeg[k].Id] = 0;

            double sumRight = sumTotal - sumLeft, sqRight = sqTotal - sqLeft, wRight = weightNode - wLeft;
            var impurityLeft = sqLeft / wLeft - (sumLeft / wLeft) * (sumLeft / wLeft);
            var impurityRight = sqRight / wRight - (sumRight / wRight) * (sumRight / wRight);
            var improvement = weightNode / weightTotal
                * (impurity - wRight / weightNode * impurityRight - wLeft / weightNode * impurityLeft);

            // The children read the other buffer. The split feature is already in left-right order: copy it (the children's
            // sums come from it). Children that will be leaves are never split, so only the sides that grow are written.
            // (PartitionLeft and PartitionRight also work in place: they never write ahead of what they read.)
            var next = _buffers[(depth + 1) & 1];
            if (!ReferenceEquals(next, current)) bestSeg.CopyTo(next.AsSpan(bestFeature * m + start, n));
            var splits = improvement + Epsilon >= _settings.MinImpurityDecrease;
            var leftGrows = splits && !IsLeafChild(nLeft, impurityLeft, depth);
            var rightGrows = splits && !IsLeafChild(n - nLeft, impurityRight, depth);
            if (leftGrows || rightGrows)
            {
                for (var j = nTotalConstants; j < p; j++)
                {
                    var f = features[j];
                    if (f == bestFeature) continue;
                    var offset = f * m + start;
                    if (leftGrows && rightGrows)
                    {
                        if (_partitionScratch is null) Partition(current, next, offset, n, nLeft, goLeft);
                        else PartitionInPlace(current, _partitionScratch, offset, n, goLeft);
                    }
                    else if (leftGrows) PartitionLeft(current, next, offset, n, goLeft);
                    else PartitionRight(current, next, offset, n, goLeft);
                }
            }

            split = new TreeSplit
            {
                Pos = bestPos, Feature = bestFeature, Threshold = bestThreshold,
                ImpurityLeft = impurityLeft, ImpurityRight = impurityRight, Improvement = improvement,
            };
        }

        // Keep the known constants of this node first and in their original order for its descendants and siblings,
        // and record the constants found here after them (scikit-learn's features / constant_features invariant).
        Array.Copy(_constantFeatures, 0, features, 0, nKnownConstants);
        Array.Copy(features, nKnownConstants, _constantFeatures, nKnownConstants, nFoundConstants);
        nConstantsOut = nTotalConstants;
        return split;
    }

    /// <summary>Swaps elements <paramref name="i"/> and <paramref name="j"/> of the array starting at <paramref name="first"/> (both in range).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Swap(ref int first, int i, int j) =>
        (Unsafe.Add(ref first, i), Unsafe.Add(ref first, j)) = (Unsafe.Add(ref first, j), Unsafe.Add(ref first, i));

    /// <summary>
    /// The split proxy <c>S_L^2/W_L + S_R^2/W_R</c> (scikit-learn <c>MSE.proxy_impurity_improvement</c>; the impurity decrease is
    /// this minus <c>S^2/W</c>), computed as <c>(S_L^2 W_R + S_R^2 W_L) / (W_L W_R)</c> with one division. The vector lanes of
    /// <see cref="BestPosition"/> evaluate the same expression in the same order, so results do not depend on SIMD support.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Proxy(double sumLeft, double weightLeft, double sumTotal, double weightNode)
    {
        var sr = sumTotal - sumLeft;
        var wr = weightNode - weightLeft;
        return (sumLeft * sumLeft * wr + sr * sr * weightLeft) / (weightLeft * wr);
    }

    /// <summary>Scans one feature's sorted segment and returns the best left size (0 if none beats <paramref name="bestProxy"/>).</summary>
    /// <remarks>
    /// Splits are ranked by <see cref="Proxy"/>; a split must beat the best so far strictly, so the first position (and the first
    /// feature drawn) wins ties. Long segments take two passes per chunk: running sums into small buffers, then the proxies four at
    /// a time; every lane computes the same IEEE expression as the scalar loop, so the result does not depend on the hardware.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int BestPosition(ReadOnlySpan<SortedEntry> seg, double sumTotal, double weightNode, int minLeaf, ref double bestProxy)
    {
        var n = seg.Length;
        // Admissible left sizes are k + 1 for k in [lo, hi): at least minLeaf rows on each side.
        int lo = minLeaf - 1, hi = n - minLeaf;
        if (hi <= lo) return 0;
        ref var s0 = ref MemoryMarshal.GetReference(seg);
        ref var t0 = ref MemoryMarshal.GetArrayDataReference(_targets);

        double sumLeft = 0, weightLeft = 0;
        var k = 0;
        for (; k < lo; k++)
        {
            var t = Unsafe.Add(ref t0, Unsafe.Add(ref s0, k).Id);
            sumLeft += t.Wy;
            weightLeft += t.W;
        }

        var best = bestProxy;
        var bestK = -1;
        var vectorEnd = Vector256.IsHardwareAccelerated && hi - lo >= 2 * Vector256<double>.Count ? lo + (hi - lo) / 4 * 4 : lo;
        if (vectorEnd > lo)
        {
            ref var cs = ref MemoryMarshal.GetArrayDataReference(_cumSum);
            ref var cw = ref MemoryMarshal.GetArrayDataReference(_cumWeight);
            ref var xs = ref MemoryMarshal.GetArrayDataReference(_xs);
            var vSum = Vector256.Create(sumTotal);
            var vWeight = Vector256.Create(weightNode);
            var vGap = Vector256.Create(FeatureThreshold);
            var vNegInf = Vector256.Create(double.NegativeInfinity);
            var vBest = vNegInf;
            var vBestIdx = Vector256<double>.Zero;
            var vStep = Vector256.Create(4.0);
            for (var c = lo; c < vectorEnd; c += ChunkSize)
            {
                var len = Math.Min(ChunkSize, vectorEnd - c);
                for (var j = 0; j < len; j++)
                {
                    var e = Unsafe.Add(ref s0, c + j);
                    var t = Unsafe.Add(ref t0, e.Id);
                    sumLeft += t.Wy;
                    weightLeft += t.W;
                    Unsafe.Add(ref cs, j) = sumLeft;
                    Unsafe.Add(ref cw, j) = weightLeft;
                    Unsafe.Add(ref xs, j) = e.X;
                }
                Unsafe.Add(ref xs, len) = Unsafe.Add(ref s0, c + len).X;
                var vIdx = Vector256.Create((double)c, c + 1, c + 2, c + 3);
                for (var j = 0; j < len; j += 4)
                {
                    var sl = Vector256.LoadUnsafe(ref cs, (nuint)j);
                    var wl = Vector256.LoadUnsafe(ref cw, (nuint)j);
                    var x0 = Vector256.LoadUnsafe(ref xs, (nuint)j);
                    var x1 = Vector256.LoadUnsafe(ref xs, (nuint)(j + 1));
                    var sr = vSum - sl;
                    var wr = vWeight - wl;
                    var proxy = (sl * sl * wr + sr * sr * wl) / (wl * wr);
                    proxy = Vector256.ConditionalSelect(Vector256.GreaterThan(x1, x0 + vGap), proxy, vNegInf);
                    var gt = Vector256.GreaterThan(proxy, vBest);
                    vBest = Vector256.ConditionalSelect(gt, proxy, vBest);
                    vBestIdx = Vector256.ConditionalSelect(gt, vIdx, vBestIdx);
                    vIdx += vStep;
                }
            }
            // Earliest position among the lanes holding the maximum: the same answer as a left-to-right strict scan.
            var laneBest = double.NegativeInfinity;
            var laneK = int.MaxValue;
            for (var j = 0; j < Vector256<double>.Count; j++)
            {
                var v = vBest.GetElement(j);
                var i = (int)vBestIdx.GetElement(j);
                if (v > laneBest || (v == laneBest && i < laneK))
                {
                    laneBest = v;
                    laneK = i;
                }
            }
            if (laneBest > best)
            {
                best = laneBest;
                bestK = laneK;
            }
            k = vectorEnd;
        }

        // Scalar: the whole range for short segments, the last few positions otherwise.
        for (; k < hi; k++)
        {
            var e = Unsafe.Add(ref s0, k);
            var t = Unsafe.Add(ref t0, e.Id);
            sumLeft += t.Wy;
            weightLeft += t.W;
            if (Unsafe.Add(ref s0, k + 1).X <= e.X + FeatureThreshold) continue;
            var proxy = Proxy(sumLeft, weightLeft, sumTotal, weightNode);
            if (proxy > best)
            {
                best = proxy;
                bestK = k;
            }
        }
        bestProxy = best;
        return bestK + 1;
    }

    /// <summary>
    /// Evaluates the split of a sorted segment at <paramref name="threshold"/> (values &lt;= threshold go left) and returns the left
    /// size when it satisfies <c>min_samples_leaf</c> and beats <paramref name="bestProxy"/> strictly, else 0.
    /// </summary>
    private int RandomSplitPosition(ReadOnlySpan<SortedEntry> seg, double threshold, double sumTotal, double weightNode, int minLeaf, ref double bestProxy)
    {
        int lo = 0, hi = seg.Length; // first position whose value exceeds the threshold
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (seg[mid].X <= threshold) lo = mid + 1;
            else hi = mid;
        }
        var nLeft = lo;
        if (nLeft < minLeaf || seg.Length - nLeft < minLeaf) return 0;
        double sumLeft = 0, weightLeft = 0;
        for (var k = 0; k < nLeft; k++)
        {
            var t = _targets[seg[k].Id];
            sumLeft += t.Wy;
            weightLeft += t.W;
        }
        var proxy = Proxy(sumLeft, weightLeft, sumTotal, weightNode);
        if (!(proxy > bestProxy)) return 0;
        bestProxy = proxy;
        return nLeft;
    }

    /// <summary>Scans a short segment in one scalar pass; the same arithmetic, in the same order, as <see cref="BestPosition"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BestPositionScalar(ReadOnlySpan<SortedEntry> seg, double sumTotal, double weightNode, int minLeaf, ref double bestProxy)
    {
        var n = seg.Length;
        int lo = minLeaf - 1, hi = n - minLeaf;
        ref var s0 = ref MemoryMarshal.GetReference(seg);
        ref var t0 = ref MemoryMarshal.GetArrayDataReference(_targets);
        double sumLeft = 0, weightLeft = 0;
        var best = bestProxy;
        var bestK = -1;
        for (var k = 0; k < hi; k++)
        {
            var e = Unsafe.Add(ref s0, k);
            var t = Unsafe.Add(ref t0, e.Id);
            sumLeft += t.Wy;
            weightLeft += t.W;
            if (k < lo || Unsafe.Add(ref s0, k + 1).X <= e.X + FeatureThreshold) continue;
            var proxy = Proxy(sumLeft, weightLeft, sumTotal, weightNode);
            if (proxy > best)
            {
                best = proxy;
                bestK = k;
            }
        }
        bestProxy = best;
        return bestK + 1;
    }

    /// <summary>Whether a child with these samples and impurity, at depth <paramref name="parentDepth"/> + 1, is a leaf (the tests of <see cref="Build"/>).</summary>
    private bool IsLeafChild(int nChild, double impurityChild, int parentDepth) => IsLeaf(parentDepth + 1, nChild, impurityChild);

    // The partitions read the id of an entry and move the whole entry as one 64-bit word.

    /// <summary>Writes <c>from[offset..offset+n)</c> to <c>to</c> at the same place, left entries first, each side in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Partition(SortedEntry[] from, SortedEntry[] to, int offset, int n, int nLeft, byte[] goLeft)
    {
        ref var s0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(from), offset);
        ref var d0 = ref Unsafe.As<SortedEntry, ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(to), offset));
        ref var g0 = ref MemoryMarshal.GetArrayDataReference(goLeft);
        nint l = 0, r = nLeft;
        for (nint k = 0; k < n; k++)
        {
            ref var entry = ref Unsafe.Add(ref s0, k);
            var e = Unsafe.As<SortedEntry, ulong>(ref entry);
            nint b = Unsafe.Add(ref g0, entry.Id);
            Unsafe.Add(ref d0, r ^ ((l ^ r) & -b)) = e; // l when the entry goes left, r otherwise, without a branch
            l += b;
            r += 1 - b;
        }
    }

    /// <summary>Writes only the left entries, in order, to the front of the segment (the right child needs no sorted lists).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PartitionLeft(SortedEntry[] from, SortedEntry[] to, int offset, int n, byte[] goLeft)
    {
        ref var s0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(from), offset);
        ref var d0 = ref Unsafe.As<SortedEntry, ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(to), offset));
        ref var g0 = ref MemoryMarshal.GetArrayDataReference(goLeft);
        nint l = 0;
        for (nint k = 0; k < n; k++)
        {
            ref var entry = ref Unsafe.Add(ref s0, k);
            Unsafe.Add(ref d0, l) = Unsafe.As<SortedEntry, ulong>(ref entry); // l <= left entries <= n - 1: inside the segment
            l += Unsafe.Add(ref g0, entry.Id);
        }
    }

    /// <summary>Writes only the right entries, in order, to the back of the segment (the left child needs no sorted lists).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PartitionRight(SortedEntry[] from, SortedEntry[] to, int offset, int n, byte[] goLeft)
    {
        ref var s0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(from), offset);
        ref var d0 = ref Unsafe.As<SortedEntry, ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(to), offset));
        ref var g0 = ref MemoryMarshal.GetArrayDataReference(goLeft);
        nint r = n - 1;
        for (nint k = n - 1; k >= 0; k--)
        {
            ref var entry = ref Unsafe.Add(ref s0, k);
            Unsafe.Add(ref d0, r) = Unsafe.As<SortedEntry, ulong>(ref entry); // r >= left entries - 1 >= 0: inside the segment
            r -= 1 - Unsafe.Add(ref g0, entry.Id);
        }
    }

    /// <summary>Partitions <c>data[offset..offset+n)</c> in place, left entries first, each side in order, through <paramref name="scratch"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PartitionInPlace(SortedEntry[] data, ulong[] scratch, int offset, int n, byte[] goLeft)
    {
        ref var s0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(data), offset);
        ref var d0 = ref Unsafe.As<SortedEntry, ulong>(ref s0);
        ref var t0 = ref MemoryMarshal.GetArrayDataReference(scratch);
        ref var g0 = ref MemoryMarshal.GetArrayDataReference(goLeft);
        nint l = 0, r = 0;
        for (nint k = 0; k < n; k++)
        {
            ref var entry = ref Unsafe.Add(ref s0, k);
            var e = Unsafe.As<SortedEntry, ulong>(ref entry);
            nint b = Unsafe.Add(ref g0, entry.Id);
            Unsafe.Add(ref d0, l) = e; // l <= k: never ahead of the read
            Unsafe.Add(ref t0, r) = e;
            l += b;
            r += 1 - b;
        }
        scratch.AsSpan(0, (int)r).CopyTo(MemoryMarshal.Cast<SortedEntry, ulong>(data.AsSpan(offset + (int)l, (int)r)));
    }

    /// <summary>This builder's nodes for the growth loops of <see cref="TreeBuilderCore"/> (a struct: the loops are specialised).</summary>
    private readonly struct Nodes(TreeBuilder builder) : INodeAdder
    {
        public bool AddNode(int node, in NodeEntry e, double weightTotal, bool first, int nKnownConstants, ref RngCursor cursor,
            out TreeSplit split, out int nConstants) =>
            builder.AddNode(node, e, weightTotal, first, nKnownConstants, ref cursor, out split, out nConstants);
    }
}
