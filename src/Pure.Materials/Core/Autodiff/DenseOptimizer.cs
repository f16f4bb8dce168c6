using System.Numerics;

namespace Pure.Materials.Core.Autodiff;

/// <summary>The update rules of <see cref="Adam"/> (and AdamW) and <see cref="Sgd"/>, generic over the dtype (float64 or float32) and
/// vectorised, for <see cref="DenseNetwork{T}"/>'s parameter arrays: the MLP's dense training step.</summary>
/// <remarks>
/// Per element, the same operations in the same order as the public classes: Adam at step t (from 1),
/// w ← w (1 - lr λ_w) (AdamW, λ_w &gt; 0 only), m ← β1 m + (1 - β1) g, v ← β2 v + (1 - β2) g², w ← w + (-lr_t) m / (sqrt(v) + ε) with
/// lr_t = lr sqrt(1 - β2^t) / (1 - β1^t) computed in float64 (then rounded to T); SGD, v ← μ v - lr g, then w ← w + (μ v - lr g)
/// (Nesterov) or w + v. IEEE additions, products, quotients and square roots are correctly rounded lane by lane at any vector
/// width and no multiply-add is fused, so for T = double the parameters equal <see cref="Adam"/>'s and <see cref="Sgd"/>'s bit for
/// bit (<c>tests/.../Core/DenseOptimizerTests.cs</c>). The coupled L2 term of <see cref="AdamOptions.L2"/> / <see cref="SgdOptions.L2"/>
/// is not offered here (the MLP puts alpha in the loss): it must be 0.
/// </remarks>
/// <typeparam name="T">double or float.</typeparam>
internal sealed class DenseOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly AdamOptions? _adam;
    private readonly SgdOptions? _sgd;
    private readonly T[][] _m;
    private readonly T[][] _v;

    private DenseOptimizer(AdamOptions? adam, SgdOptions? sgd, IReadOnlyList<int> lengths)
    {
        (_adam, _sgd) = (adam, sgd);
        _m = lengths.Select(n => new T[n]).ToArray();
        _v = adam is null ? [] : lengths.Select(n => new T[n]).ToArray();
    }

    /// <summary>Adam or AdamW (<see cref="AdamOptions.WeightDecay"/> &gt; 0) for parameter arrays of the given lengths.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option outside the range <see cref="Adam"/> accepts, or L2 ≠ 0.</exception>
    public static DenseOptimizer<T> Adam(AdamOptions options, IReadOnlyList<int> lengths)
    {
        _ = new Adam(options, []); // the public class's range checks
        if (options.L2 != 0) throw new ArgumentOutOfRangeException(nameof(options), "the dense optimiser has no coupled L2 term (put it in the loss)");
        return new(options, null, lengths);
    }

    /// <summary>SGD with (Nesterov's) momentum for parameter arrays of the given lengths.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option outside the range <see cref="Sgd"/> accepts, or L2 ≠ 0.</exception>
    public static DenseOptimizer<T> Sgd(SgdOptions options, IReadOnlyList<int> lengths)
    {
        _ = new Sgd(options, []);
        if (options.L2 != 0) throw new ArgumentOutOfRangeException(nameof(options), "the dense optimiser has no coupled L2 term (put it in the loss)");
        return new(null, options, lengths);
    }

    /// <summary>Steps taken so far.</summary>
    public int Steps { get; private set; }

    /// <summary>One update of every parameter array in place.</summary>
    /// <param name="parameters">Parameter arrays, lengths as at construction; updated in place.</param>
    /// <param name="grads">Their gradients, same lengths; not modified.</param>
    /// <param name="learningRate">This step's rate lr (&gt; 0).</param>
    public void Step(T[][] parameters, T[][] grads, double learningRate)
    {
        if (parameters.Length != _m.Length || grads.Length != _m.Length)
            throw new ArgumentException($"{parameters.Length} parameter and {grads.Length} gradient arrays for an optimiser built for {_m.Length}");
        Steps++;
        if (_adam is { } a) AdamStep(a, parameters, grads, learningRate);
        else SgdStep(_sgd!, parameters, grads, learningRate);
    }

    private void AdamStep(AdamOptions o, T[][] parameters, T[][] grads, double learningRate)
    {
        // ε-hat form (scikit-learn's): lr_t = lr sqrt(1 - β2^t) / (1 - β1^t), denominator sqrt(v) + ε. PyTorch's form: step lr / (1 - β1^t),
        // denominator sqrt(v) / sqrt(1 - β2^t) + ε (s2 below; 1 in the ε-hat form, where the division is skipped).
        var torch = o.EpsilonOnCorrected;
        var lr = T.CreateTruncating(torch ? learningRate / (1 - Math.Pow(o.Beta1, Steps))
            : learningRate * Math.Sqrt(1 - Math.Pow(o.Beta2, Steps)) / (1 - Math.Pow(o.Beta1, Steps)));
        var s2 = T.CreateTruncating(Math.Sqrt(1 - Math.Pow(o.Beta2, Steps)));
        T b1 = T.CreateTruncating(o.Beta1), b2 = T.CreateTruncating(o.Beta2), eps = T.CreateTruncating(o.Epsilon);
        T c1 = T.CreateTruncating(1 - o.Beta1), c2 = T.CreateTruncating(1 - o.Beta2);
        var decays = o.WeightDecay != 0;
        var decay = T.CreateTruncating(1 - learningRate * o.WeightDecay);
        for (var p = 0; p < parameters.Length; p++)
        {
            var (w, g, m, v) = (parameters[p], grads[p], _m[p], _v[p]);
            if (w.Length != m.Length || g.Length != m.Length)
                throw new ArgumentException($"array {p}: parameter length {w.Length}, gradient length {g.Length}, expected {m.Length}");
            var i = 0;
            for (; i <= w.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var gi = new Vector<T>(g, i);
                var wi = new Vector<T>(w, i);
                if (decays) wi *= new Vector<T>(decay);
                var mi = new Vector<T>(b1) * new Vector<T>(m, i) + new Vector<T>(c1) * gi;
                var vi = new Vector<T>(b2) * new Vector<T>(v, i) + new Vector<T>(c2) * (gi * gi);
                mi.CopyTo(m, i);
                vi.CopyTo(v, i);
                var root = torch ? Vector.SquareRoot(vi) / new Vector<T>(s2) : Vector.SquareRoot(vi);
                (wi + new Vector<T>(-lr) * mi / (root + new Vector<T>(eps))).CopyTo(w, i);
            }
            for (; i < w.Length; i++)
            {
                if (decays) w[i] *= decay;
                m[i] = b1 * m[i] + c1 * g[i];
                v[i] = b2 * v[i] + c2 * (g[i] * g[i]);
                w[i] += -lr * m[i] / ((torch ? T.Sqrt(v[i]) / s2 : T.Sqrt(v[i])) + eps);
            }
        }
    }

    private void SgdStep(SgdOptions o, T[][] parameters, T[][] grads, double learningRate)
    {
        T rate = T.CreateTruncating(learningRate), momentum = T.CreateTruncating(o.Momentum);
        for (var p = 0; p < parameters.Length; p++)
        {
            var (w, g, velocity) = (parameters[p], grads[p], _m[p]);
            if (w.Length != velocity.Length || g.Length != velocity.Length)
                throw new ArgumentException($"array {p}: parameter length {w.Length}, gradient length {g.Length}, expected {velocity.Length}");
            if (o.RateAfterMomentum)
            {
                for (var i = 0; i < w.Length; i++)
                {
                    velocity[i] = momentum * velocity[i] + g[i];
                    w[i] += -rate * velocity[i];
                }
                continue;
            }
            for (var i = 0; i < w.Length; i++)
            {
                velocity[i] = momentum * velocity[i] - rate * g[i];
                w[i] += o.Nesterov ? momentum * velocity[i] - rate * g[i] : velocity[i];
            }
        }
    }
}
