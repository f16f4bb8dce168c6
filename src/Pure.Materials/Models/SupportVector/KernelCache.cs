using System.Numerics.Tensors;
using Pure.Materials.Core;

namespace Pure.Materials.Models.SupportVector;

/// <summary>Rows of the training kernel matrix K (n x n) in single precision (libsvm's <c>Qfloat</c>), within a memory budget.</summary>
/// <remarks>
/// When n^2 * 4 bytes fit the budget the whole matrix is computed once, in blocks of rows that share each slice of the data
/// (full Q); otherwise rows are computed on demand and the least recently used ones are dropped (libsvm's <c>Cache</c>; at least
/// two rows are kept). Dot products x_i . x_j are accumulated with TensorPrimitives.MultiplyAdd (SIMD across j, not fused) in
/// feature order, so every entry is rounded exactly as libsvm's sequential <c>dot</c> and SMO follows libsvm's path; then
/// linear x_i.x_j, poly (gamma x_i.x_j + coef0)^degree (by squaring), rbf exp(-gamma (x_i.x_i + x_j.x_j - 2 x_i.x_j)),
/// sigmoid tanh(gamma x_i.x_j + coef0). Each entry is computed alone, so K does not depend on the thread count or on the
/// budget. Not thread-safe (one solver owns it).
/// </remarks>
internal sealed class KernelCache
{
    private readonly Matrix _x;
    private readonly SvmKernelKind _kind;
    private readonly double _gamma;
    private readonly int _degree;
    private readonly double _coef0;
    private readonly double[] _square;
    private readonly float[]?[] _rows;
    private readonly LinkedList<int> _lru = new();
    private readonly LinkedListNode<int>?[] _nodes;
    private readonly int _capacity;
    private readonly double[] _scratch;
    private readonly double[] _transposed;

    internal KernelCache(Matrix x, SvmKernelKind kind, double gamma, int degree, double coef0, double cacheMegabytes)
    {
        _x = x;
        _kind = kind;
        _gamma = gamma;
        _degree = degree;
        _coef0 = coef0;
        var n = x.Rows;
        _square = new double[n];
        for (var i = 0; i < n; i++) _square[i] = SequentialDot(x.Row(i), x.Row(i));
        _transposed = new double[n * x.Cols];
        for (var i = 0; i < n; i++)
        {
            var r = x.Row(i);
            for (var k = 0; k < r.Length; k++) _transposed[k * n + i] = r[k];
        }
        _rows = new float[n][];
        _nodes = new LinkedListNode<int>?[n];
        var budgetRows = (long)(cacheMegabytes * (1 << 20)) / Math.Max(1L, 4L * n);
        _capacity = (int)Math.Clamp(budgetRows, Math.Min(2, n), Math.Max(n, 1)); // n = 1 (one training row) keeps its one row
        _scratch = new double[n];
        Diagonal = new double[n];
        for (var i = 0; i < n; i++) Diagonal[i] = Value(i, i);
        if (Full) ComputeAll();
    }

    /// <summary>K_ii in double precision (libsvm's <c>QD</c> before signs).</summary>
    internal double[] Diagonal { get; }

    /// <summary>Number of rows.</summary>
    internal int Count => _x.Rows;

    /// <summary>True when the whole matrix fits the budget (no row is ever dropped).</summary>
    internal bool Full => _capacity >= _x.Rows;

    /// <summary>Row i of K, length n (valid until the next call that computes a row).</summary>
    internal float[] Row(int i)
    {
        var row = _rows[i];
        if (Full) return row!;
        if (row is not null)
        {
            var node = _nodes[i]!;
            if (node != _lru.Last) { _lru.Remove(node); _lru.AddLast(node); }
            return row;
        }
        if (_lru.Count >= _capacity)
        {
            var old = _lru.First!;
            _lru.RemoveFirst();
            row = _rows[old.Value];
            _rows[old.Value] = null;
            _nodes[old.Value] = null;
        }
        row ??= new float[_x.Rows];
        Compute(i, row);
        _rows[i] = row;
        _nodes[i] = _lru.AddLast(i);
        return row;
    }

    private double Value(int i, int j)
    {
        var dot = SequentialDot(_x.Row(i), _x.Row(j));
        return _kind switch
        {
            SvmKernelKind.Poly => SvmKernel.PowInt(_gamma * dot + _coef0, _degree),
            SvmKernelKind.Rbf => Math.Exp(-_gamma * (_square[i] + _square[j] - 2 * dot)),
            SvmKernelKind.Sigmoid => Math.Tanh(_gamma * dot + _coef0),
            _ => dot,
        };
    }

    /// <summary>x . z summed in index order, as libsvm's <c>dot</c>.</summary>
    private static double SequentialDot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var s = 0.0;
        for (var k = 0; k < a.Length; k++) s += a[k] * b[k];
        return s;
    }

    private void Compute(int i, float[] row)
    {
        var n = _x.Rows;
        var cols = _x.Cols;
        var d = _scratch;
        var xt = _transposed;
        var xi = _x;
        // d_j = sum_k x_ik x_jk accumulated in k order for all j at once: SIMD across j (TensorPrimitives.MultiplyAdd is not fused),
        // so each entry is rounded exactly as libsvm's sequential dot and the SMO path matches libsvm's.
        void Chunk(int from, int to)
        {
            var acc = d.AsSpan(from, to - from);
            acc.Clear();
            var a = xi.Row(i);
            for (var k = 0; k < cols; k++)
                TensorPrimitives.MultiplyAdd(xt.AsSpan(k * n + from, to - from), a[k], acc, acc);
        }
        const int block = 1024;
        if (n >= 2 * block && cols >= 8)
            Parallel.For(0, (n + block - 1) / block, c => Chunk(c * block, Math.Min(n, (c + 1) * block)));
        else Chunk(0, n);
        Transform(i, 0, d.AsSpan(0, n), row);
    }

    /// <summary>Turns dot products x_i . x_j (j = from, from + 1, ...) into kernel values, rounded to single precision into dest.</summary>
    private void Transform(int i, int from, Span<double> span, Span<float> dest)
    {
        var len = span.Length;
        switch (_kind)
        {
            case SvmKernelKind.Poly:
                for (var j = 0; j < len; j++) span[j] = SvmKernel.PowInt(_gamma * span[j] + _coef0, _degree);
                break;
            case SvmKernelKind.Rbf:
                for (var j = 0; j < len; j++) span[j] = -_gamma * (_square[i] + _square[from + j] - 2 * span[j]);
                for (var j = 0; j < len; j++) span[j] = Math.Exp(span[j]);
                break;
            case SvmKernelKind.Sigmoid:
                for (var j = 0; j < len; j++) span[j] = Math.Tanh(_gamma * span[j] + _coef0);
                break;
        }
        for (var j = 0; j < len; j++) dest[j] = (float)span[j];
    }

    /// <summary>Computes every row at once (the full matrix fits the budget): blocks of 8 rows x 512 columns share each slice of
    /// the transposed data, so the data are read n/8 times instead of n; each entry is still summed in k order.</summary>
    private void ComputeAll()
    {
        const int rowBlock = 8, colBlock = 512;
        var n = _x.Rows;
        var cols = _x.Cols;
        for (var i = 0; i < n; i++) _rows[i] = new float[n];
        var blocks = (n + rowBlock - 1) / rowBlock;
        Parallel.For(0, blocks, () => new double[rowBlock * colBlock], (b, _, acc) =>
        {
            var i0 = b * rowBlock;
            var rows = Math.Min(rowBlock, n - i0);
            for (var j0 = 0; j0 < n; j0 += colBlock)
            {
                var width = Math.Min(colBlock, n - j0);
                Array.Clear(acc);
                for (var k = 0; k < cols; k++)
                {
                    var xs = new ReadOnlySpan<double>(_transposed, k * n + j0, width);
                    for (var r = 0; r < rows; r++)
                    {
                        var a = acc.AsSpan(r * colBlock, width);
                        TensorPrimitives.MultiplyAdd(xs, _x[i0 + r, k], a, a);
                    }
                }
                for (var r = 0; r < rows; r++)
                    Transform(i0 + r, j0, acc.AsSpan(r * colBlock, width), _rows[i0 + r].AsSpan(j0, width));
            }
            return acc;
        }, _ => { });
        for (var i = 0; i < n; i++) _nodes[i] = _lru.AddLast(i);
    }
}
