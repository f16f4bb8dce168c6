using System.Numerics;

namespace Pure.Materials.Core.Autodiff;

/// <summary>The data term of <see cref="DenseNetwork{T}"/>'s objective.</summary>
internal enum DenseLoss
{
    /// <summary>(1/2) mean (ŷ - y)².</summary>
    HalfSquared,
    /// <summary>mean Huber(ŷ - y), as <see cref="Ops.HuberLoss"/>.</summary>
    Huber,
    /// <summary>mean |ŷ - y|, as <see cref="Ops.MaeLoss"/>.</summary>
    Absolute,
    /// <summary>Binary cross-entropy of one logit per row against targets in {0, 1}, as <see cref="Ops.BceWithLogitsLoss"/>.</summary>
    Logistic,
    /// <summary>Cross-entropy of K logits per row against a class index (the target's value, 0..K-1), as
    /// <see cref="Ops.CrossEntropyLoss"/>.</summary>
    Softmax,
}

/// <summary>One mini-batch step of a stack of dense layers (x W + b, activation, inverted dropout; a linear output layer of one
/// unit, or K logits for the softmax loss) in float64 or float32: the loss and the gradients of every weight and bias, in
/// buffers kept from one step to the next.</summary>
/// <remarks>
/// It computes what the tape computes for <c>Ops.BiasActivation(Ops.MatMul(h, W), b, act)</c>, <c>Ops.Dropout</c>, the output
/// <c>Ops.Add(Ops.MatMul(h, W), b)</c>, the loss (<c>Ops.Scale(Ops.MseLoss(ŷ, y), 0.5)</c>, <c>Ops.HuberLoss</c>,
/// <c>Ops.MaeLoss</c>, <c>Ops.BceWithLogitsLoss</c> or <c>Ops.CrossEntropyLoss</c>) and the penalty alpha / (2 n) Σ_l Σ W_l²,
/// operation by operation in the tape's order (products from <see cref="Gemm"/>, each accumulator's additions in the order
/// <see cref="Tape.Backward"/> makes them), so its gradients equal the tape's bit for bit in float64 and in float32 (tested), and
/// so does its loss for the regression losses in float64. The loss value is summed in float64 from T terms (it only reports;
/// the float32 tape sums in float32, so in float32 the two agree within its rounding), and for the softmax loss it is the mean
/// of -log-softmax at the labels (the classifier reports scikit-learn's clipped log-loss from <see cref="Output"/> instead).
/// Without a tape there is no per-operation bookkeeping and no allocation per step. This is the MLP's training step (regressor
/// and classifier). With <see cref="DenseBatchNorm{T}"/> each hidden layer is instead the tape's <c>Ops.Add(Ops.MatMul(h, W), b)</c>,
/// <c>Ops.BatchNormTrain</c> (the same kernels, <c>Ops.BatchNormForward</c> and <c>Ops.BatchNormBackward</c>), then the activation
/// and dropout, again equal to the tape bit for bit in float64 and float32 (tested), and each step updates the running statistics.
/// </remarks>
internal sealed class DenseNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _sizes;
    private readonly Activation _activation;
    private readonly int _layers;
    private int _rows = -1;
    private T[][] _pre = [], _act = [], _out = [], _mask = [], _grad = [], _gradIn = [];
    private T[][] _bnOut = [], _xhat = [], _centred = [];
    private double[] _squares = [];

    /// <summary>A network of the given layer widths (input first, 1 last).</summary>
    /// <param name="sizes">Layer widths, input first.</param>
    /// <param name="activation">The hidden layers' activation.</param>
    /// <param name="weights">Per layer, (fan_in, fan_out) row-major.</param>
    /// <param name="biases">Per layer, fan_out values.</param>
    /// <param name="batchNorm">Batch normalisation of every hidden layer (null: none), updated in place: gamma and beta by the
    /// caller's optimiser from <see cref="GammaGradients"/> and <see cref="BetaGradients"/>, the running statistics by each
    /// <see cref="Step"/>.</param>
    public DenseNetwork(int[] sizes, Activation activation, T[][] weights, T[][] biases, DenseBatchNorm<T>? batchNorm = null)
    {
        _sizes = sizes;
        _activation = activation;
        _layers = sizes.Length - 1;
        Weights = weights;
        Biases = biases;
        WeightGradients = weights.Select(w => new T[w.Length]).ToArray();
        BiasGradients = biases.Select(b => new T[b.Length]).ToArray();
        BatchNorm = batchNorm;
        GammaGradients = batchNorm?.Gamma.Select(g => new T[g.Length]).ToArray() ?? [];
        BetaGradients = batchNorm?.Beta.Select(g => new T[g.Length]).ToArray() ?? [];
        if (batchNorm is { } bn)
        {
            _mean = bn.Gamma.Select(g => new T[g.Length]).ToArray();
            _variance = bn.Gamma.Select(g => new T[g.Length]).ToArray();
            _unbiased = bn.Gamma.Select(g => new T[g.Length]).ToArray();
            _invStd = bn.Gamma.Select(g => new T[g.Length]).ToArray();
        }
    }

    private readonly T[][] _mean = [], _variance = [], _unbiased = [], _invStd = [];

    /// <summary>The hidden layers' batch normalisation (null without it).</summary>
    public DenseBatchNorm<T>? BatchNorm { get; }

    /// <summary>The last step's d loss / d gamma, per hidden layer (empty without batch norm).</summary>
    public T[][] GammaGradients { get; }

    /// <summary>The last step's d loss / d beta, per hidden layer (empty without batch norm).</summary>
    public T[][] BetaGradients { get; }

    /// <summary>Per layer, (fan_in, fan_out) row-major; updated in place by the caller's optimiser.</summary>
    public T[][] Weights { get; }

    /// <summary>Per layer, fan_out values.</summary>
    public T[][] Biases { get; }

    /// <summary>The last step's d loss / d W, per layer.</summary>
    public T[][] WeightGradients { get; }

    /// <summary>The last step's d loss / d b, per layer.</summary>
    public T[][] BiasGradients { get; }

    /// <summary>The last step's penalty term alpha / (2 n) Σ_l Σ W_l² (0 without alpha), the tape's <c>Ops.Scale</c> value in float64.</summary>
    public double Penalty { get; private set; }

    /// <summary>The last step's output layer (pre-activation), (n, outputs) row-major.</summary>
    public ReadOnlySpan<T> Output => _act[_layers - 1].AsSpan(0, _lastRows * _sizes[_layers]);

    private int _lastRows;

    /// <summary>Forward and backward pass of one mini-batch; fills <see cref="WeightGradients"/> and <see cref="BiasGradients"/>.</summary>
    /// <param name="x">The batch's rows, (n, fan_in of layer 0) row-major.</param>
    /// <param name="target">n targets: values, 0 or 1 (<see cref="DenseLoss.Logistic"/>), or class indices
    /// (<see cref="DenseLoss.Softmax"/>).</param>
    /// <param name="n">Rows in the batch.</param>
    /// <param name="loss">The data term.</param>
    /// <param name="huberDelta">Huber's threshold.</param>
    /// <param name="alpha">L2 strength (the penalty is alpha / (2 n) Σ ||W||²).</param>
    /// <param name="dropout">Drop probability of every hidden output (0: none).</param>
    /// <param name="rng">The dropout masks' stream (one uniform per hidden value, layer by layer, row-major).</param>
    /// <returns>The batch's objective (in float64) and the stream after the masks' draws.</returns>
    public (double Loss, Rng Next) Step(T[] x, T[] target, int n, DenseLoss loss, double huberDelta, double alpha, double dropout, Rng rng)
    {
        Allocate(n);
        _lastRows = n;
        var cursor = new RngCursor(rng);
        // ---- forward ----
        var h = x;
        for (var l = 0; l < _layers; l++)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            var z = _pre[l];
            Array.Clear(z, 0, n * fanOut);
            Gemm.MultiplyAdd(h, false, Weights[l], false, z, n, fanIn, fanOut);
            var bias = Biases[l];
            var y = _act[l];
            if (BatchNorm is { } bn && l < _layers - 1)
            {
                // The tape's Add(x W, b), BatchNormTrain, then the activation.
                for (var i = 0; i < n; i++) AddInto(z.AsSpan(i * fanOut, fanOut), bias);
                var normalised = _bnOut[l].AsSpan(0, n * fanOut);
                Ops.BatchNormForward<T>(z.AsSpan(0, n * fanOut), n, fanOut, bn.Gamma[l], bn.Beta[l], bn.Epsilon, _mean[l], _variance[l], _unbiased[l],
                    _invStd[l], _centred[l], _xhat[l], normalised);
                bn.UpdateRunning(l, _mean[l], _unbiased[l]);
                if (_activation == Activation.Relu) Relu(normalised, y.AsSpan(0, n * fanOut));
                else
                    for (var i = 0; i < n * fanOut; i++) y[i] = Activate(l, normalised[i]);
            }
            else
            {
                var relu = l < _layers - 1 && _activation == Activation.Relu;
                for (var i = 0; i < n; i++)
                {
                    var zi = z.AsSpan(i * fanOut, fanOut);
                    var yi = y.AsSpan(i * fanOut, fanOut);
                    if (relu) BiasRelu(zi, bias, yi);
                    else
                        for (var j = 0; j < fanOut; j++) yi[j] = Activate(l, zi[j] + bias[j]);
                }
            }
            if (l < _layers - 1 && dropout > 0)
            {
                var keep = T.CreateTruncating(1 / (1 - dropout));
                var mask = _mask[l];
                var o = _out[l];
                for (var i = 0; i < n * fanOut; i++)
                {
                    mask[i] = cursor.NextDouble() >= dropout ? keep : T.Zero;
                    o[i] = y[i] * mask[i];
                }
                h = o;
            }
            else h = y;
        }

        var prediction = h;
        var dOut = _grad[_layers - 1];
        var value = loss switch
        {
            DenseLoss.Logistic => Logistic(prediction, target, n, dOut),
            DenseLoss.Softmax => Softmax(prediction, target, n, dOut),
            _ => Regression(prediction, target, n, loss, huberDelta, dOut),
        };

        // ---- penalty: alpha / (2 n) Σ_l Sum(W_l * W_l); its gradient reaches each W first (the tape runs it last-made first) ----
        var c = alpha / (2.0 * n);
        Penalty = 0.0;
        if (alpha > 0)
        {
            var penalty = 0.0;
            for (var l = 0; l < _layers; l++)
            {
                var w = Weights[l];
                if (_squares.Length < w.Length) _squares = new double[w.Length];
                var sq = _squares.AsSpan(0, w.Length);
                for (var i = 0; i < w.Length; i++) sq[i] = double.CreateTruncating(w[i] * w[i]);
                var s = Reduce.Sum(sq);
                penalty = l == 0 ? s : penalty + s;
            }
            Penalty = c * penalty;
            value += Penalty;
        }
        var cT = T.CreateTruncating(c);
        for (var l = 0; l < _layers; l++)
        {
            var w = Weights[l];
            var gw = WeightGradients[l];
            if (alpha > 0) PenaltyGradient(w, cT, gw);
            else Array.Clear(gw);
        }

        // ---- backward, last layer first ----
        for (var l = _layers - 1; l >= 0; l--)
        {
            int fanIn = _sizes[l], fanOut = _sizes[l + 1];
            var g = _grad[l]; // d loss / d (this layer's output after activation and dropout)
            var d = _gradIn[l]; // d loss / d (x W + b)
            if (l == _layers - 1) Array.Copy(g, d, n * fanOut); // the output Add passes g on
            else
            {
                if (dropout > 0)
                {
                    var mask = _mask[l];
                    for (var i = 0; i < n * fanOut; i++) g[i] = T.Zero + g[i] * mask[i];
                }
                var y = _act[l];
                if (_activation == Activation.Relu) ReluBackward(y.AsSpan(0, n * fanOut), g, d);
                else
                    for (var i = 0; i < n * fanOut; i++) d[i] = T.Zero + Derivative(y[i], g[i]);
                if (BatchNorm is { } bn)
                {
                    // d is d loss / d (batch norm's output); BatchNormTrain's rule gives d loss / d (x W + b) into a zeroed accumulator,
                    // which Add passes on to the product and (summed over rows) the bias.
                    var gz = _pre[l].AsSpan(0, n * fanOut); // x W + b is no longer needed
                    gz.Clear();
                    Array.Clear(GammaGradients[l]);
                    Array.Clear(BetaGradients[l]);
                    Ops.BatchNormBackward<T>(d.AsSpan(0, n * fanOut), _xhat[l], bn.Gamma[l], _invStd[l], n, fanOut, GammaGradients[l], BetaGradients[l], gz);
                    gz.CopyTo(d);
                }
            }
            var gb = BiasGradients[l];
            Array.Clear(gb);
            for (var i = 0; i < n; i++) AddInto(gb, d.AsSpan(i * fanOut, fanOut)); // rows in ascending order
            var input = l == 0 ? x : dropout > 0 ? _out[l - 1] : _act[l - 1];
            if (l > 0)
            {
                var gPrev = _grad[l - 1];
                Array.Clear(gPrev, 0, n * fanIn);
                Gemm.MultiplyAdd(d, false, Weights[l], true, gPrev, n, fanOut, fanIn);
            }
            Gemm.MultiplyAdd(input, true, d, false, WeightGradients[l], fanIn, n, fanOut);
        }
        return (value, cursor.ToRng());
    }

    /// <summary>The regression losses on one output per row: the tape's Sub, the per-value terms, Mean (and Scale 0.5); fills
    /// d loss / d prediction.</summary>
    private static double Regression(T[] prediction, T[] target, int n, DenseLoss loss, double huberDelta, T[] dOut)
    {
        var terms = new double[n];
        var delta = T.CreateTruncating(huberDelta);
        for (var i = 0; i < n; i++)
        {
            var d = prediction[i] - target[i];
            terms[i] = double.CreateTruncating(loss switch
            {
                DenseLoss.Huber => T.Abs(d) <= delta ? T.CreateTruncating(0.5) * d * d : delta * (T.Abs(d) - T.CreateTruncating(0.5) * delta),
                DenseLoss.Absolute => T.Abs(d),
                _ => d * d,
            });
        }
        var value = Reduce.Sum(terms) / n;
        if (loss == DenseLoss.HalfSquared) value = 0.5 * value;
        // d loss / d prediction: Mean gives g / n to every term (g = 0.5 after Scale for the squared loss, else 1).
        var gm = T.CreateTruncating((loss == DenseLoss.HalfSquared ? 0.5 : 1.0) / n);
        for (var i = 0; i < n; i++)
        {
            var d = prediction[i] - target[i];
            var gd = loss switch
            {
                DenseLoss.Huber => T.Zero + (T.Abs(d) <= delta ? gm * d : gm * delta * T.CreateTruncating(Math.Sign(double.CreateTruncating(d)))),
                DenseLoss.Absolute => T.Zero + (d > T.Zero ? gm : d < T.Zero ? -gm : T.Zero),
                _ => T.Zero + gm * d + gm * d, // Mul(d, d): both inputs add g * d into one accumulator
            };
            dOut[i] = T.Zero + (T.Zero + gd); // Sub, then the output Add pass it on
        }
        return value;
    }

    /// <summary><c>Ops.BceWithLogitsLoss</c> on one logit z per row: mean of max(z, 0) - z t + log(1 + exp(-|z|)); fills
    /// d loss / d z = (1 / n) (sigmoid(z) - t) with the tape's accumulations.</summary>
    private static double Logistic(T[] z, T[] t, int n, T[] dOut)
    {
        var terms = new double[n];
        for (var i = 0; i < n; i++) terms[i] = double.CreateTruncating(T.Max(z[i], T.Zero) - z[i] * t[i] + T.Log(T.One + T.Exp(-T.Abs(z[i]))));
        var gm = T.Zero + T.One / T.CreateTruncating(n); // Mean: 0 + g / n into each term's accumulator
        for (var i = 0; i < n; i++)
        {
            var s = z[i] >= T.Zero ? T.One / (T.One + T.Exp(-z[i])) : T.Exp(z[i]) / (T.One + T.Exp(z[i]));
            dOut[i] = T.Zero + (T.Zero + gm * (s - t[i])); // the loss's rule into the output's accumulator, then the output Add
        }
        return Reduce.Sum(terms) / n;
    }

    /// <summary><c>Ops.CrossEntropyLoss</c> (Sum(Mul(LogSoftmax(z), pick)), pick = -1/n at each row's label) on K logits per row;
    /// fills d loss / d z = pick - exp(log-softmax) Σ pick per row, with the tape's accumulations.</summary>
    private double Softmax(T[] z, T[] labels, int n, T[] dOut)
    {
        var k = _sizes[_layers];
        var w = -T.One / T.CreateTruncating(n);
        var logp = new T[k];
        var terms = new double[n];
        for (var i = 0; i < n; i++)
        {
            var label = int.CreateTruncating(labels[i]);
            if ((uint)label >= (uint)k) throw new ArgumentException($"label {labels[i]} of row {i} is outside [0, {k})", nameof(labels));
            var zi = z.AsSpan(i * k, k);
            Ops.LogSoftmaxRow<T>(zi, logp);
            terms[i] = -double.CreateTruncating(logp[label]);
            // Sum passes 0 + 1 to each product; Mul gives 0 + 1 * pick; the row's Σ pick is w (one non-zero term).
            for (var j = 0; j < k; j++)
            {
                var pick = j == label ? w : T.Zero;
                dOut[i * k + j] = T.Zero + (T.Zero + (pick - T.Exp(logp[j]) * w));
            }
        }
        return Reduce.Sum(terms) / n;
    }

    /// <summary>y = (z + b) &gt; 0 ? z + b : 0, lane by lane.</summary>
    private static void BiasRelu(ReadOnlySpan<T> z, ReadOnlySpan<T> b, Span<T> y)
    {
        var j = 0;
        for (; j <= z.Length - Vector<T>.Count; j += Vector<T>.Count)
        {
            var v = new Vector<T>(z[j..]) + new Vector<T>(b[j..]);
            Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<T>.Zero), v, Vector<T>.Zero).CopyTo(y[j..]);
        }
        for (; j < z.Length; j++)
        {
            var v = z[j] + b[j];
            y[j] = v > T.Zero ? v : T.Zero;
        }
    }

    /// <summary>y = x &gt; 0 ? x : 0, lane by lane (<c>Ops.Relu</c>'s values).</summary>
    private static void Relu(ReadOnlySpan<T> x, Span<T> y)
    {
        var j = 0;
        for (; j <= x.Length - Vector<T>.Count; j += Vector<T>.Count)
        {
            var v = new Vector<T>(x[j..]);
            Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<T>.Zero), v, Vector<T>.Zero).CopyTo(y[j..]);
        }
        for (; j < x.Length; j++) y[j] = x[j] > T.Zero ? x[j] : T.Zero;
    }

    /// <summary>d = 0 + (y &gt; 0 ? g : 0), lane by lane.</summary>
    private static void ReluBackward(ReadOnlySpan<T> y, ReadOnlySpan<T> g, Span<T> d)
    {
        var i = 0;
        for (; i <= y.Length - Vector<T>.Count; i += Vector<T>.Count)
            (Vector<T>.Zero + Vector.ConditionalSelect(Vector.GreaterThan(new Vector<T>(y[i..]), Vector<T>.Zero), new Vector<T>(g[i..]), Vector<T>.Zero)).CopyTo(d[i..]);
        for (; i < y.Length; i++) d[i] = T.Zero + (y[i] > T.Zero ? g[i] : T.Zero);
    }

    /// <summary>acc = acc + x, lane by lane.</summary>
    private static void AddInto(Span<T> acc, ReadOnlySpan<T> x)
    {
        var j = 0;
        for (; j <= acc.Length - Vector<T>.Count; j += Vector<T>.Count) (new Vector<T>(acc[j..]) + new Vector<T>(x[j..])).CopyTo(acc[j..]);
        for (; j < acc.Length; j++) acc[j] += x[j];
    }

    /// <summary>g = (0 + c w) + c w, lane by lane (Mul(W, W)'s two inputs adding into one accumulator).</summary>
    private static void PenaltyGradient(ReadOnlySpan<T> w, T c, Span<T> g)
    {
        var i = 0;
        var vc = new Vector<T>(c);
        for (; i <= w.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var cw = vc * new Vector<T>(w[i..]);
            (Vector<T>.Zero + cw + cw).CopyTo(g[i..]);
        }
        for (; i < w.Length; i++) g[i] = T.Zero + c * w[i] + c * w[i];
    }

    private T Activate(int layer, T v)
    {
        if (layer == _layers - 1) return v;
        return _activation switch
        {
            Activation.Relu => v > T.Zero ? v : T.Zero,
            Activation.Tanh => T.Tanh(v),
            Activation.Sigmoid => v >= T.Zero ? T.One / (T.One + T.Exp(-v)) : T.Exp(v) / (T.One + T.Exp(v)),
            _ => v,
        };
    }

    private T Derivative(T y, T g) => _activation switch
    {
        Activation.Relu => y > T.Zero ? g : T.Zero,
        Activation.Tanh => g * (T.One - y * y),
        Activation.Sigmoid => g * y * (T.One - y),
        _ => g,
    };

    /// <summary>Buffers for a batch of n rows (kept while n stays; the last, shorter batch of an epoch uses their prefixes).</summary>
    private void Allocate(int n)
    {
        if (n <= _rows) return;
        _rows = n;
        T[][] Per() => Enumerable.Range(0, _layers).Select(l => new T[n * _sizes[l + 1]]).ToArray();
        (_pre, _act, _out, _mask, _grad, _gradIn) = (Per(), Per(), Per(), Per(), Per(), Per());
        if (BatchNorm is not null) (_bnOut, _xhat, _centred) = (Per(), Per(), Per());
    }
}

/// <summary>Batch normalisation of every hidden layer of a <see cref="DenseNetwork{T}"/> (Ioffe &amp; Szegedy, 2015), placed after the
/// layer's affine map x W + b and before its activation, with PyTorch 1.13 <c>BatchNorm1d</c>'s training rule: the batch's mean and
/// biased variance normalise, gamma scales, beta shifts, and every training step moves the running statistics by
/// r ← (1 - momentum) r + momentum s with the batch mean and the unbiased batch variance (n - 1 in the denominator; n when the
/// batch has one row, where PyTorch refuses).</summary>
/// <param name="Gamma">Per hidden layer, fan_out scales (PyTorch's <c>weight</c>, initially 1).</param>
/// <param name="Beta">Per hidden layer, fan_out shifts (PyTorch's <c>bias</c>, initially 0).</param>
/// <param name="RunningMean">Per hidden layer, fan_out running means (initially 0), used in evaluation mode.</param>
/// <param name="RunningVariance">Per hidden layer, fan_out running (unbiased) variances (initially 1), used in evaluation mode.</param>
/// <param name="Momentum">The running statistics' update weight (PyTorch's default 0.1).</param>
/// <param name="Epsilon">Added to the variance under the square root (PyTorch's default 1e-5).</param>
internal sealed record DenseBatchNorm<T>(T[][] Gamma, T[][] Beta, T[][] RunningMean, T[][] RunningVariance, T Momentum, T Epsilon)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>r ← (1 - momentum) r + momentum s for both running statistics of hidden layer l.</summary>
    internal void UpdateRunning(int l, ReadOnlySpan<T> mean, ReadOnlySpan<T> unbiased)
    {
        var keep = T.One - Momentum;
        var (m, v) = (RunningMean[l], RunningVariance[l]);
        for (var j = 0; j < m.Length; j++)
        {
            m[j] = keep * m[j] + Momentum * mean[j];
            v[j] = keep * v[j] + Momentum * unbiased[j];
        }
    }
}
