using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pure.Materials.Featurize.Structural;

/// <summary>Eigenvalues (no eigenvectors) of a small dense symmetric matrix: Householder reduction to tridiagonal form, then the
/// root-free (rational) QL iteration of Pal, Walker and Kahan on the squared off-diagonal.</summary>
/// <remarks>About (2/3) n^3 operations for the reduction and a few n^2 for the iteration, which needs no square root or
/// rotation per step (one division per step instead of the two divisions and one square root of the classic implicit QL);
/// no allocation for n &lt;= 256 beyond the caller's spans. Scalar code in a fixed order: the same bits on every CPU and for any
/// vector width. Accuracy: each eigenvalue within a small multiple of machine epsilon times the matrix norm (both stages are
/// backward stable). Source: the algorithms of EISPACK <c>tred1</c> (Householder, Wilkinson and Reinsch, Handbook for
/// Automatic Computation II, 1971) and <c>tqlrat</c> (Reinsch's rational QL, CACM 16, 689 (1973), the Pal-Walker-Kahan
/// variant); LAPACK's <c>dsterf</c> uses the same root-free iteration.</remarks>
internal static class SymmetricEigenvalues
{
    /// <summary>Computes the eigenvalues of the symmetric n x n row-major matrix <paramref name="a"/> (only its lower triangle is
    /// read; <paramref name="a"/> is overwritten) into <paramref name="d"/>[0..n), unsorted.</summary>
    /// <exception cref="InvalidOperationException">When the QL iteration does not converge in 30 steps for one eigenvalue (not seen for finite symmetric input).</exception>
    internal static void Compute(Span<double> a, int n, Span<double> d)
    {
        var e2 = n <= 256 ? stackalloc double[n] : new double[n];
        Tridiagonalize(a, n, d, e2);
        RationalQl(d[..n], e2);
    }

    /// <summary>Householder reduction of the lower triangle, from the last row up; leaves the diagonal in d and the squared
    /// off-diagonal in e2 (e2[i] couples i - 1 and i, e2[0] = 0).</summary>
    internal static void Tridiagonalize(Span<double> a, int n, Span<double> d, Span<double> e2)
    {
        // e2 doubles as the work vector p (entries below i) while row i is reduced; entry i is final once row i is done.
        for (var i = n - 1; i > 0; i--)
        {
            var l = i - 1;
            var row = a.Slice(i * n, i);
            double scale = 0;
            for (var k = 0; k <= l; k++) scale += Math.Abs(row[k]);
            if (l == 0 || scale == 0)
            {
                e2[i] = row[l] * row[l];
                continue;
            }
            double h = 0;
            for (var k = 0; k <= l; k++)
            {
                row[k] /= scale;
                h += row[k] * row[k];
            }
            var f = row[l];
            var g = f >= 0 ? -Math.Sqrt(h) : Math.Sqrt(h);
            var off = scale * g;
            h -= f * g;
            row[l] = f - g;
            // p = A u / h (A the leading i x i block, lower triangle stored), and K = u'p / 2h. The inner loops index through
            // refs (no bounds checks): every index is below i * n + i < a.Length, e2 and row have at least i entries.
            ref var a0 = ref MemoryMarshal.GetReference(a);
            ref var u0 = ref MemoryMarshal.GetReference(row);
            ref var p0 = ref MemoryMarshal.GetReference(e2);
            f = 0;
            for (var j = 0; j <= l; j++)
            {
                g = 0;
                ref var aj = ref Unsafe.Add(ref a0, j * n);
                for (var k = 0; k <= j; k++) g += Unsafe.Add(ref aj, k) * Unsafe.Add(ref u0, k);
                for (var k = j + 1; k <= l; k++) g += Unsafe.Add(ref a0, k * n + j) * Unsafe.Add(ref u0, k);
                var pj = g / h;
                Unsafe.Add(ref p0, j) = pj;
                f += pj * Unsafe.Add(ref u0, j);
            }
            var hh = f / (h + h);
            // q = p - K u; A = A - u q' - q u' (lower triangle).
            for (var j = 0; j <= l; j++)
            {
                f = Unsafe.Add(ref u0, j);
                Unsafe.Add(ref p0, j) = g = Unsafe.Add(ref p0, j) - hh * f;
                ref var aj = ref Unsafe.Add(ref a0, j * n);
                for (var k = 0; k <= j; k++) Unsafe.Add(ref aj, k) -= f * Unsafe.Add(ref p0, k) + g * Unsafe.Add(ref u0, k);
            }
            e2[i] = off * off;
        }
        e2[0] = 0;
        for (var i = 0; i < n; i++) d[i] = a[i * n + i];
    }

    /// <summary>The rational QL iteration on the diagonal d and squared off-diagonal e2 (as left by <see cref="Tridiagonalize"/>);
    /// leaves the eigenvalues in d.</summary>
    /// <remarks>Each eigenvalue d[l] is found in turn: a shift from the leading 2 x 2 block (Wilkinson's choice, applied to the
    /// whole trailing diagonal and accumulated in f), then one QL sweep from the first negligible coupling m up to l, carried
    /// out on squares (the ratio s plays the role of sin^2 of the rotation). A coupling is negligible when its square is at most
    /// (eps t)^2, t the largest |d[l]| + |e[l]| met so far.</remarks>
    internal static void RationalQl(Span<double> d, Span<double> e2)
    {
        var n = d.Length;
        if (n == 1) return;
        // Shift the couplings down: e2[i] now couples i and i + 1; the last is 0 and stops every search.
        for (var i = 1; i < n; i++) e2[i - 1] = e2[i];
        e2[n - 1] = 0;
        double shiftSum = 0, t = 0, tol = 0, tol2 = 0;
        for (var l = 0; l < n; l++)
        {
            var steps = 0;
            var h = Math.Abs(d[l]) + Math.Sqrt(e2[l]);
            if (h > t)
            {
                t = h;
                tol = t * 2.220446049250313e-16;
                tol2 = tol * tol;
            }
            while (true)
            {
                var m = l;
                while (e2[m] > tol2) m++;
                if (m == l) break;
                if (steps++ == 30) throw new InvalidOperationException("symmetric eigenvalue QL iteration did not converge in 30 steps");
                // Shift: the eigenvalue of the leading 2 x 2 block nearer d[l].
                var s = Math.Sqrt(e2[l]);
                var g = d[l];
                var p = (d[l + 1] - g) / (2 * s);
                var r = Math.Sqrt(p * p + 1);
                d[l] = s / (p + (p >= 0 ? r : -r));
                h = g - d[l];
                for (var i = l + 1; i < n; i++) d[i] -= h;
                shiftSum += h;
                // One QL sweep on squares, from m - 1 down to l.
                g = d[m];
                if (g == 0) g = tol;
                h = g;
                s = 0;
                for (var i = m - 1; i >= l; i--)
                {
                    p = g * h;
                    r = p + e2[i];
                    e2[i + 1] = s * r;
                    s = e2[i] / r;
                    d[i + 1] = h + s * (h + d[i]);
                    g = d[i] - e2[i] / g;
                    if (g == 0) g = tol;
                    h = g * p / r;
                }
                e2[l] = s * g;
                d[l] = h;
                // Converged when the new coupling h e2[l] is negligible (tested without forming it, against underflow).
                if (h == 0 || Math.Abs(e2[l]) <= Math.Abs(tol2 / h)) break;
                e2[l] *= h;
                if (e2[l] == 0) break;
            }
            d[l] += shiftSum;
        }
    }
}
