namespace Pure.Materials.Featurize.Structural;

/// <summary>Eigenvalues (no eigenvectors) of a small dense symmetric matrix: Householder reduction to tridiagonal form, then the
/// implicit QL iteration with Wilkinson-type shifts.</summary>
/// <remarks>About (2/3) n^3 operations for the reduction and 30 n^2 for the iteration, with no allocation beyond two length-n
/// arrays. Scalar code in a fixed order: the same bits on every CPU. Accuracy: each eigenvalue within a small multiple of
/// machine epsilon times the matrix norm (a backward-stable algorithm).
/// Source: the algorithms of EISPACK <c>tred1</c> and <c>tql1</c> (Wilkinson and Reinsch, Handbook for Automatic Computation
/// II, 1971), as written out in Press et al., Numerical Recipes, 3rd ed., section 11.4.</remarks>
internal static class SymmetricEigenvalues
{
    /// <summary>Computes the eigenvalues of the symmetric n x n row-major matrix <paramref name="a"/> (overwritten) into <paramref name="d"/>, unsorted.</summary>
    /// <exception cref="InvalidOperationException">When the QL iteration does not converge in 60 sweeps per eigenvalue (not seen for finite symmetric input).</exception>
    internal static void Compute(double[] a, int n, Span<double> d)
    {
        var e = n <= 256 ? stackalloc double[n] : new double[n];
        Tridiagonalize(a, n, d, e);
        Ql(d[..n], e);
    }

    private static void Tridiagonalize(double[] a, int n, Span<double> d, Span<double> e)
    {
        for (var i = n - 1; i > 0; i--)
        {
            var l = i - 1;
            double h = 0;
            if (l > 0)
            {
                double scale = 0;
                for (var k = 0; k <= l; k++) scale += Math.Abs(a[i * n + k]);
                if (scale == 0)
                {
                    e[i] = a[i * n + l];
                }
                else
                {
                    for (var k = 0; k <= l; k++)
                    {
                        a[i * n + k] /= scale;
                        h += a[i * n + k] * a[i * n + k];
                    }
                    var f = a[i * n + l];
                    var g = f >= 0 ? -Math.Sqrt(h) : Math.Sqrt(h);
                    e[i] = scale * g;
                    h -= f * g;
                    a[i * n + l] = f - g;
                    f = 0;
                    for (var j = 0; j <= l; j++)
                    {
                        g = 0;
                        for (var k = 0; k <= j; k++) g += a[j * n + k] * a[i * n + k];
                        for (var k = j + 1; k <= l; k++) g += a[k * n + j] * a[i * n + k];
                        e[j] = g / h;
                        f += e[j] * a[i * n + j];
                    }
                    var hh = f / (h + h);
                    for (var j = 0; j <= l; j++)
                    {
                        f = a[i * n + j];
                        e[j] = g = e[j] - hh * f;
                        for (var k = 0; k <= j; k++) a[j * n + k] -= f * e[k] + g * a[i * n + k];
                    }
                }
            }
            else
            {
                e[i] = a[i * n + l];
            }
            d[i] = h;
        }
        e[0] = 0;
        for (var i = 0; i < n; i++) d[i] = a[i * n + i];
    }

    private static void Ql(Span<double> d, Span<double> e)
    {
        var n = d.Length;
        for (var i = 1; i < n; i++) e[i - 1] = e[i];
        e[n - 1] = 0;
        for (var l = 0; l < n; l++)
        {
            var iter = 0;
            int m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    var dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= double.Epsilon + 2.220446049250313e-16 * dd) break;
                }
                if (m == l) break;
                if (iter++ == 60) throw new InvalidOperationException("symmetric eigenvalue QL iteration did not converge in 60 sweeps");
                var g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                var r = Hypot(g, 1.0);
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.Abs(r) : -Math.Abs(r)));
                double s = 1, c = 1, p = 0;
                var i = m - 1;
                var underflow = false;
                for (; i >= l; i--)
                {
                    var f = s * e[i];
                    var b = c * e[i];
                    e[i + 1] = r = Hypot(f, g);
                    if (r == 0)
                    {
                        d[i + 1] -= p;
                        e[m] = 0;
                        underflow = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2.0 * c * b;
                    d[i + 1] = g + (p = s * r);
                    g = c * r - b;
                }
                if (underflow) continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
            while (true);
        }
    }

    /// <summary>sqrt(a^2 + b^2), rescaled only when the squares could overflow or underflow (never for Coulomb matrices).</summary>
    private static double Hypot(double a, double b)
    {
        var (x, y) = (Math.Abs(a), Math.Abs(b));
        var big = Math.Max(x, y);
        if (big is > 1e-150 and < 1e150) return Math.Sqrt(a * a + b * b);
        if (big == 0) return 0;
        var (p, q) = (x / big, y / big);
        return big * Math.Sqrt(p * p + q * q);
    }
}
