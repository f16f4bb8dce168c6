using System.Numerics.Tensors;

namespace Pure.Materials.Core;

/// <summary>Row-major dense kernels for symmetric positive-definite systems: blocked Cholesky, triangular solves, inverse.</summary>
/// <remarks>
/// Matrices are n*n arrays, row-major; only the lower triangle of a Cholesky factor is used (its upper triangle is zeroed).
/// The factorisation is left-looking by block columns of <see cref="BlockSize"/>: for block column [j0, j1) every row i &gt;= j0
/// computes L_ij = (A_ij - sum_K L_i,K . L_j,K - L_i,[j0,j)) . L_j,[j0,j)) / L_jj, where K runs over fixed chunks of
/// <see cref="ChunkSize"/> columns of [0, j0) so that the rows of the block column stay in the L2 cache while every row below reuses them.
/// Each dot product is a <see cref="Reduce.Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/> (fixed order, CPU-independent) over contiguous row segments.
/// Rows below the diagonal block are processed in parallel chunks; every entry is computed by one thread with the same
/// sequence of operations whatever the number of threads or the scheduling, so the result is bit-identical for any thread count.
/// Source: Golub and Van Loan, Matrix Computations, 4th ed., Algorithms 4.2.1 (dot-product Cholesky) and 4.2.3 (block Cholesky).
/// </remarks>
internal static class Dense
{
    /// <summary>Width of a block column of the factorisation and height of a parallel row chunk.</summary>
    public const int BlockSize = 64;

    /// <summary>Length of the column chunks over which the long dot products of the panel update are split (fixed, so results do not depend on threads).</summary>
    public const int ChunkSize = 256;

    /// <summary>Number of right-hand sides a thread solves together, so that each row of L is read once per group.</summary>
    private const int RhsGroup = 8;

    /// <summary>Factors A = L L^T (lower L, row-major) into <paramref name="l"/>; returns false when a pivot is not positive or not finite.</summary>
    /// <param name="a">A, n*n row-major; only the lower triangle is read.</param>
    /// <param name="n">Order.</param>
    /// <param name="l">Output, length n*n (may be the same array as <paramref name="a"/>).</param>
    public static bool Cholesky(ReadOnlySpan<double> a, int n, double[] l)
    {
        if (!a.Overlaps(l)) a[..(n * n)].CopyTo(l);
        return CholeskyInPlace(l, n, 0.0);
    }

    /// <summary>Factors the SPD matrix held in <paramref name="l"/> in place (lower triangle read, L written, upper zeroed).</summary>
    /// <param name="l">A on entry, L on exit (undefined when false is returned); n*n row-major.</param>
    /// <param name="n">Order.</param>
    /// <param name="minPivot">A pivot L_jj^2 must be &gt; this (0 for plain positive definiteness).</param>
    /// <returns>False when a pivot is not &gt; minPivot or not finite.</returns>
    public static bool CholeskyInPlace(double[] l, int n, double minPivot)
    {
        for (var j0 = 0; j0 < n; j0 += BlockSize)
        {
            var j1 = Math.Min(j0 + BlockSize, n);
            // Diagonal block, sequentially.
            var acc = new double[BlockSize * BlockSize];
            PanelUpdate(l, n, j0, j1, j0, j1, acc);
            for (var i = j0; i < j1; i++)
            {
                var li = l.AsSpan(i * n, n);
                for (var j = j0; j <= i; j++)
                {
                    var lj = l.AsSpan(j * n, n);
                    var s = li[j] - acc[(i - j0) * BlockSize + (j - j0)] - Reduce.Dot(li[j0..j], lj[j0..j]);
                    if (j < i) li[j] = s / lj[j];
                    else
                    {
                        if (!(s > minPivot) || !double.IsFinite(s)) return false;
                        li[i] = Math.Sqrt(s);
                    }
                }
            }
            // Rows below, in parallel chunks of BlockSize rows.
            var below = n - j1;
            if (below <= 0) continue;
            var chunks = (below + BlockSize - 1) / BlockSize;
            var failed = false;
            Parallel.For(0, chunks, () => new double[BlockSize * BlockSize], (c, _, buffer) =>
            {
                var r0 = j1 + c * BlockSize;
                var r1 = Math.Min(r0 + BlockSize, n);
                PanelUpdate(l, n, r0, r1, j0, j1, buffer);
                for (var i = r0; i < r1; i++)
                {
                    var li = l.AsSpan(i * n, n);
                    for (var j = j0; j < j1; j++)
                    {
                        var lj = l.AsSpan(j * n, n);
                        li[j] = (li[j] - buffer[(i - r0) * BlockSize + (j - j0)] - Reduce.Dot(li[j0..j], lj[j0..j])) / lj[j];
                    }
                    if (!double.IsFinite(li[j1 - 1])) failed = true;
                }
                return buffer;
            }, _ => { });
            if (failed) return false;
        }
        for (var i = 0; i < n; i++) l.AsSpan(i * n + i + 1, n - i - 1).Clear();
        return true;
    }

    /// <summary>acc[(i - r0), (j - j0)] = sum over column chunks K of [0, j0) of L_i,K . L_j,K, for rows [r0, r1) and columns [j0, j1) (j &lt;= i).</summary>
    private static void PanelUpdate(double[] l, int n, int r0, int r1, int j0, int j1, double[] acc)
    {
        Array.Clear(acc);
        for (var k0 = 0; k0 < j0; k0 += ChunkSize)
        {
            var k1 = Math.Min(k0 + ChunkSize, j0);
            for (var i = r0; i < r1; i++)
            {
                var li = l.AsSpan(i * n + k0, k1 - k0);
                var row = acc.AsSpan((i - r0) * BlockSize, BlockSize);
                var jEnd = Math.Min(j1, i + 1);
                for (var j = j0; j < jEnd; j++) row[j - j0] += Reduce.Dot(li, l.AsSpan(j * n + k0, k1 - k0));
            }
        }
    }

    /// <summary>Solves L v = b in place (forward substitution).</summary>
    public static void SolveLower(ReadOnlySpan<double> l, int n, Span<double> b)
    {
        for (var i = 0; i < n; i++)
            b[i] = (b[i] - Reduce.Dot(l.Slice(i * n, i), b[..i])) / l[i * n + i];
    }

    /// <summary>Solves L V_r = B_r in place for every row r of B (m*n row-major), in parallel groups of rows.</summary>
    /// <remarks>Each row gets exactly the operations of <see cref="SolveLower"/>, so the result does not depend on the thread count;
    /// a group of rows shares each row of L while it is in cache.</remarks>
    public static void SolveLowerRows(ReadOnlyMemory<double> l, int n, double[] b, int m)
    {
        var groups = (m + RhsGroup - 1) / RhsGroup;
        Parallel.For(0, groups, g =>
        {
            var r0 = g * RhsGroup;
            var r1 = Math.Min(r0 + RhsGroup, m);
            var lSpan = l.Span;
            for (var i = 0; i < n; i++)
            {
                var li = lSpan.Slice(i * n, i);
                var lii = lSpan[i * n + i];
                for (var r = r0; r < r1; r++)
                {
                    var br = b.AsSpan(r * n, n);
                    br[i] = (br[i] - Reduce.Dot(li, br[..i])) / lii;
                }
            }
        });
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
    /// <remarks>Row c of U = L^{-T} is column c of L^{-1}: U_c,c = 1 / L_cc and U_c,i = -L_i,[c,i) . U_c,[c,i) / L_ii for i &gt; c
    /// (forward substitution, columns solved in parallel groups); then (L L^T)^{-1} = U U^T, whose entry (i, j), j &lt;= i, is
    /// U_i,[i,n) . U_j,[i,n), computed in parallel row chunks with column tiles. Deterministic for any thread count.</remarks>
    public static double[] CholeskyInverse(double[] l, int n)
    {
        var u = new double[n * n];
        var groups = (n + RhsGroup - 1) / RhsGroup;
        Parallel.For(0, groups, g =>
        {
            var c0 = g * RhsGroup;
            var c1 = Math.Min(c0 + RhsGroup, n);
            for (var i = c0; i < n; i++)
            {
                var lrow = l.AsSpan(i * n, n);
                var lii = lrow[i];
                for (var c = c0; c < Math.Min(c1, i + 1); c++)
                {
                    var uc = u.AsSpan(c * n, n);
                    uc[i] = i == c ? 1.0 / lii : -Reduce.Dot(lrow[c..i], uc[c..i]) / lii;
                }
            }
        });
        var inv = new double[n * n];
        var chunks = (n + BlockSize - 1) / BlockSize;
        Parallel.For(0, chunks, c =>
        {
            var i0 = c * BlockSize;
            var i1 = Math.Min(i0 + BlockSize, n);
            for (var jb = 0; jb < i1; jb += BlockSize)
                for (var i = i0; i < i1; i++)
                {
                    var ui = u.AsSpan(i * n + i, n - i);
                    for (var j = jb; j < Math.Min(jb + BlockSize, i + 1); j++)
                        inv[i * n + j] = Reduce.Dot(ui, u.AsSpan(j * n + i, n - i));
                }
        });
        for (var i = 0; i < n; i++)
            for (var j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j];
        return inv;
    }
}
