using System.Numerics.Tensors;

namespace Pure.Materials.Models.Gaussian;

/// <summary>Row-major dense kernels for symmetric positive-definite systems (Cholesky, triangular solves, inverse).</summary>
/// <remarks>
/// All loops are dot products or axpys over contiguous row segments, so they vectorise through
/// <see cref="TensorPrimitives"/>. Matrices are n*n arrays, row-major; only the lower triangle of a Cholesky factor is used.
/// Source: Golub and Van Loan, Matrix Computations, 4th ed., Algorithm 4.2.1 (dot-product Cholesky).
/// </remarks>
internal static class Dense
{
    /// <summary>Factors A = L L^T (lower L, row-major); returns false when a pivot is not positive or not finite.</summary>
    public static bool Cholesky(ReadOnlySpan<double> a, int n, Span<double> l)
    {
        l.Clear();
        for (var i = 0; i < n; i++)
        {
            var li = l.Slice(i * n, n);
            for (var j = 0; j <= i; j++)
            {
                var s = a[i * n + j] - TensorPrimitives.Dot(li[..j], l.Slice(j * n, j));
                if (j < i) li[j] = s / l[j * n + j];
                else
                {
                    if (!(s > 0) || !double.IsFinite(s)) return false;
                    li[i] = Math.Sqrt(s);
                }
            }
        }
        return true;
    }

    /// <summary>Solves L v = b in place (forward substitution).</summary>
    public static void SolveLower(ReadOnlySpan<double> l, int n, Span<double> b)
    {
        for (var i = 0; i < n; i++)
            b[i] = (b[i] - TensorPrimitives.Dot(l.Slice(i * n, i), b[..i])) / l[i * n + i];
    }

    /// <summary>Solves L^T v = b in place (back substitution, column sweeps over rows of L).</summary>
    public static void SolveLowerTransposed(ReadOnlySpan<double> l, int n, Span<double> b)
    {
        for (var i = n - 1; i >= 0; i--)
        {
            b[i] /= l[i * n + i];
            var bi = b[i];
            // b[0..i) -= bi * L[i, 0..i)
            TensorPrimitives.MultiplyAdd(l.Slice(i * n, i), -bi, b[..i], b[..i]);
        }
    }

    /// <summary>Solves (L L^T) v = b in place.</summary>
    public static void CholeskySolve(ReadOnlySpan<double> l, int n, Span<double> b)
    {
        SolveLower(l, n, b);
        SolveLowerTransposed(l, n, b);
    }

    /// <summary>Computes (L L^T)^{-1} as a full symmetric n*n array.</summary>
    /// <remarks>U = L^{-T} (upper) is built row by row from the bottom: U_i = (e_i - sum_{k&gt;i} L_ki U_k) / L_ii;
    /// then (L L^T)^{-1} = U U^T, whose entry (i, j) is the dot product of rows i and j of U from max(i, j).</remarks>
    public static double[] CholeskyInverse(ReadOnlySpan<double> l, int n)
    {
        var u = new double[n * n];
        for (var i = n - 1; i >= 0; i--)
        {
            var ui = u.AsSpan(i * n, n);
            ui[i] = 1.0;
            for (var k = i + 1; k < n; k++)
            {
                var lki = l[k * n + i];
                if (lki != 0) TensorPrimitives.MultiplyAdd(u.AsSpan(k * n + k, n - k), -lki, ui[k..], ui[k..]);
            }
            TensorPrimitives.Divide(ui[i..], l[i * n + i], ui[i..]);
        }
        var inv = new double[n * n];
        Parallel.For(0, n, i =>
        {
            for (var j = 0; j <= i; j++)
            {
                var v = TensorPrimitives.Dot(u.AsSpan(i * n + i, n - i), u.AsSpan(j * n + i, n - i));
                inv[i * n + j] = v;
                inv[j * n + i] = v;
            }
        });
        return inv;
    }
}
