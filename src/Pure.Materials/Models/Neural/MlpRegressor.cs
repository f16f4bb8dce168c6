using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;

namespace Pure.Materials.Models.Neural;

/// <summary>Hidden-layer activation (scikit-learn's <c>activation</c>).</summary>
public enum MlpActivation
{
    /// <summary>f(x) = x.</summary>
    Identity,
    /// <summary>f(x) = 1 / (1 + exp(-x)).</summary>
    Logistic,
    /// <summary>f(x) = tanh(x).</summary>
    Tanh,
    /// <summary>f(x) = max(0, x); scikit-learn's default.</summary>
    Relu,
}

/// <summary>Weight optimiser (scikit-learn's <c>solver</c>; lbfgs is not offered).</summary>
public enum MlpSolver
{
    /// <summary>Adam (Kingma &amp; Ba, 2014), scikit-learn's default.</summary>
    Adam,
    /// <summary>Stochastic gradient descent with momentum (Nesterov's by default).</summary>
    Sgd,
}

/// <summary>Learning-rate schedule of the sgd solver (scikit-learn's <c>learning_rate</c>).</summary>
public enum MlpLearningRate
{
    /// <summary>learning_rate_init throughout.</summary>
    Constant,
    /// <summary>learning_rate_init / (t + 1)^power_t after each epoch, t the number of samples seen so far, as scikit-learn.</summary>
    InvScaling,
    /// <summary>learning_rate_init while the loss improves; divided by 5 after n_iter_no_change epochs without improvement.</summary>
    Adaptive,
}

/// <summary>Learning-rate schedule of the adam solver (beyond scikit-learn, whose Adam keeps learning_rate_init; sgd's schedule is
/// <see cref="MlpLearningRate"/>).</summary>
public enum MlpLrSchedule
{
    /// <summary>learning_rate_init throughout (scikit-learn's Adam; the default).</summary>
    Constant,
    /// <summary>learning_rate_init × lr_gamma^floor(epoch / lr_step_size) (PyTorch's <c>StepLR</c>), epoch from 0.</summary>
    Step,
    /// <summary>lr_min + (learning_rate_init - lr_min)(1 + cos(π epoch / max_iter)) / 2 (PyTorch's <c>CosineAnnealingLR</c> with
    /// T_max = max_iter; Loshchilov &amp; Hutter, SGDR, 2017, without restarts), epoch from 0.</summary>
    Cosine,
}

/// <summary>Training loss of <see cref="MlpRegressor"/> (beyond scikit-learn, whose MLPRegressor has squared error only).</summary>
public enum MlpLoss
{
    /// <summary>(1/2) mean (ŷ - y)², scikit-learn's.</summary>
    SquaredError,
    /// <summary>mean of (1/2) d² where |d| &lt;= huber_delta, else huber_delta (|d| - huber_delta / 2), d = ŷ - y: robust to outlying targets.</summary>
    Huber,
    /// <summary>mean |ŷ - y|: fits the conditional median, the minimiser of the MAE.</summary>
    AbsoluteError,
}

/// <summary>Arithmetic of the MLPs' training (beyond scikit-learn, which trains in float64).</summary>
public enum MlpDtype
{
    /// <summary>float64 (the default; scikit-learn's parity is in this mode, and the dense step gives the autodiff tape's bits).</summary>
    Float64,
    /// <summary>float32: forward, backward and optimiser steps in single precision (PyTorch's default dtype); the weights are
    /// float32 values, stored and used for prediction as float64 (exactly). For <see cref="MlpRegressor"/>, <see cref="MlpClassifier"/>
    /// and <see cref="MlpEnsemble"/>.</summary>
    Float32,
}

/// <summary>Hyper-parameters of <see cref="MlpRegressor"/>, with scikit-learn 1.2.1's <c>MLPRegressor</c> names and defaults, plus
/// <see cref="Dropout"/> and <see cref="MaxGradNorm"/> beyond it.</summary>
public sealed record MlpRegressorOptions
{
    /// <summary>Units per hidden layer (<c>hidden_layer_sizes</c>, default (100,)); each at least 1.</summary>
    public IReadOnlyList<int> HiddenLayerSizes { get; init => field = Vec.From(value); } = Vec<int>.Of([100]);

    /// <summary>Hidden activation (<c>activation</c>, default relu).</summary>
    public MlpActivation Activation { get; init; } = MlpActivation.Relu;

    /// <summary>Optimiser (<c>solver</c>, default adam).</summary>
    public MlpSolver Solver { get; init; } = MlpSolver.Adam;

    /// <summary>L2 penalty on the weights (<c>alpha</c>, default 1e-4): the loss adds alpha / (2 n_batch) sum ||W||².</summary>
    public double Alpha { get; init; } = 1e-4;

    /// <summary>Rows per mini-batch (<c>batch_size</c>); null for min(200, n_samples).</summary>
    public int? BatchSize { get; init; }

    /// <summary>Learning-rate schedule for sgd (<c>learning_rate</c>, default constant).</summary>
    public MlpLearningRate LearningRate { get; init; } = MlpLearningRate.Constant;

    /// <summary>Initial step size (<c>learning_rate_init</c>, default 0.001).</summary>
    public double LearningRateInit { get; init; } = 1e-3;

    /// <summary>Exponent of the invscaling schedule (<c>power_t</c>, default 0.5).</summary>
    public double PowerT { get; init; } = 0.5;

    /// <summary>Maximum epochs (<c>max_iter</c>, default 200).</summary>
    public int MaxIter { get; init; } = 200;

    /// <summary>Shuffle the rows before each epoch (<c>shuffle</c>, default true).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Improvement below which an epoch counts as no improvement (<c>tol</c>, default 1e-4).</summary>
    public double Tol { get; init; } = 1e-4;

    /// <summary>Momentum of sgd (<c>momentum</c>, default 0.9).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Nesterov's momentum for sgd (<c>nesterovs_momentum</c>, default true).</summary>
    public bool NesterovsMomentum { get; init; } = true;

    /// <summary>Hold out <see cref="ValidationFraction"/> of the rows, stop when their R² stops improving and keep the best weights
    /// (<c>early_stopping</c>, default false).</summary>
    public bool EarlyStopping { get; init; }

    /// <summary>Share of rows held out for early stopping (<c>validation_fraction</c>, default 0.1).</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Adam's first-moment decay (<c>beta_1</c>, default 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's second-moment decay (<c>beta_2</c>, default 0.999).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Adam's denominator guard (<c>epsilon</c>, default 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Epochs without improvement before stopping (<c>n_iter_no_change</c>, default 10).</summary>
    public int NIterNoChange { get; init; } = 10;

    /// <summary>Beyond scikit-learn: inverted dropout on every hidden layer's output while training (default 0: none).</summary>
    public double Dropout { get; init; }

    /// <summary>Beyond scikit-learn: the gradient of each mini-batch is scaled down to this Euclidean norm when longer (null: never).</summary>
    public double? MaxGradNorm { get; init; }

    /// <summary>Beyond scikit-learn: the data term of the objective (default squared_error, scikit-learn's).</summary>
    public MlpLoss Loss { get; init; } = MlpLoss.SquaredError;

    /// <summary>Beyond scikit-learn: the threshold of the Huber loss, in target units (default 1.0, &gt; 0).</summary>
    public double HuberDelta { get; init; } = 1.0;

    /// <summary>Beyond scikit-learn (default true): features are clamped to the range seen in training before the network sees
    /// them. A ReLU network extrapolates linearly, so one composition far outside the training range (matbench_expt_gap fold 3)
    /// otherwise gets a prediction hundreds of eV off; false gives scikit-learn's behaviour.</summary>
    public bool ClipInputs { get; init; } = true;

    /// <summary>Beyond scikit-learn: the arithmetic of training (default float64; float32 is faster and rounds at about 6e-8
    /// relative instead of 1.1e-16); the classifier's too.</summary>
    public MlpDtype Dtype { get; init; } = MlpDtype.Float64;

    /// <summary>Beyond scikit-learn: decoupled weight decay λ_w of solver=adam (AdamW, Loshchilov &amp; Hutter, 2019): before each step
    /// every weight and bias is multiplied by 1 - lr λ_w, lr the epoch's learning rate, outside Adam's moments (as PyTorch's
    /// <c>AdamW</c> on all parameters). Default 0: scikit-learn's Adam, whose only penalty is <see cref="Alpha"/> in the loss. &gt;= 0;
    /// with sgd it must stay 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Beyond scikit-learn: the learning-rate schedule of solver=adam, applied at the start of each epoch (default constant,
    /// scikit-learn's). With sgd it must stay constant (sgd's schedule is <see cref="LearningRate"/>).</summary>
    public MlpLrSchedule LrSchedule { get; init; } = MlpLrSchedule.Constant;

    /// <summary>Epochs per decay of lr_schedule=step (default 50, &gt;= 1).</summary>
    public int LrStepSize { get; init; } = 50;

    /// <summary>Factor per decay of lr_schedule=step (default 0.1, in (0, 1]).</summary>
    public double LrGamma { get; init; } = 0.1;

    /// <summary>The rate lr_schedule=cosine ends at (η_min, default 0, in [0, learning_rate_init)).</summary>
    public double LrMin { get; init; }

    /// <summary>Beyond scikit-learn: batch normalisation of every hidden layer (Ioffe &amp; Szegedy, 2015; default false). Placed after the
    /// layer's affine map x W + b and before its activation (the paper's placement), as PyTorch 1.13's <c>BatchNorm1d</c>: in training
    /// each mini-batch is normalised by its own mean and biased variance, (z - mean) / sqrt(var + <see cref="BatchNormEpsilon"/>), then
    /// scaled by a learnable gamma (initially 1) and shifted by a learnable beta (initially 0); every training step moves the running
    /// mean (initially 0) and running unbiased variance (initially 1) by r ← (1 - <see cref="BatchNormMomentum"/>) r + momentum s.
    /// Evaluation (early stopping's held-out score, the loss curve's held-out loss, prediction) uses the running statistics. gamma and
    /// beta are trained by the same optimiser as the weights (AdamW's weight_decay decays them too, as PyTorch's <c>AdamW</c> over all
    /// parameters; alpha's L2 term stays on the weights only, scikit-learn's), and their gradients count in max_grad_norm. A last
    /// mini-batch of one row normalises to beta (its variance is 0) and updates the running variance with 0 (PyTorch refuses such a
    /// batch). Each layer keeps its bias b (PyTorch's <c>Linear</c> before <c>BatchNorm1d</c>), whose gradient is then zero up to rounding.</summary>
    public bool BatchNorm { get; init; }

    /// <summary>The running statistics' update weight with <see cref="BatchNorm"/> (PyTorch's <c>momentum</c>, default 0.1, in [0, 1]).</summary>
    public double BatchNormMomentum { get; init; } = 0.1;

    /// <summary>Added to the batch variance with <see cref="BatchNorm"/> (PyTorch's <c>eps</c>, default 1e-5, &gt; 0).</summary>
    public double BatchNormEpsilon { get; init; } = 1e-5;
}

/// <summary>A fitted <see cref="MlpRegressor"/>: the layers' weights and biases and the training history.</summary>
/// <param name="Options">The options it was fitted with.</param>
/// <param name="Coefs">Weights per layer (scikit-learn's <c>coefs_</c>): layer l maps (fan_in) to (fan_out), shape (fan_in, fan_out).</param>
/// <param name="Intercepts">Biases per layer (<c>intercepts_</c>), length fan_out.</param>
/// <param name="LossCurve">Training loss after each epoch (<c>loss_curve_</c>; squared loss / 2 plus the L2 term).</param>
/// <param name="ValidationScores">R² on the held-out rows after each epoch with early stopping (<c>validation_scores_</c>), else empty.</param>
/// <param name="BestLoss">Lowest training loss (<c>best_loss_</c>; NaN with early stopping, as scikit-learn).</param>
/// <param name="FeatureMin">Per feature, the smallest training value (length n_features; inputs are clamped to it with ClipInputs).</param>
/// <param name="FeatureMax">Per feature, the largest training value.</param>
public sealed record MlpRegressorModel(MlpRegressorOptions Options, IReadOnlyList<Matrix> Coefs, IReadOnlyList<Vec<double>> Intercepts,
    IReadOnlyList<double> LossCurve, IReadOnlyList<double> ValidationScores, double BestLoss, Vec<double> FeatureMin, Vec<double> FeatureMax)
    : MlpFit(Coefs, Intercepts, LossCurve, ValidationScores, BestLoss, FeatureMin, FeatureMax);

/// <summary>The learned state of a fitted MLP, regressor or classifier: the layers' weights and biases, the training history and
/// each feature's training range.</summary>
/// <param name="Coefs">Weights per layer (scikit-learn's <c>coefs_</c>): layer l maps (fan_in) to (fan_out), shape (fan_in, fan_out).</param>
/// <param name="Intercepts">Biases per layer (<c>intercepts_</c>), length fan_out.</param>
/// <param name="LossCurve">Training loss after each epoch (<c>loss_curve_</c>, with the L2 term).</param>
/// <param name="ValidationScores">The held-out score after each epoch with early stopping (<c>validation_scores_</c>: R² or
/// accuracy), else empty.</param>
/// <param name="BestLoss">Lowest training loss (<c>best_loss_</c>; NaN with early stopping, as scikit-learn).</param>
/// <param name="FeatureMin">Per feature, the smallest training value (length n_features; inputs are clamped to it with ClipInputs).</param>
/// <param name="FeatureMax">Per feature, the largest training value.</param>
public abstract record MlpFit(IReadOnlyList<Matrix> Coefs, IReadOnlyList<Vec<double>> Intercepts, IReadOnlyList<double> LossCurve,
    IReadOnlyList<double> ValidationScores, double BestLoss, Vec<double> FeatureMin, Vec<double> FeatureMax) : IHasLossCurve
{
    /// <summary>Weights per layer, shape (fan_in, fan_out) each.</summary>
    public IReadOnlyList<Matrix> Coefs { get; init; } = Vec.From(Coefs);

    /// <summary>Biases per layer.</summary>
    public IReadOnlyList<Vec<double>> Intercepts { get; init; } = Vec.From(Intercepts);

    /// <summary>Training loss per epoch.</summary>
    public IReadOnlyList<double> LossCurve { get; init; } = Vec.From(LossCurve);

    /// <summary>Held-out score per epoch (early stopping).</summary>
    public IReadOnlyList<double> ValidationScores { get; init; } = Vec.From(ValidationScores);

    /// <summary>Epochs run (<c>n_iter_</c>).</summary>
    public int NIter => LossCurve.Count;

    /// <summary>The hidden layers' batch normalisation when fitted with <see cref="MlpRegressorOptions.BatchNorm"/>, else null.</summary>
    public MlpBatchNorm? BatchNorm { get; init; }

    /// <inheritdoc/>
    public IReadOnlyList<double> LossHistory => LossCurve;
}

/// <summary>The learned batch normalisation of an MLP's hidden layers (<see cref="MlpRegressorOptions.BatchNorm"/>): per hidden layer l,
/// vectors of its width; evaluation maps the layer's x W + b to (z - RunningMean) / sqrt(RunningVariance + eps) Gamma + Beta.</summary>
/// <param name="Gamma">Per hidden layer, the learned scales (PyTorch's <c>weight</c>).</param>
/// <param name="Beta">Per hidden layer, the learned shifts (PyTorch's <c>bias</c>).</param>
/// <param name="RunningMean">Per hidden layer, the running means (<c>running_mean</c>).</param>
/// <param name="RunningVariance">Per hidden layer, the running unbiased variances (<c>running_var</c>), each &gt;= 0.</param>
public sealed record MlpBatchNorm(IReadOnlyList<Vec<double>> Gamma, IReadOnlyList<Vec<double>> Beta, IReadOnlyList<Vec<double>> RunningMean,
    IReadOnlyList<Vec<double>> RunningVariance)
{
    /// <summary>Scales per hidden layer.</summary>
    public IReadOnlyList<Vec<double>> Gamma { get; init; } = Vec.From(Gamma);

    /// <summary>Shifts per hidden layer.</summary>
    public IReadOnlyList<Vec<double>> Beta { get; init; } = Vec.From(Beta);

    /// <summary>Running means per hidden layer.</summary>
    public IReadOnlyList<Vec<double>> RunningMean { get; init; } = Vec.From(RunningMean);

    /// <summary>Running variances per hidden layer.</summary>
    public IReadOnlyList<Vec<double>> RunningVariance { get; init; } = Vec.From(RunningVariance);

    internal MlpNetwork.BatchNormState ToState() => new(Gamma.Select(v => v.ToArray()).ToArray(), Beta.Select(v => v.ToArray()).ToArray(),
        RunningMean.Select(v => v.ToArray()).ToArray(), RunningVariance.Select(v => v.ToArray()).ToArray());

    internal static MlpBatchNorm? Of(MlpNetwork.BatchNormState? s) => s is null ? null : new(V(s.Gamma), V(s.Beta), V(s.RunningMean), V(s.RunningVariance));

    private static Vec<double>[] V(double[][] a) => a.Select(v => Vec<double>.Of(v)).ToArray();
}

/// <summary>A multi-layer perceptron for regression trained by back-propagation on the autodiff core, following scikit-learn
/// 1.2.1's <c>MLPRegressor</c>: identity output, squared loss, L2 penalty, Glorot-uniform initialisation, Adam or SGD on
/// mini-batches, stopping on the training loss (or the held-out R² with early stopping).</summary>
/// <remarks>
/// Objective per mini-batch B: (1/2|B|) Σ (ŷ - y)² + (alpha / 2|B|) Σ_l ||W_l||² (loss=huber or absolute_error replaces the first term by the mean Huber loss or mean |ŷ - y|); the reported epoch loss is the batch losses
/// weighted by batch size over n (as scikit-learn's <c>loss_curve_</c>). Initialisation: W_l and b_l uniform on ±sqrt(f / (fan_in +
/// fan_out)) with f = 2 for logistic, 6 otherwise (Glorot &amp; Bengio, 2010, as scikit-learn). Adam: t-th step
/// lr_t = lr sqrt(1 - β2^t) / (1 - β1^t), m ← β1 m + (1 - β1) g, v ← β2 v + (1 - β2) g², w ← w - lr_t m / (sqrt(v) + ε).
/// Beyond scikit-learn: weight_decay λ_w &gt; 0 first multiplies every weight and bias by 1 - lr λ_w (AdamW), and lr_schedule sets lr
/// per epoch (step or cosine; <see cref="MlpLrSchedule"/>); both for adam only, and their defaults give scikit-learn's Adam.
/// Beyond scikit-learn: <see cref="MlpRegressorOptions.BatchNorm"/> normalises each hidden layer's x W + b before its activation
/// (PyTorch's <c>BatchNorm1d</c>; batch statistics in training, running ones in evaluation and prediction; the fitted state is
/// <see cref="MlpFit.BatchNorm"/>).
/// Stopping: an epoch whose loss is not below best - tol counts towards n_iter_no_change; one more than that stops (with
/// early stopping: the held-out R² not above best + tol, and the best weights are restored).
/// Random draws (initial weights, the early-stopping split, the epoch shuffles, dropout masks) come from the given seed's
/// SplitMix stream, not numpy's MT19937: results are reproducible here but are not scikit-learn's own numbers.
/// Determinism: every sum runs in a fixed order (see <see cref="Tape"/>), so the same seed gives the same bits on any CPU.
/// Training runs on the dense-network step (<c>DenseNetwork</c>, no tape): in float64 it computes the tape's graph operation by
/// operation and gives its bits (tested, and pinned on five real fits); <see cref="MlpRegressorOptions.Dtype"/> = Float32 runs it in
/// single precision.
/// Source: scikit-learn 1.2.1 <c>sklearn/neural_network/_multilayer_perceptron.py</c> and <c>_stochastic_optimizers.py</c>.
/// </remarks>
public static class MlpRegressor
{
    /// <summary>Fits the network.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite (scale them first: the pipeline standard-scales by default).</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <param name="rng">The stream of every random draw.</param>
    /// <returns>The model, or <c>param.out_of_range</c> (a hyper-parameter outside its range), <c>shape.rows_mismatch</c>,
    /// <c>data.too_few_rows</c>, <c>data.non_finite</c>, <c>fit.diverged</c> (the loss became infinite or NaN: lower
    /// learning_rate_init, set max_grad_norm or scale the features).</returns>
    public static Validation<Problem, MlpRegressorModel> Fit(MlpRegressorOptions options, Matrix x, IReadOnlyList<double> y, Rng rng)
    {
        var problems = Validate(options, x, y);
        if (problems.Count > 0) return Valid.Fail<MlpRegressorModel>(problems);

        var (lo, hi) = MlpNetwork.Ranges(x);
        var (initStream, rest) = rng.Split();
        var sizes = MlpNetwork.Sizes(x.Cols, options.HiddenLayerSizes, 1);
        var (coefs, intercepts) = MlpNetwork.Initialise(sizes, options.Activation, initStream);
        return Train(options, x, y, sizes, coefs, intercepts, lo, hi, rest);
    }

    /// <summary>Trains from given initial weights (scikit-learn's own draws in the parity test, which replays its training).</summary>
    internal static Validation<Problem, MlpRegressorModel> FitFrom(MlpRegressorOptions options, Matrix x, IReadOnlyList<double> y,
        double[][] coefs, double[][] intercepts, Rng rng)
    {
        var sizes = MlpNetwork.Sizes(x.Cols, options.HiddenLayerSizes, 1);
        var (lo, hi) = MlpNetwork.Ranges(x);
        return Train(options, x, y, sizes, coefs.Select(c => (double[])c.Clone()).ToArray(), intercepts.Select(b => (double[])b.Clone()).ToArray(), lo, hi, rng);
    }

    /// <summary>Fits the network while watching held-out rows: after each epoch the data term of the loss (half squared error for
    /// squared_error, else the Huber or absolute loss, without the L2 term) on <paramref name="xHeld"/>; the held-out rows never steer
    /// training, and the model is the one <see cref="Fit"/> gives for the same arguments, bit for bit.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Training features, shape (n_samples, n_features).</param>
    /// <param name="y">Training targets, length n_samples.</param>
    /// <param name="xHeld">Held-out features, shape (n_held, n_features).</param>
    /// <param name="yHeld">Held-out targets, length n_held.</param>
    /// <param name="rng">The stream of every random draw (as for <see cref="Fit"/>).</param>
    /// <returns>The model and the held-out loss per epoch (length n_iter), or the problems of <see cref="Fit"/> and <c>shape.rows_mismatch</c>.</returns>
    public static Validation<Problem, (MlpRegressorModel Model, IReadOnlyList<double> HeldOutLoss)> FitWatching(MlpRegressorOptions options, Matrix x,
        IReadOnlyList<double> y, Matrix xHeld, IReadOnlyList<double> yHeld, Rng rng)
    {
        if (xHeld.Rows != yHeld.Count || xHeld.Cols != x.Cols)
            return Valid.Fail<(MlpRegressorModel, IReadOnlyList<double>)>("shape.rows_mismatch",
                $"held-out rows: x is {xHeld.Rows} x {xHeld.Cols}, y has {yHeld.Count} values; expected one target per row and {x.Cols} features");
        var heldIdx = Enumerable.Range(0, xHeld.Rows).ToArray();
        var (lo, hi) = MlpNetwork.Ranges(x);
        var xs = options.ClipInputs ? MlpNetwork.Clip(xHeld, lo, hi) : xHeld;
        return FitCore(options, x, y, rng, (c, b, bn) => DataLoss(options, MlpNetwork.Forward(options, c, b, bn, xs, heldIdx), yHeld))
            .Map(t => (t.Model, (IReadOnlyList<double>)t.Watched));
    }

    private static Validation<Problem, (MlpRegressorModel Model, List<double> Watched)> FitCore(MlpRegressorOptions options, Matrix x, IReadOnlyList<double> y, Rng rng,
        Func<double[][], double[][], MlpNetwork.BatchNormState?, double> watch)
    {
        var problems = Validate(options, x, y);
        if (problems.Count > 0) return Valid.Fail<(MlpRegressorModel, List<double>)>(problems);
        var (lo, hi) = MlpNetwork.Ranges(x);
        var (initStream, rest) = rng.Split();
        var sizes = MlpNetwork.Sizes(x.Cols, options.HiddenLayerSizes, 1);
        var (coefs, intercepts) = MlpNetwork.Initialise(sizes, options.Activation, initStream);
        return MlpNetwork.Train(options, new Head(options, y), x, sizes, coefs, intercepts, rest, watch)
            .Map(t => (Model(options, sizes, t, lo, hi), t.Watched));
    }

    /// <summary>The data term of the loss of predictions (half mean squared error, mean Huber or mean absolute error).</summary>
    private static double DataLoss(MlpRegressorOptions o, double[] pred, IReadOnlyList<double> y)
    {
        var terms = new double[pred.Length];
        for (var i = 0; i < pred.Length; i++)
        {
            var d = pred[i] - y[i];
            var a = Math.Abs(d);
            terms[i] = o.Loss switch
            {
                MlpLoss.Huber => a <= o.HuberDelta ? 0.5 * d * d : o.HuberDelta * (a - 0.5 * o.HuberDelta),
                MlpLoss.AbsoluteError => a,
                _ => 0.5 * d * d,
            };
        }
        return Reduce.Sum(terms) / Math.Max(1, terms.Length);
    }

    private static MlpRegressorModel Model(MlpRegressorOptions options, List<int> sizes, MlpNetwork.Trained t, double[] lo, double[] hi) =>
        new(options, t.Coefs.Select((c, l) => Matrix.FromRowMajor(sizes[l], sizes[l + 1], c)).ToArray(),
            t.Intercepts.Select(b => Vec<double>.Of(b)).ToArray(), t.LossCurve, t.Scores, t.BestLoss, Vec<double>.Of(lo), Vec<double>.Of(hi))
        { BatchNorm = MlpBatchNorm.Of(t.BatchNorm) };

    private static Validation<Problem, MlpRegressorModel> Train(MlpRegressorOptions options, Matrix x, IReadOnlyList<double> y, List<int> sizes,
        double[][] coefs, double[][] intercepts, double[] lo, double[] hi, Rng rest) =>
        MlpNetwork.Train(options, new Head(options, y), x, sizes, coefs, intercepts, rest).Map(t => Model(options, sizes, t, lo, hi));

    /// <summary>Identity output, squared (or Huber, absolute) loss, R² as the early-stopping score.</summary>
    private sealed class Head(MlpRegressorOptions o, IReadOnlyList<double> y) : IMlpHead
    {
        public (DenseLoss Loss, double[] Targets)? Dense =>
            (o.Loss switch { MlpLoss.Huber => DenseLoss.Huber, MlpLoss.AbsoluteError => DenseLoss.Absolute, _ => DenseLoss.HalfSquared }, [.. y]);

        public Func<double[], int[], double>? Reported => null;

        public (Var Loss, double? Reported) Loss(Var output, int[] idx)
        {
            var target = output.Tape.Constant(Tensor.Own(idx.Select(i => y[i]).ToArray(), [idx.Length, 1]));
            // scikit-learn: squared_loss = mean((y - p)^2) / 2.
            return (o.Loss switch
            {
                MlpLoss.Huber => Ops.HuberLoss(output, target, o.HuberDelta),
                MlpLoss.AbsoluteError => Ops.MaeLoss(output, target),
                _ => Ops.Scale(Ops.MseLoss(output, target), 0.5),
            }, null);
        }

        public double Score(double[] output, int[] held) => R2(output, held.Select(i => y[i]).ToArray());

        public (int[] Train, int[] Held) Split(int n, double fraction, Rng stream) => MlpNetwork.RandomSplit(n, fraction, stream);
    }

    /// <summary>Predictions of a fitted network.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n, n_features) with the training's n_features.</param>
    /// <returns>n predictions.</returns>
    /// <remarks>With <see cref="MlpRegressorOptions.ClipInputs"/> each feature is first clamped to [FeatureMin, FeatureMax].</remarks>
    public static double[] Predict(MlpRegressorModel model, Matrix x)
    {
        if (model.Options.ClipInputs)
            x = MlpNetwork.Clip(x, model.FeatureMin, model.FeatureMax);
        return MlpNetwork.Forward(model.Options, model.Coefs.Select(c => c.Data.ToArray()).ToArray(), model.Intercepts.Select(b => b.ToArray()).ToArray(),
            model.BatchNorm?.ToState(), x, Enumerable.Range(0, x.Rows).ToArray());
    }

    /// <summary>The learned state for a model file: per layer <c>coefs_</c> (fan_in, fan_out) and <c>intercepts_</c>, and the history.</summary>
    internal static StateNode Write(MlpRegressorModel model) =>
        MlpNetwork.Write(new StateNode(), model);

    /// <summary>Reads a model written by <see cref="Write"/>: the layers chain (each fan_out is the next fan_in), their count and
    /// widths are those of hidden_layer_sizes, the output has one unit, every weight is finite.</summary>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the entry.</returns>
    internal static Validation<Problem, MlpRegressorModel> Read(MlpRegressorOptions options, StateReader r)
    {
        var (coefs, intercepts) = MlpNetwork.ReadLayers(r, options.HiddenLayerSizes, 1);
        var h = MlpNetwork.ReadHistory(r, options.MaxIter, coefs);
        var bn = MlpNetwork.ReadBatchNorm(r, options);
        return ModelState.Finish(r, () => new MlpRegressorModel(options, coefs, intercepts, h.Loss, h.Scores, h.Best, h.FeatureMin, h.FeatureMax) { BatchNorm = bn });
    }

    private static List<Problem> Validate(MlpRegressorOptions options, Matrix x, IReadOnlyList<double> y)
    {
        var problems = MlpNetwork.Check(options);
        if (x.Rows != y.Count) problems.Add(new Problem("shape.rows_mismatch", $"x has {x.Rows} rows but y has {y.Count} values; give one target per row"));
        var minRows = options.EarlyStopping ? 3 : 1;
        if (x.Rows < minRows) problems.Add(new Problem("data.too_few_rows", $"{x.Rows} rows; an MLP needs at least {minRows}{(options.EarlyStopping ? " with early_stopping (training and held-out rows)" : "")}"));
        for (var i = 0; i < x.Rows && problems.Count == 0; i++)
        {
            foreach (var v in x.Row(i))
                if (!double.IsFinite(v)) { problems.Add(new Problem("data.non_finite", $"row {i + 1} has a non-finite feature; impute or drop it", i + 1)); break; }
            if (problems.Count == 0 && !double.IsFinite(y[i])) problems.Add(new Problem("data.non_finite", $"row {i + 1} has a non-finite target", i + 1));
        }
        return problems;
    }

    private static double R2(double[] pred, double[] y)
    {
        var mean = Reduce.Sum(y) / y.Length;
        double ssRes = 0, ssTot = 0;
        for (var i = 0; i < y.Length; i++)
        {
            ssRes += (y[i] - pred[i]) * (y[i] - pred[i]);
            ssTot += (y[i] - mean) * (y[i] - mean);
        }
        return ssTot == 0 ? (ssRes == 0 ? 1 : 0) : 1 - ssRes / ssTot;
    }
}
