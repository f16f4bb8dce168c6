using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Core.Autodiff;
using Pure.Materials.Models.Classification;

namespace Pure.Materials.Models.Neural;

/// <summary>Hyper-parameters of <see cref="MlpClassifier"/>: scikit-learn 1.2.1's <c>MLPClassifier</c> has the parameters of
/// <c>MLPRegressor</c>, so the network is described by the same record.</summary>
public sealed record MlpClassifierOptions
{
    /// <summary>The network and its training (hidden_layer_sizes, activation, solver, alpha, batch_size, learning_rate,
    /// learning_rate_init, power_t, max_iter, shuffle, tol, momentum, nesterovs_momentum, early_stopping, validation_fraction,
    /// beta_1, beta_2, epsilon, n_iter_no_change, and beyond scikit-learn dropout, max_grad_norm, clip_inputs, weight_decay, lr_schedule, lr_step_size, lr_gamma, lr_min), with
    /// scikit-learn's defaults. <see cref="MlpRegressorOptions.Loss"/> and <see cref="MlpRegressorOptions.HuberDelta"/> must keep
    /// their defaults: the classifier's loss is the log-loss. <see cref="MlpRegressorOptions.Dtype"/> float32 trains in single
    /// precision, as for the regressor.</summary>
    public MlpRegressorOptions Network { get; init; } = new();
}

/// <summary>A fitted <see cref="MlpClassifier"/>.</summary>
/// <param name="Options">The options it was fitted with.</param>
/// <param name="Classes"><c>classes_</c>: the training labels, ascending (scikit-learn's <c>LabelBinarizer</c> order), at least 2.</param>
/// <param name="Coefs">Weights per layer (<c>coefs_</c>), shape (fan_in, fan_out); the last layer has 1 output for two classes
/// (the logit of Classes[1]), n_classes otherwise.</param>
/// <param name="Intercepts">Biases per layer (<c>intercepts_</c>), length fan_out.</param>
/// <param name="LossCurve">Training loss after each epoch (<c>loss_curve_</c>: mean log-loss plus the L2 term).</param>
/// <param name="ValidationScores">Accuracy on the held-out rows after each epoch with early stopping (<c>validation_scores_</c>), else empty.</param>
/// <param name="BestLoss">Lowest training loss (<c>best_loss_</c>; NaN with early stopping, as scikit-learn).</param>
/// <param name="FeatureMin">Per feature, the smallest training value (length n_features).</param>
/// <param name="FeatureMax">Per feature, the largest training value.</param>
public sealed record MlpClassifierModel(MlpClassifierOptions Options, IReadOnlyList<int> Classes, IReadOnlyList<Matrix> Coefs, IReadOnlyList<Vec<double>> Intercepts,
    IReadOnlyList<double> LossCurve, IReadOnlyList<double> ValidationScores, double BestLoss, Vec<double> FeatureMin, Vec<double> FeatureMax)
    : MlpFit(Coefs, Intercepts, LossCurve, ValidationScores, BestLoss, FeatureMin, FeatureMax)
{
    /// <summary><c>classes_</c>, ascending.</summary>
    public IReadOnlyList<int> Classes { get; init; } = Vec.From(Classes);
}

/// <summary>A multi-layer perceptron classifier trained by back-propagation, following scikit-learn 1.2.1's
/// <c>MLPClassifier</c>: one logistic output unit and the binary log-loss for two classes, a softmax output and the cross-entropy
/// for more; L2 penalty, Glorot-uniform initialisation, Adam or SGD on mini-batches; early stopping on the held-out accuracy.</summary>
/// <remarks>
/// Objective per mini-batch B, p the predicted probabilities clipped to [ε, 1 - ε] (ε = 2.2e-16, numpy's float64 eps):
/// two classes, -(1/|B|) Σ [y log p + (1 - y) log(1 - p)] with y = 1 for Classes[1]; K classes,
/// -(1/|B|) Σ log p_{y}; plus (alpha / 2|B|) Σ_l ||W_l||². The gradient is scikit-learn's: (p - y) / |B| at the output's
/// pre-activation (the clipping does not enter it). The reported epoch loss is the batch losses weighted by batch size over n.
/// Early stopping holds out ceil(validation_fraction n) rows, stratified by class for two classes and at random for more (as
/// scikit-learn, which does not stratify its multi-class split), and scores them by accuracy; the best weights are restored.
/// Labels: probability &gt; 0.5 gives Classes[1] for two classes (<c>LabelBinarizer.inverse_transform</c>), the first most probable
/// class otherwise. Initialisation, optimisers, stopping and determinism: as <see cref="MlpRegressor"/>; random draws come from the
/// given seed's SplitMix stream, not numpy's MT19937. Each mini-batch step runs on the dense-network step
/// (<c>Core/Autodiff/DenseNetwork.cs</c>, <c>DenseLoss.Logistic</c> or <c>DenseLoss.Softmax</c>), which in float64 gives the
/// autodiff tape's graph (<c>Ops.BceWithLogitsLoss</c>, <c>Ops.CrossEntropyLoss</c>) bit for bit, so a fit is the one the tape
/// gave (tested); <see cref="MlpRegressorOptions.Dtype"/> float32 runs it in single precision (weights stored exactly as float64,
/// prediction in float64).
/// Source: scikit-learn 1.2.1 <c>sklearn/neural_network/_multilayer_perceptron.py</c> (<c>MLPClassifier</c>) and <c>_base.py</c>
/// (<c>log_loss</c>, <c>binary_log_loss</c>).
/// </remarks>
public static class MlpClassifier
{
    private const double Eps = 2.220446049250313e-16; // np.finfo(np.float64).eps

    /// <summary>Fits the network.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite (scale them first: the pipeline standard-scales by default).</param>
    /// <param name="y">Labels, length n_samples, at least 2 distinct values.</param>
    /// <param name="rng">The stream of every random draw.</param>
    /// <returns>The model, or <c>param.out_of_range</c>, <c>param.not_applicable</c> (a regression loss set), the problems of
    /// <see cref="ClassifierChecks.Check"/>, <c>data.too_few_rows</c>, <c>fit.diverged</c>.</returns>
    public static Validation<Problem, MlpClassifierModel> Fit(MlpClassifierOptions options, Matrix x, IReadOnlyList<int> y, Rng rng) =>
        FitCore(options, x, y, rng, null, null, null).Map(t => t.Model);

    /// <summary>Fits as <see cref="Fit"/> does on the autodiff tape in float64 with the public optimisers (the classifier's former
    /// path): the reference the dense-network step is tested against, bit for bit.</summary>
    internal static Validation<Problem, MlpClassifierModel> FitOnTape(MlpClassifierOptions options, Matrix x, IReadOnlyList<int> y, Rng rng) =>
        FitCore(options, x, y, rng, null, null, null, tape: true).Map(t => t.Model);

    /// <summary>Fits the network while watching held-out rows: after each epoch, the mean log-loss (scikit-learn's, without the L2
    /// term) on <paramref name="xHeld"/>; the held-out rows never steer training, and the model is the one <see cref="Fit"/> gives
    /// for the same arguments, bit for bit.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Training features, shape (n_samples, n_features).</param>
    /// <param name="y">Training labels, length n_samples.</param>
    /// <param name="xHeld">Held-out features, shape (n_held, n_features).</param>
    /// <param name="yHeld">Held-out labels, length n_held; a label not among the training classes counts as probability ε.</param>
    /// <param name="rng">The stream of every random draw (as for <see cref="Fit"/>).</param>
    /// <returns>The model and the held-out log-loss per epoch (length n_iter), or the problems of <see cref="Fit"/> and <c>shape.rows_mismatch</c>.</returns>
    public static Validation<Problem, (MlpClassifierModel Model, IReadOnlyList<double> HeldOutLoss)> FitWatching(MlpClassifierOptions options, Matrix x,
        IReadOnlyList<int> y, Matrix xHeld, IReadOnlyList<int> yHeld, Rng rng)
    {
        if (xHeld.Rows != yHeld.Count || xHeld.Cols != x.Cols)
            return Valid.Fail<(MlpClassifierModel, IReadOnlyList<double>)>("shape.rows_mismatch",
                $"held-out rows: x is {xHeld.Rows} x {xHeld.Cols}, y has {yHeld.Count} labels; expected one label per row and {x.Cols} features");
        return FitCore(options, x, y, rng, (xHeld, yHeld), null, null).Map(t => (t.Model, (IReadOnlyList<double>)t.Watched));
    }

    /// <summary>Trains from given initial weights and, with early stopping, a given split (training rows in batch order): the parity
    /// test replays scikit-learn's own draws.</summary>
    internal static Validation<Problem, MlpClassifierModel> FitFrom(MlpClassifierOptions options, Matrix x, IReadOnlyList<int> y,
        double[][] coefs, double[][] intercepts, Rng rng, (int[] Train, int[] Held)? split = null) =>
        FitCore(options, x, y, rng, null, (coefs.Select(c => (double[])c.Clone()).ToArray(), intercepts.Select(b => (double[])b.Clone()).ToArray()), split)
            .Map(t => t.Model);

    private static Validation<Problem, (MlpClassifierModel Model, List<double> Watched)> FitCore(MlpClassifierOptions options, Matrix x, IReadOnlyList<int> y, Rng rng,
        (Matrix X, IReadOnlyList<int> Y)? heldOut, (double[][] C, double[][] B)? initial, (int[] Train, int[] Held)? split, bool tape = false)
    {
        var o = options.Network;
        var check = ClassifierChecks.Check(x, y);
        var problems = new List<Problem>(check.Problems());
        problems.AddRange(MlpNetwork.Check(o));
        if (o.Loss != MlpLoss.SquaredError || o.HuberDelta != 1.0)
            problems.Add(new Problem("param.not_applicable", $"loss = {o.Loss} and huber_delta = {o.HuberDelta} apply to the regressor; the classifier's loss is the log-loss: leave them unset"));
        if (o.EarlyStopping && x.Rows < 3)
            problems.Add(new Problem("data.too_few_rows", $"{x.Rows} rows; an MLP with early_stopping needs at least 3 (training and held-out rows)"));
        if (problems.Count > 0) return Valid.Fail<(MlpClassifierModel, List<double>)>(problems);

        var classes = check.OrThrow();
        var index = ClassifierChecks.IndexOf(classes, y);
        var outputs = classes.Length == 2 ? 1 : classes.Length;
        var (lo, hi) = MlpNetwork.Ranges(x);
        var (initStream, rest) = rng.Split();
        var sizes = MlpNetwork.Sizes(x.Cols, o.HiddenLayerSizes, outputs);
        var (coefs, intercepts) = initial ?? MlpNetwork.Initialise(sizes, o.Activation, initStream);
        if (initial is not null) rest = rng;
        Func<double[][], double[][], MlpNetwork.BatchNormState?, double>? watch = null;
        if (heldOut is { } h)
        {
            var map = classes.Select((c, k) => (c, k)).ToDictionary(t => t.c, t => t.k);
            var heldIndex = h.Y.Select(v => map.TryGetValue(v, out var k) ? k : -1).ToArray();
            var rows = Enumerable.Range(0, h.X.Rows).ToArray();
            var xs = o.ClipInputs ? MlpNetwork.Clip(h.X, lo, hi) : h.X;
            watch = (c, b, bn) => LogLoss(Probabilities(MlpNetwork.Forward(o, c, b, bn, xs, rows), outputs), outputs, heldIndex, rows);
        }
        return MlpNetwork.Train(o, new Head(index, outputs, tape), x, sizes, coefs, intercepts, rest, watch, split).Map(t => (new MlpClassifierModel(options, classes,
            t.Coefs.Select((c, l) => Matrix.FromRowMajor(sizes[l], sizes[l + 1], c)).ToArray(), t.Intercepts.Select(b => Vec<double>.Of(b)).ToArray(),
            t.LossCurve, t.Scores, t.BestLoss, Vec<double>.Of(lo), Vec<double>.Of(hi)) { BatchNorm = MlpBatchNorm.Of(t.BatchNorm) }, t.Watched));
    }

    /// <summary>Class probabilities (<c>predict_proba</c>).</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features) with the training's n_features.</param>
    /// <returns>Shape (n_samples, n_classes), columns in <see cref="MlpClassifierModel.Classes"/> order, rows summing to 1
    /// (two classes: [1 - p, p] with p the logistic output, as scikit-learn).</returns>
    /// <remarks>With <see cref="MlpRegressorOptions.ClipInputs"/> each feature is first clamped to [FeatureMin, FeatureMax].</remarks>
    public static Matrix PredictProba(MlpClassifierModel model, Matrix x)
    {
        var outputs = model.Classes.Count == 2 ? 1 : model.Classes.Count;
        var p = Probabilities(Output(model, x), outputs);
        return outputs == 1
            ? Matrix.Build(x.Rows, 2, (i, k) => k == 0 ? 1 - p[i] : p[i])
            : Matrix.FromRowMajor(x.Rows, outputs, p);
    }

    /// <summary>Predicted labels (<c>predict</c>): for two classes Classes[1] where its probability exceeds 0.5, else Classes[0]; for
    /// more, the most probable class (the first on a tie).</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Labels, length n_samples.</returns>
    public static int[] Predict(MlpClassifierModel model, Matrix x)
    {
        var outputs = model.Classes.Count == 2 ? 1 : model.Classes.Count;
        var p = Probabilities(Output(model, x), outputs);
        return Labels(p, outputs).Select(k => model.Classes[k]).ToArray();
    }

    private static double[] Output(MlpClassifierModel model, Matrix x)
    {
        var o = model.Options.Network;
        if (o.ClipInputs) x = MlpNetwork.Clip(x, model.FeatureMin, model.FeatureMax);
        return MlpNetwork.Forward(o, model.Coefs.Select(c => c.Data.ToArray()).ToArray(), model.Intercepts.Select(b => b.ToArray()).ToArray(),
            model.BatchNorm?.ToState(), x, Enumerable.Range(0, x.Rows).ToArray());
    }

    /// <summary>scikit-learn's output activation in place: logistic for one output, softmax (max subtracted) per row otherwise.</summary>
    private static double[] Probabilities(double[] z, int outputs)
    {
        if (outputs == 1)
        {
            for (var i = 0; i < z.Length; i++) z[i] = Logistic(z[i]);
            return z;
        }
        var n = z.Length / outputs;
        for (var i = 0; i < n; i++)
        {
            var row = z.AsSpan(i * outputs, outputs);
            var max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            for (var k = 0; k < outputs; k++) row[k] = Math.Exp(row[k] - max);
            var sum = Reduce.Sum(row);
            for (var k = 0; k < outputs; k++) row[k] /= sum;
        }
        return z;
    }

    /// <summary>scipy's <c>expit</c>: 1 / (1 + exp(-x)).</summary>
    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>Class index per row: p &gt; 0.5 for one output, else the first largest probability.</summary>
    private static int[] Labels(double[] p, int outputs)
    {
        if (outputs == 1) return p.Select(v => v > 0.5 ? 1 : 0).ToArray();
        var n = p.Length / outputs;
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var best = 0;
            for (var k = 1; k < outputs; k++) if (p[i * outputs + k] > p[i * outputs + best]) best = k;
            labels[i] = best;
        }
        return labels;
    }

    /// <summary>scikit-learn's <c>binary_log_loss</c> (one output) or <c>log_loss</c>: probabilities clipped to [ε, 1 - ε], mean over
    /// rows; the rows of <paramref name="p"/> are <paramref name="rows"/>'s, <paramref name="index"/> holds class indices (-1: an
    /// unseen class, probability ε).</summary>
    private static double LogLoss(double[] p, int outputs, int[] index, int[] rows)
    {
        var n = rows.Length;
        if (outputs == 1)
        {
            double pos = 0, neg = 0;
            for (var r = 0; r < n; r++)
            {
                var q = Math.Clamp(p[r], Eps, 1 - Eps);
                var k = index[rows[r]];
                if (k == 1) pos += Math.Log(q);
                else if (k == 0) neg += Math.Log(1 - q);
                else neg += Math.Log(Eps);
            }
            return -(pos + neg) / n;
        }
        var terms = new double[n];
        for (var r = 0; r < n; r++)
        {
            var k = index[rows[r]];
            terms[r] = k < 0 ? Math.Log(Eps) : Math.Log(Math.Clamp(p[r * outputs + k], Eps, 1 - Eps));
        }
        return -Reduce.Sum(terms) / n;
    }

    /// <summary>Logistic or softmax output, log-loss, accuracy as the early-stopping score, a stratified split for two classes;
    /// the dense step, or with <paramref name="tape"/> the tape.</summary>
    private sealed class Head(int[] index, int outputs, bool tape) : IMlpHead
    {
        public (DenseLoss Loss, double[] Targets)? Dense =>
            tape ? null : (outputs == 1 ? DenseLoss.Logistic : DenseLoss.Softmax, index.Select(k => (double)k).ToArray());

        // The dense step's gradient is scikit-learn's (p - y) / |B|; the reported value is scikit-learn's clipped log-loss.
        public Func<double[], int[], double>? Reported => (output, idx) => LogLoss(Probabilities(output, outputs), outputs, index, idx);

        public (Var Loss, double? Reported) Loss(Var output, int[] idx)
        {
            // The tape's loss gives scikit-learn's gradient (p - y) / |B|; the reported value is scikit-learn's clipped log-loss.
            var loss = outputs == 1
                ? Ops.BceWithLogitsLoss(output, output.Tape.Constant(Tensor.Own(idx.Select(i => (double)index[i]).ToArray(), [idx.Length, 1])))
                : Ops.CrossEntropyLoss(output, idx.Select(i => index[i]).ToArray());
            var p = Probabilities(output.Value.ToArray(), outputs);
            return (loss, LogLoss(p, outputs, index, idx));
        }

        public double Score(double[] output, int[] held)
        {
            var labels = Labels(Probabilities(output, outputs), outputs);
            var right = 0;
            for (var r = 0; r < held.Length; r++) if (labels[r] == index[held[r]]) right++;
            return (double)right / held.Length;
        }

        public (int[] Train, int[] Held) Split(int n, double fraction, Rng stream) =>
            outputs == 1 ? StratifiedSplit(index, fraction, stream) : MlpNetwork.RandomSplit(n, fraction, stream);
    }

    /// <summary>Holds out ceil(fraction n) rows (at least 1, at most n - 1), shared among the classes in proportion to their counts
    /// (largest remainders first, the lower class on a tie), each class's rows drawn at random.</summary>
    private static (int[] Train, int[] Held) StratifiedSplit(int[] index, double fraction, Rng stream)
    {
        var n = index.Length;
        var nHeld = Math.Clamp((int)Math.Ceiling(fraction * n), 1, n - 1);
        var k = index.Max() + 1;
        var byClass = Enumerable.Range(0, k).Select(c => Enumerable.Range(0, n).Where(i => index[i] == c).ToArray()).ToArray();
        var share = byClass.Select(rows => (double)nHeld * rows.Length / n).ToArray();
        var take = share.Select(s => (int)Math.Floor(s)).ToArray();
        foreach (var c in Enumerable.Range(0, k).OrderByDescending(c => share[c] - take[c]).ThenBy(c => c).Take(nHeld - take.Sum())) take[c]++;
        var cursor = new RngCursor(stream);
        var held = new List<int>();
        for (var c = 0; c < k; c++)
        {
            var rows = byClass[c];
            cursor.Shuffle<int>(rows);
            held.AddRange(rows.Take(Math.Min(take[c], rows.Length)));
        }
        var heldSet = held.ToHashSet();
        return (Enumerable.Range(0, n).Where(i => !heldSet.Contains(i)).ToArray(), held.Order().ToArray());
    }

    /// <summary>The learned state for a model file: <c>classes_</c>, per layer <c>coefs_</c> and <c>intercepts_</c>, and the history.</summary>
    internal static StateNode Write(MlpClassifierModel model) =>
        MlpNetwork.Write(new StateNode().Ints("classes_", model.Classes.ToArray()), model);

    /// <summary>Reads a model written by <see cref="Write"/>: at least 2 ascending classes, layers chaining with the widths of
    /// hidden_layer_sizes and an output of 1 unit (two classes) or n_classes, finite weights.</summary>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the entry.</returns>
    internal static Validation<Problem, MlpClassifierModel> Read(MlpClassifierOptions options, StateReader r)
    {
        var o = options.Network;
        var classes = ClassifierChecks.ReadClasses(r);
        var outputs = classes.Length == 2 ? 1 : classes.Length;
        var (coefs, intercepts) = r.Ok ? MlpNetwork.ReadLayers(r, o.HiddenLayerSizes, outputs) : ([], []);
        var h = MlpNetwork.ReadHistory(r, o.MaxIter, coefs);
        var bn = MlpNetwork.ReadBatchNorm(r, o);
        return ModelState.Finish(r, () => new MlpClassifierModel(options, classes, coefs, intercepts, h.Loss, h.Scores, h.Best, h.FeatureMin, h.FeatureMax)
            { BatchNorm = bn });
    }
}
