using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;

namespace Pure.Materials.Properties;

/// <summary>Every differentiable operation's analytic gradient equals central finite differences, in float64 and in float32, on
/// random shapes and values; and the matrix product sums in one fixed order.</summary>
/// <remarks>Check: L = sum(op(inputs) * w) for random weights w; for each input element, (L(x + h) - L(x - h)) / 2h with
/// h = 1e-5, computed in float64, against the tape's gradient. Float64 tape: within 1e-6 (1 + |gradient|). The finite
/// difference's own error is about h² |L'''| + eps |L| / h, near 1e-10 for these magnitudes, so the tolerance is four orders
/// above its noise. Float32 tape (every input, and w, rounded to float32 first; the finite differences of the float64 function
/// at those same values): within 1e-4 (1 + |gradient|), and its values within 1e-5 (1 + |value|) of float64's. Float32 rounds each operation at u = 6e-8 relative; a gradient entry
/// here passes through at most a few tens of operations on values of order 1-10 (sums of at most 6 terms, softmax rows of 5),
/// so its error is at most a few hundred u, about 1e-5 (1 + |gradient|); a wrong derivative (even a 0.1% error in one
/// factor) is off by more than 1e-4. Inputs of operations with a kink (ReLU, |x|, Huber) keep a margin of 0.05 from it (h is
/// 1e-5, float32 rounding 1e-7).</remarks>
[Properties(MaxTest = 60)]
public class AutodiffProperties
{
    private const double H = 1e-5;
    private const double Tolerance = 1e-6;
    private const double Float32Tolerance = 1e-4;

    /// <summary>Uniform values in [lo, hi], kept at least <paramref name="margin"/> from every point of <paramref name="kinks"/>.</summary>
    private static Tensor Values(ref RngCursor rng, int[] shape, double lo = -2, double hi = 2, double margin = 0, params double[] kinks)
    {
        var n = shape.Aggregate(1, (a, b) => a * b);
        var v = new double[n];
        for (var i = 0; i < n; i++)
        {
            double x;
            do x = lo + (hi - lo) * rng.NextDouble();
            while (kinks.Any(k => Math.Abs(x - k) < margin));
            v[i] = x;
        }
        return Tensor.From(v, shape);
    }

    /// <summary>True when the tape's gradient of sum(f(inputs) * w) equals central differences for every input element, on a
    /// float64 tape (within <see cref="Tolerance"/>) and on a float32 tape from the inputs rounded to float32 (within
    /// <see cref="Float32Tolerance"/>).</summary>
    private static bool GradientsMatch(Func<Tape, Var[], Var> f, Tensor[] inputs, long seed, bool[]? differentiate = null) =>
        GradientsMatchIn(DType.Float64, f, inputs, seed, differentiate)
        && GradientsMatchIn(DType.Float32, f, inputs.Select(t => t.To(DType.Float32).To(DType.Float64)).ToArray(), seed, differentiate);

    private static bool GradientsMatchIn(DType dtype, Func<Tape, Var[], Var> f, Tensor[] inputs, long seed, bool[]? differentiate)
    {
        var tape = new Tape();
        var vars = inputs.Select((t, i) => differentiate is null || differentiate[i] ? tape.Parameter(t.To(dtype)) : tape.Constant(t.To(dtype))).ToArray();
        var output = f(tape, vars);
        if (output.DType != dtype) return false;
        if (dtype == DType.Float32)
        {
            // The float32 values themselves: within 1e-5 (1 + |y|) of the float64 operation at the same inputs (a few roundings at
            // 6e-8 each), so a float32 forward pass cannot be wrong while its gradient is right.
            var t64 = new Tape();
            var y64 = f(t64, inputs.Select(t64.Constant).ToArray()).Value.ToArray();
            var y32 = output.Value.ToArray();
            for (var i = 0; i < y64.Length; i++)
                if (!(Math.Abs(y32[i] - y64[i]) <= 1e-5 * (1 + Math.Abs(y64[i])))) return false;
        }
        var cursor = new RngCursor(Rng.FromSeed(seed ^ 0x5EED));
        var w = Values(ref cursor, [.. output.Shape]).To(DType.Float32).To(DType.Float64); // float32-representable
        var loss = Ops.Sum(Ops.Mul(output, tape.Constant(w.To(dtype))));
        var grads = tape.Backward(loss);
        var tolerance = dtype == DType.Float64 ? Tolerance : Float32Tolerance;

        double Loss(Tensor[] at)
        {
            var t = new Tape();
            var o = f(t, at.Select(t.Constant).ToArray());
            var ov = o.Value.Span;
            var total = 0.0;
            for (var i = 0; i < ov.Length; i++) total += ov[i] * w.Span[i];
            return total;
        }

        for (var q = 0; q < inputs.Length; q++)
        {
            if (differentiate is not null && !differentiate[q]) continue;
            var gradient = grads.Of(vars[q]);
            if (gradient.DType != dtype) return false;
            var analytic = gradient.ToArray();
            for (var e = 0; e < inputs[q].Length; e++)
            {
                var plus = Perturb(inputs, q, e, H);
                var minus = Perturb(inputs, q, e, -H);
                var numeric = (Loss(plus) - Loss(minus)) / (2 * H);
                if (!(Math.Abs(analytic[e] - numeric) <= tolerance * (1 + Math.Abs(analytic[e])))) return false;
            }
        }
        return true;
    }

    private static Tensor[] Perturb(Tensor[] inputs, int q, int e, double h)
    {
        var copy = (Tensor[])inputs.Clone();
        var values = inputs[q].ToArray();
        values[e] += h;
        copy[q] = Tensor.From(values, [.. inputs[q].Shape]);
        return copy;
    }

    /// <summary>Small random dimensions: rows 1..4, columns 1..5.</summary>
    private static (int Rows, int Cols, RngCursor Rng) Dims(RngSeed seed)
    {
        var rng = new RngCursor(seed.Rng);
        var rows = 1 + rng.NextInt(4);
        var cols = 1 + rng.NextInt(5);
        return (rows, cols, rng);
    }

    private static Property Unary(RngSeed seed, Func<Var, Var> op, double lo = -2, double hi = 2, double margin = 0, params double[] kinks)
    {
        var (r, c, rng) = Dims(seed);
        var x = Values(ref rng, [r, c], lo, hi, margin, kinks);
        return GradientsMatch((_, v) => op(v[0]), [x], seed.Value).ToProperty();
    }

    /// <summary>Binary operations on equal shapes, and broadcast against a row vector (c), a column (r, 1) and a scalar.</summary>
    private static Property Binary(RngSeed seed, Func<Var, Var, Var> op, double lo = -2, double hi = 2, double margin = 0, params double[] kinks)
    {
        var (r, c, rng) = Dims(seed);
        var x = Values(ref rng, [r, c]);
        var ok = true;
        foreach (var shape in new[] { new[] { r, c }, new[] { c }, new[] { r, 1 }, Array.Empty<int>() })
        {
            var y = Values(ref rng, shape, lo, hi, margin, kinks);
            ok &= GradientsMatch((_, v) => op(v[0], v[1]), [x, y], seed.Value);
            ok &= GradientsMatch((_, v) => op(v[1], v[0]), [y, x], seed.Value) || op == Ops.Div; // Div's numerator side is checked below
        }
        return ok.ToProperty();
    }

    [Property] public Property Add_Gradient(RngSeed seed) => Binary(seed, Ops.Add);
    [Property] public Property Sub_Gradient(RngSeed seed) => Binary(seed, Ops.Sub);
    [Property] public Property Mul_Gradient(RngSeed seed) => Binary(seed, Ops.Mul);

    [Property]
    public Property Div_Gradient(RngSeed seed)
    {
        // Denominators in [0.5, 2] with either sign: away from the pole.
        var (r, c, rng) = Dims(seed);
        var x = Values(ref rng, [r, c]);
        var ok = true;
        foreach (var shape in new[] { new[] { r, c }, new[] { c }, new[] { r, 1 } })
        {
            var y = Values(ref rng, shape, -2, 2, 0.5, 0);
            ok &= GradientsMatch((_, v) => Ops.Div(v[0], v[1]), [x, y], seed.Value);
            var z = Values(ref rng, [r, c], -2, 2, 0.5, 0);
            ok &= GradientsMatch((_, v) => Ops.Div(v[0], v[1]), [Values(ref rng, shape), z], seed.Value);
        }
        return ok.ToProperty();
    }

    [Property] public Property Scale_Gradient(RngSeed seed) => Unary(seed, v => Ops.Scale(v, -1.75));
    [Property] public Property Relu_Gradient(RngSeed seed) => Unary(seed, Ops.Relu, margin: 0.05, kinks: 0);

    [Property]
    public Property BiasActivation_Gradient(RngSeed seed)
    {
        // act(x + b) for each activation; x + b kept 0.05 from ReLU's kink.
        var (r, c, rng) = Dims(seed);
        var bias = Values(ref rng, [c]);
        var sums = Values(ref rng, [r, c], -2, 2, 0.05, 0).ToArray();
        var x = Tensor.From(sums.Select((v, i) => v - bias.Span[i % c]).ToArray(), r, c);
        var ok = true;
        foreach (var act in new[] { Activation.Relu, Activation.Tanh, Activation.Sigmoid, Activation.Identity })
            ok &= GradientsMatch((_, v) => Ops.BiasActivation(v[0], v[1], act), [x, bias], seed.Value);
        return ok.ToProperty();
    }
    [Property] public Property Tanh_Gradient(RngSeed seed) => Unary(seed, Ops.Tanh);
    [Property] public Property Sigmoid_Gradient(RngSeed seed) => Unary(seed, Ops.Sigmoid, -8, 8);
    [Property] public Property Softplus_Gradient(RngSeed seed) => Unary(seed, Ops.Softplus, -8, 8);
    [Property] public Property Exp_Gradient(RngSeed seed) => Unary(seed, Ops.Exp);
    [Property] public Property Log_Gradient(RngSeed seed) => Unary(seed, Ops.Log, 0.3, 4);
    [Property] public Property Sum_Gradient(RngSeed seed) => Unary(seed, Ops.Sum);
    [Property] public Property Mean_Gradient(RngSeed seed) => Unary(seed, Ops.Mean);
    [Property] public Property SumRows_Gradient(RngSeed seed) => Unary(seed, Ops.SumRows);
    [Property] public Property Transpose_Gradient(RngSeed seed) => Unary(seed, Ops.Transpose);
    [Property] public Property Softmax_Gradient(RngSeed seed) => Unary(seed, Ops.Softmax, -4, 4);
    [Property] public Property LogSoftmax_Gradient(RngSeed seed) => Unary(seed, Ops.LogSoftmax, -4, 4);

    [Property]
    public Property MatMul_Gradient(RngSeed seed)
    {
        var (m, k, rng) = Dims(seed);
        var n = 1 + rng.NextInt(4);
        var a = Values(ref rng, [m, k]);
        var b = Values(ref rng, [k, n]);
        return GradientsMatch((_, v) => Ops.MatMul(v[0], v[1]), [a, b], seed.Value).ToProperty();
    }

    [Property]
    public Property Concat_And_Split_Gradients(RngSeed seed)
    {
        var (r, c, rng) = Dims(seed);
        var c2 = 1 + rng.NextInt(3);
        var a = Values(ref rng, [r, c]);
        var b = Values(ref rng, [r, c2]);
        var d = Values(ref rng, [2, c]);
        var joined = GradientsMatch((_, v) => Ops.Concat([v[0], v[1]], 1), [a, b], seed.Value)
            && GradientsMatch((_, v) => Ops.Concat([v[0], v[1]], 0), [a, d], seed.Value);
        // Split, then use the parts unevenly so each part's gradient differs.
        var split = GradientsMatch((_, v) =>
        {
            var parts = Ops.Split(v[0], [c, c2], 1);
            return Ops.Concat([Ops.Scale(parts[1], 3), Ops.Tanh(parts[0])], 1);
        }, [Tensor.From(Joined(a, b, r, c, c2), [r, c + c2])], seed.Value);
        return (joined && split).ToProperty();
    }

    private static double[] Joined(Tensor a, Tensor b, int r, int c, int c2)
    {
        var v = new double[r * (c + c2)];
        for (var i = 0; i < r; i++)
        {
            a.Span.Slice(i * c, c).CopyTo(v.AsSpan(i * (c + c2)));
            b.Span.Slice(i * c2, c2).CopyTo(v.AsSpan(i * (c + c2) + c));
        }
        return v;
    }

    [Property]
    public Property Gather_Gradient_WithRepeatedRows(RngSeed seed)
    {
        var (r, c, rng) = Dims(seed);
        var index = Enumerable.Range(0, 1 + rng.NextInt(6)).Select(_ => rng.NextInt(r)).ToArray();
        var a = Values(ref rng, [r, c]);
        return GradientsMatch((_, v) => Ops.Gather(v[0], index), [a], seed.Value).ToProperty();
    }

    [Property]
    public Property SegmentSum_And_SegmentMean_Gradients_WithEmptySegments(RngSeed seed)
    {
        var (r, c, rng) = Dims(seed);
        var count = 1 + rng.NextInt(4);
        var segment = Enumerable.Range(0, r).Select(_ => rng.NextInt(count)).ToArray();
        var a = Values(ref rng, [r, c]);
        return (GradientsMatch((_, v) => Ops.SegmentSum(v[0], segment, count), [a], seed.Value)
            && GradientsMatch((_, v) => Ops.SegmentMean(v[0], segment, count), [a], seed.Value)).ToProperty();
    }

    [Property]
    public Property BatchNormTrain_Gradient_OfInputScaleAndShift(RngSeed seed)
    {
        var (r, c, rng) = Dims(seed);
        var rows = r + 1; // at least two rows: with one, every normalised value is 0 and the input's gradient is 0 too
        // Each column's standard deviation at least 0.2: the gradient scales as 1/std and float32's error in x - mean as |x| u / std,
        // so a near-constant column would measure the conditioning, not the derivative (as a kink's margin keeps h off the kink).
        Tensor x;
        do x = Values(ref rng, [rows, c]);
        while (Enumerable.Range(0, c).Any(j =>
        {
            var col = Enumerable.Range(0, rows).Select(i => x[i, j]).ToArray();
            var m = col.Average();
            return Math.Sqrt(col.Sum(v => (v - m) * (v - m)) / rows) < 0.2;
        }));
        var gamma = Values(ref rng, [c], 0.5, 2);
        var beta = Values(ref rng, [c]);
        return GradientsMatch((_, v) => Ops.BatchNormTrain(v[0], v[1], v[2]).Output, [x, gamma, beta], seed.Value).ToProperty();
    }

    [Property]
    public Property BatchNormEval_Gradient(RngSeed seed)
    {
        var (r, c, rng) = Dims(seed);
        var mean = Values(ref rng, [c]);
        var variance = Values(ref rng, [c], 0.1, 3);
        var x = Values(ref rng, [r, c]);
        var gamma = Values(ref rng, [c], 0.5, 2);
        var beta = Values(ref rng, [c]);
        return GradientsMatch((_, v) => Ops.BatchNormEval(v[0], v[1], v[2], mean, variance), [x, gamma, beta], seed.Value).ToProperty();
    }

    [Property]
    public Property Dropout_Gradient_IsTheMask_AndTheSeedFixesIt(RngSeed seed)
    {
        var (r, c, rng) = Dims(seed);
        var x = Values(ref rng, [r, c]);
        var stream = Rng.FromSeed(seed.Value + 1);
        var sameMask = Ops.Dropout(new Tape().Constant(x), 0.3, stream, true).Output.Value.Equals(Ops.Dropout(new Tape().Constant(x), 0.3, stream, true).Output.Value);
        var eval = Ops.Dropout(new Tape().Constant(x), 0.3, stream, false).Output.Value.Equals(x);
        return (sameMask && eval && GradientsMatch((_, v) => Ops.Dropout(v[0], 0.3, stream, true).Output, [x], seed.Value)).ToProperty();
    }

    [Property]
    public Property Losses_Gradients(RngSeed seed)
    {
        var (r, c, rng) = Dims(seed);
        var target = Values(ref rng, [r, c]);
        // Predictions kept 0.05 away from the target (|d| kink) and from target +- delta (Huber's switch).
        double[] Away(ref RngCursor g, double[] kinksOffsets)
        {
            var p = new double[target.Length];
            for (var i = 0; i < p.Length; i++)
            {
                double d;
                do d = -3 + 6 * g.NextDouble();
                while (kinksOffsets.Any(k => Math.Abs(d - k) < 0.05));
                p[i] = target.Span[i] + d;
            }
            return p;
        }
        var pred = Tensor.From(Away(ref rng, [0, 0.8, -0.8]), r, c);
        var labels01 = Tensor.From(Enumerable.Range(0, r * c).Select(_ => rng.NextDouble()).ToArray(), r, c);
        var labels = Enumerable.Range(0, r).Select(_ => rng.NextInt(c)).ToArray();
        return (GradientsMatch((_, v) => Ops.MseLoss(v[0], v[1]), [pred, target], seed.Value)
            && GradientsMatch((_, v) => Ops.MaeLoss(v[0], v[1]), [pred, target], seed.Value)
            && GradientsMatch((_, v) => Ops.HuberLoss(v[0], v[1], 0.8), [pred, target], seed.Value)
            && GradientsMatch((_, v) => Ops.BceWithLogitsLoss(v[0], v[1]), [pred, labels01], seed.Value)
            && GradientsMatch((_, v) => Ops.CrossEntropyLoss(v[0], labels), [pred], seed.Value)).ToProperty();
    }

    /// <summary>Cast float64 -> float32 -> float64 around a float32 operation: the value is the float32 computation's, and the
    /// gradient reaching the float64 input is the float32 gradient widened (exactly); float32 -> float64 -> float32 rounds the
    /// float64 gradient once. Checked value by value against the hand-computed float32 arithmetic, and mixed inputs are refused.</summary>
    [Property]
    public Property Cast_ConvertsValuesAndGradients_AndMixedTypesAreRefused(RngSeed seed)
    {
        var (r, c, rng) = Dims(seed);
        var x = Values(ref rng, [r, c]);
        var w = Values(ref rng, [r, c]);
        var tape = new Tape();
        var px = tape.Parameter(x);
        var y = Ops.Cast(Ops.Scale(Ops.Cast(px, DType.Float32), 3), DType.Float64);
        var g = tape.Backward(Ops.Sum(Ops.Mul(y, tape.Constant(w)))).Of(px);
        var ok = y.DType == DType.Float64 && g.DType == DType.Float64;
        for (var i = 0; i < x.Length; i++)
        {
            ok &= y.Value.Span[i] == (double)(3f * (float)x.Span[i]);
            ok &= g.Span[i] == (double)(3f * (float)w.Span[i]); // d/dx of sum(w * 3 x), the weight rounded when it enters float32
        }
        var tape2 = new Tape();
        var px32 = tape2.Parameter(x.To(DType.Float32));
        var g32 = tape2.Backward(Ops.Sum(Ops.Mul(Ops.Cast(px32, DType.Float64), tape2.Constant(w)))).Of(px32);
        for (var i = 0; i < x.Length; i++) ok &= g32.Float32Span[i] == (float)w.Span[i];
        var refused = false;
        try { Ops.Add(tape2.Constant(x), px32); }
        catch (ArgumentException) { refused = true; }
        return (ok && refused).ToProperty();
    }

    [Property]
    public Property MatMul_SumsEachElementInAscendingOrder_AtAnySize(RngSeed seed)
    {
        // Sizes large enough for the parallel path; each element must equal the ascending scalar sum bit for bit.
        var rng = new RngCursor(seed.Rng);
        int m = 1 + rng.NextInt(70), k = 1 + rng.NextInt(90), n = 1 + rng.NextInt(300);
        var a = Values(ref rng, [m, k]);
        var b = Values(ref rng, [k, n]);
        var tape = new Tape();
        var c = Ops.MatMul(tape.Constant(a), tape.Constant(b)).Value;
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var p = 0; p < k; p++) sum += a[i, p] * b[p, j];
                if (BitConverter.DoubleToInt64Bits(sum) != BitConverter.DoubleToInt64Bits(c[i, j])) return false.ToProperty();
            }
        return true.ToProperty();
    }

    [Property]
    public Property Gemm_TransposedAndFloat32_SumsEachElementInAscendingOrder(RngSeed seed)
    {
        // k up to 600 crosses the 256-value packing blocks; C starts non-zero (C += op(A) op(B) continues from it); either operand
        // transposed; n = 1 and m = 1 take the transposed and one-row paths.
        var rng = new RngCursor(seed.Rng);
        int m = 1 + rng.NextInt(40), k = 1 + rng.NextInt(600), n = rng.NextInt(4) == 0 ? 1 : 1 + rng.NextInt(70);
        bool ta = rng.NextInt(2) == 0, tb = rng.NextInt(2) == 0;
        var a = Values(ref rng, [m * k]).ToArray();
        var b = Values(ref rng, [k * n]).ToArray();
        var c0 = Values(ref rng, [m * n]).ToArray();
        double A(int i, int p) => ta ? a[p * m + i] : a[i * k + p];
        double B(int p, int j) => tb ? b[j * k + p] : b[p * n + j];
        var c = (double[])c0.Clone();
        Gemm.MultiplyAdd(a, ta, b, tb, c, m, k, n);
        float[] F(double[] v) => v.Select(d => (float)d).ToArray();
        var (af, bf, cf) = (F(a), F(b), F(c0));
        Gemm.MultiplyAdd(af, ta, bf, tb, cf, m, k, n);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = c0[i * n + j];
                var sumF = (float)c0[i * n + j];
                for (var p = 0; p < k; p++)
                {
                    sum += A(i, p) * B(p, j);
                    sumF += (float)A(i, p) * (float)B(p, j);
                }
                if (BitConverter.DoubleToInt64Bits(sum) != BitConverter.DoubleToInt64Bits(c[i * n + j])
                    || BitConverter.SingleToInt32Bits(sumF) != BitConverter.SingleToInt32Bits(cf[i * n + j])) return false.ToProperty();
            }
        return true.ToProperty();
    }

    /// <summary>The float32 dense-network step (the MLP's dtype=float32) against central differences of the float64 objective at the
    /// same float32-representable weights. Smooth activations and the squared loss (no kink for h to straddle). Tolerance
    /// 1e-4 (1 + |gradient|), looser than float64's 1e-6 on purpose: float32 rounds each operation at u = 6e-8, and a gradient
    /// entry here is a sum of up to 16 x 12 products through three layers, so its rounding error is up to a few hundred u of
    /// its terms' size, about 1e-5; a wrong derivative is off by far more.</summary>
    [Property]
    public Property DenseNetworkFloat32_Gradients_MatchCentralDifferences(RngSeed seed)
    {
        var rng = new RngCursor(seed.Rng);
        int[] sizes = [1 + rng.NextInt(12), 1 + rng.NextInt(12), 1 + rng.NextInt(8), 1];
        var act = new[] { Activation.Tanh, Activation.Sigmoid, Activation.Identity }[rng.NextInt(3)];
        var n = 1 + rng.NextInt(16);
        var alpha = rng.NextInt(2) == 0 ? 0.0 : 0.01;
        double[] Draw(ref RngCursor r, int count, double scale) => Values(ref r, [count], -scale, scale).ToArray().Select(d => (double)(float)d).ToArray();
        var w = new double[3][];
        var b = new double[3][];
        for (var l = 0; l < 3; l++)
        {
            w[l] = Draw(ref rng, sizes[l] * sizes[l + 1], 0.8);
            b[l] = Draw(ref rng, sizes[l + 1], 0.3);
        }
        var x = Draw(ref rng, n * sizes[0], 2);
        var y = Draw(ref rng, n, 2);
        float[] F(double[] v) => v.Select(d => (float)d).ToArray();
        var net32 = new DenseNetwork<float>(sizes, act, w.Select(F).ToArray(), b.Select(F).ToArray());
        net32.Step(F(x), F(y), n, DenseLoss.HalfSquared, 1, alpha, 0, Rng.FromSeed(0));
        double Loss()
        {
            var net = new DenseNetwork<double>(sizes, act, w, b);
            return net.Step(x, y, n, DenseLoss.HalfSquared, 1, alpha, 0, Rng.FromSeed(0)).Loss;
        }
        float[][] analytic = [.. net32.WeightGradients, .. net32.BiasGradients];
        double[][] parameters = [.. w, .. b];
        for (var q = 0; q < parameters.Length; q++)
            for (var i = 0; i < parameters[q].Length; i++)
            {
                var keep = parameters[q][i];
                parameters[q][i] = keep + H;
                var up = Loss();
                parameters[q][i] = keep - H;
                var down = Loss();
                parameters[q][i] = keep;
                var numeric = (up - down) / (2 * H);
                if (Math.Abs(numeric - analytic[q][i]) > 1e-4 * (1 + Math.Abs(numeric))) return false.ToProperty();
            }
        return true.ToProperty();
    }
}
