namespace Pure.Materials.Core;

/// <summary>Sums in numpy's order, where a result must equal numpy's (and so scikit-learn's and matminer's) bit for bit.</summary>
/// <remarks>A fixed order of scalar operations: the same bits on every CPU. Source: numpy 1.24
/// <c>numpy/core/src/umath/loops_utils.h.src</c> (<c>pairwise_sum</c>); checked against <c>np.sum</c> on 3000 random arrays.</remarks>
internal static class NumpySum
{
    /// <summary>numpy's <c>pairwise_sum</c> (<c>np.add.reduce</c> on a contiguous float64 array): blocks of at most 128 values summed in
    /// eight interleaved accumulators, halves (rounded down to a multiple of 8) summed recursively.</summary>
    public static double Pairwise(ReadOnlySpan<double> a)
    {
        var n = a.Length;
        if (n < 8)
        {
            var res = 0.0;
            for (var i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n <= 128)
        {
            Span<double> r = stackalloc double[8];
            for (var j = 0; j < 8; j++) r[j] = a[j];
            var i = 8;
            for (; i < n - n % 8; i += 8)
                for (var j = 0; j < 8; j++) r[j] += a[i + j];
            var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[i];
            return res;
        }
        var n2 = n / 2;
        n2 -= n2 % 8;
        return Pairwise(a[..n2]) + Pairwise(a[n2..]);
    }

    /// <summary><c>np.mean(a)</c>.</summary>
    public static double Mean(ReadOnlySpan<double> a) => Pairwise(a) / a.Length;

    /// <summary><c>np.std(a)</c>, the population standard deviation (ddof 0): squared deviations from the mean, summed pairwise.</summary>
    public static double Std(ReadOnlySpan<double> a)
    {
        var mean = Mean(a);
        var sq = a.Length <= 256 ? stackalloc double[a.Length] : new double[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            var x = a[i] - mean;
            sq[i] = x * x;
        }
        return Math.Sqrt(Pairwise(sq) / a.Length);
    }

    /// <summary><c>np.average(a, weights=w)</c> = <c>sum(a w) / sum(w)</c>, both sums pairwise.</summary>
    public static double Average(ReadOnlySpan<double> a, ReadOnlySpan<double> w)
    {
        var prod = a.Length <= 256 ? stackalloc double[a.Length] : new double[a.Length];
        for (var i = 0; i < a.Length; i++) prod[i] = a[i] * w[i];
        return Pairwise(prod) / Pairwise(w);
    }
}
