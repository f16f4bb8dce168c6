namespace Pure.Materials.Core;

/// <summary>Sums in numpy's order, where a result must equal numpy's (and so scikit-learn's) bit for bit.</summary>
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
}
