namespace Pure.Materials.Core.Autodiff;

/// <summary>A first-order optimiser: updates parameter arrays in place from their gradients, one call per mini-batch.</summary>
/// <remarks>An optimiser holds its moment buffers (one per parameter array, sized at construction) and its step count, so one
/// instance belongs to one training run and is not thread-safe. Every update is element-wise in a fixed order: the same
/// parameters, gradients and rates give the same bits on any CPU.</remarks>
public interface IOptimizer
{
    /// <summary>Steps taken so far (t, the number of <see cref="Step(IReadOnlyList{double[]}, IReadOnlyList{double[]}, double)"/> calls).</summary>
    int Steps { get; }

    /// <summary>Applies one update to every parameter array in place.</summary>
    /// <param name="parameters">Parameter arrays, in the order and with the lengths given at construction; updated in place.</param>
    /// <param name="gradients">Gradients of the loss, one array per parameter array, same lengths; not modified.</param>
    /// <param name="learningRate">Step size for this update (&gt; 0; from a <see cref="LearningRateSchedule"/> or constant).</param>
    /// <exception cref="ArgumentException">The arrays do not match the lengths given at construction (a programmer error).</exception>
    void Step(IReadOnlyList<double[]> parameters, IReadOnlyList<double[]> gradients, double learningRate);

    /// <summary>Applies one update to float32 parameter arrays in place (a float32 tape's parameters): the same rule in single
    /// precision, its moments float32, its scalar factors computed in float64 and rounded once.</summary>
    /// <param name="parameters">Parameter arrays, in the order and with the lengths given at construction; updated in place.</param>
    /// <param name="gradients">Gradients of the loss, one array per parameter array, same lengths; not modified.</param>
    /// <param name="learningRate">Step size for this update (&gt; 0).</param>
    /// <exception cref="ArgumentException">The arrays do not match the lengths given at construction (a programmer error).</exception>
    /// <exception cref="InvalidOperationException">The optimiser already stepped float64 arrays (one optimiser, one dtype).</exception>
    void Step(IReadOnlyList<float[]> parameters, IReadOnlyList<float[]> gradients, double learningRate);
}

/// <summary>Hyper-parameters of <see cref="Sgd"/>.</summary>
/// <param name="Momentum">μ in [0, 1], default 0.9 (0: plain gradient descent).</param>
/// <param name="Nesterov">Nesterov's momentum (default true, scikit-learn's <c>nesterovs_momentum</c>).</param>
/// <param name="L2">Coupled L2 penalty λ &gt;= 0 (default 0): the gradient becomes g + λ w, i.e. the loss gains (λ/2) ||w||².</param>
/// <param name="RateAfterMomentum">false (default, scikit-learn's form): the velocity holds rate-scaled steps, v ← μ v - lr g.
/// true (PyTorch's <c>optim.SGD</c>, no dampening, heavy ball only): the buffer holds gradients, b ← μ b + g, and the step's rate
/// multiplies it, w ← w - lr b; the two agree while the rate is constant and differ after a rate change (PyTorch 1.13
/// <c>torch/optim/sgd.py</c>, <c>_single_tensor_sgd</c>). Not combinable with Nesterov.</param>
public sealed record SgdOptions(double Momentum = 0.9, bool Nesterov = true, double L2 = 0, bool RateAfterMomentum = false);

/// <summary>Hyper-parameters of <see cref="Adam"/> (and AdamW).</summary>
/// <param name="Beta1">First-moment decay β1 in [0, 1), default 0.9.</param>
/// <param name="Beta2">Second-moment decay β2 in [0, 1), default 0.999.</param>
/// <param name="Epsilon">Denominator guard ε &gt; 0, default 1e-8.</param>
/// <param name="L2">Coupled L2 penalty λ &gt;= 0 (default 0): g + λ w enters the moments (Adam with L2, not AdamW).</param>
/// <param name="WeightDecay">Decoupled weight decay λ_w &gt;= 0 (default 0; &gt; 0 makes AdamW): before each step
/// w ← w (1 - lr λ_w), outside the moments (Loshchilov &amp; Hutter, 2019).</param>
/// <param name="EpsilonOnCorrected">false (default): ε is added to the uncorrected sqrt(v) (scikit-learn's and Kingma &amp; Ba's ε-hat
/// form); true: PyTorch's <c>optim.Adam</c> form, w ← w - (lr / (1 - β1^t)) m / (sqrt(v) / sqrt(1 - β2^t) + ε) (PyTorch 1.13
/// <c>torch/optim/adam.py</c>, <c>_single_tensor_adam</c>), for models ported from PyTorch (CGCNN).</param>
public sealed record AdamOptions(double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, double L2 = 0, double WeightDecay = 0,
    bool EpsilonOnCorrected = false);

/// <summary>Stochastic gradient descent with (Nesterov's) momentum, in scikit-learn's form.</summary>
/// <remarks>
/// Per element, with g the gradient (plus λ w with <see cref="SgdOptions.L2"/>), lr the step's learning rate and v the velocity
/// (0 at the start): v ← μ v - lr g; then w ← w + μ v - lr g (Nesterov) or w ← w + v. With a constant rate this is PyTorch's
/// <c>SGD(momentum, nesterov)</c> with the velocity scaled by lr. Source: scikit-learn 1.2.1
/// <c>sklearn/neural_network/_stochastic_optimizers.py</c> (<c>SGDOptimizer._get_updates</c>); Sutskever et al., "On the importance of
/// initialization and momentum in deep learning" (ICML 2013).
/// </remarks>
public sealed class Sgd : IOptimizer
{
    private readonly SgdOptions _o;
    private readonly double[][] _velocity;
    private DenseOptimizer<float>? _float32;

    /// <summary>Creates the optimiser for parameter arrays of the given lengths.</summary>
    /// <param name="options">Momentum, Nesterov, L2.</param>
    /// <param name="lengths">Length of each parameter array, in the order <see cref="Step(IReadOnlyList{double[]}, IReadOnlyList{double[]}, double)"/> will receive them.</param>
    /// <exception cref="ArgumentOutOfRangeException">Momentum outside [0, 1] or a negative or non-finite L2.</exception>
    public Sgd(SgdOptions options, IReadOnlyList<int> lengths)
    {
        if (options.Momentum is not (>= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(options), $"momentum {options.Momentum} is outside [0, 1]");
        if (!(options.L2 >= 0) || !double.IsFinite(options.L2)) throw new ArgumentOutOfRangeException(nameof(options), $"L2 {options.L2} is not a finite number >= 0");
        if (options.RateAfterMomentum && options.Nesterov) throw new ArgumentOutOfRangeException(nameof(options), "RateAfterMomentum (PyTorch's buffer) is implemented for heavy-ball momentum only; set Nesterov false");
        _o = options;
        _velocity = lengths.Select(n => new double[n]).ToArray();
    }

    /// <inheritdoc/>
    public int Steps { get; private set; }

    /// <inheritdoc/>
    public void Step(IReadOnlyList<double[]> parameters, IReadOnlyList<double[]> gradients, double learningRate)
    {
        Optimizers.CheckShapes(_velocity, parameters, gradients);
        if (_float32 is not null) throw new InvalidOperationException("this optimiser steps float32 arrays; make one per dtype");
        Steps++;
        var (mu, l2) = (_o.Momentum, _o.L2);
        for (var p = 0; p < parameters.Count; p++)
        {
            var (w, g, velocity) = (parameters[p], gradients[p], _velocity[p]);
            for (var i = 0; i < w.Length; i++)
            {
                var gi = l2 == 0 ? g[i] : g[i] + l2 * w[i];
                if (_o.RateAfterMomentum)
                {
                    velocity[i] = mu * velocity[i] + gi;
                    w[i] += -learningRate * velocity[i];
                    continue;
                }
                velocity[i] = mu * velocity[i] - learningRate * gi;
                w[i] += _o.Nesterov ? mu * velocity[i] - learningRate * gi : velocity[i];
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>The coupled L2 term enters as g + λ w in float32 before the update (as for float64).</remarks>
    public void Step(IReadOnlyList<float[]> parameters, IReadOnlyList<float[]> gradients, double learningRate)
    {
        if (Steps > 0 && _float32 is null) throw new InvalidOperationException("this optimiser steps float64 arrays; make one per dtype");
        _float32 ??= DenseOptimizer<float>.Sgd(_o with { L2 = 0 }, _velocity.Select(v => v.Length).ToArray());
        _float32.Step([.. parameters], Optimizers.WithL2(parameters, gradients, _o.L2), learningRate);
        Steps = _float32.Steps;
    }
}

/// <summary>Adam (Kingma &amp; Ba, 2015) in scikit-learn's form, and AdamW with <see cref="AdamOptions.WeightDecay"/> &gt; 0.</summary>
/// <remarks>
/// At step t (from 1), per element with g the gradient (plus λ w with <see cref="AdamOptions.L2"/>):
/// w ← w (1 - lr λ_w) (AdamW only); m ← β1 m + (1 - β1) g; v ← β2 v + (1 - β2) g²;
/// w ← w - lr_t m / (sqrt(v) + ε) with lr_t = lr sqrt(1 - β2^t) / (1 - β1^t).
/// ε is added to the uncorrected sqrt(v) (Kingma &amp; Ba's "ε-hat" form, scikit-learn's); PyTorch adds ε to sqrt(v) / sqrt(1 - β2^t)
/// (<see cref="AdamOptions.EpsilonOnCorrected"/>), which differs only while sqrt(v) is comparable to ε. Sources: scikit-learn 1.2.1 <c>_stochastic_optimizers.py</c>
/// (<c>AdamOptimizer._get_updates</c>); Kingma &amp; Ba, "Adam: a method for stochastic optimization" (ICLR 2015), section 2;
/// Loshchilov &amp; Hutter, "Decoupled weight decay regularization" (ICLR 2019), algorithm 2 (as PyTorch's <c>AdamW</c>).
/// </remarks>
public sealed class Adam : IOptimizer
{
    private readonly AdamOptions _o;
    private readonly double[][] _m;
    private readonly double[][] _v;
    private DenseOptimizer<float>? _float32;

    /// <summary>Creates the optimiser for parameter arrays of the given lengths.</summary>
    /// <param name="options">β1, β2, ε, L2, decoupled weight decay.</param>
    /// <param name="lengths">Length of each parameter array, in the order <see cref="Step(IReadOnlyList{double[]}, IReadOnlyList{double[]}, double)"/> will receive them.</param>
    /// <exception cref="ArgumentOutOfRangeException">A β outside [0, 1), ε &lt;= 0, or a negative or non-finite L2 or weight decay.</exception>
    public Adam(AdamOptions options, IReadOnlyList<int> lengths)
    {
        if (options.Beta1 is not (>= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(options), $"beta_1 {options.Beta1} is outside [0, 1)");
        if (options.Beta2 is not (>= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(options), $"beta_2 {options.Beta2} is outside [0, 1)");
        if (!(options.Epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(options), $"epsilon {options.Epsilon} is not > 0");
        if (!(options.L2 >= 0) || !double.IsFinite(options.L2)) throw new ArgumentOutOfRangeException(nameof(options), $"L2 {options.L2} is not a finite number >= 0");
        if (!(options.WeightDecay >= 0) || !double.IsFinite(options.WeightDecay)) throw new ArgumentOutOfRangeException(nameof(options), $"weight decay {options.WeightDecay} is not a finite number >= 0");
        _o = options;
        _m = lengths.Select(n => new double[n]).ToArray();
        _v = lengths.Select(n => new double[n]).ToArray();
    }

    /// <summary>AdamW: Adam with decoupled weight decay λ_w (Loshchilov &amp; Hutter, 2019; PyTorch's default λ_w is 0.01).</summary>
    /// <param name="weightDecay">λ_w &gt;= 0.</param>
    /// <param name="lengths">Length of each parameter array.</param>
    /// <returns>The optimiser.</returns>
    public static Adam W(double weightDecay, IReadOnlyList<int> lengths) => new(new AdamOptions(WeightDecay: weightDecay), lengths);

    /// <inheritdoc/>
    public int Steps { get; private set; }

    /// <inheritdoc/>
    public void Step(IReadOnlyList<double[]> parameters, IReadOnlyList<double[]> gradients, double learningRate)
    {
        Optimizers.CheckShapes(_m, parameters, gradients);
        if (_float32 is not null) throw new InvalidOperationException("this optimiser steps float32 arrays; make one per dtype");
        Steps++;
        var (b1, b2, eps, l2) = (_o.Beta1, _o.Beta2, _o.Epsilon, _o.L2);
        var torch = _o.EpsilonOnCorrected;
        var lr = torch ? learningRate / (1 - Math.Pow(b1, Steps)) : learningRate * Math.Sqrt(1 - Math.Pow(b2, Steps)) / (1 - Math.Pow(b1, Steps));
        var s2 = Math.Sqrt(1 - Math.Pow(b2, Steps));
        var decay = 1 - learningRate * _o.WeightDecay;
        for (var p = 0; p < parameters.Count; p++)
        {
            var (w, g, m, v) = (parameters[p], gradients[p], _m[p], _v[p]);
            for (var i = 0; i < w.Length; i++)
            {
                var gi = l2 == 0 ? g[i] : g[i] + l2 * w[i];
                if (_o.WeightDecay != 0) w[i] *= decay;
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * (gi * gi);
                w[i] += -lr * m[i] / ((torch ? Math.Sqrt(v[i]) / s2 : Math.Sqrt(v[i])) + eps);
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>The coupled L2 term enters as g + λ w in float32 before the update (as for float64); lr_t and 1 - lr λ_w are
    /// computed in float64 and rounded.</remarks>
    public void Step(IReadOnlyList<float[]> parameters, IReadOnlyList<float[]> gradients, double learningRate)
    {
        if (Steps > 0 && _float32 is null) throw new InvalidOperationException("this optimiser steps float64 arrays; make one per dtype");
        _float32 ??= DenseOptimizer<float>.Adam(_o with { L2 = 0 }, _m.Select(v => v.Length).ToArray());
        _float32.Step([.. parameters], Optimizers.WithL2(parameters, gradients, _o.L2), learningRate);
        Steps = _float32.Steps;
    }
}

/// <summary>A learning rate as a function of the epoch: the step size an <see cref="IOptimizer"/> is given.</summary>
/// <remarks>Pure: the rate depends only on the initial rate, the epoch and the samples seen, so a schedule is a value that can be
/// recorded and replayed. scikit-learn's <c>adaptive</c> schedule depends on the loss history and lives in the training loop
/// (<see cref="Models.Neural.MlpLearningRate.Adaptive"/>).</remarks>
public abstract record LearningRateSchedule
{
    private LearningRateSchedule() { }

    /// <summary>The learning rate of an epoch.</summary>
    /// <param name="initial">The initial rate lr0 &gt; 0.</param>
    /// <param name="epoch">0-based epoch.</param>
    /// <param name="samplesSeen">Training rows processed before this epoch (epoch × n_train for full passes).</param>
    /// <returns>The rate, &gt; 0 for lr0 &gt; 0 (0 only where a schedule decays to a zero minimum).</returns>
    public abstract double Rate(double initial, int epoch, long samplesSeen);

    /// <summary>lr0 throughout (scikit-learn's <c>constant</c>).</summary>
    public sealed record Constant : LearningRateSchedule
    {
        /// <inheritdoc/>
        public override double Rate(double initial, int epoch, long samplesSeen) => initial;
    }

    /// <summary>lr0 / (t + 1)^power_t, t the samples seen so far (scikit-learn's <c>invscaling</c>, updated after each epoch).</summary>
    /// <param name="PowerT">Exponent &gt;= 0 (scikit-learn's <c>power_t</c>, default 0.5).</param>
    public sealed record InvScaling(double PowerT = 0.5) : LearningRateSchedule
    {
        /// <inheritdoc/>
        public override double Rate(double initial, int epoch, long samplesSeen) => initial / Math.Pow(samplesSeen + 1, PowerT);
    }

    /// <summary>lr0 γ^floor(epoch / step_size) (PyTorch's <c>StepLR</c>).</summary>
    /// <param name="StepSize">Epochs per decay, &gt;= 1.</param>
    /// <param name="Gamma">Factor per decay, in (0, 1] (default 0.1).</param>
    public sealed record StepDecay(int StepSize, double Gamma = 0.1) : LearningRateSchedule
    {
        /// <inheritdoc/>
        public override double Rate(double initial, int epoch, long samplesSeen) => initial * Math.Pow(Gamma, epoch / Math.Max(1, StepSize));
    }

    /// <summary>Cosine annealing from lr0 to a minimum over T epochs, then the minimum: η_min + (lr0 - η_min)(1 + cos(π e / T)) / 2
    /// (Loshchilov &amp; Hutter, "SGDR", ICLR 2017, without restarts; PyTorch's <c>CosineAnnealingLR</c> for e &lt;= T).</summary>
    /// <param name="TMax">Epochs of the half cosine, &gt;= 1.</param>
    /// <param name="MinRate">η_min &gt;= 0 (default 0).</param>
    public sealed record Cosine(int TMax, double MinRate = 0) : LearningRateSchedule
    {
        /// <inheritdoc/>
        public override double Rate(double initial, int epoch, long samplesSeen) =>
            epoch >= TMax ? MinRate : MinRate + (initial - MinRate) * (1 + Math.Cos(Math.PI * epoch / Math.Max(1, TMax))) / 2;
    }
}

/// <summary>Helpers shared by the optimisers.</summary>
public static class Optimizers
{
    /// <summary>Scales every gradient array by one factor so that their joint Euclidean norm is at most <paramref name="maxNorm"/>
    /// (PyTorch's <c>clip_grad_norm_</c>); the norm is summed in a fixed order (<c>Reduce.SumOfSquares</c>).</summary>
    /// <param name="gradients">Gradient arrays, modified in place.</param>
    /// <param name="maxNorm">Largest norm kept, &gt; 0.</param>
    /// <returns>The norm before clipping (NaN when a gradient is NaN; then nothing is scaled).</returns>
    public static double ClipGradientNorm(IReadOnlyList<double[]> gradients, double maxNorm)
    {
        var sq = 0.0;
        foreach (var g in gradients) sq += Reduce.SumOfSquares(g);
        var norm = Math.Sqrt(sq);
        if (!(norm > maxNorm)) return norm;
        var s = maxNorm / norm;
        foreach (var g in gradients)
            for (var i = 0; i < g.Length; i++) g[i] *= s;
        return norm;
    }

    /// <summary>Scales every float32 gradient array by one factor so that their joint Euclidean norm is at most
    /// <paramref name="maxNorm"/>; the norm is summed in float64 in array order, element by element, and the factor rounded to float32.</summary>
    /// <param name="gradients">Gradient arrays, modified in place.</param>
    /// <param name="maxNorm">Largest norm kept, &gt; 0.</param>
    /// <returns>The norm before clipping (NaN when a gradient is NaN; then nothing is scaled).</returns>
    public static double ClipGradientNorm(IReadOnlyList<float[]> gradients, double maxNorm)
    {
        var sq = 0.0;
        foreach (var g in gradients)
            foreach (var v in g) sq += (double)v * v;
        var norm = Math.Sqrt(sq);
        if (!(norm > maxNorm)) return norm;
        var s = (float)(maxNorm / norm);
        foreach (var g in gradients)
            for (var i = 0; i < g.Length; i++) g[i] *= s;
        return norm;
    }

    /// <summary>The gradients with a coupled L2 term, g + λ w per element in float32 (the arrays themselves when λ = 0).</summary>
    internal static float[][] WithL2(IReadOnlyList<float[]> parameters, IReadOnlyList<float[]> gradients, double l2)
    {
        if (parameters.Count != gradients.Count) throw new ArgumentException($"{parameters.Count} parameter and {gradients.Count} gradient arrays");
        if (l2 == 0) return [.. gradients];
        var l = (float)l2;
        return gradients.Select((g, p) =>
        {
            var w = parameters[p];
            if (w.Length != g.Length) throw new ArgumentException($"array {p}: parameter length {w.Length}, gradient length {g.Length}");
            var o = new float[g.Length];
            for (var i = 0; i < o.Length; i++) o[i] = g[i] + l * w[i];
            return o;
        }).ToArray();
    }

    internal static void CheckShapes(double[][] buffers, IReadOnlyList<double[]> parameters, IReadOnlyList<double[]> gradients)
    {
        if (parameters.Count != buffers.Length || gradients.Count != buffers.Length)
            throw new ArgumentException($"{parameters.Count} parameter and {gradients.Count} gradient arrays for an optimiser built for {buffers.Length}");
        for (var p = 0; p < buffers.Length; p++)
            if (parameters[p].Length != buffers[p].Length || gradients[p].Length != buffers[p].Length)
                throw new ArgumentException($"array {p}: parameter length {parameters[p].Length}, gradient length {gradients[p].Length}, expected {buffers[p].Length}");
    }
}
