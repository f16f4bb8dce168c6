namespace Pure.Materials.Featurize.Structural;

/// <summary>Eigenvalues of a real square matrix in the positions the nonsymmetric QR algorithm leaves them, as LAPACK's
/// <c>dgeev</c> (and so <c>numpy.linalg.eig</c>, and so matminer's Coulomb matrix features) returns them for matrices of
/// fewer than 75 rows: Householder reduction to upper Hessenberg form, then the double-shift QR iteration with deflation from
/// the bottom; eigenvalue k is the k-th diagonal entry (or 2 x 2 block) of the resulting quasi-triangular Schur form.</summary>
/// <remarks>
/// Written from the published algorithms and LAPACK's documented behaviour (Reference-LAPACK <c>dgehd2</c> with
/// <c>dlarfg</c>/<c>dlarf</c>; <c>dlahqr</c> with Ahues and Tisseur's deflation test, exceptional shifts after 10 and 20 steps
/// without deflation, and <c>dlanv2</c>'s standardisation of 2 x 2 blocks), with the operations in the reference BLAS order
/// and without fused multiply-adds. Balancing (<c>dgebal</c> with job 'B') is not performed: for a symmetric matrix whose
/// off-diagonal entries are all non-zero, as every Coulomb and sine Coulomb matrix, it neither permutes (no row or column is
/// isolated) nor scales (each row norm equals its column norm), so it would be the identity. <c>dgehrd</c> switches to blocked
/// code only above 128 rows, and <c>dhseqr</c> calls <c>dlahqr</c> below 75, so for the matrices here this is the path LAPACK
/// takes. Only the real parts are returned (as matminer, which stores numpy's eigenvalues in a real array); for a symmetric
/// matrix the imaginary parts are zero, or rounding noise when a 2 x 2 block holds two nearly equal eigenvalues.
/// Given the same matrix, the result equals <c>numpy.linalg.eig</c>'s (numpy 1.24.2 on reference LAPACK 3.11 and reference
/// BLAS) bit for bit and in the same order on all 2 x 1265 matbench_phonons Coulomb and sine Coulomb matrices
/// (<c>benchmarks/eigenvalue-order/check_numpy_order.py</c>). The order itself is fragile: for matrices of crystals with
/// symmetry-equivalent sites, whether an intermediate subdiagonal is exactly zero or of rounding size decides where the
/// iteration deflates, so a last-bit change in one matrix entry can move distinct eigenvalues to other positions.
/// Scalar code in a fixed order: the same bits on every CPU.
/// </remarks>
internal static class HessenbergQrEigenvalues
{
    private const double Ulp = 2.220446049250313e-16;            // LAPACK dlamch('P') = 2^-52
    private const double SafeMin = 2.2250738585072014e-308;      // dlamch('S')

    /// <summary>Computes the eigenvalues' real parts of the n x n row-major matrix <paramref name="a"/> (all n^2 entries read; overwritten)
    /// into <paramref name="wr"/>[0..n), in Schur-form position order.</summary>
    /// <returns>False when the QR iteration does not converge in 30 max(10, n) steps (LAPACK would then continue with another
    /// routine); not seen for symmetric input.</returns>
    internal static bool Compute(Span<double> a, int n, Span<double> wr)
    {
        if (n == 1)
        {
            wr[0] = a[0];
            return true;
        }
        var work = n <= 256 ? stackalloc double[n] : new double[n];
        ReduceToHessenberg(a, n, work);
        return QrIterate(a, n, wr);
    }

    /// <summary>Reduces the matrix to upper Hessenberg form by n - 2 Householder similarity transforms (columns 0..n-3), zeroing
    /// everything below the first subdiagonal.</summary>
    private static void ReduceToHessenberg(Span<double> h, int n, Span<double> w)
    {
        for (var i = 0; i < n - 2; i++)
        {
            // The reflector I - tau v v' with v = (1, x) maps column i's entries in rows i+1..n-1 onto beta e_1.
            var len = n - i - 1;
            var beta = h[(i + 1) * n + i];
            var tau = Reflector(h, i + 2, i, n, len, ref beta);
            h[(i + 1) * n + i] = beta;
            if (tau == 0) continue;
            // Right: H(:, i+1..) -= tau (H(:, i+1..) v) v'. v_0 = 1; v_k (k >= 1) is stored in H(i+1+k, i).
            for (var r = 0; r < n; r++)
            {
                var s = h[r * n + i + 1];
                for (var k = 1; k < len; k++) s += h[(i + 1 + k) * n + i] * h[r * n + i + 1 + k];
                w[r] = s;
            }
            for (var k = 0; k < len; k++)
            {
                var t = -tau * (k == 0 ? 1.0 : h[(i + 1 + k) * n + i]);
                var c = i + 1 + k;
                for (var r = 0; r < n; r++) h[r * n + c] += w[r] * t;
            }
            // Left: H(i+1.., i+1..) -= tau v (v' H(i+1.., i+1..)).
            for (var c = i + 1; c < n; c++)
            {
                var s = 0.0;
                for (var k = 0; k < len; k++) s += h[(i + 1 + k) * n + c] * (k == 0 ? 1.0 : h[(i + 1 + k) * n + i]);
                w[c] = s;
            }
            for (var c = i + 1; c < n; c++)
            {
                var t = -tau * w[c];
                for (var k = 0; k < len; k++) h[(i + 1 + k) * n + c] += (k == 0 ? 1.0 : h[(i + 1 + k) * n + i]) * t;
            }
        }
        for (var r = 2; r < n; r++)
            for (var c = 0; c < r - 1; c++) h[r * n + c] = 0;
    }

    /// <summary>Elementary reflector (LAPACK's <c>dlarfg</c> convention) for the vector (alpha, x), x the <paramref name="len"/> - 1
    /// entries of column <paramref name="col"/> from row <paramref name="row0"/>: on return x holds v's tail (v_0 = 1 implied),
    /// alpha holds beta, and the result is tau (0 when x is already zero).</summary>
    private static double Reflector(Span<double> h, int row0, int col, int n, int len, ref double alpha)
    {
        if (len <= 1) return 0;
        var norm = 0.0;
        for (var k = 0; k < len - 1; k++)
        {
            var x = h[(row0 + k) * n + col];
            norm += x * x;
        }
        norm = Math.Sqrt(norm);
        if (norm == 0) return 0;
        var beta = -Math.CopySign(Hypot(alpha, norm), alpha);
        var tau = (beta - alpha) / beta;
        var scale = 1 / (alpha - beta);
        for (var k = 0; k < len - 1; k++) h[(row0 + k) * n + col] *= scale;
        alpha = beta;
        return tau;
    }

    /// <summary>The same reflector for a 2- or 3-vector held in locals (the QR sweep's bulge).</summary>
    private static double Reflector3(int nr, ref double v1, ref double v2, ref double v3)
    {
        var norm = nr == 3 ? Math.Sqrt(v2 * v2 + v3 * v3) : Math.Abs(v2);
        if (norm == 0) return 0;
        var beta = -Math.CopySign(Hypot(v1, norm), v1);
        var tau = (beta - v1) / beta;
        var scale = 1 / (v1 - beta);
        v2 *= scale;
        if (nr == 3) v3 *= scale;
        v1 = beta;
        return tau;
    }

    /// <summary>sqrt(x^2 + y^2) as LAPACK's <c>dlapy2</c>: w sqrt(1 + (z/w)^2), w the larger magnitude.</summary>
    private static double Hypot(double x, double y)
    {
        double xa = Math.Abs(x), ya = Math.Abs(y);
        double w = Math.Max(xa, ya), z = Math.Min(xa, ya);
        if (z == 0 || w > double.MaxValue) return w;
        var q = z / w;
        return w * Math.Sqrt(1 + q * q);
    }

    /// <summary>The double-shift QR iteration on the Hessenberg matrix (row-major), eigenvalues only (LAPACK's <c>dlahqr</c> with
    /// wantt = wantz = false): the active block shrinks from the bottom as 1 x 1 or 2 x 2 blocks split off.</summary>
    private static bool QrIterate(Span<double> h, int n, Span<double> wr)
    {
        var smallNum = SafeMin * (n / Ulp);
        var itMax = 30 * Math.Max(10, n);
        var sinceDeflation = 0;
        var i = n - 1;
        while (i >= 0)
        {
            var l = 0;
            var converged = false;
            for (var its = 0; its <= itMax; its++)
            {
                // Find the lowest negligible subdiagonal entry H(k, k-1) in rows l+1..i.
                int k;
                for (k = i; k > l; k--)
                {
                    var hkk1 = Math.Abs(h[k * n + k - 1]);
                    if (hkk1 <= smallNum) break;
                    var tst = Math.Abs(h[(k - 1) * n + k - 1]) + Math.Abs(h[k * n + k]);
                    if (tst == 0)
                    {
                        if (k - 2 >= 0) tst += Math.Abs(h[(k - 1) * n + k - 2]);
                        if (k + 1 <= n - 1) tst += Math.Abs(h[(k + 1) * n + k]);
                    }
                    if (hkk1 <= Ulp * tst)
                    {
                        // Ahues-Tisseur: compare with the products that decide the 2 x 2 block's conditioning.
                        var hk1k = Math.Abs(h[(k - 1) * n + k]);
                        var diff = Math.Abs(h[(k - 1) * n + k - 1] - h[k * n + k]);
                        var hkk = Math.Abs(h[k * n + k]);
                        double ab = Math.Max(hkk1, hk1k), ba = Math.Min(hkk1, hk1k);
                        double aa = Math.Max(hkk, diff), bb = Math.Min(hkk, diff);
                        var s = aa + ab;
                        if (ba * (ab / s) <= Math.Max(smallNum, Ulp * (bb * (aa / s)))) break;
                    }
                }
                l = k;
                if (l > 0) h[l * n + l - 1] = 0;
                if (l >= i - 1)
                {
                    converged = true;
                    break;
                }
                sinceDeflation++;

                // Shifts: the eigenvalues of the trailing 2 x 2 block, or an exceptional pair every 10 steps without deflation.
                double h11, h12, h21, h22;
                const double Dat1 = 0.75, Dat2 = -0.4375;
                if (sinceDeflation % 20 == 0)
                {
                    var s = Math.Abs(h[i * n + i - 1]) + Math.Abs(h[(i - 1) * n + i - 2]);
                    h11 = Dat1 * s + h[i * n + i];
                    h12 = Dat2 * s;
                    h21 = s;
                    h22 = h11;
                }
                else if (sinceDeflation % 10 == 0)
                {
                    var s = Math.Abs(h[(l + 1) * n + l]) + Math.Abs(h[(l + 2) * n + l + 1]);
                    h11 = Dat1 * s + h[l * n + l];
                    h12 = Dat2 * s;
                    h21 = s;
                    h22 = h11;
                }
                else
                {
                    h11 = h[(i - 1) * n + i - 1];
                    h21 = h[i * n + i - 1];
                    h12 = h[(i - 1) * n + i];
                    h22 = h[i * n + i];
                }
                double rt1r, rt1i, rt2r, rt2i;
                var sc = Math.Abs(h11) + Math.Abs(h12) + Math.Abs(h21) + Math.Abs(h22);
                if (sc == 0)
                {
                    rt1r = rt1i = rt2r = rt2i = 0;
                }
                else
                {
                    h11 /= sc;
                    h21 /= sc;
                    h12 /= sc;
                    h22 /= sc;
                    var tr = (h11 + h22) / 2;
                    var det = (h11 - tr) * (h22 - tr) - h12 * h21;
                    var rtdisc = Math.Sqrt(Math.Abs(det));
                    if (det >= 0)
                    {
                        rt1r = tr * sc;
                        rt2r = rt1r;
                        rt1i = rtdisc * sc;
                        rt2i = -rt1i;
                    }
                    else
                    {
                        // Two real shifts: use the one nearer h22 twice.
                        rt1r = tr + rtdisc;
                        rt2r = tr - rtdisc;
                        if (Math.Abs(rt1r - h22) <= Math.Abs(rt2r - h22))
                        {
                            rt1r *= sc;
                            rt2r = rt1r;
                        }
                        else
                        {
                            rt2r *= sc;
                            rt1r = rt2r;
                        }
                        rt1i = rt2i = 0;
                    }
                }

                // Look for two consecutive small subdiagonals to start the bulge lower (row m).
                int m;
                double v1 = 0, v2 = 0, v3 = 0;
                for (m = i - 2; ; m--)
                {
                    var h21s = h[(m + 1) * n + m];
                    var s = Math.Abs(h[m * n + m] - rt2r) + Math.Abs(rt2i) + Math.Abs(h21s);
                    h21s = h[(m + 1) * n + m] / s;
                    v1 = h21s * h[m * n + m + 1] + (h[m * n + m] - rt1r) * ((h[m * n + m] - rt2r) / s) - rt1i * (rt2i / s);
                    v2 = h21s * (h[m * n + m] + h[(m + 1) * n + m + 1] - rt1r - rt2r);
                    v3 = h21s * h[(m + 2) * n + m + 1];
                    s = Math.Abs(v1) + Math.Abs(v2) + Math.Abs(v3);
                    v1 /= s;
                    v2 /= s;
                    v3 /= s;
                    if (m == l) break;
                    var lhs = Math.Abs(h[m * n + m - 1]) * (Math.Abs(v2) + Math.Abs(v3));
                    var rhs = Ulp * Math.Abs(v1) * (Math.Abs(h[(m - 1) * n + m - 1]) + Math.Abs(h[m * n + m]) + Math.Abs(h[(m + 1) * n + m + 1]));
                    if (lhs <= rhs) break;
                }

                // The double-shift sweep: chase the bulge from row m to the bottom of the active block (rows l..i).
                for (k = m; k <= i - 1; k++)
                {
                    var nr = Math.Min(3, i - k + 1);
                    if (k > m)
                    {
                        v1 = h[k * n + k - 1];
                        v2 = h[(k + 1) * n + k - 1];
                        v3 = nr == 3 ? h[(k + 2) * n + k - 1] : 0;
                    }
                    var t1 = Reflector3(nr, ref v1, ref v2, ref v3);
                    if (k > m)
                    {
                        h[k * n + k - 1] = v1;
                        h[(k + 1) * n + k - 1] = 0;
                        if (k < i - 1) h[(k + 2) * n + k - 1] = 0;
                    }
                    else if (m > l)
                    {
                        h[k * n + k - 1] *= 1 - t1;
                    }
                    var t2 = t1 * v2;
                    if (nr == 3)
                    {
                        var t3 = t1 * v3;
                        for (var j = k; j <= i; j++)
                        {
                            var sum = h[k * n + j] + v2 * h[(k + 1) * n + j] + v3 * h[(k + 2) * n + j];
                            h[k * n + j] -= sum * t1;
                            h[(k + 1) * n + j] -= sum * t2;
                            h[(k + 2) * n + j] -= sum * t3;
                        }
                        var jEnd = Math.Min(k + 3, i);
                        for (var j = l; j <= jEnd; j++)
                        {
                            var sum = h[j * n + k] + v2 * h[j * n + k + 1] + v3 * h[j * n + k + 2];
                            h[j * n + k] -= sum * t1;
                            h[j * n + k + 1] -= sum * t2;
                            h[j * n + k + 2] -= sum * t3;
                        }
                    }
                    else if (nr == 2)
                    {
                        for (var j = k; j <= i; j++)
                        {
                            var sum = h[k * n + j] + v2 * h[(k + 1) * n + j];
                            h[k * n + j] -= sum * t1;
                            h[(k + 1) * n + j] -= sum * t2;
                        }
                        for (var j = l; j <= i; j++)
                        {
                            var sum = h[j * n + k] + v2 * h[j * n + k + 1];
                            h[j * n + k] -= sum * t1;
                            h[j * n + k + 1] -= sum * t2;
                        }
                    }
                }
            }
            if (!converged) return false;
            if (l == i)
            {
                wr[i] = h[i * n + i];
            }
            else
            {
                var (r1, r2) = Standardize(h[(i - 1) * n + i - 1], h[(i - 1) * n + i], h[i * n + i - 1], h[i * n + i]);
                wr[i - 1] = r1;
                wr[i] = r2;
            }
            sinceDeflation = 0;
            i = l - 1;
        }
        return true;
    }

    /// <summary>The real parts of the eigenvalues of the 2 x 2 block [a b; c d] in the order of its standardised Schur form
    /// (LAPACK's <c>dlanv2</c>): (a', d') of the rotated upper-triangular block when the eigenvalues are real, or the common
    /// real part twice when they are a complex pair.</summary>
    private static (double First, double Second) Standardize(double a, double b, double c, double d)
    {
        const double Eps = Ulp;
        if (c == 0) return (a, d);
        if (b == 0) return (d, a);
        if (a - d == 0 && Math.CopySign(1, b) != Math.CopySign(1, c)) return (a, d);
        var temp = a - d;
        var p = 0.5 * temp;
        var bcMax = Math.Max(Math.Abs(b), Math.Abs(c));
        var bcMis = Math.Min(Math.Abs(b), Math.Abs(c)) * Math.CopySign(1, b) * Math.CopySign(1, c);
        var scale = Math.Max(Math.Abs(p), bcMax);
        var z = p / scale * p + bcMax / scale * bcMis;
        if (z >= 4 * Eps)
        {
            // Real eigenvalues: the rotation makes c zero; a' = d + z, d' = d - (bcMax / z) bcMis.
            z = p + Math.CopySign(Math.Sqrt(scale) * Math.Sqrt(z), p);
            return (d + z, d - bcMax / z * bcMis);
        }
        // Nearly equal or complex eigenvalues: rotate to equal diagonal entries, then split if the off-diagonals share a sign.
        var sigma = b + c;
        const double SafeMin2 = 1.0 / 1.5914062691983995e146; // 2^-485; the rescaling below never triggers for Coulomb matrices
        const double SafeMax2 = 1.5914062691983995e146;
        for (var count = 1; ; count++)
        {
            scale = Math.Max(Math.Abs(temp), Math.Abs(sigma));
            if (scale >= SafeMax2)
            {
                sigma *= SafeMin2;
                temp *= SafeMin2;
                if (count <= 20) continue;
            }
            if (scale <= SafeMin2)
            {
                sigma *= SafeMax2;
                temp *= SafeMax2;
                if (count <= 20) continue;
            }
            break;
        }
        p = 0.5 * temp;
        var tau = Hypot(sigma, temp);
        var cs = Math.Sqrt(0.5 * (1 + Math.Abs(sigma) / tau));
        var sn = -(p / (tau * cs)) * Math.CopySign(1, sigma);
        var aa = a * cs + b * sn;
        var bb = -a * sn + b * cs;
        var cc = c * cs + d * sn;
        var dd = -c * sn + d * cs;
        var a2 = aa * cs + cc * sn;
        var b2 = bb * cs + dd * sn;
        var c2 = -(aa * sn) + cc * cs;
        var mid = 0.5 * (a2 + (-bb * sn + dd * cs));
        if (c2 != 0 && b2 != 0 && Math.CopySign(1, b2) == Math.CopySign(1, c2))
        {
            var pr = Math.CopySign(Math.Sqrt(Math.Abs(b2)) * Math.Sqrt(Math.Abs(c2)), c2);
            return (mid + pr, mid - pr);
        }
        return (mid, mid);
    }
}
