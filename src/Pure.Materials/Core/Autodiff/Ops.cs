using System.Numerics;
using System.Numerics.Tensors;

namespace Pure.Materials.Core.Autodiff;

/// <summary>The element-wise activation of <see cref="Ops.BiasActivation"/>.</summary>
internal enum Activation
{
    /// <summary>None.</summary>
    Identity,
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>1 / (1 + exp(-x)).</summary>
    Sigmoid,
}

/// <summary>Differentiable operations on <see cref="Var"/> values: each computes its output, records it on the inputs' tape
/// and states its backward rule.</summary>
/// <remarks>
/// Shapes follow numpy: element-wise binary operations broadcast (trailing axes aligned, a length 1 stretches); axis
/// operations take the last axis unless told. A shape that does not fit is a programming error and throws
/// <see cref="ArgumentException"/> naming both shapes. Element-wise transcendental functions use <see cref="Math"/> per element
/// (vectorised approximations may differ between vector widths); sums use fixed orders (<see cref="Reduce"/> or ascending loops),
/// so results and gradients are bit-identical on any CPU and thread count.
/// Element types: every operation runs in its inputs' <see cref="DType"/>, float64 or float32 (one generic implementation, so
/// float32 performs the same operations in the same order, each rounded to single precision: <see cref="MathF"/>'s functions,
/// float32 products in <see cref="Gemm"/>, float32 partial sums in <see cref="Reduce"/>'s order); inputs of two types are an
/// <see cref="ArgumentException"/> (convert with <see cref="Cast"/>). Constants given as double (a scale, a dropout keep factor,
/// Huber's delta, 1/n) are rounded to float32 once.
/// Source: the operations and their derivatives as in PyTorch 1.13's <c>torch.nn.functional</c> (same names where they exist).
/// </remarks>
public static class Ops
{
    // ---- element-wise binary operations with broadcasting -------------------------------------------------------------

    /// <summary>a + b, broadcast. A matrix (n, f) plus a vector (f) (a layer's bias) runs row by row on vector kernels.</summary>
    public static Var Add(Var a, Var b) =>
        a.Value.Rank == 2 && b.Value.Rank == 1 && b.Shape[0] == a.Shape[1]
            ? Same(a, b) == DType.Float64 ? AddRowVector<double>(a, b) : AddRowVector<float>(a, b)
            : Binary<AddOp>(a, b);

    private static Var AddRowVector<T>(Var a, Var b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Shape[0], f = a.Shape[1];
        var y = new T[n * f];
        var x = a.Value.Data<T>().AsSpan();
        var bias = b.Value.Data<T>().AsSpan();
        for (var i = 0; i < n; i++) TensorPrimitives.Add(x.Slice(i * f, f), bias, y.AsSpan(i * f, f));
        return a.Tape.Record<T>(Tensor.Own(y, [n, f]), [a, b], (g, grads) =>
        {
            if (grads[0] is { } ga) TensorPrimitives.Add<T>(ga, g, ga);
            if (grads[1] is { } gb)
                for (var i = 0; i < n; i++) TensorPrimitives.Add<T>(gb, g.AsSpan(i * f, f), gb); // rows in ascending order
        });
    }

    /// <summary>a - b, broadcast.</summary>
    public static Var Sub(Var a, Var b) => Binary<SubOp>(a, b);

    /// <summary>a * b (element-wise), broadcast.</summary>
    public static Var Mul(Var a, Var b) => Binary<MulOp>(a, b);

    /// <summary>a / b (element-wise), broadcast.</summary>
    public static Var Div(Var a, Var b) => Binary<DivOp>(a, b);

    /// <summary>c * a for a constant c (rounded to float32 for a float32 value).</summary>
    public static Var Scale(Var a, double c) => Unary(a, new ScaleOp(c));

    /// <summary>The value in another element type: float64 to float32 rounded to nearest, float32 to float64 exactly; the gradient
    /// is converted back the other way (rounded when it goes to float32). The value itself when it already has <paramref name="dtype"/>.</summary>
    /// <param name="a">The value.</param>
    /// <param name="dtype">The element type wanted.</param>
    public static Var Cast(Var a, DType dtype)
    {
        if (a.DType == dtype) return a;
        return a.Tape.RecordMixed(a.Value.To(dtype), [a], (g, grads) =>
        {
            if (g is float[] gf)
            {
                var ga = (double[])grads[0]!;
                for (var i = 0; i < ga.Length; i++) ga[i] += gf[i];
            }
            else
            {
                var gd = (double[])g;
                var ga = (float[])grads[0]!;
                for (var i = 0; i < ga.Length; i++) ga[i] += (float)gd[i];
            }
        });
    }

    // ---- element-wise unary operations ---------------------------------------------------------------------------------

    /// <summary>max(a, 0); its derivative is taken as 0 at 0 (PyTorch's convention).</summary>
    public static Var Relu(Var a) => a.DType == DType.Float64 ? Relu<double>(a) : Relu<float>(a);

    private static Var Relu<T>(Var a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = a.Value.Data<T>();
        var y = new T[x.Length];
        ReluForward<T>(x, y);
        return a.Tape.Record<T>(Tensor.Own(y, a.Value.ShapeArray), [a], (g, grads) => ReluBackward<T>(y, g, grads[0]!));
    }

    /// <summary>A layer's bias and activation in one pass: act(x + bias) for x (n, f) and bias (f), the same values and gradients
    /// as <c>Relu(Add(x, bias))</c> (or Tanh, Sigmoid, none) bit for bit, without the intermediate value.</summary>
    internal static Var BiasActivation(Var x, Var bias, Activation activation) =>
        Same(x, bias) == DType.Float64 ? BiasActivation<double>(x, bias, activation) : BiasActivation<float>(x, bias, activation);

    private static Var BiasActivation<T>(Var x, Var bias, Activation activation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, f) = Matrix2(x, "BiasActivation");
        CheckVector(bias, f, "bias");
        var xv = x.Value.Data<T>().AsSpan();
        var bv = bias.Value.Data<T>().AsSpan();
        var y = new T[n * f];
        for (var i = 0; i < n; i++) TensorPrimitives.Add<T>(xv.Slice(i * f, f), bv, y.AsSpan(i * f, f));
        switch (activation)
        {
            case Activation.Relu: ReluForward<T>(y, y); break;
            case Activation.Tanh: for (var i = 0; i < y.Length; i++) y[i] = T.Tanh(y[i]); break;
            case Activation.Sigmoid: for (var i = 0; i < y.Length; i++) y[i] = SigmoidOf(y[i]); break;
        }
        return x.Tape.Record<T>(Tensor.Own(y, [n, f]), [x, bias], (g, grads) =>
        {
            // The unfused chain first adds the activation's derivative into a zeroed accumulator (0 + d), then passes that on.
            // (Identity passes g itself on, as Add does.)
            var d = activation == Activation.Identity ? g : new T[g.Length];
            switch (activation)
            {
                case Activation.Relu: ReluBackward<T>(y, g, d); break;
                case Activation.Tanh: for (var i = 0; i < d.Length; i++) d[i] += g[i] * (T.One - y[i] * y[i]); break;
                case Activation.Sigmoid: for (var i = 0; i < d.Length; i++) d[i] += g[i] * y[i] * (T.One - y[i]); break;
            }
            if (grads[0] is { } ga) TensorPrimitives.Add<T>(ga, d, ga);
            if (grads[1] is { } gb)
                for (var i = 0; i < n; i++) TensorPrimitives.Add<T>(gb, d.AsSpan(i * f, f), gb); // rows in ascending order
        });
    }

    /// <summary>y = x &gt; 0 ? x : 0, lane by lane (NaN and -0 give +0, as the scalar rule).</summary>
    private static void ReluForward<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var v = new Vector<T>(x[i..]);
            Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<T>.Zero), v, Vector<T>.Zero).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] = x[i] > T.Zero ? x[i] : T.Zero;
    }

    /// <summary>acc += (y &gt; 0 ? g : 0) (y &gt; 0 exactly where the input was).</summary>
    private static void ReluBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> g, Span<T> acc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        for (; i <= y.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var d = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<T>(y[i..]), Vector<T>.Zero), new Vector<T>(g[i..]), Vector<T>.Zero);
            (new Vector<T>(acc[i..]) + d).CopyTo(acc[i..]);
        }
        for (; i < y.Length; i++) acc[i] += y[i] > T.Zero ? g[i] : T.Zero;
    }

    /// <summary>tanh(a).</summary>
    public static Var Tanh(Var a) => Unary(a, new TanhOp());

    /// <summary>1 / (1 + exp(-a)), computed without overflow for either sign.</summary>
    public static Var Sigmoid(Var a) => Unary(a, new SigmoidOp());

    /// <summary>log(1 + exp(a)), computed as max(a, 0) + log1p(exp(-|a|)) (no overflow).</summary>
    public static Var Softplus(Var a) => Unary(a, new SoftplusOp());

    /// <summary>exp(a).</summary>
    public static Var Exp(Var a) => Unary(a, new ExpOp());

    /// <summary>log(a) (NaN for a &lt; 0, -Infinity at 0, as IEEE).</summary>
    public static Var Log(Var a) => Unary(a, new LogOp());

    // ---- linear algebra --------------------------------------------------------------------------------------------------

    /// <summary>The matrix product a b of a (m, k) and b (k, n): shape (m, n).</summary>
    /// <remarks>Forward and both backward products (dA = dC Bᵀ, dB = Aᵀ dC) use <see cref="Gemm"/>'s fixed summation order.</remarks>
    public static Var MatMul(Var a, Var b)
    {
        if (a.Value.Rank != 2 || b.Value.Rank != 2 || a.Shape[1] != b.Shape[0])
            throw new ArgumentException($"MatMul needs (m, k) and (k, n); got {Tensor.Describe(a.Shape)} and {Tensor.Describe(b.Shape)}");
        return Same(a, b) == DType.Float64 ? MatMul<double>(a, b) : MatMul<float>(a, b);
    }

    private static Var MatMul<T>(Var a, Var b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        var c = new T[m * n];
        var av = a.Value.Data<T>();
        var bv = b.Value.Data<T>();
        Gemm.MultiplyAdd(av, false, bv, false, c, m, k, n);
        return a.Tape.Record<T>(Tensor.Own(c, [m, n]), [a, b], (g, grads) =>
        {
            if (grads[0] is { } ga) Gemm.MultiplyAdd(g, false, bv, true, ga, m, n, k);
            if (grads[1] is { } gb) Gemm.MultiplyAdd(av, true, g, false, gb, k, m, n);
        });
    }

    /// <summary>The transpose of a matrix (m, n): shape (n, m).</summary>
    public static Var Transpose(Var a)
    {
        if (a.Value.Rank != 2) throw new ArgumentException($"Transpose needs a matrix; got {Tensor.Describe(a.Shape)}");
        return a.DType == DType.Float64 ? Transpose<double>(a) : Transpose<float>(a);
    }

    private static Var Transpose<T>(Var a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.Shape[0], n = a.Shape[1];
        return a.Tape.Record<T>(Tensor.Own(Gemm.Transpose<T>(a.Value.Data<T>(), m, n), [n, m]), [a], (g, grads) =>
        {
            var t = Gemm.Transpose<T>(g, n, m);
            TensorPrimitives.Add<T>(grads[0]!, t, grads[0]!);
        });
    }

    // ---- reductions -----------------------------------------------------------------------------------------------------

    /// <summary>The sum of all values: a scalar.</summary>
    public static Var Sum(Var a) => a.DType == DType.Float64 ? Sum<double>(a) : Sum<float>(a);

    private static Var Sum<T>(Var a) where T : unmanaged, IFloatingPointIeee754<T> =>
        a.Tape.Record<T>(Tensor.Own<T>([Reduce.SumOf<T>(a.Value.Data<T>())], []), [a], (g, grads) => TensorPrimitives.Add<T>(grads[0]!, g[0], grads[0]!));

    /// <summary>The mean of all values: a scalar (NaN for no values).</summary>
    public static Var Mean(Var a) => a.DType == DType.Float64 ? Mean<double>(a) : Mean<float>(a);

    private static Var Mean<T>(Var a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var n = T.CreateTruncating(a.Value.Length);
        return a.Tape.Record<T>(Tensor.Own<T>([Reduce.SumOf<T>(a.Value.Data<T>()) / n], []), [a],
            (g, grads) => TensorPrimitives.Add<T>(grads[0]!, g[0] / n, grads[0]!));
    }

    /// <summary>Sums over axis 0: (n, f...) to (f...), rows added in order.</summary>
    public static Var SumRows(Var a) => a.DType == DType.Float64 ? SumRows<double>(a) : SumRows<float>(a);

    private static Var SumRows<T>(Var a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, inner) = Rows(a, "SumRows");
        var y = new T[inner];
        var x = a.Value.Data<T>().AsSpan();
        for (var i = 0; i < n; i++) TensorPrimitives.Add<T>(y, x.Slice(i * inner, inner), y);
        return a.Tape.Record<T>(Tensor.Own(y, a.Value.ShapeArray[1..]), [a], (g, grads) =>
        {
            var ga = grads[0]!.AsSpan();
            for (var i = 0; i < n; i++) TensorPrimitives.Add<T>(ga.Slice(i * inner, inner), g, ga.Slice(i * inner, inner));
        });
    }

    // ---- softmax ----------------------------------------------------------------------------------------------------------

    /// <summary>Softmax over the last axis: exp(a - max) / sum exp(a - max), each row summing to 1.</summary>
    public static Var Softmax(Var a) => a.DType == DType.Float64 ? Softmax<double>(a) : Softmax<float>(a);

    private static Var Softmax<T>(Var a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (outer, width) = LastAxis(a);
        var y = new T[a.Value.Length];
        var x = a.Value.Data<T>().AsSpan();
        for (var r = 0; r < outer; r++) SoftmaxRow<T>(x.Slice(r * width, width), y.AsSpan(r * width, width));
        return a.Tape.Record<T>(Tensor.Own(y, a.Value.ShapeArray), [a], (g, grads) =>
        {
            // dx = y * (g - sum(g * y)) per row
            var ga = grads[0]!;
            for (var r = 0; r < outer; r++)
            {
                var yr = y.AsSpan(r * width, width);
                var gr = g.AsSpan(r * width, width);
                var dot = Reduce.DotOf<T>(gr, yr);
                for (var j = 0; j < width; j++) ga[r * width + j] += yr[j] * (gr[j] - dot);
            }
        });
    }

    /// <summary>Log-softmax over the last axis: a - max - log(sum exp(a - max)).</summary>
    public static Var LogSoftmax(Var a) => a.DType == DType.Float64 ? LogSoftmax<double>(a) : LogSoftmax<float>(a);

    private static Var LogSoftmax<T>(Var a) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (outer, width) = LastAxis(a);
        var y = new T[a.Value.Length];
        var x = a.Value.Data<T>().AsSpan();
        for (var r = 0; r < outer; r++) LogSoftmaxRow<T>(x.Slice(r * width, width), y.AsSpan(r * width, width));
        return a.Tape.Record<T>(Tensor.Own(y, a.Value.ShapeArray), [a], (g, grads) =>
        {
            // dx = g - softmax * sum(g) per row
            var ga = grads[0]!;
            for (var r = 0; r < outer; r++)
            {
                var gr = g.AsSpan(r * width, width);
                var total = Reduce.SumOf<T>(gr);
                for (var j = 0; j < width; j++) ga[r * width + j] += gr[j] - T.Exp(y[r * width + j]) * total;
            }
        });
    }

    // ---- shape operations -------------------------------------------------------------------------------------------------

    /// <summary>Joins values along an axis (all other axes equal).</summary>
    /// <param name="parts">At least one value, same tape.</param>
    /// <param name="axis">The axis to join along (0-based).</param>
    public static Var Concat(IReadOnlyList<Var> parts, int axis)
    {
        if (parts.Count == 0) throw new ArgumentException("Concat needs at least one value", nameof(parts));
        var dtype = parts[0].DType;
        foreach (var p in parts)
            if (p.DType != dtype) throw new ArgumentException($"Concat needs one element type; got {dtype} and {p.DType} (convert with Ops.Cast)");
        return dtype == DType.Float64 ? Concat<double>(parts, axis) : Concat<float>(parts, axis);
    }

    private static Var Concat<T>(IReadOnlyList<Var> parts, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var first = parts[0].Value.ShapeArray;
        if (axis < 0 || axis >= first.Length) throw new ArgumentException($"axis {axis} is outside rank {first.Length}", nameof(axis));
        foreach (var p in parts)
            if (p.Value.Rank != first.Length || Enumerable.Range(0, first.Length).Any(d => d != axis && p.Shape[d] != first[d]))
                throw new ArgumentException($"Concat on axis {axis} needs equal other axes; got {Tensor.Describe(first)} and {Tensor.Describe(p.Shape)}");
        var outer = Prod(first.AsSpan(0, axis));
        var inner = Prod(first.AsSpan(axis + 1));
        var widths = parts.Select(p => p.Shape[axis] * inner).ToArray();
        var total = widths.Sum();
        var y = new T[outer * total];
        var offset = 0;
        for (var q = 0; q < parts.Count; q++)
        {
            var x = parts[q].Value.Data<T>().AsSpan();
            for (var o = 0; o < outer; o++) x.Slice(o * widths[q], widths[q]).CopyTo(y.AsSpan(o * total + offset));
            offset += widths[q];
        }
        var shape = (int[])first.Clone();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        return parts[0].Tape.Record<T>(Tensor.Own(y, shape), [.. parts], (g, grads) =>
        {
            var off = 0;
            for (var q = 0; q < grads.Length; q++)
            {
                if (grads[q] is { } gq)
                    for (var o = 0; o < outer; o++)
                    {
                        var dst = gq.AsSpan(o * widths[q], widths[q]);
                        TensorPrimitives.Add<T>(dst, g.AsSpan(o * total + off, widths[q]), dst);
                    }
                off += widths[q];
            }
        });
    }

    /// <summary>Splits a value along an axis into parts of the given lengths (the inverse of <see cref="Concat"/>).</summary>
    /// <param name="a">The value.</param>
    /// <param name="lengths">Lengths along the axis, summing to its length.</param>
    /// <param name="axis">The axis.</param>
    public static Var[] Split(Var a, IReadOnlyList<int> lengths, int axis) =>
        a.DType == DType.Float64 ? Split<double>(a, lengths, axis) : Split<float>(a, lengths, axis);

    private static Var[] Split<T>(Var a, IReadOnlyList<int> lengths, int axis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = a.Value.ShapeArray;
        if (axis < 0 || axis >= shape.Length) throw new ArgumentException($"axis {axis} is outside rank {shape.Length}", nameof(axis));
        if (lengths.Any(l => l < 0) || lengths.Sum() != shape[axis])
            throw new ArgumentException($"Split lengths {string.Join(", ", lengths)} do not sum to axis {axis}'s length {shape[axis]}", nameof(lengths));
        var outer = Prod(shape.AsSpan(0, axis));
        var inner = Prod(shape.AsSpan(axis + 1));
        var total = shape[axis] * inner;
        var parts = new Var[lengths.Count];
        var offset = 0;
        for (var q = 0; q < lengths.Count; q++)
        {
            var width = lengths[q] * inner;
            var y = new T[outer * width];
            var source = a.Value.Data<T>().AsSpan();
            for (var o = 0; o < outer; o++) source.Slice(o * total + offset, width).CopyTo(y.AsSpan(o * width));
            var partShape = (int[])shape.Clone();
            partShape[axis] = lengths[q];
            var off = offset;
            parts[q] = a.Tape.Record<T>(Tensor.Own(y, partShape), [a], (g, grads) =>
            {
                for (var o = 0; o < outer; o++)
                {
                    var dst = grads[0]!.AsSpan(o * total + off, width);
                    TensorPrimitives.Add<T>(dst, g.AsSpan(o * width, width), dst);
                }
            });
            offset += width;
        }
        return parts;
    }

    /// <summary>Rows of a value by index along axis 0: output row i is input row <paramref name="index"/>[i] (repeats allowed).</summary>
    /// <param name="a">The value, shape (n, f...).</param>
    /// <param name="index">Row indices in [0, n).</param>
    /// <remarks>Backward adds each output row's gradient to its source row, in output order (a scatter-add).</remarks>
    public static Var Gather(Var a, IReadOnlyList<int> index) => a.DType == DType.Float64 ? Gather<double>(a, index) : Gather<float>(a, index);

    private static Var Gather<T>(Var a, IReadOnlyList<int> index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, inner) = Rows(a, "Gather");
        var idx = index.ToArray();
        foreach (var i in idx)
            if ((uint)i >= (uint)n) throw new ArgumentException($"Gather index {i} is outside axis 0 of length {n}", nameof(index));
        var y = new T[idx.Length * inner];
        var x = a.Value.Data<T>().AsSpan();
        for (var r = 0; r < idx.Length; r++) x.Slice(idx[r] * inner, inner).CopyTo(y.AsSpan(r * inner));
        var shape = (int[])a.Value.ShapeArray.Clone();
        shape[0] = idx.Length;
        return a.Tape.Record<T>(Tensor.Own(y, shape), [a], (g, grads) =>
        {
            var ga = grads[0]!.AsSpan();
            for (var r = 0; r < idx.Length; r++)
            {
                var dst = ga.Slice(idx[r] * inner, inner);
                TensorPrimitives.Add<T>(dst, g.AsSpan(r * inner, inner), dst);
            }
        });
    }

    /// <summary>Sums rows into segments: output row s is the sum of the input rows i with <paramref name="segment"/>[i] = s
    /// (rows added in input order; an empty segment is zeros). Graph pooling: atoms to crystals, messages to atoms.</summary>
    /// <param name="a">The value, shape (n, f...).</param>
    /// <param name="segment">For each row its segment in [0, <paramref name="count"/>).</param>
    /// <param name="count">Number of segments.</param>
    public static Var SegmentSum(Var a, IReadOnlyList<int> segment, int count) =>
        a.DType == DType.Float64 ? Segment<double>(a, segment, count, mean: false) : Segment<float>(a, segment, count, mean: false);

    /// <summary>Means of rows per segment: <see cref="SegmentSum"/> divided by each segment's row count (an empty segment is zeros).</summary>
    /// <param name="a">The value, shape (n, f...).</param>
    /// <param name="segment">For each row its segment in [0, <paramref name="count"/>).</param>
    /// <param name="count">Number of segments.</param>
    public static Var SegmentMean(Var a, IReadOnlyList<int> segment, int count) =>
        a.DType == DType.Float64 ? Segment<double>(a, segment, count, mean: true) : Segment<float>(a, segment, count, mean: true);

    // ---- normalisation and regularisation ----------------------------------------------------------------------------

    /// <summary>Batch normalisation in training mode over axis 0 of x (n, f): (x - mean) / sqrt(var + eps) * gamma + beta, with the
    /// batch's mean and biased variance (divided by n), as PyTorch's <c>BatchNorm1d</c> in training mode.</summary>
    /// <param name="x">Activations, shape (n, f), n &gt;= 1.</param>
    /// <param name="gamma">Scale, shape (f).</param>
    /// <param name="beta">Shift, shape (f).</param>
    /// <param name="epsilon">Added to the variance (PyTorch's default 1e-5).</param>
    /// <returns>The output, and the batch mean and unbiased variance (divided by n - 1; the biased one when n = 1) for the
    /// running statistics, as PyTorch updates them.</returns>
    public static (Var Output, Tensor BatchMean, Tensor BatchVariance) BatchNormTrain(Var x, Var gamma, Var beta, double epsilon = 1e-5)
    {
        var (n, f) = Matrix2(x, "BatchNormTrain");
        CheckVector(gamma, f, "gamma");
        CheckVector(beta, f, "beta");
        return Same(x, gamma, beta) == DType.Float64 ? BatchNormTrain<double>(x, gamma, beta, epsilon, n, f) : BatchNormTrain<float>(x, gamma, beta, epsilon, n, f);
    }

    private static (Var Output, Tensor BatchMean, Tensor BatchVariance) BatchNormTrain<T>(Var x, Var gamma, Var beta, double epsilon, int n, int f)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var mean = new T[f];
        var variance = new T[f];
        var unbiased = new T[f];
        var invStd = new T[f];
        var xhat = new T[n * f];
        var y = new T[n * f];
        var gammaValues = gamma.Value.Data<T>();
        BatchNormForward<T>(x.Value.Data<T>(), n, f, gammaValues, beta.Value.Data<T>(), T.CreateTruncating(epsilon), mean, variance, unbiased, invStd,
            new T[n * f], xhat, y);
        var output = x.Tape.Record<T>(Tensor.Own(y, [n, f]), [x, gamma, beta], (g, grads) =>
        {
            var dbeta = new T[f];
            var dgamma = new T[f];
            BatchNormBackward<T>(g, xhat, gammaValues, invStd, n, f, dgamma, dbeta, grads[0]);
            if (grads[1] is { } gg) TensorPrimitives.Add<T>(gg, dgamma, gg);
            if (grads[2] is { } gb) TensorPrimitives.Add<T>(gb, dbeta, gb);
        });
        return (output, Tensor.Own(mean, [f]), Tensor.Own(unbiased, [f]));
    }

    /// <summary>The training-mode batch norm of x (n, f) row-major into y: the batch mean (rows added in ascending order, then / n),
    /// the biased variance (Σ (x - mean)², rows ascending, / n) and the unbiased one (/ (n - 1); / 1 when n = 1), invStd =
    /// 1 / sqrt(variance + eps), xhat = (x - mean) invStd, y = xhat gamma + beta. Shared by <see cref="BatchNormTrain"/> and the
    /// dense-network step, so the two give the same bits.</summary>
    internal static void BatchNormForward<T>(ReadOnlySpan<T> x, int n, int f, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T eps, Span<T> mean,
        Span<T> variance, Span<T> unbiased, Span<T> invStd, Span<T> centred, Span<T> xhat, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var nT = T.CreateTruncating(n);
        mean.Clear();
        variance.Clear();
        for (var i = 0; i < n; i++) TensorPrimitives.Add<T>(mean, x.Slice(i * f, f), mean);
        TensorPrimitives.Divide<T>(mean, nT, mean);
        for (var i = 0; i < n; i++)
        {
            var c = centred.Slice(i * f, f);
            TensorPrimitives.Subtract<T>(x.Slice(i * f, f), mean, c);
            TensorPrimitives.MultiplyAdd<T>(c, c, variance, variance);
        }
        TensorPrimitives.Divide<T>(variance, T.CreateTruncating(n > 1 ? n - 1 : 1), unbiased);
        TensorPrimitives.Divide<T>(variance, nT, variance);
        for (var j = 0; j < f; j++) invStd[j] = T.One / T.Sqrt(variance[j] + eps);
        for (var i = 0; i < n; i++)
        {
            TensorPrimitives.Multiply<T>(centred.Slice(i * f, f), invStd, xhat.Slice(i * f, f));
            TensorPrimitives.MultiplyAdd<T>(xhat.Slice(i * f, f), gamma, beta, y.Slice(i * f, f));
        }
    }

    /// <summary>The backward rule of <see cref="BatchNormForward{T}"/> for d loss / d y = g: dbeta += Σ_i g, dgamma += Σ_i g xhat (rows
    /// ascending), and, when <paramref name="gx"/> is given, gx += gamma invStd / n (n g - dbeta - xhat dgamma). dgamma and dbeta
    /// must start at zero (they are the batch sums the input gradient needs).</summary>
    internal static void BatchNormBackward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> xhat, ReadOnlySpan<T> gamma, ReadOnlySpan<T> invStd, int n, int f,
        Span<T> dgamma, Span<T> dbeta, Span<T> gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var nT = T.CreateTruncating(n);
        for (var i = 0; i < n; i++)
        {
            TensorPrimitives.Add<T>(dbeta, g.Slice(i * f, f), dbeta);
            TensorPrimitives.MultiplyAdd<T>(g.Slice(i * f, f), xhat.Slice(i * f, f), dgamma, dgamma);
        }
        if (gx.IsEmpty) return;
        // Per element gx + ((gamma invStd) / n) (((n g) - dbeta) - xhat dgamma), the scalar expression's roundings in its order,
        // lane by lane (no fused multiply-add), so any vector width gives the same bits.
        var c = new T[f];
        for (var j = 0; j < f; j++) c[j] = gamma[j] * invStd[j] / nT;
        var vn = new Vector<T>(nT);
        for (var i = 0; i < n; i++)
        {
            var gi = g.Slice(i * f, f);
            var xi = xhat.Slice(i * f, f);
            var oi = gx.Slice(i * f, f);
            var j = 0;
            for (; j <= f - Vector<T>.Count; j += Vector<T>.Count)
            {
                var t = vn * new Vector<T>(gi[j..]) - new Vector<T>(dbeta[j..]) - new Vector<T>(xi[j..]) * new Vector<T>(dgamma[j..]);
                (new Vector<T>(oi[j..]) + new Vector<T>(c, j) * t).CopyTo(oi[j..]);
            }
            for (; j < f; j++) oi[j] += c[j] * (nT * gi[j] - dbeta[j] - xi[j] * dgamma[j]);
        }
    }

    /// <summary>Batch normalisation in evaluation mode: (x - mean) / sqrt(var + eps) * gamma + beta with fixed (running) statistics.</summary>
    /// <param name="x">Activations, shape (n, f).</param>
    /// <param name="gamma">Scale, shape (f).</param>
    /// <param name="beta">Shift, shape (f).</param>
    /// <param name="mean">Running mean, shape (f).</param>
    /// <param name="variance">Running variance, shape (f).</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <remarks>The running statistics are read in x's element type (a float64 statistic is rounded for a float32 x).</remarks>
    public static Var BatchNormEval(Var x, Var gamma, Var beta, Tensor mean, Tensor variance, double epsilon = 1e-5)
    {
        var (_, f) = Matrix2(x, "BatchNormEval");
        CheckVector(gamma, f, "gamma");
        CheckVector(beta, f, "beta");
        if (mean.Length != f || variance.Length != f) throw new ArgumentException($"running statistics need {f} values each");
        return Same(x, gamma, beta) == DType.Float64
            ? BatchNormEval<double>(x, gamma, beta, mean, variance, epsilon, f) : BatchNormEval<float>(x, gamma, beta, mean, variance, epsilon, f);
    }

    private static Var BatchNormEval<T>(Var x, Var gamma, Var beta, Tensor mean, Tensor variance, double epsilon, int f)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = mean.To(Tensor.DTypeOf<T>()).Data<T>();
        var v = variance.To(Tensor.DTypeOf<T>()).Data<T>();
        var eps = T.CreateTruncating(epsilon);
        var scale = new T[f];
        var shift = new T[f];
        for (var j = 0; j < f; j++)
        {
            var inv = T.One / T.Sqrt(v[j] + eps);
            scale[j] = inv;
            shift[j] = -m[j] * inv;
        }
        var tape = x.Tape;
        var normalised = Add(Mul(x, tape.Constant(Tensor.Own(scale, [f]))), tape.Constant(Tensor.Own(shift, [f])));
        return Add(Mul(normalised, gamma), beta);
    }

    /// <summary>Inverted dropout: each value is zeroed with probability <paramref name="p"/> and the rest scaled by 1 / (1 - p), so the
    /// expectation is unchanged; the identity when not training or p = 0.</summary>
    /// <param name="a">The value.</param>
    /// <param name="p">Drop probability in [0, 1).</param>
    /// <param name="rng">The stream of the mask (one uniform per value, in row-major order).</param>
    /// <param name="training">False for evaluation (no mask).</param>
    /// <returns>The output and the stream after the mask's draws.</returns>
    public static (Var Output, Rng Next) Dropout(Var a, double p, Rng rng, bool training)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1)");
        if (!training || p == 0) return (a, rng);
        return a.DType == DType.Float64 ? Dropout<double>(a, p, rng) : Dropout<float>(a, p, rng);
    }

    private static (Var Output, Rng Next) Dropout<T>(Var a, double p, Rng rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cursor = new RngCursor(rng);
        var mask = new T[a.Value.Length];
        var keep = T.CreateTruncating(1 / (1 - p));
        for (var i = 0; i < mask.Length; i++) mask[i] = cursor.NextDouble() >= p ? keep : T.Zero;
        return (Mul(a, a.Tape.Constant(Tensor.Own(mask, a.Value.ShapeArray))), cursor.ToRng());
    }

    // ---- losses (scalar, mean over all values or rows) ---------------------------------------------------------------

    /// <summary>Mean squared error: mean((pred - target)²).</summary>
    public static Var MseLoss(Var prediction, Var target) { var d = Sub(prediction, target); return Mean(Mul(d, d)); }

    /// <summary>Mean absolute error: mean(|pred - target|) (derivative sign(d), 0 at 0).</summary>
    public static Var MaeLoss(Var prediction, Var target) => Mean(Unary(Sub(prediction, target), new AbsOp()));

    /// <summary>Huber loss: mean of 0.5 d² where |d| &lt;= delta, else delta (|d| - 0.5 delta), as PyTorch's <c>HuberLoss</c>.</summary>
    public static Var HuberLoss(Var prediction, Var target, double delta = 1.0)
    {
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "Huber's delta must be > 0");
        return Mean(Unary(Sub(prediction, target), new HuberOp(delta)));
    }

    /// <summary>Binary cross-entropy on logits: mean of max(z, 0) - z t + log(1 + exp(-|z|)) for targets t in [0, 1], as PyTorch's
    /// <c>BCEWithLogitsLoss</c> (stable for any z).</summary>
    public static Var BceWithLogitsLoss(Var logits, Var target)
    {
        if (!logits.Shape.SequenceEqual(target.Shape)) throw new ArgumentException($"logits {Tensor.Describe(logits.Shape)} and targets {Tensor.Describe(target.Shape)} differ");
        return Same(logits, target) == DType.Float64 ? BceWithLogitsLoss<double>(logits, target) : BceWithLogitsLoss<float>(logits, target);
    }

    private static Var BceWithLogitsLoss<T>(Var z, Var t) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var zs = z.Value.Data<T>();
        var ts = t.Value.Data<T>();
        var terms = new T[zs.Length];
        for (var i = 0; i < terms.Length; i++) terms[i] = T.Max(zs[i], T.Zero) - zs[i] * ts[i] + T.Log(T.One + T.Exp(-T.Abs(zs[i])));
        var loss = z.Tape.Record<T>(Tensor.Own(terms, z.Value.ShapeArray), [z, t], (g, grads) =>
        {
            for (var i = 0; i < g.Length; i++)
            {
                if (grads[0] is { } gz) gz[i] += g[i] * (SigmoidOf(zs[i]) - ts[i]);
                if (grads[1] is { } gt) gt[i] += -g[i] * zs[i];
            }
        });
        return Mean(loss);
    }

    /// <summary>Cross-entropy of logits (n, c) against class indices: mean over rows of -log softmax(logits)[label], as PyTorch's
    /// <c>CrossEntropyLoss</c>.</summary>
    /// <param name="logits">Shape (n, c).</param>
    /// <param name="labels">n class indices in [0, c).</param>
    public static Var CrossEntropyLoss(Var logits, IReadOnlyList<int> labels)
    {
        var (n, c) = Matrix2(logits, "CrossEntropyLoss");
        if (labels.Count != n) throw new ArgumentException($"{labels.Count} labels for {n} rows of logits", nameof(labels));
        for (var i = 0; i < n; i++)
            if ((uint)labels[i] >= (uint)c) throw new ArgumentException($"label {labels[i]} of row {i} is outside [0, {c})", nameof(labels));
        var pick = logits.DType == DType.Float64 ? Tensor.Own(Pick<double>(labels, n, c), [n, c]) : Tensor.Own(Pick<float>(labels, n, c), [n, c]);
        return Sum(Mul(LogSoftmax(logits), logits.Tape.Constant(pick)));
    }

    /// <summary>-1/n at each row's label, 0 elsewhere: (n, c) row-major.</summary>
    private static T[] Pick<T>(IReadOnlyList<int> labels, int n, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var pick = new T[n * c];
        var w = -T.One / T.CreateTruncating(n);
        for (var i = 0; i < n; i++) pick[i * c + labels[i]] = w;
        return pick;
    }

    // ---- internals -----------------------------------------------------------------------------------------------------------

    /// <summary>softplus(x) = max(x, 0) + log(1 + exp(-|x|)), the value <see cref="Softplus"/> records (shared so a fused operation
    /// elsewhere gives the same bits).</summary>
    internal static T SoftplusOf<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Max(x, T.Zero) + T.Log(T.One + T.Exp(-T.Abs(x)));

    /// <summary>The logistic sigmoid, the value <see cref="Sigmoid"/> records: 1 / (1 + exp(-x)) for x &gt;= 0, exp(x) / (1 + exp(x)) below.</summary>
    internal static T SigmoidOf<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x >= T.Zero) return T.One / (T.One + T.Exp(-x));
        var e = T.Exp(x);
        return e / (T.One + e);
    }

    private static void SoftmaxRow<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = T.NegativeInfinity;
        foreach (var v in x) max = T.Max(max, v);
        for (var j = 0; j < x.Length; j++) y[j] = T.Exp(x[j] - max);
        var sum = Reduce.SumOf<T>(y);
        TensorPrimitives.Divide<T>(y, sum, y);
    }

    internal static void LogSoftmaxRow<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = T.NegativeInfinity;
        foreach (var v in x) max = T.Max(max, v);
        for (var j = 0; j < x.Length; j++) y[j] = T.Exp(x[j] - max);
        var log = T.Log(Reduce.SumOf<T>(y)) + max;
        TensorPrimitives.Subtract<T>(x, log, y);
    }

    /// <summary>The element type shared by an operation's inputs.</summary>
    /// <exception cref="ArgumentException">Two inputs differ.</exception>
    private static DType Same(Var a, params Var[] others)
    {
        foreach (var o in others)
            if (o.DType != a.DType)
                throw new ArgumentException($"inputs of one operation need one element type; got {a.DType} {Tensor.Describe(a.Shape)} and {o.DType} {Tensor.Describe(o.Shape)} (convert with Ops.Cast)");
        return a.DType;
    }

    /// <summary>An element-wise function and its derivative, generic over the element type (constants held as double and
    /// rounded to the element type).</summary>
    private interface IUnaryOp
    {
        T F<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;

        /// <summary>g f'(x), given x, y = f(x) and g.</summary>
        T D<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T>;
    }

    private readonly struct ScaleOp(double c) : IUnaryOp
    {
        public T F<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(c) * x;
        public T D<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => T.CreateTruncating(c) * g;
    }

    private readonly struct TanhOp : IUnaryOp
    {
        public T F<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Tanh(x);
        public T D<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => g * (T.One - y * y);
    }

    private readonly struct SigmoidOp : IUnaryOp
    {
        public T F<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => SigmoidOf(x);
        public T D<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => g * y * (T.One - y);
    }

    private readonly struct SoftplusOp : IUnaryOp
    {
        public T F<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => SoftplusOf(x);
        public T D<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => g * SigmoidOf(x);
    }

    private readonly struct ExpOp : IUnaryOp
    {
        public T F<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Exp(x);
        public T D<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => g * y;
    }

    private readonly struct LogOp : IUnaryOp
    {
        public T F<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Log(x);
        public T D<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => g / x;
    }

    /// <summary>|x|, derivative sign(x) (0 at 0).</summary>
    private readonly struct AbsOp : IUnaryOp
    {
        public T F<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => T.Abs(x);
        public T D<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? g : x < T.Zero ? -g : T.Zero;
    }

    /// <summary>0.5 d² where |d| &lt;= delta, else delta (|d| - 0.5 delta).</summary>
    private readonly struct HuberOp(double delta) : IUnaryOp
    {
        public T F<T>(T d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var dl = T.CreateTruncating(delta);
            var half = T.CreateTruncating(0.5);
            return T.Abs(d) <= dl ? half * d * d : dl * (T.Abs(d) - half * dl);
        }

        public T D<T>(T d, T y, T g) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var dl = T.CreateTruncating(delta);
            return T.Abs(d) <= dl ? g * d : g * dl * T.CreateTruncating(T.Sign(d));
        }
    }

    private static Var Unary<TOp>(Var a, TOp op) where TOp : struct, IUnaryOp =>
        a.DType == DType.Float64 ? Unary<double, TOp>(a, op) : Unary<float, TOp>(a, op);

    private static Var Unary<T, TOp>(Var a, TOp op) where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOp
    {
        var x = a.Value.Data<T>();
        var y = new T[x.Length];
        for (var i = 0; i < y.Length; i++) y[i] = op.F(x[i]);
        return a.Tape.Record<T>(Tensor.Own(y, a.Value.ShapeArray), [a], (g, grads) =>
        {
            var ga = grads[0]!;
            for (var i = 0; i < ga.Length; i++) ga[i] += op.D(x[i], y[i], g[i]);
        });
    }

    /// <summary>An element-wise binary function and its two partial derivatives (times g).</summary>
    private interface IBinaryOp
    {
        static abstract T F<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T>;
        static abstract T Da<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T>;
        static abstract T Db<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T>;
    }

    private readonly struct AddOp : IBinaryOp
    {
        public static T F<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x + y;
        public static T Da<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => g;
        public static T Db<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => g;
    }

    private readonly struct SubOp : IBinaryOp
    {
        public static T F<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x - y;
        public static T Da<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => g;
        public static T Db<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => -g;
    }

    private readonly struct MulOp : IBinaryOp
    {
        public static T F<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x * y;
        public static T Da<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => g * y;
        public static T Db<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => g * x;
    }

    private readonly struct DivOp : IBinaryOp
    {
        public static T F<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x / y;
        public static T Da<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => g / y;
        public static T Db<T>(T x, T y, T g) where T : unmanaged, IFloatingPointIeee754<T> => -g * x / (y * y);
    }

    private static Var Binary<TOp>(Var a, Var b) where TOp : struct, IBinaryOp =>
        Same(a, b) == DType.Float64 ? Binary<double, TOp>(a, b) : Binary<float, TOp>(a, b);

    private static Var Binary<T, TOp>(Var a, Var b) where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IBinaryOp
    {
        var x = a.Value.Data<T>();
        var z = b.Value.Data<T>();
        if (a.Shape.SequenceEqual(b.Shape))
        {
            var y = new T[x.Length];
            for (var i = 0; i < y.Length; i++) y[i] = TOp.F(x[i], z[i]);
            return a.Tape.Record<T>(Tensor.Own(y, a.Value.ShapeArray), [a, b], (g, grads) =>
            {
                if (grads[0] is { } ga) for (var i = 0; i < g.Length; i++) ga[i] += TOp.Da(x[i], z[i], g[i]);
                if (grads[1] is { } gb) for (var i = 0; i < g.Length; i++) gb[i] += TOp.Db(x[i], z[i], g[i]);
            });
        }
        var (shape, ia, ib) = Broadcast(a.Value.ShapeArray, b.Value.ShapeArray);
        var output = new T[ia.Length];
        for (var i = 0; i < output.Length; i++) output[i] = TOp.F(x[ia[i]], z[ib[i]]);
        return a.Tape.Record<T>(Tensor.Own(output, shape), [a, b], (g, grads) =>
        {
            // Output elements in ascending order add into their sources: a fixed order for every broadcast element.
            if (grads[0] is { } ga) for (var i = 0; i < g.Length; i++) ga[ia[i]] += TOp.Da(x[ia[i]], z[ib[i]], g[i]);
            if (grads[1] is { } gb) for (var i = 0; i < g.Length; i++) gb[ib[i]] += TOp.Db(x[ia[i]], z[ib[i]], g[i]);
        });
    }

    /// <summary>numpy broadcasting: the output shape and, per output element, the offsets into a and b.</summary>
    private static (int[] Shape, int[] A, int[] B) Broadcast(int[] sa, int[] sb)
    {
        var rank = Math.Max(sa.Length, sb.Length);
        var shape = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            var la = d - (rank - sa.Length) is var i && i >= 0 ? sa[i] : 1;
            var lb = d - (rank - sb.Length) is var k && k >= 0 ? sb[k] : 1;
            if (la != lb && la != 1 && lb != 1)
                throw new ArgumentException($"shapes {Tensor.Describe(sa)} and {Tensor.Describe(sb)} do not broadcast (axis {d}: {la} vs {lb})");
            shape[d] = la == 1 ? lb : la;
        }
        var n = Tensor.Count(shape);
        var ia = new int[n];
        var ib = new int[n];
        var strideA = Strides(sa, rank);
        var strideB = Strides(sb, rank);
        var index = new int[rank];
        for (var e = 0; e < n; e++)
        {
            int oa = 0, ob = 0;
            for (var d = 0; d < rank; d++)
            {
                oa += index[d] * strideA[d];
                ob += index[d] * strideB[d];
            }
            ia[e] = oa;
            ib[e] = ob;
            for (var d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
        return (shape, ia, ib);
    }

    /// <summary>Row-major strides of a shape aligned to the right in <paramref name="rank"/> axes; 0 where the axis is broadcast.</summary>
    private static int[] Strides(int[] shape, int rank)
    {
        var strides = new int[rank];
        var stride = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d + rank - shape.Length] = shape[d] == 1 ? 0 : stride;
            stride *= shape[d];
        }
        return strides;
    }

    private static Var Segment<T>(Var a, IReadOnlyList<int> segment, int count, bool mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, inner) = Rows(a, mean ? "SegmentMean" : "SegmentSum");
        if (segment.Count != n) throw new ArgumentException($"{segment.Count} segment ids for {n} rows", nameof(segment));
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "segment count must be >= 0");
        var seg = segment.ToArray();
        var sizes = new int[count];
        foreach (var s in seg)
        {
            if ((uint)s >= (uint)count) throw new ArgumentException($"segment id {s} is outside [0, {count})", nameof(segment));
            sizes[s]++;
        }
        var y = new T[count * inner];
        var x = a.Value.Data<T>().AsSpan();
        for (var i = 0; i < n; i++)
        {
            var dst = y.AsSpan(seg[i] * inner, inner);
            TensorPrimitives.Add<T>(dst, x.Slice(i * inner, inner), dst);
        }
        if (mean)
            for (var s = 0; s < count; s++)
                if (sizes[s] > 0) TensorPrimitives.Divide<T>(y.AsSpan(s * inner, inner), T.CreateTruncating(sizes[s]), y.AsSpan(s * inner, inner));
        var shape = (int[])a.Value.ShapeArray.Clone();
        shape[0] = count;
        return a.Tape.Record<T>(Tensor.Own(y, shape), [a], (g, grads) =>
        {
            var ga = grads[0]!.AsSpan();
            for (var i = 0; i < n; i++)
            {
                var dst = ga.Slice(i * inner, inner);
                var src = g.AsSpan(seg[i] * inner, inner);
                if (mean) TensorPrimitives.MultiplyAdd<T>(src, T.One / T.CreateTruncating(sizes[seg[i]]), dst, dst);
                else TensorPrimitives.Add<T>(dst, src, dst);
            }
        });
    }

    private static (int Rows, int Inner) Rows(Var a, string op)
    {
        if (a.Value.Rank < 1) throw new ArgumentException($"{op} needs at least one axis; got a scalar");
        return (a.Shape[0], Prod(a.Value.ShapeArray.AsSpan(1)));
    }

    private static (int Outer, int Width) LastAxis(Var a)
    {
        if (a.Value.Rank < 1) throw new ArgumentException("softmax needs at least one axis; got a scalar");
        var width = a.Shape[^1];
        return (width == 0 ? 0 : a.Value.Length / width, width);
    }

    private static (int N, int F) Matrix2(Var a, string op) =>
        a.Value.Rank == 2 && a.Shape[0] >= 1 ? (a.Shape[0], a.Shape[1])
            : throw new ArgumentException($"{op} needs a matrix (n, f) with n >= 1; got {Tensor.Describe(a.Shape)}");

    private static void CheckVector(Var v, int f, string name)
    {
        if (v.Value.Rank != 1 || v.Shape[0] != f) throw new ArgumentException($"{name} must have shape ({f},); got {Tensor.Describe(v.Shape)}");
    }

    private static int Prod(ReadOnlySpan<int> shape)
    {
        var p = 1;
        foreach (var d in shape) p *= d;
        return p;
    }
}
