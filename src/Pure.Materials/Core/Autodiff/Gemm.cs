using System.Numerics.Tensors;

namespace Pure.Materials.Core.Autodiff;

/// <summary>Dense matrix products for the autodiff core: <c>C += A B</c> with A (m, k), B (k, n), C (m, n), row-major.</summary>
/// <remarks>
/// Each row of C is built as <c>C[i, :] += A[i, p] * B[p, :]</c> for p = 0..k-1 in order, on column blocks of
/// <see cref="ColumnBlock"/> (so a block of the C row stays in L1 while the B rows stream). Every element of C therefore sums its
/// k products in the same order whatever the vector width (the multiply and the add are separate IEEE operations, as
/// <c>TensorPrimitives.MultiplyAdd</c> does them, never
/// fused), and rows are independent, so the thread count does not matter either. Rows are split over threads when the product
/// is large. Transposed operands are materialised first (a copy is cheap next to the product).
/// Source: the loop orders of Goto &amp; van de Geijn, "Anatomy of high-performance matrix multiplication" (2008), without packing.
/// </remarks>
internal static class Gemm
{
    /// <summary>Columns of C per block (256 doubles: 2 KB of C and 2 KB per B row in flight).</summary>
    private const int ColumnBlock = 256;

    /// <summary>Multiply-adds below which one thread does the whole product.</summary>
    private const long ParallelThreshold = 1 << 18;

    /// <summary>C += A B, in place on <paramref name="c"/> (arrays, so the row blocks can run on the thread pool without copies).</summary>
    public static void MultiplyAdd(double[] a, double[] b, double[] c, int m, int k, int n)
    {
        if (a.Length != m * k || b.Length != k * n || c.Length != m * n) throw new ArgumentException("GEMM operand lengths do not match (m, k, n)");
        if ((long)m * k * n < ParallelThreshold || m == 1)
        {
            Rows(a, b, c, 0, m, k, n);
            return;
        }
        var rowsPerTask = Math.Max(1, (int)(ParallelThreshold / ((long)k * n)));
        Parallel.For(0, (m + rowsPerTask - 1) / rowsPerTask, t =>
        {
            var start = t * rowsPerTask;
            Rows(a, b, c, start, Math.Min(m, start + rowsPerTask), k, n);
        });
    }

    private static void Rows(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c, int start, int end, int k, int n)
    {
        for (var j0 = 0; j0 < n; j0 += ColumnBlock)
        {
            var w = Math.Min(ColumnBlock, n - j0);
            for (var i = start; i < end; i++)
            {
                var row = c.Slice(i * n + j0, w);
                var ai = a.Slice(i * k, k);
                for (var p = 0; p < k; p++)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n + j0, w), ai[p], row, row);
                }
            }
        }
    }

    /// <summary>The transpose of a row-major (rows, cols) matrix.</summary>
    public static double[] Transpose(ReadOnlySpan<double> x, int rows, int cols)
    {
        var t = new double[x.Length];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        return t;
    }
}
