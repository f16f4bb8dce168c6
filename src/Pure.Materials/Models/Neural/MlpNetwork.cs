using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;

namespace Pure.Materials.Models.Neural;

/// <summary>What distinguishes a regression network from a classification one: the data term of the loss,
/// the early-stopping score and split.</summary>
internal interface IMlpHead
{
    /// <summary>The data term of a mini-batch's loss on the tape (its gradient drives training) and, when the reported loss is
    /// computed otherwise (scikit-learn's clipped log-loss), that value; null reports the tape's value.</summary>
    /// <param name="output">The last layer's pre-activation, shape (batch, Outputs).</param>
    /// <param name="idx">The batch's rows.</param>
    (Var Loss, double? Reported) Loss(Var output, int[] idx);

    /// <summary>The early-stopping score (higher is better) of the last layer's pre-activations on held-out rows.</summary>
    /// <param name="output">Row-major, shape (held.Length, Outputs).</param>
    /// <param name="held">The held-out rows.</param>
    double Score(double[] output, int[] held);

    /// <summary>Splits the rows into training and held-out ones (early stopping); both sorted ascending.</summary>
    (int[] Train, int[] Held) Split(int n, double fraction, Rng stream);

    /// <summary>The data term of the dense-network step and one target per row of x (a value; 0 or 1 for
    /// <see cref="DenseLoss.Logistic"/>; the class index for <see cref="DenseLoss.Softmax"/>); null trains on the tape with
    /// <see cref="Loss"/> (kept to test the dense step against the tape).</summary>
    (DenseLoss Loss, double[] Targets)? Dense { get; }

    /// <summary>The reported data term of a dense-step batch from its output layer (idx.Length, Outputs) row-major in float64 and
    /// the batch's rows (scikit-learn's clipped log-loss for the classifier); null reports the dense step's own value.</summary>
    Func<double[], int[], double>? Reported { get; }
}

/// <summary>The network and training loop shared by <c>MlpRegressor</c> and <c>MlpClassifier</c>: scikit-learn 1.2.1's
/// <c>BaseMultilayerPerceptron._fit_stochastic</c>. Each mini-batch step runs on <see cref="DenseNetwork{T}"/> (float64, the
/// tape's bits, or float32; see <c>MlpNetwork.Trainer.cs</c>).</summary>
internal static partial class MlpNetwork
{
    /// <summary>The result of training: final (or best, with early stopping) weights and the history.</summary>
    internal sealed record Trained(double[][] Coefs, double[][] Intercepts, List<double> LossCurve, List<double> Scores, double BestLoss, List<double> Watched,
        BatchNormState? BatchNorm = null);

    /// <summary>The hidden layers' batch-norm parameters and running statistics in float64 (see <see cref="MlpRegressorOptions.BatchNorm"/>).</summary>
    internal sealed record BatchNormState(double[][] Gamma, double[][] Beta, double[][] RunningMean, double[][] RunningVariance)
    {
        /// <summary>PyTorch's initial state: gamma 1, beta 0, running mean 0, running variance 1, per hidden layer of the given widths.</summary>
        internal static BatchNormState Initial(IEnumerable<int> hidden)
        {
            var widths = hidden.ToArray();
            double[][] Filled(double v) => widths.Select(w => Enumerable.Repeat(v, w).ToArray()).ToArray();
            return new(Filled(1), Filled(0), Filled(0), Filled(1));
        }

        internal BatchNormState Copy() => new(Copy(Gamma), Copy(Beta), Copy(RunningMean), Copy(RunningVariance));

        private static double[][] Copy(double[][] a) => a.Select(v => (double[])v.Clone()).ToArray();
    }

    /// <summary>Layer widths: n_features, the hidden layers, the outputs.</summary>
    internal static List<int> Sizes(int nFeatures, IReadOnlyList<int> hidden, int outputs)
    {
        var sizes = new List<int> { nFeatures };
        sizes.AddRange(hidden);
        sizes.Add(outputs);
        return sizes;
    }

    /// <summary>Per feature, the smallest and largest training value (what clip_inputs clamps to).</summary>
    internal static (double[] Lo, double[] Hi) Ranges(Matrix x)
    {
        var lo = new double[x.Cols];
        var hi = new double[x.Cols];
        Array.Fill(lo, double.PositiveInfinity);
        Array.Fill(hi, double.NegativeInfinity);
        for (var i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            for (var j = 0; j < row.Length; j++)
            {
                lo[j] = Math.Min(lo[j], row[j]);
                hi[j] = Math.Max(hi[j], row[j]);
            }
        }
        return (lo, hi);
    }

    /// <summary>Glorot-uniform weights and biases on ±sqrt(f / (fan_in + fan_out)), f = 2 for logistic, 6 otherwise.</summary>
    internal static (double[][] Coefs, double[][] Intercepts) Initialise(List<int> sizes, MlpActivation activation, Rng rng)
    {
        var cursor = new RngCursor(rng);
        var factor = activation == MlpActivation.Logistic ? 2.0 : 6.0;
        var coefs = new double[sizes.Count - 1][];
        var intercepts = new double[sizes.Count - 1][];
        for (var l = 0; l < sizes.Count - 1; l++)
        {
            var bound = Math.Sqrt(factor / (sizes[l] + sizes[l + 1]));
            coefs[l] = new double[sizes[l] * sizes[l + 1]];
            for (var i = 0; i < coefs[l].Length; i++) coefs[l][i] = -bound + 2 * bound * cursor.NextDouble();
            intercepts[l] = new double[sizes[l + 1]];
            for (var i = 0; i < intercepts[l].Length; i++) intercepts[l][i] = -bound + 2 * bound * cursor.NextDouble();
        }
        return (coefs, intercepts);
    }

    /// <summary>The rows split at random: ceil(fraction n) held out (at least one each side).</summary>
    internal static (int[] Train, int[] Held) RandomSplit(int n, double fraction, Rng stream)
    {
        var shuffled = Enumerable.Range(0, n).ToArray();
        new RngCursor(stream).Shuffle<int>(shuffled);
        var nHeld = Math.Clamp((int)Math.Ceiling(fraction * n), 1, n - 1);
        return (shuffled[nHeld..].Order().ToArray(), shuffled[..nHeld].Order().ToArray());
    }

    /// <summary>The optimiser of the options: <see cref="Adam"/> (AdamW with weight_decay &gt; 0, decaying every weight and bias) or
    /// <see cref="Sgd"/> (the L2 term alpha is in the loss, not here).</summary>
    internal static IOptimizer Optimizer(MlpRegressorOptions o, IReadOnlyList<int> lengths) => o.Solver == MlpSolver.Adam
        ? new Adam(new AdamOptions(o.Beta1, o.Beta2, o.Epsilon, WeightDecay: o.WeightDecay), lengths)
        : new Sgd(new SgdOptions(o.Momentum, o.NesterovsMomentum), lengths);

    /// <summary>Trains from the given initial weights (modified in place). <paramref name="watch"/>, when given, is called after each
    /// epoch with the current weights; its values (e.g. a held-out loss that never steers training) are returned in
    /// <see cref="Trained.Watched"/>. <paramref name="split"/>, when given with early stopping, replaces the head's split: training
    /// rows in that batch order (the parity test replays scikit-learn's <c>train_test_split</c>).</summary>
    internal static Validation<Problem, Trained> Train(MlpRegressorOptions options, IMlpHead head, Matrix x, List<int> sizes,
        double[][] coefs, double[][] intercepts, Rng rest, Func<double[][], double[][], BatchNormState?, double>? watch = null, (int[] Train, int[] Held)? split = null)
    {
        var bn = options.BatchNorm ? BatchNormState.Initial(sizes.Skip(1).SkipLast(1)) : null;
        var (splitStream, trainStream) = rest.Split();
        int[] train = Enumerable.Range(0, x.Rows).ToArray(), held = [];
        if (options.EarlyStopping) (train, held) = split ?? head.Split(x.Rows, options.ValidationFraction, splitStream);
        var n = train.Length;
        var batch = Math.Clamp(options.BatchSize ?? Math.Min(200, n), 1, n);
        var invScaling = new LearningRateSchedule.InvScaling(options.PowerT);
        var lossCurve = new List<double>();
        var scores = new List<double>();
        var watched = new List<double>();
        var best = double.PositiveInfinity;
        var bestScore = double.NegativeInfinity;
        (double[][] C, double[][] B, BatchNormState? N)? bestWeights = null;
        var noImprovement = 0;
        var learningRate = options.LearningRateInit;
        var schedule = AdamSchedule(options);
        long samplesSeen = 0;
        var cursor = new RngCursor(trainStream);
        var order = (int[])train.Clone();
        var trainer = Trainer(options, head, sizes, coefs, intercepts, bn, x);
        for (var epoch = 0; epoch < options.MaxIter; epoch++)
        {
            if (options.Shuffle) cursor.Shuffle<int>(order);
            if (schedule is not null) learningRate = schedule.Rate(options.LearningRateInit, epoch, samplesSeen);
            var total = 0.0;
            for (var start = 0; start < n; start += batch)
            {
                var idx = order.AsSpan(start, Math.Min(batch, n - start)).ToArray();
                var (loss, next) = trainer.Step(idx, cursor.ToRng(), learningRate);
                cursor = new RngCursor(next);
                total += loss * idx.Length;
            }
            trainer.CopyTo(coefs, intercepts, bn);
            var epochLoss = total / n;
            samplesSeen += n;
            if (options.Solver == MlpSolver.Sgd && options.LearningRate == MlpLearningRate.InvScaling)
                learningRate = invScaling.Rate(options.LearningRateInit, epoch + 1, samplesSeen);
            if (!double.IsFinite(epochLoss) || coefs.Any(c => c.Any(v => !double.IsFinite(v))))
                return Valid.Fail<Trained>("fit.diverged",
                    $"the training loss became {(double.IsNaN(epochLoss) ? "NaN" : "infinite")} at epoch {epoch + 1}; lower learning_rate_init (now {options.LearningRateInit}), set max_grad_norm, or scale the features");
            lossCurve.Add(epochLoss);
            if (watch is not null) watched.Add(watch(coefs, intercepts, bn));

            // scikit-learn's _update_no_improvement_count.
            if (options.EarlyStopping)
            {
                var score = head.Score(Forward(options, coefs, intercepts, bn, x, held), held);
                scores.Add(score);
                noImprovement = score < bestScore + options.Tol ? noImprovement + 1 : 0;
                if (score > bestScore)
                {
                    bestScore = score;
                    bestWeights = (coefs.Select(c => (double[])c.Clone()).ToArray(), intercepts.Select(b => (double[])b.Clone()).ToArray(), bn?.Copy());
                }
            }
            else
            {
                noImprovement = epochLoss > best - options.Tol ? noImprovement + 1 : 0;
                if (epochLoss < best) best = epochLoss;
            }
            if (noImprovement > options.NIterNoChange)
            {
                // scikit-learn's SGDOptimizer.trigger_stopping: the adaptive schedule divides the rate by 5 instead of stopping.
                if (options.Solver == MlpSolver.Sgd && options.LearningRate == MlpLearningRate.Adaptive && learningRate > 1e-6)
                {
                    learningRate /= 5;
                    noImprovement = 0;
                    continue;
                }
                break;
            }
        }
        if (bestWeights is { } bw)
        {
            coefs = bw.C;
            intercepts = bw.B;
            bn = bw.N;
        }
        return Valid.Ok(new Trained(coefs, intercepts, lossCurve, scores, options.EarlyStopping ? double.NaN : best, watched, bn));
    }

    /// <summary>lr_schedule for solver=adam: null for constant (learning_rate_init throughout, scikit-learn's Adam), else
    /// <see cref="LearningRateSchedule.StepDecay"/> (lr_step_size, lr_gamma) or <see cref="LearningRateSchedule.Cosine"/> over max_iter
    /// epochs down to lr_min, evaluated at the start of each epoch (0-based).</summary>
    internal static LearningRateSchedule? AdamSchedule(MlpRegressorOptions o) => o.Solver != MlpSolver.Adam ? null : o.LrSchedule switch
    {
        MlpLrSchedule.Step => new LearningRateSchedule.StepDecay(o.LrStepSize, o.LrGamma),
        MlpLrSchedule.Cosine => new LearningRateSchedule.Cosine(o.MaxIter, o.LrMin),
        _ => null,
    };

    internal static Activation CoreActivation(MlpActivation a) => a switch
    {
        MlpActivation.Relu => Activation.Relu,
        MlpActivation.Tanh => Activation.Tanh,
        MlpActivation.Logistic => Activation.Sigmoid,
        _ => Activation.Identity,
    };

    /// <summary>Loss and gradients (coefs then intercepts) of one mini-batch.</summary>
    private static (double Loss, double[][] Grads, Rng Next) BatchGradients(MlpRegressorOptions o, IMlpHead head, List<int> sizes, double[][] coefs,
        double[][] intercepts, Matrix x, int[] idx, Rng rng)
    {
        var tape = new Tape();
        var h = RowsConstant(tape, x, idx);
        var w = coefs.Select((c, l) => tape.Parameter(Tensor.Own(c, [sizes[l], sizes[l + 1]]))).ToArray();
        var b = intercepts.Select(v => tape.Parameter(Tensor.Own(v, [v.Length]))).ToArray();
        for (var l = 0; l < w.Length; l++)
        {
            if (l < w.Length - 1)
            {
                // The fused op gives the bits of the activation of Add(...), values and gradients (DenseNetworkTests).
                h = Ops.BiasActivation(Ops.MatMul(h, w[l]), b[l], CoreActivation(o.Activation));
                (h, rng) = Ops.Dropout(h, o.Dropout, rng, training: true);
            }
            else h = Ops.Add(Ops.MatMul(h, w[l]), b[l]);
        }
        var (loss, reported) = head.Loss(h, idx);
        // scikit-learn: loss + alpha / (2 n_batch) * sum ||W||^2 (weights only, not biases).
        Var? scaledPenalty = null;
        if (o.Alpha > 0)
        {
            Var? penalty = null;
            foreach (var wl in w)
            {
                var sq = Ops.Sum(Ops.Mul(wl, wl));
                penalty = penalty is null ? sq : Ops.Add(penalty, sq);
            }
            scaledPenalty = Ops.Scale(penalty!, o.Alpha / (2.0 * idx.Length));
            loss = Ops.Add(loss, scaledPenalty);
        }
        var g = tape.Backward(loss);
        var value = reported is { } r0 ? r0 + (scaledPenalty?.Value.Single ?? 0.0) : loss.Value.Single;
        return (value, [.. w.Select(v => g.Of(v).ToArray()), .. b.Select(v => g.Of(v).ToArray())], rng);
    }

    /// <summary>The last layer's pre-activations for the given rows, row-major (rows, outputs), in evaluation mode: with batch norm
    /// (<paramref name="bn"/> not null) each hidden layer is act(BatchNormEval(x W + b)) with the running statistics.</summary>
    internal static double[] Forward(MlpRegressorOptions o, double[][] coefs, double[][] intercepts, BatchNormState? bn, Matrix x, int[] idx) =>
        bn is null ? Forward(o.Activation, coefs, intercepts, x, idx) : ForwardBatchNorm(o, coefs, intercepts, bn, x, idx);

    private static double[] ForwardBatchNorm(MlpRegressorOptions o, double[][] coefs, double[][] intercepts, BatchNormState bn, Matrix x, int[] idx)
    {
        var tape = new Tape();
        var h = RowsConstant(tape, x, idx);
        var fanIn = x.Cols;
        for (var l = 0; l < coefs.Length; l++)
        {
            var fanOut = intercepts[l].Length;
            var z = Ops.Add(Ops.MatMul(h, tape.Constant(Tensor.Own(coefs[l], [fanIn, fanOut]))), tape.Constant(Tensor.Own(intercepts[l], [fanOut])));
            h = l < coefs.Length - 1
                ? Activate(Ops.BatchNormEval(z, tape.Constant(Tensor.Own(bn.Gamma[l], [fanOut])), tape.Constant(Tensor.Own(bn.Beta[l], [fanOut])),
                    Tensor.Own(bn.RunningMean[l], [fanOut]), Tensor.Own(bn.RunningVariance[l], [fanOut]), o.BatchNormEpsilon), CoreActivation(o.Activation))
                : z;
            fanIn = fanOut;
        }
        return h.Value.ToArray();
    }

    /// <summary>Rows <paramref name="idx"/> of <paramref name="x"/> copied into a constant of shape (idx.Length, x.Cols) on <paramref name="tape"/>.</summary>
    private static Var RowsConstant(Tape tape, Matrix x, int[] idx)
    {
        var rows = new double[idx.Length * x.Cols];
        for (var r = 0; r < idx.Length; r++) x.Row(idx[r]).CopyTo(rows.AsSpan(r * x.Cols));
        return tape.Constant(Tensor.Own(rows, [idx.Length, x.Cols]));
    }

    /// <summary>The hidden activation as its own tape operation.</summary>
    internal static Var Activate(Var v, Activation a) => a switch
    {
        Activation.Relu => Ops.Relu(v),
        Activation.Tanh => Ops.Tanh(v),
        Activation.Sigmoid => Ops.Sigmoid(v),
        _ => v,
    };

    /// <summary>The last layer's pre-activations for the given rows, row-major (rows, outputs), without batch norm.</summary>
    internal static double[] Forward(MlpActivation activation, double[][] coefs, double[][] intercepts, Matrix x, int[] idx)
    {
        var tape = new Tape();
        var h = RowsConstant(tape, x, idx);
        var fanIn = x.Cols;
        for (var l = 0; l < coefs.Length; l++)
        {
            var fanOut = intercepts[l].Length;
            var product = Ops.MatMul(h, tape.Constant(Tensor.Own(coefs[l], [fanIn, fanOut])));
            var bias = tape.Constant(Tensor.Own(intercepts[l], [fanOut]));
            h = l < coefs.Length - 1 ? Ops.BiasActivation(product, bias, CoreActivation(activation)) : Ops.Add(product, bias);
            fanIn = fanOut;
        }
        return h.Value.ToArray();
    }

    /// <summary>Checks the hyper-parameters shared by the regressor and the classifier.</summary>
    internal static List<Problem> Check(MlpRegressorOptions o)
    {
        var p = new List<Problem>();
        void Need(bool ok, string name, string range, object value)
        {
            if (!ok) p.Add(new Problem("param.out_of_range", $"{name} = {value} is outside {range}"));
        }
        Need(o.HiddenLayerSizes.Count >= 1 && o.HiddenLayerSizes.All(h => h >= 1), "hidden_layer_sizes", "one or more layer sizes >= 1", string.Join(",", o.HiddenLayerSizes));
        Need(o.Alpha >= 0 && double.IsFinite(o.Alpha), "alpha", "[0, inf)", o.Alpha);
        Need(o.BatchSize is null or >= 1, "batch_size", "an int >= 1 or auto", o.BatchSize!);
        Need(o.LearningRateInit > 0 && double.IsFinite(o.LearningRateInit), "learning_rate_init", "(0, inf)", o.LearningRateInit);
        Need(o.PowerT >= 0, "power_t", "[0, inf)", o.PowerT);
        Need(o.MaxIter >= 1, "max_iter", "[1, inf)", o.MaxIter);
        Need(o.Tol >= 0, "tol", "[0, inf)", o.Tol);
        Need(o.Momentum is >= 0 and <= 1, "momentum", "[0, 1]", o.Momentum);
        Need(o.ValidationFraction is > 0 and < 1, "validation_fraction", "(0, 1)", o.ValidationFraction);
        Need(o.Beta1 is >= 0 and < 1, "beta_1", "[0, 1)", o.Beta1);
        Need(o.Beta2 is >= 0 and < 1, "beta_2", "[0, 1)", o.Beta2);
        Need(o.Epsilon > 0, "epsilon", "(0, inf)", o.Epsilon);
        Need(o.NIterNoChange >= 1, "n_iter_no_change", "[1, inf)", o.NIterNoChange);
        Need(o.Dropout is >= 0 and < 1, "dropout", "[0, 1)", o.Dropout);
        Need(o.HuberDelta > 0 && double.IsFinite(o.HuberDelta), "huber_delta", "(0, inf)", o.HuberDelta);
        Need(o.MaxGradNorm is null or > 0, "max_grad_norm", "(0, inf) or None", o.MaxGradNorm!);
        Need(o.WeightDecay >= 0 && double.IsFinite(o.WeightDecay), "weight_decay", "[0, inf)", o.WeightDecay);
        Need(o.LrStepSize >= 1, "lr_step_size", "[1, inf)", o.LrStepSize);
        Need(o.LrGamma is > 0 and <= 1, "lr_gamma", "(0, 1]", o.LrGamma);
        Need(o.BatchNormMomentum is >= 0 and <= 1, "batch_norm_momentum", "[0, 1]", o.BatchNormMomentum);
        Need(o.BatchNormEpsilon > 0 && double.IsFinite(o.BatchNormEpsilon), "batch_norm_eps", "(0, inf)", o.BatchNormEpsilon);
        // lr_min is bounded by learning_rate_init only where it is used (cosine) and learning_rate_init itself is valid.
        Need(o.LrMin >= 0 && double.IsFinite(o.LrMin) && (o.LrSchedule != MlpLrSchedule.Cosine || !(o.LearningRateInit > 0) || o.LrMin < o.LearningRateInit),
            "lr_min", "[0, learning_rate_init)", o.LrMin);
        if (o.Solver == MlpSolver.Sgd && o.WeightDecay != 0)
            p.Add(new Problem("param.not_applicable", $"weight_decay = {o.WeightDecay} applies to solver=adam (AdamW); with sgd use alpha, or set solver=adam"));
        if (o.Solver == MlpSolver.Sgd && o.LrSchedule != MlpLrSchedule.Constant)
            p.Add(new Problem("param.not_applicable", $"lr_schedule = {o.LrSchedule.ToString().ToLowerInvariant()} applies to solver=adam; sgd's schedule is learning_rate (constant, invscaling or adaptive)"));
        return p;
    }

    /// <summary>Adds a fitted network's learned state to a model file's node: per layer <c>coefs_</c> (fan_in, fan_out) and
    /// <c>intercepts_</c>, then <c>loss_curve_</c>, <c>validation_scores_</c>, <c>best_loss_</c>, <c>feature_min_</c>, <c>feature_max_</c>.</summary>
    internal static StateNode Write(StateNode node, MlpFit fit)
    {
        node.Nodes("layers", fit.Coefs.Select((c, l) => new StateNode().Matrix("coefs_", c).Floats("intercepts_", fit.Intercepts[l].Span)))
            .Floats("loss_curve_", fit.LossCurve.ToArray()).Floats("validation_scores_", fit.ValidationScores.ToArray()).Float("best_loss_", fit.BestLoss)
            .Floats("feature_min_", fit.FeatureMin.Span).Floats("feature_max_", fit.FeatureMax.Span);
        // With batch_norm: per hidden layer gamma_, beta_, running_mean_, running_var_ (a model without it writes nothing more).
        if (fit.BatchNorm is { } bn)
            node.Nodes("batch_norm", bn.Gamma.Select((g, l) => new StateNode().Floats("gamma_", g.Span).Floats("beta_", bn.Beta[l].Span)
                .Floats("running_mean_", bn.RunningMean[l].Span).Floats("running_var_", bn.RunningVariance[l].Span)));
        return node;
    }

    /// <summary>Reads the batch norm <see cref="Write"/> wrote when <paramref name="o"/> has it (one node per hidden layer, vectors of its
    /// width, finite, running variances &gt;= 0), else null.</summary>
    internal static MlpBatchNorm? ReadBatchNorm(StateReader r, MlpRegressorOptions o)
    {
        if (!o.BatchNorm) return null;
        var nodes = r.Nodes("batch_norm", maxCount: 1024, count: o.HiddenLayerSizes.Count);
        var (g, b, m, v) = (new List<Vec<double>>(), new List<Vec<double>>(), new List<Vec<double>>(), new List<Vec<double>>());
        for (var l = 0; l < nodes.Count; l++)
        {
            var w = o.HiddenLayerSizes[l];
            g.Add(Vec<double>.Of(ModelState.Floats(nodes[l], "gamma_", w)));
            b.Add(Vec<double>.Of(ModelState.Floats(nodes[l], "beta_", w)));
            m.Add(Vec<double>.Of(ModelState.Floats(nodes[l], "running_mean_", w)));
            var variance = ModelState.Floats(nodes[l], "running_var_", w);
            if (variance.Any(x => x < 0)) nodes[l].Fail("running_var_", "has a negative variance");
            v.Add(Vec<double>.Of(variance));
        }
        return new MlpBatchNorm(g, b, m, v);
    }

    /// <summary>Reads the layers <see cref="Write"/> wrote: their count and widths those of <paramref name="hidden"/> and an output of
    /// <paramref name="outputs"/> units, each fan_out the next fan_in, every weight finite (failures recorded on the reader).</summary>
    internal static (List<Matrix> Coefs, List<Vec<double>> Intercepts) ReadLayers(StateReader r, IReadOnlyList<int> hidden, int outputs)
    {
        var layers = r.Nodes("layers", maxCount: 1024, count: hidden.Count + 1);
        var coefs = new List<Matrix>();
        var intercepts = new List<Vec<double>>();
        int? fanIn = null;
        for (var l = 0; l < layers.Count; l++)
        {
            var fanOut = l < hidden.Count ? hidden[l] : outputs;
            var c = ModelState.Matrix(layers[l], "coefs_", fanIn, fanOut);
            if (fanIn is null && c.Rows > ModelState.MaxFeatures) layers[l].Fail("coefs_", $"declares {c.Rows} features, more than {ModelState.MaxFeatures}");
            fanIn = fanOut;
            coefs.Add(c);
            intercepts.Add(Vec<double>.Of(ModelState.Floats(layers[l], "intercepts_", fanOut)));
        }
        return (coefs, intercepts);
    }

    /// <summary>Reads the history and feature ranges <see cref="Write"/> wrote: at most <paramref name="maxIter"/> epochs, one range
    /// per input of the first layer.</summary>
    internal static (double[] Loss, double[] Scores, double Best, Vec<double> FeatureMin, Vec<double> FeatureMax) ReadHistory(StateReader r, int maxIter,
        List<Matrix> coefs)
    {
        var loss = r.Floats("loss_curve_", finite: false);
        if (loss.Length > maxIter) r.Fail("loss_curve_", $"has {loss.Length} epochs, more than max_iter {maxIter}");
        var scores = r.Floats("validation_scores_", finite: false);
        var best = r.Float("best_loss_", finite: false);
        var nFeatures = coefs.Count > 0 ? coefs[0].Rows : 0;
        var featureMin = ModelState.Floats(r, "feature_min_", nFeatures);
        var featureMax = ModelState.Floats(r, "feature_max_", nFeatures);
        return (loss, scores, best, Vec<double>.Of(featureMin), Vec<double>.Of(featureMax));
    }

    /// <summary>Clamps each feature to [lo, hi] (clip_inputs).</summary>
    internal static Matrix Clip(Matrix x, IReadOnlyList<double> lo, IReadOnlyList<double> hi) =>
        Matrix.Build(x.Rows, x.Cols, (i, j) => Math.Clamp(x[i, j], lo[j], hi[j]));
}
