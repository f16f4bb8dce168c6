using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Select;

namespace Pure.Materials.Cluster;

/// <summary>How UMAP places the points before the stochastic gradient descent.</summary>
public enum UmapInit
{
    /// <summary>umap-learn's <c>init="spectral"</c> (its default): eigenvectors of the normalised Laplacian of the fuzzy graph
    /// with the smallest non-zero eigenvalues; a graph with several connected components is laid out component by component.</summary>
    Spectral,
    /// <summary>umap-learn's <c>init="random"</c>: independent uniform draws in [-10, 10].</summary>
    Random,
}

/// <summary>The distance UMAP measures between input rows (umap-learn's <c>metric</c>).</summary>
public enum UmapMetric
{
    /// <summary>sqrt(sum_j (x_j - y_j)^2), umap-learn's default <c>"euclidean"</c>.</summary>
    Euclidean,
    /// <summary>sum_j |x_j - y_j|, umap-learn's <c>"manhattan"</c>.</summary>
    Manhattan,
}

/// <summary>Holds the hyper-parameters of UMAP (inert values; umap-learn's names and defaults).</summary>
/// <param name="NNeighbors">umap-learn's <c>n_neighbors</c>: size of the local neighbourhood, the row itself included, 2 &lt;= NNeighbors &lt; n_samples; default 15.</param>
/// <param name="NComponents">umap-learn's <c>n_components</c>: embedding dimension, at least 1; default 2.</param>
/// <param name="MinDist">umap-learn's <c>min_dist</c>: smallest distance between embedded points, 0 &lt;= MinDist &lt;= Spread; default 0.1.</param>
/// <param name="Spread">umap-learn's <c>spread</c>: scale of the embedded points, &gt; 0; default 1.</param>
/// <param name="NEpochs">umap-learn's <c>n_epochs</c>: passes of the layout optimisation, at least 1; null (default) for umap-learn's choice, 500 for up
/// to 10,000 rows and 200 above.</param>
/// <param name="LearningRate">umap-learn's <c>learning_rate</c>: initial SGD step, decayed linearly to 0, &gt; 0; default 1.</param>
/// <param name="NegativeSampleRate">umap-learn's <c>negative_sample_rate</c>: repulsive samples per attractive one, at least 0; default 5.</param>
/// <param name="RepulsionStrength">umap-learn's <c>repulsion_strength</c> (gamma): weight of the repulsive samples, at least 0; default 1.</param>
/// <param name="LocalConnectivity">umap-learn's <c>local_connectivity</c>: neighbours assumed fully connected, at least 0; default 1.</param>
/// <param name="Init">umap-learn's <c>init</c>; default <see cref="UmapInit.Spectral"/>.</param>
/// <param name="Metric">umap-learn's <c>metric</c>; default <see cref="UmapMetric.Euclidean"/>.</param>
public sealed record UmapOptions(int NNeighbors = 15, int NComponents = 2, double MinDist = 0.1, double Spread = 1.0, int? NEpochs = null,
    double LearningRate = 1.0, int NegativeSampleRate = 5, double RepulsionStrength = 1.0, double LocalConnectivity = 1.0,
    UmapInit Init = UmapInit.Spectral, UmapMetric Metric = UmapMetric.Euclidean);

/// <summary>A UMAP embedding.</summary>
/// <param name="Options">The options used.</param>
/// <param name="Embedding">Coordinates, shape (n_samples, NComponents); only relative positions are meaningful.</param>
/// <param name="A">Curve parameter a of the embedded similarity 1 / (1 + a d^(2b)), fitted from MinDist and Spread (umap-learn's <c>_a</c>).</param>
/// <param name="B">Curve parameter b (umap-learn's <c>_b</c>).</param>
/// <param name="NEpochs">Epochs run.</param>
/// <param name="Edges">Directed edges of the fuzzy graph kept for the optimisation (both directions of each undirected edge).</param>
/// <param name="GraphComponents">Connected components of that graph (each laid out on its own by the spectral initialisation).</param>
public sealed record UmapModel(UmapOptions Options, Matrix Embedding, double A, double B, int NEpochs, int Edges, int GraphComponents);

/// <summary>Uniform Manifold Approximation and Projection: a fuzzy k-nearest-neighbour graph of the rows laid out in a few dimensions.</summary>
/// <remarks>
/// <para>1. Exact k nearest neighbours of every row (the row itself first, then the NNeighbors - 1 closest others, ties by row
/// index). umap-learn computes them exactly too below 4,096 rows and with NN-descent (approximate) above; here they are always
/// exact, O(n^2 n_features) time, so the method suits a few thousand rows.</para>
/// <para>2. Fuzzy simplicial set: rho_i = distance to the nearest neighbour at non-zero distance (interpolated for fractional
/// LocalConnectivity); sigma_i by 64 steps of bisection so that sum_{j &gt; 0} exp(-max(0, d_ij - rho_i) / sigma_i) = log2(NNeighbors)
/// (tolerance 1e-5), floored at 1e-3 times the mean neighbour distance; w_ij = exp(-max(0, d_ij - rho_i) / sigma_i); the fuzzy union
/// W = W + W^T - W o W^T. Edges with weight below max(W) / NEpochs are dropped.</para>
/// <para>3. a, b minimise sum_x (1 / (1 + a x^(2b)) - f(x))^2 over 300 points x in [0, 3 Spread], f(x) = 1 below MinDist and
/// exp(-(x - MinDist) / Spread) above (Levenberg-Marquardt from a = b = 1, as umap-learn's <c>find_ab_params</c> with scipy's <c>curve_fit</c>).</para>
/// <para>4. Initialisation. Spectral: the eigenvectors of I - D^-1/2 W D^-1/2 with the NComponents smallest non-trivial eigenvalues, by Lanczos
/// iteration with full re-orthogonalisation from a seeded start (umap-learn uses ARPACK); a graph with several connected components has
/// each component placed as umap-learn's <c>multi_component_layout</c>, except that with more than 2 NComponents components their centres
/// come from the principal components of the component centroids (umap-learn embeds the centroids spectrally). The layout is scaled to a
/// largest coordinate of 10 and given normal noise of standard deviation 1e-4. Random: uniform in [-10, 10]. Then every coordinate is
/// rescaled to [0, 10].</para>
/// <para>5. Stochastic gradient descent on the fuzzy cross entropy for NEpochs epochs: edge (i, j) is sampled every max(W) / w_ij epochs;
/// each sample pulls i and j together with coefficient -2ab d^(2(b-1)) / (1 + a d^(2b)) (d the embedded distance) and pushes i from
/// NegativeSampleRate uniformly drawn rows with 2 gamma b / ((0.001 + d^2)(1 + a d^(2b))); each gradient coordinate is clipped to
/// [-4, 4]; the step is LearningRate (1 - epoch / NEpochs).</para>
/// <para>Determinism: the same options, data and seed give the same embedding bit for bit, whatever the thread count (only the
/// neighbour search runs in parallel, one row per task) and the CPU's vector width (reductions use <see cref="Reduce"/>); the descent
/// is single-threaded. umap-learn works in float32 with its own random generator, so its layouts are not reproduced point by point;
/// the structure they show is.</para>
/// <para>Source: L. McInnes, J. Healy and J. Melville, "UMAP: Uniform Manifold Approximation and Projection for Dimension Reduction",
/// arXiv:1802.03426 (2018); umap-learn (<c>umap_.py</c>, <c>spectral.py</c>, <c>layouts.py</c>) is the reference behaviour.</para>
/// </remarks>
public static class Umap
{
    private const double SmoothKTolerance = 1e-5;
    private const double MinKDistScale = 1e-3;

    /// <summary>Embeds the rows.</summary>
    /// <param name="options">Neighbourhood, curve, schedule and initialisation.</param>
    /// <param name="x">Data, shape (n_samples, n_features), finite, n_samples &gt; NNeighbors, not all rows equal.</param>
    /// <param name="rng">A stream for this embedding alone (initialisation and negative sampling).</param>
    /// <returns>The embedding, or <c>param.out_of_range</c> (NNeighbors &lt; 2 or &gt;= n_samples, NComponents, MinDist, Spread, NEpochs,
    /// rates), <c>data.too_few_rows</c>, <c>data.nan_feature</c>, <c>data.constant</c> (every row equal: no neighbourhoods to preserve).</returns>
    public static Validation<Problem, UmapModel> Fit(UmapOptions options, Matrix x, Rng rng)
    {
        var n = x.Rows;
        var o = options;
        var problems = new List<Problem>();
        if (n < 3) problems.Add(new Problem("data.too_few_rows", $"UMAP needs at least 3 rows, found {n}"));
        if (o.NNeighbors < 2 || o.NNeighbors >= n)
            problems.Add(new Problem("param.out_of_range", $"UMAP n_neighbors {o.NNeighbors} must be at least 2 and below the number of rows ({n}); typical values are 5 to 50"));
        if (o.NComponents < 1) problems.Add(new Problem("param.out_of_range", $"n_components = {o.NComponents}; use at least 1 (2 for a map)"));
        if (!(o.Spread > 0)) problems.Add(new Problem("param.out_of_range", $"spread = {o.Spread}; use a number > 0 (default 1)"));
        if (!(o.MinDist >= 0)) problems.Add(new Problem("param.out_of_range", $"UMAP min_dist {o.MinDist} must be >= 0 (default 0.1)"));
        else if (o.MinDist > o.Spread) problems.Add(new Problem("param.out_of_range", $"UMAP min_dist {o.MinDist} is larger than spread = {o.Spread}; use min_dist <= spread"));
        if (o.NEpochs is < 1) problems.Add(new Problem("param.out_of_range", $"n_epochs = {o.NEpochs}; use at least 1, or leave it unset for 500 (200 above 10,000 rows)"));
        if (!(o.LearningRate > 0)) problems.Add(new Problem("param.out_of_range", $"learning_rate = {o.LearningRate}; use a number > 0 (default 1)"));
        if (o.NegativeSampleRate < 0) problems.Add(new Problem("param.out_of_range", $"negative_sample_rate = {o.NegativeSampleRate}; use at least 0 (default 5)"));
        if (!(o.RepulsionStrength >= 0)) problems.Add(new Problem("param.out_of_range", $"repulsion_strength = {o.RepulsionStrength}; use a number >= 0 (default 1)"));
        if (!(o.LocalConnectivity >= 0)) problems.Add(new Problem("param.out_of_range", $"local_connectivity = {o.LocalConnectivity}; use a number >= 0 (default 1)"));
        var data = x.Data;
        for (var q = 0; q < data.Length; q++)
            if (!double.IsFinite(data[q]))
            {
                problems.Add(new Problem("data.nan_feature", $"row {q / x.Cols}, column {q % x.Cols} holds {data[q]}; impute missing values first", q / x.Cols));
                break;
            }
        if (problems.Count == 0 && AllRowsEqual(x))
            problems.Add(new Problem("data.constant", $"all {n} rows are equal, so they have no neighbourhoods to map; check the feature columns (or drop the constant ones)"));
        if (problems.Count > 0) return Valid.Fail<UmapModel>(problems);

        var (initRng, sgdRng) = rng.Split();
        var k = o.NNeighbors;
        var (knnIndex, knnDist) = NearestNeighbours(x, k, o.Metric);
        var (sigma, rho) = SmoothKnnDistances(knnDist, n, k, o.LocalConnectivity);
        var graph = FuzzyUnion(knnIndex, knnDist, sigma, rho, n, k);

        var nEpochs = o.NEpochs ?? (n <= 10000 ? 500 : 200);
        var pruneEpochs = nEpochs > 10 ? nEpochs : (n <= 10000 ? 500 : 200);
        var maxWeight = graph.Weight.Max();
        graph = graph.Keep(w => w >= maxWeight / pruneEpochs);
        var (a, b) = FindAbParams(o.Spread, o.MinDist);

        var d = o.NComponents;
        var (y, components) = o.Init == UmapInit.Spectral ? SpectralInit(graph, x, n, d, initRng) : (RandomInit(n, d, initRng), Components(graph, n).Count);
        ScaleToBox(y, n, d);
        Optimise(y, n, d, graph, a, b, nEpochs, o, sgdRng);
        return Valid.Ok(new UmapModel(o, Matrix.Own(n, d, y), a, b, nEpochs, graph.Head.Length, components));
    }

    /// <summary>Fits umap-learn's curve parameters a, b for the given min_dist and spread (its <c>find_ab_params</c>).</summary>
    /// <param name="spread">Scale of the embedded points, &gt; 0.</param>
    /// <param name="minDist">Smallest embedded distance, 0 &lt;= minDist &lt;= spread.</param>
    /// <returns>(a, b) minimising sum over 300 points x in [0, 3 spread] of (1 / (1 + a x^(2b)) - f(x))^2, f(x) = 1 for x &lt; minDist and
    /// exp(-(x - minDist) / spread) otherwise; for the defaults (1, 0.1), a = 1.5769, b = 0.8951 (scipy's <c>curve_fit</c> gives the same to 1e-6).</returns>
    /// <remarks>Levenberg-Marquardt from (1, 1), as scipy's <c>curve_fit</c>; stops when a step changes the residual sum of squares by less
    /// than 1e-15 relative. Throws <see cref="ArgumentOutOfRangeException"/> for parameters outside the ranges (a programmer error: <see cref="Fit"/> checks them).</remarks>
    public static (double A, double B) FindAbParams(double spread, double minDist)
    {
        if (!(spread > 0) || !(minDist >= 0) || minDist > spread) throw new ArgumentOutOfRangeException(nameof(minDist), "need spread > 0 and 0 <= min_dist <= spread");
        const int m = 300;
        var xs = new double[m];
        var ys = new double[m];
        for (var i = 0; i < m; i++)
        {
            xs[i] = spread * 3 * i / (m - 1); // numpy.linspace(0, 3 spread, 300)
            ys[i] = xs[i] < minDist ? 1.0 : Math.Exp(-(xs[i] - minDist) / spread);
        }
        double a = 1, b = 1;
        var r = new double[m];
        var ja = new double[m];
        var jb = new double[m];
        double Residuals(double pa, double pb, double[] res)
        {
            for (var i = 0; i < m; i++) res[i] = 1.0 / (1.0 + pa * Math.Pow(xs[i], 2 * pb)) - ys[i];
            return Reduce.SumOfSquares(res);
        }
        var cost = Residuals(a, b, r);
        var lambda = 1e-3;
        var trial = new double[m];
        for (var it = 0; it < 1000; it++)
        {
            for (var i = 0; i < m; i++)
            {
                var p = xs[i] > 0 ? Math.Pow(xs[i], 2 * b) : 0.0;
                var den = 1.0 + a * p;
                ja[i] = -p / (den * den);
                jb[i] = xs[i] > 0 ? -a * p * 2 * Math.Log(xs[i]) / (den * den) : 0.0;
            }
            double h11 = Reduce.Dot(ja, ja), h12 = Reduce.Dot(ja, jb), h22 = Reduce.Dot(jb, jb);
            double g1 = Reduce.Dot(ja, r), g2 = Reduce.Dot(jb, r);
            var improved = false;
            for (var inner = 0; inner < 60 && !improved; inner++)
            {
                // (J^T J + lambda diag(J^T J)) delta = -J^T r
                double m11 = h11 * (1 + lambda), m22 = h22 * (1 + lambda);
                var det = m11 * m22 - h12 * h12;
                var da = (-g1 * m22 + g2 * h12) / det;
                var db = (-g2 * m11 + g1 * h12) / det;
                var newCost = Residuals(a + da, b + db, trial);
                if (double.IsFinite(newCost) && newCost <= cost)
                {
                    var change = cost - newCost;
                    a += da; b += db;
                    (r, trial) = (trial, r);
                    cost = newCost;
                    lambda = Math.Max(lambda / 10, 1e-12);
                    improved = true;
                    if (change <= 1e-15 * cost && Math.Abs(da) <= 1e-12 * Math.Abs(a) + 1e-15 && Math.Abs(db) <= 1e-12 * Math.Abs(b) + 1e-15) return (a, b);
                }
                else lambda *= 10;
            }
            if (!improved) break;
        }
        return (a, b);
    }

    private static bool AllRowsEqual(Matrix x)
    {
        var first = x.Row(0);
        for (var i = 1; i < x.Rows; i++)
            if (!x.Row(i).SequenceEqual(first)) return false;
        return true;
    }

    /// <summary>Exact k nearest neighbours, the row itself first; shapes (n, k), row-major.</summary>
    internal static (int[] Index, double[] Distance) NearestNeighbours(Matrix x, int k, UmapMetric metric)
    {
        var n = x.Rows;
        var index = new int[n * k];
        var dist = new double[n * k];
        Parallel.For(0, n, () => (new double[n], new int[n]), (i, _, buffers) =>
        {
            var (dRow, order) = buffers;
            var xi = x.Row(i);
            for (var j = 0; j < n; j++)
            {
                dRow[j] = metric == UmapMetric.Euclidean ? Reduce.SquaredDistance(xi, x.Row(j)) : Reduce.ManhattanDistance(xi, x.Row(j));
                order[j] = j;
            }
            dRow[i] = double.NegativeInfinity; // the row itself comes first, even among duplicates
            var cmp = Comparer<int>.Create((p, q) => dRow[p] != dRow[q] ? dRow[p].CompareTo(dRow[q]) : p.CompareTo(q));
            PartialSort(order, k, cmp);
            for (var c = 0; c < k; c++)
            {
                var j = order[c];
                index[i * k + c] = j;
                dist[i * k + c] = j == i ? 0.0 : metric == UmapMetric.Euclidean ? Math.Sqrt(dRow[j]) : dRow[j];
            }
            return buffers;
        }, _ => { });
        return (index, dist);
    }

    /// <summary>Puts the k smallest items (by <paramref name="cmp"/>, a total order) first, in order.</summary>
    private static void PartialSort(int[] items, int k, IComparer<int> cmp)
    {
        // Quickselect the k-th item, then sort the first k: O(n + k log k).
        int lo = 0, hi = items.Length - 1;
        while (lo < hi)
        {
            var pivot = items[lo + (hi - lo) / 2];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (cmp.Compare(items[i], pivot) < 0) i++;
                while (cmp.Compare(items[j], pivot) > 0) j--;
                if (i <= j) { (items[i], items[j]) = (items[j], items[i]); i++; j--; }
            }
            if (k - 1 <= j) hi = j;
            else if (k - 1 >= i) lo = i;
            else break;
        }
        Array.Sort(items, 0, k, cmp);
    }

    /// <summary>umap-learn's <c>smooth_knn_dist</c>: per-row sigma (bisection) and rho (nearest non-zero distance).</summary>
    internal static (double[] Sigma, double[] Rho) SmoothKnnDistances(double[] knnDist, int n, int k, double localConnectivity)
    {
        var target = Math.Log2(k);
        var sigma = new double[n];
        var rho = new double[n];
        var meanAll = Reduce.Sum(knnDist) / knnDist.Length;
        var nonZero = new List<double>(k);
        for (var i = 0; i < n; i++)
        {
            var row = knnDist.AsSpan(i * k, k);
            nonZero.Clear();
            foreach (var v in row) if (v > 0) nonZero.Add(v);
            if (nonZero.Count >= localConnectivity)
            {
                var index = (int)Math.Floor(localConnectivity);
                var interpolation = localConnectivity - index;
                if (index > 0)
                {
                    rho[i] = nonZero[index - 1];
                    if (interpolation > SmoothKTolerance) rho[i] += interpolation * (nonZero[index] - nonZero[index - 1]);
                }
                else rho[i] = interpolation * nonZero[0];
            }
            else if (nonZero.Count > 0) rho[i] = nonZero.Max();

            double lo = 0, hi = double.PositiveInfinity, mid = 1;
            for (var it = 0; it < 64; it++)
            {
                double psum = 0;
                for (var j = 1; j < k; j++)
                {
                    var dd = row[j] - rho[i];
                    psum += dd > 0 ? Math.Exp(-(dd / mid)) : 1.0;
                }
                if (Math.Abs(psum - target) < SmoothKTolerance) break;
                if (psum > target) { hi = mid; mid = (lo + hi) / 2; }
                else
                {
                    lo = mid;
                    mid = double.IsPositiveInfinity(hi) ? mid * 2 : (lo + hi) / 2;
                }
            }
            sigma[i] = mid;
            var floor = MinKDistScale * (rho[i] > 0 ? Reduce.Sum(row) / k : meanAll);
            if (sigma[i] < floor) sigma[i] = floor;
        }
        return (sigma, rho);
    }

    /// <summary>A sparse symmetric weighted graph as directed edges sorted by (head, tail).</summary>
    internal sealed record Graph(int[] Head, int[] Tail, double[] Weight)
    {
        public Graph Keep(Func<double, bool> keep)
        {
            var idx = Enumerable.Range(0, Weight.Length).Where(e => keep(Weight[e])).ToArray();
            return new Graph(idx.Select(e => Head[e]).ToArray(), idx.Select(e => Tail[e]).ToArray(), idx.Select(e => Weight[e]).ToArray());
        }
    }

    /// <summary>Membership strengths of the directed kNN graph and their fuzzy union W + W^T - W o W^T.</summary>
    internal static Graph FuzzyUnion(int[] knnIndex, double[] knnDist, double[] sigma, double[] rho, int n, int k)
    {
        var rows = new Dictionary<int, double>[n];
        for (var i = 0; i < n; i++) rows[i] = new Dictionary<int, double>(k);
        for (var i = 0; i < n; i++)
            for (var c = 0; c < k; c++)
            {
                var j = knnIndex[i * k + c];
                if (j == i) continue;
                var dd = knnDist[i * k + c] - rho[i];
                var w = dd <= 0 || sigma[i] == 0 ? 1.0 : Math.Exp(-(dd / sigma[i]));
                if (w > 0) rows[i][j] = w;
            }
        var incoming = new List<int>[n];
        for (var i = 0; i < n; i++) incoming[i] = [];
        for (var j = 0; j < n; j++)
            foreach (var i in rows[j].Keys) incoming[i].Add(j);
        var head = new List<int>();
        var tail = new List<int>();
        var weight = new List<double>();
        var adjacent = new SortedDictionary<int, double>();
        for (var i = 0; i < n; i++)
        {
            adjacent.Clear();
            foreach (var (j, w) in rows[i]) adjacent[j] = w;
            foreach (var j in incoming[i])
            {
                // W_ij + W_ji - W_ij W_ji, with W_ij = 0 when j is not among i's neighbours.
                var wji = rows[j][i];
                adjacent[j] = adjacent.TryGetValue(j, out var wij) ? wij + wji - wij * wji : wji;
            }
            foreach (var (j, w) in adjacent)
                if (w > 0) { head.Add(i); tail.Add(j); weight.Add(w); }
        }
        return new Graph([.. head], [.. tail], [.. weight]);
    }

    /// <summary>The rng's uniform draws in [-10, 10], shape (n, d).</summary>
    private static double[] RandomInit(int n, int d, Rng rng)
    {
        var cursor = new RngCursor(rng);
        var y = new double[n * d];
        for (var q = 0; q < y.Length; q++) y[q] = -10 + 20 * cursor.NextDouble();
        return y;
    }

    /// <summary>Connected components of the graph, each as its sorted vertex list, in order of their smallest vertex.</summary>
    internal static List<int[]> Components(Graph g, int n)
    {
        var start = AdjacencyStarts(g, n);
        var label = Enumerable.Repeat(-1, n).ToArray();
        var result = new List<int[]>();
        var stack = new Stack<int>();
        for (var s = 0; s < n; s++)
        {
            if (label[s] >= 0) continue;
            var members = new List<int>();
            label[s] = result.Count;
            stack.Push(s);
            while (stack.Count > 0)
            {
                var v = stack.Pop();
                members.Add(v);
                for (var e = start[v]; e < start[v + 1]; e++)
                {
                    var t = g.Tail[e];
                    if (label[t] < 0) { label[t] = result.Count; stack.Push(t); }
                }
            }
            members.Sort();
            result.Add([.. members]);
        }
        return result;
    }

    private static int[] AdjacencyStarts(Graph g, int n)
    {
        var start = new int[n + 1];
        foreach (var h in g.Head) start[h + 1]++;
        for (var i = 0; i < n; i++) start[i + 1] += start[i];
        return start;
    }

    /// <summary>umap-learn's spectral layout (one or many components), then scaled to a largest |coordinate| of 10 plus N(0, 1e-4^2) noise.</summary>
    private static (double[] Y, int Components) SpectralInit(Graph g, Matrix x, int n, int d, Rng rng)
    {
        var (layoutRng, noiseRng) = rng.Split();
        var components = Components(g, n);
        var y = new double[n * d];
        var streams = layoutRng.SplitMany(components.Count).Streams;
        if (components.Count == 1)
        {
            var emb = ComponentSpectral(g, n, components[0], d, streams[0]);
            if (emb is null) RandomInit(n, d, streams[0]).CopyTo(y, 0);
            else emb.CopyTo(y, 0);
        }
        else
        {
            var meta = MetaEmbedding(components, x, d);
            for (var c = 0; c < components.Count; c++)
            {
                var members = components[c];
                var range = double.PositiveInfinity;
                for (var o = 0; o < components.Count; o++)
                {
                    var dist = Math.Sqrt(Reduce.SquaredDistance(meta.AsSpan(c * d, d), meta.AsSpan(o * d, d)));
                    if (dist > 0) range = Math.Min(range, dist);
                }
                range = double.IsPositiveInfinity(range) ? 1.0 : range / 2;
                var emb = members.Length < 2 * d || members.Length <= d + 1 ? null : ComponentSpectral(g, n, members, d, streams[c]);
                if (emb is null)
                {
                    var cursor = new RngCursor(streams[c]);
                    for (var r = 0; r < members.Length; r++)
                        for (var t = 0; t < d; t++) y[members[r] * d + t] = -range + 2 * range * cursor.NextDouble() + meta[c * d + t];
                }
                else
                {
                    var maxAbs = emb.Max(Math.Abs);
                    var expansion = maxAbs > 0 ? range / maxAbs : 1.0;
                    for (var r = 0; r < members.Length; r++)
                        for (var t = 0; t < d; t++) y[members[r] * d + t] = emb[r * d + t] * expansion + meta[c * d + t];
                }
            }
        }
        var largest = y.Max(Math.Abs);
        var scale = largest > 0 ? 10.0 / largest : 1.0;
        var noise = new RngCursor(noiseRng);
        for (var q = 0; q < y.Length; q++) y[q] = y[q] * scale + 1e-4 * Normal(ref noise);
        return (y, components.Count);
    }

    /// <summary>Centres of the components: +-unit vectors for at most 2d components (umap-learn); else the principal components of
    /// the component centroids, scaled to a largest |coordinate| of 1.</summary>
    private static double[] MetaEmbedding(List<int[]> components, Matrix x, int d)
    {
        var nc = components.Count;
        var meta = new double[nc * d];
        if (nc <= 2 * d)
        {
            var half = (nc + 1) / 2;
            for (var c = 0; c < nc; c++) meta[c * d + (c % half)] = c < half ? 1 : -1;
            return meta;
        }
        var centroids = Matrix.Build(nc, x.Cols, (c, j) =>
        {
            double s = 0;
            foreach (var r in components[c]) s += x[r, j];
            return s / components[c].Length;
        });
        var dims = Math.Min(d, Math.Min(nc, x.Cols));
        var pca = Pca.Fit(new PcaOptions(dims), centroids);
        if (pca.IsSuccess)
        {
            var scores = Pca.Transform(pca.OrThrow(), centroids);
            for (var c = 0; c < nc; c++)
                for (var t = 0; t < dims; t++) meta[c * d + t] = scores[c, t];
        }
        var largest = meta.Max(Math.Abs);
        if (largest > 0) for (var q = 0; q < meta.Length; q++) meta[q] /= largest;
        else for (var c = 0; c < nc; c++) meta[c * d] = c; // identical centroids: spread them on a line
        return meta;
    }

    /// <summary>Eigenvectors of the normalised Laplacian of the sub-graph on <paramref name="members"/> with the d smallest non-trivial
    /// eigenvalues, shape (members, d), or null when the component is too small.</summary>
    /// <remarks>The largest eigenvalues of N = D^-1/2 W D^-1/2 (those of L = I - N are 1 minus them): Lanczos on N with full
    /// re-orthogonalisation, in the complement of the known top eigenvector D^1/2 1, until the d wanted Ritz pairs have residual
    /// at most 1e-6 (checked after 24, 40, 60, 90, ... steps) or 600 steps were taken.</remarks>
    internal static double[]? ComponentSpectral(Graph g, int n, int[] members, int d, Rng rng)
    {
        var m = members.Length;
        if (m <= d + 1) return null;
        var local = new Dictionary<int, int>(m);
        for (var r = 0; r < m; r++) local[members[r]] = r;
        var start = AdjacencyStarts(g, n);
        // Local CSR of the component.
        var rowStart = new int[m + 1];
        var cols = new List<int>();
        var vals = new List<double>();
        for (var r = 0; r < m; r++)
        {
            var v = members[r];
            for (var e = start[v]; e < start[v + 1]; e++)
            {
                cols.Add(local[g.Tail[e]]);
                vals.Add(g.Weight[e]);
            }
            rowStart[r + 1] = cols.Count;
        }
        var ci = cols.ToArray();
        var cv = vals.ToArray();
        var sqrtDeg = new double[m];
        for (var r = 0; r < m; r++) sqrtDeg[r] = Math.Sqrt(Reduce.Sum(cv.AsSpan(rowStart[r], rowStart[r + 1] - rowStart[r])));
        if (sqrtDeg.Any(v => v == 0)) return null;
        var trivial = (double[])sqrtDeg.Clone();
        var tn = Reduce.Norm(trivial);
        for (var r = 0; r < m; r++) trivial[r] /= tn;
        var buffer = new double[m];
        void Apply(double[] v, double[] result)
        {
            // result = D^-1/2 W D^-1/2 v
            for (var r = 0; r < m; r++) buffer[r] = v[r] / sqrtDeg[r];
            for (var r = 0; r < m; r++)
            {
                double s = 0;
                for (var e = rowStart[r]; e < rowStart[r + 1]; e++) s += cv[e] * buffer[ci[e]];
                result[r] = s / sqrtDeg[r];
            }
        }

        var maxSteps = Math.Min(m - 1, 600);
        var basis = new List<double[]>();
        var alpha = new List<double>();
        var beta = new List<double>(); // beta[j] couples basis j and j + 1
        var cursor = new RngCursor(rng);
        double[] NewStart()
        {
            var v = new double[m];
            for (var r = 0; r < m; r++) v[r] = Normal(ref cursor);
            Orthogonalise(v);
            var norm = Reduce.Norm(v);
            for (var r = 0; r < m; r++) v[r] /= norm;
            return v;
        }
        void Orthogonalise(double[] v)
        {
            for (var pass = 0; pass < 2; pass++)
            {
                var c0 = Reduce.Dot(v, trivial);
                for (var r = 0; r < m; r++) v[r] -= c0 * trivial[r];
                foreach (var q in basis)
                {
                    var c = Reduce.Dot(v, q);
                    for (var r = 0; r < m; r++) v[r] -= c * q[r];
                }
            }
        }
        basis.Add(NewStart());
        var w = new double[m];
        var nextCheck = Math.Max(2 * d + 1, 24);
        MathNet.Numerics.LinearAlgebra.Matrix<double>? ritzVectors = null;
        while (true)
        {
            var j = basis.Count - 1;
            Apply(basis[j], w);
            alpha.Add(Reduce.Dot(w, basis[j]));
            Orthogonalise(w);
            var bnorm = Reduce.Norm(w);
            var steps = basis.Count;
            if (steps >= Math.Min(nextCheck, maxSteps))
            {
                nextCheck = Math.Max(nextCheck + 16, nextCheck * 3 / 2);
                var t = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(steps, steps);
                for (var p = 0; p < steps; p++)
                {
                    t[p, p] = alpha[p];
                    if (p + 1 < steps) { t[p, p + 1] = beta[p]; t[p + 1, p] = beta[p]; }
                }
                var evd = t.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
                ritzVectors = evd.EigenVectors;
                // Eigenvalues come in ascending order: the wanted ones are the last d.
                var converged = true;
                for (var q = steps - d; q < steps; q++)
                    if (Math.Abs(bnorm * ritzVectors[steps - 1, q]) > 1e-6) converged = false;
                if (converged || steps >= maxSteps) break;
            }
            if (bnorm < 1e-10)
            {
                // An invariant subspace: continue from a fresh direction orthogonal to everything so far.
                beta.Add(0);
                basis.Add(NewStart());
            }
            else
            {
                beta.Add(bnorm);
                var next = new double[m];
                for (var r = 0; r < m; r++) next[r] = w[r] / bnorm;
                basis.Add(next);
            }
        }
        var k = basis.Count;
        var result = new double[m * d];
        for (var t = 0; t < d; t++)
        {
            var q = k - 1 - t; // the largest eigenvalue of N first: the smallest non-trivial one of L
            var vec = new double[m];
            for (var p = 0; p < k; p++)
            {
                var s = ritzVectors![p, q];
                for (var r = 0; r < m; r++) vec[r] += s * basis[p][r];
            }
            // A fixed sign: the entry of largest magnitude is positive.
            var big = 0;
            for (var r = 1; r < m; r++) if (Math.Abs(vec[r]) > Math.Abs(vec[big])) big = r;
            var sign = vec[big] < 0 ? -1 : 1;
            for (var r = 0; r < m; r++) result[r * d + t] = sign * vec[r];
        }
        return result;
    }

    /// <summary>A standard normal draw (Box-Muller, one per pair of uniforms).</summary>
    private static double Normal(ref RngCursor cursor)
    {
        var u1 = 1.0 - cursor.NextDouble();
        var u2 = cursor.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Rescales every coordinate to [0, 10] (umap-learn does so before the descent).</summary>
    private static void ScaleToBox(double[] y, int n, int d)
    {
        for (var t = 0; t < d; t++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (var i = 0; i < n; i++) { lo = Math.Min(lo, y[i * d + t]); hi = Math.Max(hi, y[i * d + t]); }
            var span = hi - lo;
            for (var i = 0; i < n; i++) y[i * d + t] = span > 0 ? 10 * (y[i * d + t] - lo) / span : 0;
        }
    }

    /// <summary>umap-learn's <c>optimize_layout_euclidean</c>, single-threaded, moving both ends of each sampled edge.</summary>
    private static void Optimise(double[] y, int n, int d, Graph g, double a, double b, int nEpochs, UmapOptions o, Rng rng)
    {
        var edges = g.Head.Length;
        if (edges == 0) return;
        var maxWeight = g.Weight.Max();
        var epochsPerSample = new double[edges];
        for (var e = 0; e < edges; e++)
        {
            var samples = nEpochs * (g.Weight[e] / maxWeight);
            epochsPerSample[e] = samples > 0 ? nEpochs / samples : -1;
        }
        var rate = o.NegativeSampleRate;
        var epochsPerNegative = epochsPerSample.Select(v => rate > 0 ? v / rate : double.PositiveInfinity).ToArray();
        var nextNegative = (double[])epochsPerNegative.Clone();
        var nextSample = (double[])epochsPerSample.Clone();
        var gamma = o.RepulsionStrength;
        var cursor = new RngCursor(rng);
        var alpha = o.LearningRate;
        for (var epoch = 0; epoch < nEpochs; epoch++)
        {
            for (var e = 0; e < edges; e++)
            {
                if (nextSample[e] > epoch) continue;
                var j = g.Head[e];
                var k = g.Tail[e];
                var dist2 = SquaredDistance(y, j, k, d);
                double coeff = 0;
                if (dist2 > 0)
                {
                    var pb = Math.Pow(dist2, b);
                    coeff = -2.0 * a * b * (pb / dist2) / (a * pb + 1.0);
                }
                for (var t = 0; t < d; t++)
                {
                    var grad = Clip(coeff * (y[j * d + t] - y[k * d + t]));
                    y[j * d + t] += grad * alpha;
                    y[k * d + t] -= grad * alpha;
                }
                nextSample[e] += epochsPerSample[e];
                if (rate == 0) continue;
                var negatives = (int)((epoch - nextNegative[e]) / epochsPerNegative[e]);
                for (var p = 0; p < negatives; p++)
                {
                    var other = cursor.NextInt(n);
                    dist2 = SquaredDistance(y, j, other, d);
                    if (dist2 > 0)
                        coeff = 2.0 * gamma * b / ((0.001 + dist2) * (a * Math.Pow(dist2, b) + 1));
                    else if (j == other) continue;
                    else coeff = 0;
                    if (coeff > 0)
                        for (var t = 0; t < d; t++) y[j * d + t] += Clip(coeff * (y[j * d + t] - y[other * d + t])) * alpha;
                }
                nextNegative[e] += negatives * epochsPerNegative[e];
            }
            alpha = o.LearningRate * (1.0 - (double)epoch / nEpochs); // as umap-learn: epochs 0 and 1 both take the full step
        }
    }

    private static double SquaredDistance(double[] y, int i, int j, int d)
    {
        double s = 0;
        for (var t = 0; t < d; t++) { var diff = y[i * d + t] - y[j * d + t]; s += diff * diff; }
        return s;
    }

    private static double Clip(double v) => v > 4 ? 4 : v < -4 ? -4 : v;
}
