using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pure.Materials.Core.Autodiff;

/// <summary>Dense matrix products for the autodiff core: <c>C += op(A) op(B)</c> with op(A) (m, k), op(B) (k, n), C (m, n),
/// row-major, op the identity or the transpose, in float64 or float32.</summary>
/// <remarks>
/// Every element of C sums its k products in ascending p, starting from its value in C: <c>c = c + a[i, p] * b[p, j]</c>
/// for p = 0..k-1, the product rounded, then the sum rounded (two IEEE operations, never a fused multiply-add), exactly the
/// serial loop. The kernel only decides which elements are computed side by side: a micro-tile of <see cref="MR"/> rows by
/// two vectors of columns stays in registers over a block of <see cref="KC"/> values of p (then goes back to C, and the next
/// block continues from it), each lane of a vector an independent element. So the bits are the same whatever the vector width
/// (<c>DOTNET_PreferredVectorBitWidth</c>) and whatever the thread count (row blocks are split over threads, each element is
/// computed by one thread). Operands are packed first (op(B) in strips of the tile's width, zero-padded; op(A) in panels of
/// MR rows, p-major), so a transposed operand costs only its packing. A product with fewer columns than a tile and more rows
/// (a layer with one output) is computed as its transpose, Cᵀ += op(B)ᵀ op(A)ᵀ, so the vectors run along the long side.
/// Source: the loop order and packing of Goto &amp; van de Geijn, "Anatomy of high-performance matrix multiplication"
/// (ACM TOMS 34(3), 2008), and BLIS's micro-kernel design (Van Zee &amp; van de Geijn, ACM TOMS 41(3), 2015).
/// </remarks>
internal static class Gemm
{
    /// <summary>Rows of the register tile.</summary>
    private const int MR = 4;

    /// <summary>Values of p per packed block (the B strips of a block stay in L2; the tile goes back to C between blocks).</summary>
    private const int KC = 256;

    /// <summary>Multiply-adds below which one thread does the whole product.</summary>
    private const long ParallelThreshold = 1 << 18;

    /// <summary>C += A B, in place on <paramref name="c"/>.</summary>
    public static void MultiplyAdd(double[] a, double[] b, double[] c, int m, int k, int n) => MultiplyAdd(a, false, b, false, c, m, k, n);

    /// <summary>C += op(A) op(B), in place on <paramref name="c"/> (arrays, so row blocks can run on the thread pool without copies;
    /// longer arrays are read and written in their first m k, k n and m n values, so buffers can be reused).</summary>
    /// <param name="a">A, stored (m, k), or (k, m) when <paramref name="transA"/>.</param>
    /// <param name="transA">Use Aᵀ.</param>
    /// <param name="b">B, stored (k, n), or (n, k) when <paramref name="transB"/>.</param>
    /// <param name="transB">Use Bᵀ.</param>
    /// <param name="c">C, (m, n), added into.</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="k">The summed dimension.</param>
    /// <param name="n">Columns of C.</param>
    public static void MultiplyAdd<T>(T[] a, bool transA, T[] b, bool transB, T[] c, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n) throw new ArgumentException("GEMM operands are shorter than (m, k, n) needs");
        if (m == 0 || n == 0 || k == 0) return;
        // Element (i, p) of op(A) is at i * rsA + p * csA; (p, j) of op(B) at p * rsB + j * csB; (i, j) of C at i * rsC + j * csC.
        var (rsA, csA) = transA ? (1, m) : (k, 1);
        var (rsB, csB) = transB ? (1, k) : (n, 1);
        int rsC = n, csC = 1;
        if (n < 2 * Vector<T>.Count && m > n)
        {
            // Cᵀ (n, m) += op(B)ᵀ (n, k) op(A)ᵀ (k, m): the same products and sums, vectorised along m.
            (a, b) = (b, a);
            (m, n) = (n, m);
            (rsA, csA, rsB, csB) = (csB, rsB, csA, rsA);
            (rsC, csC) = (1, rsC);
        }
        Run(new Operand<T>(a, rsA, csA), new Operand<T>(b, rsB, csB), c, rsC, csC, m, k, n);
    }

    /// <summary>A strided view of a matrix operand.</summary>
    private readonly record struct Operand<T>(T[] Data, int RowStride, int ColStride);

    private static void Run<T>(Operand<T> a, Operand<T> b, T[] c, int rsC, int csC, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var nr = 2 * Vector<T>.Count;
        var strips = (n + nr - 1) / nr;
        var rowBlocks = (m + MR - 1) / MR;
        var parallel = (long)m * k * n >= ParallelThreshold && rowBlocks > 1;
        var blocksPerTask = parallel ? Math.Max(1, (int)(ParallelThreshold / ((long)k * n) / MR)) : rowBlocks;
        var tasks = (rowBlocks + blocksPerTask - 1) / blocksPerTask;
        var bPack = ArrayPool<T>.Shared.Rent(strips * Math.Min(k, KC) * nr);
        try
        {
            for (var p0 = 0; p0 < k; p0 += KC)
            {
                var kc = Math.Min(KC, k - p0);
                PackB(b, bPack, p0, kc, n, nr);
                if (tasks == 1) Rows(a, bPack, c, rsC, csC, 0, rowBlocks, p0, kc, m, n, nr);
                else
                    Parallel.For(0, tasks, t =>
                        Rows(a, bPack, c, rsC, csC, t * blocksPerTask, Math.Min(rowBlocks, (t + 1) * blocksPerTask), p0, kc, m, n, nr));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(bPack);
        }
    }

    /// <summary>Packs rows p0..p0+kc of op(B) into strips of nr columns: strip s holds (p, jj) at (s kc + p) nr + jj, zero past n.</summary>
    private static void PackB<T>(Operand<T> b, T[] pack, int p0, int kc, int n, int nr) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var strips = (n + nr - 1) / nr;
        var src = b.Data;
        for (var s = 0; s < strips; s++)
        {
            var j0 = s * nr;
            var w = Math.Min(nr, n - j0);
            for (var p = 0; p < kc; p++)
            {
                var dst = pack.AsSpan((s * kc + p) * nr, nr);
                var row = (p0 + p) * b.RowStride + j0 * b.ColStride;
                if (b.ColStride == 1) src.AsSpan(row, w).CopyTo(dst);
                else
                    for (var jj = 0; jj < w; jj++) dst[jj] = src[row + jj * b.ColStride];
                if (w < nr) dst[w..].Clear();
            }
        }
    }

    /// <summary>Row blocks [first, end): packs each block's op(A) panel (p-major, MR values per p, zero past m) and runs the tile
    /// kernel over every strip.</summary>
    private static void Rows<T>(Operand<T> a, T[] bPack, T[] c, int rsC, int csC, int first, int end, int p0, int kc, int m, int n, int nr)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var aPack = ArrayPool<T>.Shared.Rent(kc * MR);
        var tile = ArrayPool<T>.Shared.Rent(MR * nr);
        try
        {
            var src = a.Data;
            for (var rb = first; rb < end; rb++)
            {
                var i0 = rb * MR;
                var rows = Math.Min(MR, m - i0);
                if (rows < MR) Array.Clear(aPack, 0, kc * MR);
                if (a.ColStride == 1)
                    for (var r = 0; r < rows; r++)
                    {
                        var row = src.AsSpan((i0 + r) * a.RowStride + p0, kc);
                        for (var p = 0; p < kc; p++) aPack[p * MR + r] = row[p];
                    }
                else
                    for (var p = 0; p < kc; p++)
                    {
                        var column = src.AsSpan((p0 + p) * a.ColStride + i0 * a.RowStride);
                        for (var r = 0; r < rows; r++) aPack[p * MR + r] = column[r * a.RowStride];
                    }
                for (int s = 0, j0 = 0; j0 < n; s++, j0 += nr)
                {
                    var cols = Math.Min(nr, n - j0);
                    var panel = bPack.AsSpan(s * kc * nr, kc * nr);
                    if (rows == MR && cols == nr && csC == 1) Kernel(aPack, panel, kc, c.AsSpan(i0 * rsC + j0), rsC);
                    else if (rows == 1 && cols == nr && csC == 1) KernelRow(aPack, panel, kc, c.AsSpan(i0 * rsC + j0));
                    else
                    {
                        // Edge or strided tile: through a dense MR x nr copy (the padded lanes compute zeros and are dropped).
                        var t = tile.AsSpan(0, MR * nr);
                        t.Clear();
                        for (var r = 0; r < rows; r++)
                            for (var jj = 0; jj < cols; jj++) t[r * nr + jj] = c[(i0 + r) * rsC + (j0 + jj) * csC];
                        Kernel(aPack, panel, kc, t, nr);
                        for (var r = 0; r < rows; r++)
                            for (var jj = 0; jj < cols; jj++) c[(i0 + r) * rsC + (j0 + jj) * csC] = t[r * nr + jj];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(aPack);
            ArrayPool<T>.Shared.Return(tile);
        }
    }

    /// <summary>The MR x (2 vectors) tile: c[r, :] = c[r, :] + a[r, p] * b[p, :] for p = 0..kc-1 in order (multiply, then add).</summary>
    /// <param name="aPack">kc x MR, p-major.</param>
    /// <param name="bPanel">kc x nr, p-major.</param>
    /// <param name="kc">Values of p.</param>
    /// <param name="c">The tile's first element; row r starts at r * ldc.</param>
    /// <param name="ldc">Distance between the tile's rows.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel<T>(T[] aPack, Span<T> bPanel, int kc, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = (nuint)Vector<T>.Count;
        var nr = 2 * v;
        ref var c0 = ref MemoryMarshal.GetReference(c);
        ref var c1 = ref Unsafe.Add(ref c0, ldc);
        ref var c2 = ref Unsafe.Add(ref c1, ldc);
        ref var c3 = ref Unsafe.Add(ref c2, ldc);
        var c00 = Vector.LoadUnsafe(ref c0);
        var c01 = Vector.LoadUnsafe(ref c0, v);
        var c10 = Vector.LoadUnsafe(ref c1);
        var c11 = Vector.LoadUnsafe(ref c1, v);
        var c20 = Vector.LoadUnsafe(ref c2);
        var c21 = Vector.LoadUnsafe(ref c2, v);
        var c30 = Vector.LoadUnsafe(ref c3);
        var c31 = Vector.LoadUnsafe(ref c3, v);
        ref var ap = ref MemoryMarshal.GetArrayDataReference(aPack);
        ref var bp = ref MemoryMarshal.GetReference(bPanel);
        for (nuint p = 0; p < (nuint)kc; p++)
        {
            var b0 = Vector.LoadUnsafe(ref bp, p * nr);
            var b1 = Vector.LoadUnsafe(ref bp, p * nr + v);
            ref var ar = ref Unsafe.Add(ref ap, p * MR);
            var a0 = new Vector<T>(ar);
            c00 += a0 * b0;
            c01 += a0 * b1;
            var a1 = new Vector<T>(Unsafe.Add(ref ar, 1));
            c10 += a1 * b0;
            c11 += a1 * b1;
            var a2 = new Vector<T>(Unsafe.Add(ref ar, 2));
            c20 += a2 * b0;
            c21 += a2 * b1;
            var a3 = new Vector<T>(Unsafe.Add(ref ar, 3));
            c30 += a3 * b0;
            c31 += a3 * b1;
        }
        c00.StoreUnsafe(ref c0);
        c01.StoreUnsafe(ref c0, v);
        c10.StoreUnsafe(ref c1);
        c11.StoreUnsafe(ref c1, v);
        c20.StoreUnsafe(ref c2);
        c21.StoreUnsafe(ref c2, v);
        c30.StoreUnsafe(ref c3);
        c31.StoreUnsafe(ref c3, v);
    }

    /// <summary>One row of the tile (a product with one row, such as the transpose of a one-output layer): the same sums as
    /// <see cref="Kernel{T}"/>'s first row, without computing the three padded rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KernelRow<T>(T[] aPack, Span<T> bPanel, int kc, Span<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = (nuint)Vector<T>.Count;
        var nr = 2 * v;
        ref var c0 = ref MemoryMarshal.GetReference(c);
        var c00 = Vector.LoadUnsafe(ref c0);
        var c01 = Vector.LoadUnsafe(ref c0, v);
        ref var ap = ref MemoryMarshal.GetArrayDataReference(aPack);
        ref var bp = ref MemoryMarshal.GetReference(bPanel);
        for (nuint p = 0; p < (nuint)kc; p++)
        {
            var a0 = new Vector<T>(Unsafe.Add(ref ap, p * MR));
            c00 += a0 * Vector.LoadUnsafe(ref bp, p * nr);
            c01 += a0 * Vector.LoadUnsafe(ref bp, p * nr + v);
        }
        c00.StoreUnsafe(ref c0);
        c01.StoreUnsafe(ref c0, v);
    }

    /// <summary>The transpose of a row-major (rows, cols) matrix.</summary>
    public static T[] Transpose<T>(ReadOnlySpan<T> x, int rows, int cols)
    {
        var t = new T[x.Length];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        return t;
    }
}
