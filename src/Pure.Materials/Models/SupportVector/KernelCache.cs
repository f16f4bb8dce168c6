using System.Numerics.Tensors;
using Pure.Materials.Core;

namespace Pure.Materials.Models.SupportVector;

/// <summary>Rows of the training kernel matrix K (n x n), computed on demand with TensorPrimitives (SIMD across rows) and kept in single precision
/// (libsvm's <c>Qfloat</c>) within a memory budget.</summary>
/// <remarks>
/// When n^2 * 4 bytes fit the budget every row stays once computed (the full matrix); otherwise the least recently used rows are
/// dropped (libsvm's <c>Cache</c>, at least two rows are always kept). Row i is
/// linear x_i.x_j, poly (gamma x_i.x_j + coef0)^degree, rbf exp(-gamma (x_i.x_i + x_j.x_j - 2 x_i.x_j)), sigmoid tanh(gamma x_i.x_j + coef0),
/// each entry computed alone, so rows do not depend on the thread count. Not thread-safe (one solver owns it).
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
        _capacity = (int)Math.Clamp(budgetRows, 2, n);
        _scratch = new double[n];
        Diagonal = new double[n];
        for (var i = 0; i < n; i++) Diagonal[i] = Value(i, i);
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
        var span = d.AsSpan(0, n);
        switch (_kind)
        {
            case SvmKernelKind.Poly:
                for (var j = 0; j < n; j++) span[j] = SvmKernel.PowInt(_gamma * span[j] + _coef0, _degree);
                break;
            case SvmKernelKind.Rbf:
                for (var j = 0; j < n; j++) span[j] = -_gamma * (_square[i] + _square[j] - 2 * span[j]);
                TensorPrimitives.Exp(span, span);
                break;
            case SvmKernelKind.Sigmoid:
                for (var j = 0; j < n; j++) span[j] = _gamma * span[j] + _coef0;
                TensorPrimitives.Tanh(span, span);
                break;
        }
        for (var j = 0; j < n; j++) row[j] = (float)span[j];
    }
}
