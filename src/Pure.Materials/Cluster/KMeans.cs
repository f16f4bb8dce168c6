using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Cluster;

/// <summary>Holds the hyper-parameters of k-means (inert values).</summary>
/// <param name="K">Number of clusters, 1 &lt;= K &lt;= n_samples; default 8 (scikit-learn's).</param>
/// <param name="NInit">Number of seeded k-means++ starts; the run with the lowest inertia is kept; default 1 (scikit-learn 1.4's <c>"auto"</c> for k-means++), at least 1.</param>
/// <param name="MaxIter">Maximum Lloyd iterations per start, at least 1; default 300.</param>
/// <param name="Tol">Relative tolerance: stop when the squared centre shift, summed over centres, is at most Tol times the mean feature variance; default 1e-4, at least 0.</param>
/// <param name="InitialCentres">Start from these centres, shape (K, n_features), instead of k-means++ (then NInit must be 1); null (default) for k-means++.</param>
public sealed record KMeansOptions(int K = 8, int NInit = 1, int MaxIter = 300, double Tol = 1e-4, Matrix? InitialCentres = null);

/// <summary>A fitted k-means clustering.</summary>
/// <param name="Options">The options it was fitted with.</param>
/// <param name="Centres">Cluster centres, shape (K, n_features).</param>
/// <param name="Labels">Cluster of each training row, shape (n_samples,), in 0..K-1.</param>
/// <param name="Inertia">Sum over rows of the squared Euclidean distance to the row's centre, in squared feature units.</param>
/// <param name="Iterations">Lloyd iterations of the kept start.</param>
public sealed record KMeansModel(KMeansOptions Options, Matrix Centres, IReadOnlyList<int> Labels, double Inertia, int Iterations);

/// <summary>k-means clustering: seeded greedy k-means++ initialisation and Lloyd iterations.</summary>
/// <remarks>
/// Objective: minimise inertia = sum_i min_c ||x_i - mu_c||^2. Lloyd: assign each row to its nearest centre (lowest index on
/// ties), move each centre to the mean of its rows; stop when the labels no longer change or the summed squared centre
/// shift is at most Tol * mean_j var(x_j); if stopped by the tolerance, labels are recomputed from the final centres. An
/// empty cluster is moved to the row farthest from its centre. k-means++: the first centre is a uniformly drawn row; each next
/// centre is the best (lowest resulting potential) of 2 + floor(ln K) candidates drawn with probability proportional to the
/// squared distance to the nearest chosen centre. Start s uses the s-th of <c>rng.SplitMany(NInit)</c>.
/// From the same initial centres the result equals scikit-learn's <c>KMeans(init=centres, n_init=1, algorithm="lloyd")</c> up to rounding.
/// Source: scikit-learn 1.2.1 <c>_kmeans_single_lloyd</c>, <c>_kmeans_plusplus</c>; Arthur and Vassilvitskii, "k-means++", SODA 2007.
/// </remarks>
public static class KMeans
{
    /// <summary>Fits k-means.</summary>
    /// <param name="options">K, starts, iterations, tolerance, optional initial centres.</param>
    /// <param name="x">Data, shape (n_samples, n_features), finite.</param>
    /// <param name="rng">A stream for this fit alone (k-means++ draws); unused with initial centres.</param>
    /// <returns>The model, or <c>param.out_of_range</c> (K outside 1..n_samples, NInit or MaxIter &lt; 1, Tol &lt; 0), <c>shape.columns_mismatch</c>
    /// (initial centres of the wrong shape), <c>param.conflict</c> (initial centres with NInit &gt; 1), <c>data.nan_feature</c>.</returns>
    public static Validation<Problem, KMeansModel> Fit(KMeansOptions options, Matrix x, Rng rng)
    {
        var problems = new List<Problem>();
        if (options.K < 1 || options.K > x.Rows)
            problems.Add(new Problem("param.out_of_range", $"k-means K = {options.K}, but there are {x.Rows} row(s); use 1 <= K <= {x.Rows}"));
        if (options.NInit < 1) problems.Add(new Problem("param.out_of_range", $"NInit = {options.NInit}; use at least 1"));
        if (options.MaxIter < 1) problems.Add(new Problem("param.out_of_range", $"MaxIter = {options.MaxIter}; use at least 1"));
        if (!(options.Tol >= 0)) problems.Add(new Problem("param.out_of_range", $"Tol = {options.Tol}; use a number >= 0 (e.g. 1e-4)"));
        if (options.InitialCentres is { } c0)
        {
            if (c0.Rows != options.K || c0.Cols != x.Cols)
                problems.Add(new Problem("shape.columns_mismatch", $"initial centres have shape ({c0.Rows}, {c0.Cols}); expected (K, n_features) = ({options.K}, {x.Cols})"));
            if (options.NInit != 1) problems.Add(new Problem("param.conflict", "initial centres give one start: use NInit = 1"));
        }
        if (x.Data.ToArray().Any(v => !double.IsFinite(v)))
            problems.Add(new Problem("data.nan_feature", "the data hold NaN or infinite values; impute them before clustering"));
        if (problems.Count > 0) return Valid.Fail<KMeansModel>(problems);

        var tol = options.Tol * MeanVariance(x);
        if (options.InitialCentres is { } given) return Valid.Ok(Lloyd(options, x, given.Data.ToArray(), tol));
        var (streams, _) = rng.SplitMany(options.NInit);
        return Valid.Ok(streams.Select(s => Lloyd(options, x, PlusPlus(x, options.K, s), tol)).MinBy(m => m.Inertia)!);
    }

    /// <summary>Assigns rows to the nearest centre of a fitted model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Data, shape (m, n_features).</param>
    /// <returns>Cluster per row, shape (m,).</returns>
    public static int[] Predict(KMeansModel model, Matrix x)
    {
        var labels = new int[x.Rows];
        Assign(x, model.Centres.Data.ToArray(), model.Options.K, labels);
        return labels;
    }

    /// <summary>Greedy k-means++ (scikit-learn's default initialisation), returning centres row-major (K * p).</summary>
    internal static double[] PlusPlus(Matrix x, int k, Rng rng)
    {
        int n = x.Rows, p = x.Cols;
        var cursor = new RngCursor(rng);
        var trials = 2 + (int)Math.Log(k);
        var centres = new double[k * p];
        var first = cursor.NextInt(n);
        x.Row(first).CopyTo(centres.AsSpan(0, p));
        var closest = new double[n];
        for (var i = 0; i < n; i++) closest[i] = Sq(x.Row(i), x.Row(first));
        var potential = closest.Sum();
        for (var c = 1; c < k; c++)
        {
            int best = -1;
            double bestPotential = double.PositiveInfinity;
            double[]? bestClosest = null;
            for (var t = 0; t < trials; t++)
            {
                var candidate = SampleProportional(closest, potential, cursor.NextDouble());
                var d = new double[n];
                double pot = 0;
                for (var i = 0; i < n; i++) { d[i] = Math.Min(closest[i], Sq(x.Row(i), x.Row(candidate))); pot += d[i]; }
                if (pot < bestPotential) (best, bestPotential, bestClosest) = (candidate, pot, d);
            }
            x.Row(best).CopyTo(centres.AsSpan(c * p, p));
            (closest, potential) = (bestClosest!, bestPotential);
        }
        return centres;
    }

    private static int SampleProportional(double[] weights, double total, double u)
    {
        if (!(total > 0)) return (int)(u * weights.Length);
        var target = u * total;
        double cumulative = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (cumulative > target) return i;
        }
        return Array.FindLastIndex(weights, w => w > 0);
    }

    private static KMeansModel Lloyd(KMeansOptions o, Matrix x, double[] centres, double tol)
    {
        int n = x.Rows, p = x.Cols, k = o.K;
        var labels = new int[n];
        var previous = Enumerable.Repeat(-1, n).ToArray();
        var strict = false;
        var iterations = 0;
        for (var it = 0; it < o.MaxIter; it++)
        {
            iterations = it + 1;
            Assign(x, centres, k, labels);
            var updated = new double[k * p];
            var counts = new int[k];
            for (var i = 0; i < n; i++)
            {
                counts[labels[i]]++;
                var row = x.Row(i);
                for (var j = 0; j < p; j++) updated[labels[i] * p + j] += row[j];
            }
            for (var c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    // Relocate an empty cluster to the row farthest from its current centre.
                    var far = Enumerable.Range(0, n).MaxBy(i => Sq(x.Row(i), centres.AsSpan(labels[i] * p, p)));
                    x.Row(far).CopyTo(updated.AsSpan(c * p, p));
                    continue;
                }
                for (var j = 0; j < p; j++) updated[c * p + j] /= counts[c];
            }
            double shift = 0;
            for (var q = 0; q < updated.Length; q++) shift += (updated[q] - centres[q]) * (updated[q] - centres[q]);
            centres = updated;
            if (labels.AsSpan().SequenceEqual(previous)) { strict = true; break; }
            if (shift <= tol) break;
            labels.CopyTo(previous, 0);
        }
        if (!strict) Assign(x, centres, k, labels);
        double inertia = 0;
        for (var i = 0; i < n; i++) inertia += Sq(x.Row(i), centres.AsSpan(labels[i] * p, p));
        return new KMeansModel(o, Matrix.Own(k, p, centres), labels, inertia, iterations);
    }

    private static void Assign(Matrix x, double[] centres, int k, int[] labels)
    {
        var p = x.Cols;
        for (var i = 0; i < x.Rows; i++)
        {
            var (best, bestD) = (0, double.PositiveInfinity);
            for (var c = 0; c < k; c++)
            {
                var d = Sq(x.Row(i), centres.AsSpan(c * p, p));
                if (d < bestD) (best, bestD) = (c, d);
            }
            labels[i] = best;
        }
    }

    private static double MeanVariance(Matrix x)
    {
        double total = 0;
        for (var j = 0; j < x.Cols; j++)
        {
            var col = x.Column(j);
            var m = col.Average();
            total += col.Sum(v => (v - m) * (v - m)) / col.Length;
        }
        return x.Cols == 0 ? 0 : total / x.Cols;
    }

    internal static double Sq(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (var j = 0; j < a.Length; j++) s += (a[j] - b[j]) * (a[j] - b[j]);
        return s;
    }
}
