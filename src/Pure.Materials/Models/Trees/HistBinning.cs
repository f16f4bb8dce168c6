using Pure.Materials.Core;

namespace Pure.Materials.Models.Trees;

/// <summary>
/// Quantile bins of every feature, computed once per fit (scikit-learn <c>_BinMapper</c>): the thresholds of feature j and the
/// training rows mapped to bin indices, stored feature-major (<c>Binned[j * n + i]</c>).
/// </summary>
/// <remarks>
/// A feature with at most <c>max_bins</c> distinct values gets the midpoints between consecutive distinct values; otherwise the
/// <c>max_bins - 1</c> percentiles at <c>100 k / max_bins</c> (numpy <c>method="midpoint"</c>: the mean of the two order statistics
/// around the percentile position). Row i goes to bin b = the number of thresholds strictly below x, so <c>x &lt;= thresholds[b]</c>
/// exactly when its bin is at most b: a split on a bin and the same split on the real threshold agree. Values are doubles (no
/// single-precision cast). When there are more than <c>subsample</c> rows the thresholds come from a random subset of that size.
/// Source: scikit-learn 1.2.1 <c>sklearn/ensemble/_hist_gradient_boosting/binning.py</c>.
/// </remarks>
internal sealed class HistBinning
{
    public const int Subsample = 200_000;

    public required double[][] Thresholds { get; init; }
    public required byte[] Binned { get; init; }
    public required int N { get; init; }
    public required int P { get; init; }

    /// <summary>Number of bins actually used by feature j (thresholds + 1).</summary>
    public int BinCount(int j) => Thresholds[j].Length + 1;

    /// <summary>Bins the rows <paramref name="rows"/> of <paramref name="x"/> (all rows when null), in that order: the same bins as
    /// binning <c>x.SelectRows(rows)</c>, without that copy (at 100,000 rows x 132 features, 100 MB per fit).</summary>
    public static HistBinning Fit(Matrix x, int maxBins, Rng rng, int dop, int[]? rows = null)
    {
        int n = rows?.Length ?? x.Rows, p = x.Cols;
        int[]? subset = null;
        if (n > Subsample)
        {
            var cursor = new RngCursor(rng);
            var all = Enumerable.Range(0, n).ToArray();
            cursor.Shuffle(all.AsSpan());
            subset = all[..Subsample];
            Array.Sort(subset);
        }
        var thresholds = new double[p][];
        var binned = new byte[(long)n * p];
        var values = x;
        Parallel.For(0, p, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, dop) }, j =>
        {
            var data = values.Data;
            var m = subset?.Length ?? n;
            var col = new double[m];
            for (var k = 0; k < m; k++)
            {
                var i = subset is null ? k : subset[k];
                col[k] = data[(rows is null ? i : rows[i]) * p + j];
            }
            Array.Sort(col);
            thresholds[j] = FindThresholds(col, maxBins);
            var thr = thresholds[j];
            var dst = binned.AsSpan(j * n, n);
            for (var i = 0; i < n; i++) dst[i] = (byte)MapToBin(thr, data[(rows is null ? i : rows[i]) * p + j]);
        });
        return new HistBinning { Thresholds = thresholds, Binned = binned, N = n, P = p };
    }

    /// <summary>The number of thresholds strictly below <paramref name="v"/> (binary search).</summary>
    public static int MapToBin(double[] thresholds, double v)
    {
        int lo = 0, hi = thresholds.Length;
        while (lo < hi)
        {
            var mid = lo + (hi - lo - 1) / 2;
            if (v <= thresholds[mid]) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>Thresholds of one sorted column.</summary>
    internal static double[] FindThresholds(double[] sorted, int maxBins)
    {
        var distinct = new List<double>();
        foreach (var v in sorted)
            if (distinct.Count == 0 || distinct[^1] != v) distinct.Add(v);
        double[] mid;
        if (distinct.Count <= maxBins)
        {
            mid = new double[Math.Max(0, distinct.Count - 1)];
            for (var k = 0; k < mid.Length; k++) mid[k] = (distinct[k] + distinct[k + 1]) * 0.5;
        }
        else
        {
            mid = new double[maxBins - 1];
            var m = sorted.Length;
            for (var k = 1; k < maxBins; k++)
            {
                // numpy 1.24 percentile(method="midpoint") at linspace(0, 100, maxBins + 1)[k], operation for operation: the virtual index
                // n q + (1 - q) - 1, its floor/ceil midpoint, gamma 0 (integer index) or 0.5, and numpy's _lerp, which for gamma >= 0.5 is
                // b - (b - a)(1 - gamma). The lerp matters: for two adjacent doubles a < b (e.g. 1.9999999999999998 and 2.0, the same
                // Magpie value computed along two paths) (a + b) / 2 rounds to a while numpy gives b, and rows equal to b change bin.
                var q = k * (100.0 / maxBins) / 100.0;
                var virtualIndex = m * q + (1.0 + q * (1.0 - 1.0 - 1.0)) - 1.0;
                virtualIndex = 0.5 * (Math.Floor(virtualIndex) + Math.Ceiling(virtualIndex));
                var gamma = virtualIndex % 1 == 0 ? 0.0 : 0.5;
                var below = Math.Clamp((int)Math.Floor(virtualIndex), 0, m - 1);
                var above = Math.Clamp(below + 1, 0, m - 1);
                double a = sorted[below], b = sorted[above], diff = b - a;
                mid[k - 1] = gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
            }
        }
        for (var k = 0; k < mid.Length; k++) mid[k] = Math.Min(mid[k], AlmostInf);
        return mid;
    }

    /// <summary>Reads the thresholds written as <c>bin_threshold_counts</c> (one count per feature, each at most max_bins - 1) and
    /// <c>bin_thresholds</c> (all of them, feature after feature, each feature's non-decreasing and finite).</summary>
    /// <param name="r">The reader (problems are recorded on it).</param>
    /// <param name="nFeatures">The model's features.</param>
    /// <param name="maxBins">The model's max_bins.</param>
    /// <returns>The thresholds per feature (empty after a problem).</returns>
    internal static double[][] ReadThresholds(StateReader r, int nFeatures, int maxBins)
    {
        var counts = r.Ints("bin_threshold_counts", null, 0, Math.Max(0, maxBins - 1));
        if (r.Ok && counts.Length != nFeatures) r.Fail("bin_threshold_counts", $"has {counts.Length} elements, expected n_features_in_ = {nFeatures}");
        var flat = r.Floats("bin_thresholds");
        if (!r.Ok) return [];
        var total = counts.Sum(c => (long)c);
        if (flat.Length != total) { r.Fail("bin_thresholds", $"has {flat.Length} elements, expected the sum of bin_threshold_counts = {total}"); return []; }
        var result = new double[nFeatures][];
        var offset = 0;
        for (var j = 0; j < nFeatures; j++)
        {
            result[j] = flat.AsSpan(offset, counts[j]).ToArray();
            for (var k = 1; k < result[j].Length; k++)
                if (!(result[j][k] >= result[j][k - 1])) { r.Fail("bin_thresholds", $"feature {j}'s thresholds are not ascending at {k}"); return []; }
            offset += counts[j];
        }
        return result;
    }

    /// <summary>scikit-learn <c>ALMOST_INF = 1e300</c>: thresholds are clipped below +inf.</summary>
    private const double AlmostInf = 1e300;
}
