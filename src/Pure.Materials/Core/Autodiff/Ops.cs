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
/// Source: the operations and their derivatives as in PyTorch 1.13's <c>torch.nn.functional</c> (same names where they exist).
/// </remarks>
public static class Ops
{
    // ---- element-wise binary operations with broadcasting -------------------------------------------------------------

    /// <summary>a + b, broadcast. A matrix (n, f) plus a vector (f) (a layer's bias) runs row by row on vector kernels.</summary>
    public static Var Add(Var a, Var b) =>
        a.Value.Rank == 2 && b.Value.Rank == 1 && b.Shape[0] == a.Shape[1] ? AddRowVector(a, b)
            : Binary(a, b, static (x, y) => x + y, static (x, y, g) => g, static (x, y, g) => g);

    private static Var AddRowVector(Var a, Var b)
    {
        int n = a.Shape[0], f = a.Shape[1];
        var y = new double[n * f];
        var x = a.Value.Span;
        var bias = b.Value.Span;
        for (var i = 0; i < n; i++) TensorPrimitives.Add(x.Slice(i * f, f), bias, y.AsSpan(i * f, f));
        return a.Tape.Record(Tensor.Own(y, [n, f]), [a, b], (g, grads) =>
        {
            if (grads[0] is { } ga) TensorPrimitives.Add(ga, g, ga);
            if (grads[1] is { } gb)
                for (var i = 0; i < n; i++) TensorPrimitives.Add(gb, g.AsSpan(i * f, f), gb); // rows in ascending order
        });
    }

    /// <summary>a - b, broadcast.</summary>
    public static Var Sub(Var a, Var b) => Binary(a, b, static (x, y) => x - y, static (x, y, g) => g, static (x, y, g) => -g);

    /// <summary>a * b (element-wise), broadcast.</summary>
    public static Var Mul(Var a, Var b) => Binary(a, b, static (x, y) => x * y, static (x, y, g) => g * y, static (x, y, g) => g * x);

    /// <summary>a / b (element-wise), broadcast.</summary>
    public static Var Div(Var a, Var b) => Binary(a, b, static (x, y) => x / y, static (x, y, g) => g / y, static (x, y, g) => -g * x / (y * y));

    /// <summary>c * a for a constant c.</summary>
    public static Var Scale(Var a, double c) => Unary(a, x => c * x, (x, y, g) => c * g);

    // ---- element-wise unary operations ---------------------------------------------------------------------------------

    /// <summary>max(a, 0); its derivative is taken as 0 at 0 (PyTorch's convention).</summary>
    public static Var Relu(Var a)
    {
        var x = a.Value.Array;
        var y = new double[x.Length];
        ReluForward(x, y);
        return a.Tape.Record(Tensor.Own(y, a.Value.ShapeArray), [a], (g, grads) => ReluBackward(y, g, grads[0]!));
    }

    /// <summary>A layer's bias and activation in one pass: act(x + bias) for x (n, f) and bias (f), the same values and gradients
    /// as <c>Relu(Add(x, bias))</c> (or Tanh, Sigmoid, none) bit for bit, without the intermediate value.</summary>
    internal static Var BiasActivation(Var x, Var bias, Activation activation)
    {
        var (n, f) = Matrix2(x, "BiasActivation");
        CheckVector(bias, f, "bias");
        var xv = x.Value.Span;
        var bv = bias.Value.Span;
        var y = new double[n * f];
        for (var i = 0; i < n; i++) TensorPrimitives.Add(xv.Slice(i * f, f), bv, y.AsSpan(i * f, f));
        switch (activation)
        {
            case Activation.Relu: ReluForward(y, y); break;
            case Activation.Tanh: for (var i = 0; i < y.Length; i++) y[i] = Math.Tanh(y[i]); break;
            case Activation.Sigmoid: for (var i = 0; i < y.Length; i++) y[i] = SigmoidOf(y[i]); break;
        }
        return x.Tape.Record(Tensor.Own(y, [n, f]), [x, bias], (g, grads) =>
        {
            // The unfused chain first adds the activation's derivative into a zeroed accumulator (0 + d), then passes that on.
            // (Identity passes g itself on, as Add does.)
            var d = activation == Activation.Identity ? g : new double[g.Length];
            switch (activation)
            {
                case Activation.Relu: ReluBackward(y, g, d); break;
                case Activation.Tanh: for (var i = 0; i < d.Length; i++) d[i] += g[i] * (1 - y[i] * y[i]); break;
                case Activation.Sigmoid: for (var i = 0; i < d.Length; i++) d[i] += g[i] * y[i] * (1 - y[i]); break;
            }
            if (grads[0] is { } ga) TensorPrimitives.Add(ga, d, ga);
            if (grads[1] is { } gb)
                for (var i = 0; i < n; i++) TensorPrimitives.Add(gb, d.AsSpan(i * f, f), gb); // rows in ascending order
        });
    }

    /// <summary>y = x &gt; 0 ? x : 0, lane by lane (NaN and -0 give +0, as the scalar rule).</summary>
    private static void ReluForward(ReadOnlySpan<double> x, Span<double> y)
    {
        var i = 0;
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var v = new Vector<double>(x[i..]);
            Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<double>.Zero), v, Vector<double>.Zero).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : 0;
    }

    /// <summary>acc += (y &gt; 0 ? g : 0) (y &gt; 0 exactly where the input was).</summary>
    private static void ReluBackward(ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> acc)
    {
        var i = 0;
        for (; i <= y.Length - Vector<double>.Count; i += Vector<double>.Count)
        {
            var d = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<double>(y[i..]), Vector<double>.Zero), new Vector<double>(g[i..]), Vector<double>.Zero);
            (new Vector<double>(acc[i..]) + d).CopyTo(acc[i..]);
        }
        for (; i < y.Length; i++) acc[i] += y[i] > 0 ? g[i] : 0;
    }

    /// <summary>tanh(a).</summary>
    public static Var Tanh(Var a) => Unary(a, Math.Tanh, static (x, y, g) => g * (1 - y * y));

    /// <summary>1 / (1 + exp(-a)), computed without overflow for either sign.</summary>
    public static Var Sigmoid(Var a) => Unary(a, SigmoidOf, static (x, y, g) => g * y * (1 - y));

    /// <summary>log(1 + exp(a)), computed as max(a, 0) + log1p(exp(-|a|)) (no overflow).</summary>
    public static Var Softplus(Var a) => Unary(a, static x => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x))), static (x, y, g) => g * SigmoidOf(x));

    /// <summary>exp(a).</summary>
    public static Var Exp(Var a) => Unary(a, Math.Exp, static (x, y, g) => g * y);

    /// <summary>log(a) (NaN for a &lt; 0, -Infinity at 0, as IEEE).</summary>
    public static Var Log(Var a) => Unary(a, Math.Log, static (x, y, g) => g / x);

    // ---- linear algebra --------------------------------------------------------------------------------------------------

    /// <summary>The matrix product a b of a (m, k) and b (k, n): shape (m, n).</summary>
    /// <remarks>Forward and both backward products (dA = dC Bᵀ, dB = Aᵀ dC) use <see cref="Gemm"/>'s fixed summation order.</remarks>
    public static Var MatMul(Var a, Var b)
    {
        if (a.Value.Rank != 2 || b.Value.Rank != 2 || a.Shape[1] != b.Shape[0])
            throw new ArgumentException($"MatMul needs (m, k) and (k, n); got {Tensor.Describe(a.Shape)} and {Tensor.Describe(b.Shape)}");
        int m = a.Shape[0], k = a.Shape[1], n = b.Shape[1];
        var c = new double[m * n];
        Gemm.MultiplyAdd(a.Value.Array, b.Value.Array, c, m, k, n);
        var av = a.Value.Array;
        var bv = b.Value.Array;
        return a.Tape.Record(Tensor.Own(c, [m, n]), [a, b], (g, grads) =>
        {
            if (grads[0] is { } ga) Gemm.MultiplyAdd(g, false, bv, true, ga, m, n, k);
            if (grads[1] is { } gb) Gemm.MultiplyAdd(av, true, g, false, gb, k, m, n);
        });
    }

    /// <summary>The transpose of a matrix (m, n): shape (n, m).</summary>
    public static Var Transpose(Var a)
    {
        if (a.Value.Rank != 2) throw new ArgumentException($"Transpose needs a matrix; got {Tensor.Describe(a.Shape)}");
        int m = a.Shape[0], n = a.Shape[1];
        return a.Tape.Record(Tensor.Own(Gemm.Transpose(a.Value.Span, m, n), [n, m]), [a], (g, grads) =>
        {
            var t = Gemm.Transpose(g, n, m);
            TensorPrimitives.Add(grads[0]!, t, grads[0]!);
        });
    }

    // ---- reductions -----------------------------------------------------------------------------------------------------

    /// <summary>The sum of all values: a scalar.</summary>
    public static Var Sum(Var a) =>
        a.Tape.Record(Tensor.Scalar(Reduce.Sum(a.Value.Span)), [a], (g, grads) => TensorPrimitives.Add(grads[0]!, g[0], grads[0]!));

    /// <summary>The mean of all values: a scalar (NaN for no values).</summary>
    public static Var Mean(Var a)
    {
        var n = a.Value.Length;
        return a.Tape.Record(Tensor.Scalar(Reduce.Sum(a.Value.Span) / n), [a], (g, grads) => TensorPrimitives.Add(grads[0]!, g[0] / n, grads[0]!));
    }

    /// <summary>Sums over axis 0: (n, f...) to (f...), rows added in order.</summary>
    public static Var SumRows(Var a)
    {
        var (n, inner) = Rows(a, "SumRows");
        var y = new double[inner];
        var x = a.Value.Span;
        for (var i = 0; i < n; i++) TensorPrimitives.Add(y, x.Slice(i * inner, inner), y);
        return a.Tape.Record(Tensor.Own(y, a.Value.ShapeArray[1..]), [a], (g, grads) =>
        {
            var ga = grads[0]!.AsSpan();
            for (var i = 0; i < n; i++) TensorPrimitives.Add(ga.Slice(i * inner, inner), g, ga.Slice(i * inner, inner));
        });
    }

    // ---- softmax ----------------------------------------------------------------------------------------------------------

    /// <summary>Softmax over the last axis: exp(a - max) / sum exp(a - max), each row summing to 1.</summary>
    public static Var Softmax(Var a)
    {
        var (outer, width) = LastAxis(a);
        var y = new double[a.Value.Length];
        var x = a.Value.Span;
        for (var r = 0; r < outer; r++) SoftmaxRow(x.Slice(r * width, width), y.AsSpan(r * width, width));
        return a.Tape.Record(Tensor.Own(y, a.Value.ShapeArray), [a], (g, grads) =>
        {
            // dx = y * (g - sum(g * y)) per row
            var ga = grads[0]!;
            for (var r = 0; r < outer; r++)
            {
                var yr = y.AsSpan(r * width, width);
                var gr = g.AsSpan(r * width, width);
                var dot = Reduce.Dot(gr, yr);
                for (var j = 0; j < width; j++) ga[r * width + j] += yr[j] * (gr[j] - dot);
            }
        });
    }

    /// <summary>Log-softmax over the last axis: a - max - log(sum exp(a - max)).</summary>
    public static Var LogSoftmax(Var a)
    {
        var (outer, width) = LastAxis(a);
        var y = new double[a.Value.Length];
        var x = a.Value.Span;
        for (var r = 0; r < outer; r++) LogSoftmaxRow(x.Slice(r * width, width), y.AsSpan(r * width, width));
        return a.Tape.Record(Tensor.Own(y, a.Value.ShapeArray), [a], (g, grads) =>
        {
            // dx = g - softmax * sum(g) per row
            var ga = grads[0]!;
            for (var r = 0; r < outer; r++)
            {
                var gr = g.AsSpan(r * width, width);
                var total = Reduce.Sum(gr);
                for (var j = 0; j < width; j++) ga[r * width + j] += gr[j] - Math.Exp(y[r * width + j]) * total;
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
        var first = parts[0].Value.ShapeArray;
        if (axis < 0 || axis >= first.Length) throw new ArgumentException($"axis {axis} is outside rank {first.Length}", nameof(axis));
        foreach (var p in parts)
            if (p.Value.Rank != first.Length || Enumerable.Range(0, first.Length).Any(d => d != axis && p.Shape[d] != first[d]))
                throw new ArgumentException($"Concat on axis {axis} needs equal other axes; got {Tensor.Describe(first)} and {Tensor.Describe(p.Shape)}");
        var outer = Prod(first.AsSpan(0, axis));
        var inner = Prod(first.AsSpan(axis + 1));
        var widths = parts.Select(p => p.Shape[axis] * inner).ToArray();
        var total = widths.Sum();
        var y = new double[outer * total];
        var offset = 0;
        for (var q = 0; q < parts.Count; q++)
        {
            var x = parts[q].Value.Span;
            for (var o = 0; o < outer; o++) x.Slice(o * widths[q], widths[q]).CopyTo(y.AsSpan(o * total + offset));
            offset += widths[q];
        }
        var shape = (int[])first.Clone();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        return parts[0].Tape.Record(Tensor.Own(y, shape), [.. parts], (g, grads) =>
        {
            var off = 0;
            for (var q = 0; q < grads.Length; q++)
            {
                if (grads[q] is { } gq)
                    for (var o = 0; o < outer; o++)
                    {
                        var dst = gq.AsSpan(o * widths[q], widths[q]);
                        TensorPrimitives.Add(dst, g.AsSpan(o * total + off, widths[q]), dst);
                    }
                off += widths[q];
            }
        });
    }

    /// <summary>Splits a value along an axis into parts of the given lengths (the inverse of <see cref="Concat"/>).</summary>
    /// <param name="a">The value.</param>
    /// <param name="lengths">Lengths along the axis, summing to its length.</param>
    /// <param name="axis">The axis.</param>
    public static Var[] Split(Var a, IReadOnlyList<int> lengths, int axis)
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
            var y = new double[outer * width];
            for (var o = 0; o < outer; o++) a.Value.Span.Slice(o * total + offset, width).CopyTo(y.AsSpan(o * width));
            var partShape = (int[])shape.Clone();
            partShape[axis] = lengths[q];
            var off = offset;
            parts[q] = a.Tape.Record(Tensor.Own(y, partShape), [a], (g, grads) =>
            {
                for (var o = 0; o < outer; o++)
                {
                    var dst = grads[0]!.AsSpan(o * total + off, width);
                    TensorPrimitives.Add(dst, g.AsSpan(o * width, width), dst);
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
    public static Var Gather(Var a, IReadOnlyList<int> index)
    {
        var (n, inner) = Rows(a, "Gather");
        var idx = index.ToArray();
        foreach (var i in idx)
            if ((uint)i >= (uint)n) throw new ArgumentException($"Gather index {i} is outside axis 0 of length {n}", nameof(index));
        var y = new double[idx.Length * inner];
        var x = a.Value.Span;
        for (var r = 0; r < idx.Length; r++) x.Slice(idx[r] * inner, inner).CopyTo(y.AsSpan(r * inner));
        var shape = (int[])a.Value.ShapeArray.Clone();
        shape[0] = idx.Length;
        return a.Tape.Record(Tensor.Own(y, shape), [a], (g, grads) =>
        {
            var ga = grads[0]!.AsSpan();
            for (var r = 0; r < idx.Length; r++)
            {
                var dst = ga.Slice(idx[r] * inner, inner);
                TensorPrimitives.Add(dst, g.AsSpan(r * inner, inner), dst);
            }
        });
    }

    /// <summary>Sums rows into segments: output row s is the sum of the input rows i with <paramref name="segment"/>[i] = s
    /// (rows added in input order; an empty segment is zeros). Graph pooling: atoms to crystals, messages to atoms.</summary>
    /// <param name="a">The value, shape (n, f...).</param>
    /// <param name="segment">For each row its segment in [0, <paramref name="count"/>).</param>
    /// <param name="count">Number of segments.</param>
    public static Var SegmentSum(Var a, IReadOnlyList<int> segment, int count) => Segment(a, segment, count, mean: false);

    /// <summary>Means of rows per segment: <see cref="SegmentSum"/> divided by each segment's row count (an empty segment is zeros).</summary>
    /// <param name="a">The value, shape (n, f...).</param>
    /// <param name="segment">For each row its segment in [0, <paramref name="count"/>).</param>
    /// <param name="count">Number of segments.</param>
    public static Var SegmentMean(Var a, IReadOnlyList<int> segment, int count) => Segment(a, segment, count, mean: true);

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
        var xv = x.Value.Span;
        var mean = new double[f];
        for (var i = 0; i < n; i++) TensorPrimitives.Add(mean, xv.Slice(i * f, f), mean);
        TensorPrimitives.Divide(mean, n, mean);
        var variance = new double[f];
        var centred = new double[n * f];
        for (var i = 0; i < n; i++)
        {
            var c = centred.AsSpan(i * f, f);
            TensorPrimitives.Subtract(xv.Slice(i * f, f), mean, c);
            TensorPrimitives.MultiplyAdd(c, c, variance, variance);
        }
        var unbiased = new double[f];
        TensorPrimitives.Divide(variance, n > 1 ? n - 1 : 1, unbiased);
        TensorPrimitives.Divide(variance, n, variance);
        var invStd = new double[f];
        for (var j = 0; j < f; j++) invStd[j] = 1 / Math.Sqrt(variance[j] + epsilon);
        var xhat = new double[n * f];
        var y = new double[n * f];
        var gv = gamma.Value.Span;
        var bv = beta.Value.Span;
        for (var i = 0; i < n; i++)
        {
            TensorPrimitives.Multiply(centred.AsSpan(i * f, f), invStd, xhat.AsSpan(i * f, f));
            TensorPrimitives.MultiplyAdd(xhat.AsSpan(i * f, f), gv, bv, y.AsSpan(i * f, f));
        }
        var gammaValues = gamma.Value.Array;
        var output = x.Tape.Record(Tensor.Own(y, [n, f]), [x, gamma, beta], (g, grads) =>
        {
            // dbeta = sum_i g; dgamma = sum_i g * xhat; dx = gamma * invStd / n * (n g - dbeta - xhat * dgamma)
            var dbeta = new double[f];
            var dgamma = new double[f];
            for (var i = 0; i < n; i++)
            {
                TensorPrimitives.Add(dbeta, g.AsSpan(i * f, f), dbeta);
                TensorPrimitives.MultiplyAdd(g.AsSpan(i * f, f), xhat.AsSpan(i * f, f), dgamma, dgamma);
            }
            if (grads[1] is { } gg) TensorPrimitives.Add(gg, dgamma, gg);
            if (grads[2] is { } gb) TensorPrimitives.Add(gb, dbeta, gb);
            if (grads[0] is { } gx)
                for (var i = 0; i < n; i++)
                    for (var j = 0; j < f; j++)
                        gx[i * f + j] += gammaValues[j] * invStd[j] / n * (n * g[i * f + j] - dbeta[j] - xhat[i * f + j] * dgamma[j]);
        });
        return (output, Tensor.Own(mean, [f]), Tensor.Own(unbiased, [f]));
    }

    /// <summary>Batch normalisation in evaluation mode: (x - mean) / sqrt(var + eps) * gamma + beta with fixed (running) statistics.</summary>
    /// <param name="x">Activations, shape (n, f).</param>
    /// <param name="gamma">Scale, shape (f).</param>
    /// <param name="beta">Shift, shape (f).</param>
    /// <param name="mean">Running mean, shape (f).</param>
    /// <param name="variance">Running variance, shape (f).</param>
    /// <param name="epsilon">Added to the variance.</param>
    public static Var BatchNormEval(Var x, Var gamma, Var beta, Tensor mean, Tensor variance, double epsilon = 1e-5)
    {
        var (_, f) = Matrix2(x, "BatchNormEval");
        CheckVector(gamma, f, "gamma");
        CheckVector(beta, f, "beta");
        if (mean.Length != f || variance.Length != f) throw new ArgumentException($"running statistics need {f} values each");
        var scale = new double[f];
        var shift = new double[f];
        for (var j = 0; j < f; j++)
        {
            var inv = 1 / Math.Sqrt(variance.Span[j] + epsilon);
            scale[j] = inv;
            shift[j] = -mean.Span[j] * inv;
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
        var cursor = new RngCursor(rng);
        var mask = new double[a.Value.Length];
        var keep = 1 / (1 - p);
        for (var i = 0; i < mask.Length; i++) mask[i] = cursor.NextDouble() >= p ? keep : 0;
        return (Mul(a, a.Tape.Constant(Tensor.Own(mask, a.Value.ShapeArray))), cursor.ToRng());
    }

    // ---- losses (scalar, mean over all values or rows) ---------------------------------------------------------------

    /// <summary>Mean squared error: mean((pred - target)²).</summary>
    public static Var MseLoss(Var prediction, Var target) { var d = Sub(prediction, target); return Mean(Mul(d, d)); }

    /// <summary>Mean absolute error: mean(|pred - target|) (derivative sign(d), 0 at 0).</summary>
    public static Var MaeLoss(Var prediction, Var target) =>
        Mean(Unary(Sub(prediction, target), Math.Abs, static (x, y, g) => x > 0 ? g : x < 0 ? -g : 0));

    /// <summary>Huber loss: mean of 0.5 d² where |d| &lt;= delta, else delta (|d| - 0.5 delta), as PyTorch's <c>HuberLoss</c>.</summary>
    public static Var HuberLoss(Var prediction, Var target, double delta = 1.0)
    {
        if (!(delta > 0)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "Huber's delta must be > 0");
        return Mean(Unary(Sub(prediction, target),
            d => Math.Abs(d) <= delta ? 0.5 * d * d : delta * (Math.Abs(d) - 0.5 * delta),
            (d, y, g) => Math.Abs(d) <= delta ? g * d : g * delta * Math.Sign(d)));
    }

    /// <summary>Binary cross-entropy on logits: mean of max(z, 0) - z t + log(1 + exp(-|z|)) for targets t in [0, 1], as PyTorch's
    /// <c>BCEWithLogitsLoss</c> (stable for any z).</summary>
    public static Var BceWithLogitsLoss(Var logits, Var target)
    {
        var z = logits;
        var t = target;
        if (!z.Shape.SequenceEqual(t.Shape)) throw new ArgumentException($"logits {Tensor.Describe(z.Shape)} and targets {Tensor.Describe(t.Shape)} differ");
        var zv = z.Value.Span;
        var tv = t.Value.Span;
        var terms = new double[zv.Length];
        for (var i = 0; i < terms.Length; i++) terms[i] = Math.Max(zv[i], 0) - zv[i] * tv[i] + Math.Log(1 + Math.Exp(-Math.Abs(zv[i])));
        var zs = z.Value.Array;
        var ts = t.Value.Array;
        var loss = z.Tape.Record(Tensor.Own(terms, z.Value.ShapeArray), [z, t], (g, grads) =>
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
        var pick = new double[n * c];
        for (var i = 0; i < n; i++)
        {
            if ((uint)labels[i] >= (uint)c) throw new ArgumentException($"label {labels[i]} of row {i} is outside [0, {c})", nameof(labels));
            pick[i * c + labels[i]] = -1.0 / n;
        }
        return Sum(Mul(LogSoftmax(logits), logits.Tape.Constant(Tensor.Own(pick, [n, c]))));
    }

    // ---- internals -----------------------------------------------------------------------------------------------------------

    private static double SigmoidOf(double x)
    {
        if (x >= 0) return 1 / (1 + Math.Exp(-x));
        var e = Math.Exp(x);
        return e / (1 + e);
    }

    private static void SoftmaxRow(ReadOnlySpan<double> x, Span<double> y)
    {
        var max = double.NegativeInfinity;
        foreach (var v in x) max = Math.Max(max, v);
        for (var j = 0; j < x.Length; j++) y[j] = Math.Exp(x[j] - max);
        var sum = Reduce.Sum(y);
        TensorPrimitives.Divide(y, sum, y);
    }

    private static void LogSoftmaxRow(ReadOnlySpan<double> x, Span<double> y)
    {
        var max = double.NegativeInfinity;
        foreach (var v in x) max = Math.Max(max, v);
        for (var j = 0; j < x.Length; j++) y[j] = Math.Exp(x[j] - max);
        var log = Math.Log(Reduce.Sum(y)) + max;
        TensorPrimitives.Subtract(x, log, y);
    }

    private static Var Unary(Var a, Func<double, double> f, Func<double, double, double, double> derivative)
    {
        var x = a.Value.Array;
        var y = new double[x.Length];
        for (var i = 0; i < y.Length; i++) y[i] = f(x[i]);
        return a.Tape.Record(Tensor.Own(y, a.Value.ShapeArray), [a], (g, grads) =>
        {
            var ga = grads[0]!;
            for (var i = 0; i < ga.Length; i++) ga[i] += derivative(x[i], y[i], g[i]);
        });
    }

    private static Var Binary(Var a, Var b, Func<double, double, double> f,
        Func<double, double, double, double> da, Func<double, double, double, double> db)
    {
        var x = a.Value.Array;
        var z = b.Value.Array;
        if (a.Shape.SequenceEqual(b.Shape))
        {
            var y = new double[x.Length];
            for (var i = 0; i < y.Length; i++) y[i] = f(x[i], z[i]);
            return a.Tape.Record(Tensor.Own(y, a.Value.ShapeArray), [a, b], (g, grads) =>
            {
                if (grads[0] is { } ga) for (var i = 0; i < g.Length; i++) ga[i] += da(x[i], z[i], g[i]);
                if (grads[1] is { } gb) for (var i = 0; i < g.Length; i++) gb[i] += db(x[i], z[i], g[i]);
            });
        }
        var (shape, ia, ib) = Broadcast(a.Value.ShapeArray, b.Value.ShapeArray);
        var output = new double[ia.Length];
        for (var i = 0; i < output.Length; i++) output[i] = f(x[ia[i]], z[ib[i]]);
        return a.Tape.Record(Tensor.Own(output, shape), [a, b], (g, grads) =>
        {
            // Output elements in ascending order add into their sources: a fixed order for every broadcast element.
            if (grads[0] is { } ga) for (var i = 0; i < g.Length; i++) ga[ia[i]] += da(x[ia[i]], z[ib[i]], g[i]);
            if (grads[1] is { } gb) for (var i = 0; i < g.Length; i++) gb[ib[i]] += db(x[ia[i]], z[ib[i]], g[i]);
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

    private static Var Segment(Var a, IReadOnlyList<int> segment, int count, bool mean)
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
        var y = new double[count * inner];
        var x = a.Value.Span;
        for (var i = 0; i < n; i++)
        {
            var dst = y.AsSpan(seg[i] * inner, inner);
            TensorPrimitives.Add(dst, x.Slice(i * inner, inner), dst);
        }
        if (mean)
            for (var s = 0; s < count; s++)
                if (sizes[s] > 0) TensorPrimitives.Divide(y.AsSpan(s * inner, inner), sizes[s], y.AsSpan(s * inner, inner));
        var shape = (int[])a.Value.ShapeArray.Clone();
        shape[0] = count;
        return a.Tape.Record(Tensor.Own(y, shape), [a], (g, grads) =>
        {
            var ga = grads[0]!.AsSpan();
            for (var i = 0; i < n; i++)
            {
                var dst = ga.Slice(i * inner, inner);
                var src = g.AsSpan(seg[i] * inner, inner);
                if (mean) TensorPrimitives.MultiplyAdd(src, 1.0 / sizes[seg[i]], dst, dst);
                else TensorPrimitives.Add(dst, src, dst);
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
