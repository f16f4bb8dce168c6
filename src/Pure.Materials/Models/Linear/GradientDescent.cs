using System.Numerics.Tensors;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Linear;

/// <summary>Hyper-parameters of linear regression fitted by (mini-batch) gradient descent.</summary>
public sealed record GradientDescentOptions
{
    /// <summary><c>learning_rate</c>: constant step size eta, &gt; 0; null (default, <c>auto</c>) for 1 / L, L the largest eigenvalue of the
    /// loss's Hessian X^T X / n + alpha I on the training rows (by power iteration): full-batch descent is stable for any step below 2 / L,
    /// so the default converges on any data, where a fixed 0.1 (the default before) diverged on expt_gap's 132 correlated Magpie columns.</summary>
    public double? LearningRate { get; init; }

    /// <summary><c>max_iter</c>: maximum number of epochs (passes over the data), &gt;= 1. Default 1000.</summary>
    public int MaxIter { get; init; } = 1000;

    /// <summary><c>tol</c>: an epoch improves when the loss drops by more than tol; training stops after <see cref="NIterNoChange"/>
    /// epochs without improvement, &gt;= 0. Default 1e-8.</summary>
    public double Tol { get; init; } = 1e-8;

    /// <summary><c>n_iter_no_change</c>: epochs without improvement before stopping, &gt;= 1. Default 5 (scikit-learn's SGD default).</summary>
    public int NIterNoChange { get; init; } = 5;

    /// <summary><c>batch_size</c>: rows per step; null for full-batch gradient descent, 1 for stochastic. Default null.</summary>
    public int? BatchSize { get; init; }

    /// <summary><c>alpha</c>: L2 penalty, &gt;= 0. Default 0.</summary>
    public double Alpha { get; init; }

    /// <summary><c>fit_intercept</c>. Default true.</summary>
    public bool FitIntercept { get; init; } = true;
}

/// <summary>A linear model fitted by gradient descent.</summary>
/// <param name="Options">The hyper-parameters.</param>
/// <param name="Coef"><c>coef_</c>, shape (n_features,).</param>
/// <param name="Intercept"><c>intercept_</c>.</param>
/// <param name="LossHistory">Loss L(w, b) on all training rows after each epoch, length NIter.</param>
/// <param name="NIter"><c>n_iter_</c>: epochs run.</param>
/// <param name="Converged">False when max_iter epochs ran while the loss was still improving by more than tol.</param>
public sealed record GradientDescentModel(GradientDescentOptions Options, IReadOnlyList<double> Coef, double Intercept, IReadOnlyList<double> LossHistory, int NIter, bool Converged) : IHasCoefficients, IHasLossCurve
{
    /// <summary><c>coef_</c>, shape (n_features,).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> Coef { get; init => field = Vec.From(value); } = Vec.From(Coef);

    /// <summary>Loss L(w, b) on all training rows after each epoch, length NIter.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> LossHistory { get; init => field = Vec.From(value); } = Vec.From(LossHistory);
}

/// <summary>A gradient-descent fit monitored on validation rows: the model and, after each epoch, the half mean squared error on the training and on the validation rows.</summary>
/// <param name="Model">The fitted model (identical to <see cref="GradientDescent.Fit"/> with the same inputs and stream: validation rows never steer training).</param>
/// <param name="TrainingLoss">(1/(2 n_train)) ||y - X w - b||^2 on the training rows after each epoch, length NIter (equals <c>LossHistory</c> when alpha = 0).</param>
/// <param name="ValidationLoss">The same half mean squared error on the validation rows after each epoch, length NIter.</param>
public sealed record GradientDescentMonitoredFit(GradientDescentModel Model, IReadOnlyList<double> TrainingLoss, IReadOnlyList<double> ValidationLoss)
{
    /// <summary>(1/(2 n_train)) ||y - X w - b||^2 on the training rows after each epoch, length NIter (equals <c>LossHistory</c> when alpha = 0).</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> TrainingLoss { get; init => field = Vec.From(value); } = Vec.From(TrainingLoss);

    /// <summary>The same half mean squared error on the validation rows after each epoch, length NIter.</summary>
    /// <remarks>Stored immutable with structural equality (see <see cref="Vec{T}"/>), whatever list it was given.</remarks>
    public IReadOnlyList<double> ValidationLoss { get; init => field = Vec.From(value); } = Vec.From(ValidationLoss);
}

/// <summary>Fits linear regression by full-batch or mini-batch gradient descent on the mean squared error.</summary>
/// <remarks>
/// Loss L(w, b) = (1/(2n)) sum_i (y_i - x_i w - b)^2 + (alpha/2) ||w||^2; gradient over a batch B:
/// dL/dw = -(1/|B|) sum_{i in B} r_i x_i + alpha w, dL/db = -(1/|B|) sum_{i in B} r_i with r_i = y_i - x_i w - b.
/// Update w -= eta dL/dw, b -= eta dL/db, from w = 0, b = 0. Mini-batches: each epoch shuffles the rows (Fisher-Yates, the
/// learner's own stream) and steps once per consecutive batch; full batch uses no randomness. Its optimum is ridge's
/// (OLS for alpha = 0), which the tests check. A loss that becomes non-finite or exceeds 10 times its starting value is reported (learning rate too large).
/// Source: Bottou, "Large-scale machine learning with stochastic gradient descent", COMPSTAT 2010; the stopping rule of
/// scikit-learn 1.2.1 <c>SGDRegressor</c> (tol, n_iter_no_change).
/// </remarks>
public static class GradientDescent
{
    /// <summary>Fits the model.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features), finite; standardise them.</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <param name="rng">Stream for shuffling mini-batches (unused for full batch).</param>
    /// <returns>The model, or <c>param.out_of_range</c> (every bad option), the data problems of <see cref="Checks.Regression"/>,
    /// <c>optimize.diverged</c> (the loss became infinite, NaN or 10 times the loss at w = 0; the message gives the stable step bound 2 / L,
    /// L the largest eigenvalue of X^T X / n + alpha I by power iteration, and suggests learning_rate = 1 / L).</returns>
    public static Validation<Problem, GradientDescentModel> Fit(GradientDescentOptions options, Matrix x, IReadOnlyList<double> y, Rng rng) =>
        FitCore(options, x, y, rng, null);

    /// <summary>Fits the model as <see cref="Fit"/> and records, after each epoch, the half mean squared error on the training rows and on separate validation rows.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Training features, shape (n_train, n_features), finite.</param>
    /// <param name="y">Training targets, length n_train.</param>
    /// <param name="xValidation">Validation features, shape (n_validation, n_features), same columns and scaling as <paramref name="x"/>, at least 1 row.</param>
    /// <param name="yValidation">Validation targets, length n_validation.</param>
    /// <param name="rng">Stream for shuffling mini-batches.</param>
    /// <returns>The model and both loss histories, or the problems of <see cref="Fit"/> plus <c>shape.columns_mismatch</c>,
    /// <c>shape.rows_mismatch</c> or <c>data.empty</c> for the validation rows (and their <see cref="Checks.Regression"/> problems).</returns>
    /// <remarks>The validation loss only watches: stopping still follows the training loss (scikit-learn's <c>SGDRegressor</c> with
    /// <c>early_stopping=False</c>), so the model is the one <see cref="Fit"/> returns. Source: Goodfellow, Bengio and Courville,
    /// "Deep Learning" (2016), section 7.8 (learning curves of training and validation loss).</remarks>
    public static Validation<Problem, GradientDescentMonitoredFit> FitWithValidation(GradientDescentOptions options, Matrix x, IReadOnlyList<double> y,
        Matrix xValidation, IReadOnlyList<double> yValidation, Rng rng)
    {
        var problems = new List<Problem>();
        if (xValidation.Rows == 0) problems.Add(new Problem("data.empty", "the validation set has no row; give at least 1 validation row"));
        else problems.AddRange(Checks.Regression(xValidation, yValidation).Problems().Select(p => p with { Message = "validation rows: " + p.Message }));
        if (xValidation.Cols != x.Cols)
            problems.Add(new Problem("shape.columns_mismatch", $"the validation rows have {xValidation.Cols} feature(s), the training rows {x.Cols}; give the same columns"));
        if (problems.Count > 0) return Valid.Fail<GradientDescentMonitoredFit>(problems);
        var training = new List<double>();
        var validation = new List<double>();
        return FitCore(options, x, y, rng, (w, b) =>
        {
            training.Add(Loss(x, y, w, b, 0.0));
            validation.Add(Loss(xValidation, yValidation, w, b, 0.0));
        }).Map(m => new GradientDescentMonitoredFit(m, training, validation));
    }

    /// <summary>The largest eigenvalue L of the least-squares Hessian X^T X / n + alpha I (with a column of ones when fitting the intercept),
    /// by 100 power iterations from the all-ones vector (deterministic); gradient descent with a fixed step is stable below 2 / L.</summary>
    internal static double LargestCurvature(Matrix x, double alpha, bool fitIntercept)
    {
        int n = x.Rows, p = x.Cols, d = p + (fitIntercept ? 1 : 0);
        var v = Enumerable.Repeat(1 / Math.Sqrt(d), d).ToArray();
        var av = new double[n];
        var next = new double[d];
        var lambda = 0.0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            for (var i = 0; i < n; i++) av[i] = Reduce.Dot(x.Row(i), v.AsSpan(0, p)) + (fitIntercept ? v[p] : 0.0);
            Array.Clear(next);
            for (var i = 0; i < n; i++)
            {
                TensorPrimitives.MultiplyAdd(x.Row(i), av[i] / n, next.AsSpan(0, p), next.AsSpan(0, p));
                if (fitIntercept) next[p] += av[i] / n;
            }
            lambda = Reduce.Dot(next, v);
            var norm = Reduce.Norm(next);
            if (!(norm > 0)) break;
            for (var j = 0; j < d; j++) v[j] = next[j] / norm;
        }
        return lambda + alpha;
    }

    private static Validation<Problem, GradientDescentModel> FitCore(GradientDescentOptions options, Matrix x, IReadOnlyList<double> y, Rng rng,
        Action<double[], double>? afterEpoch)
    {
        var problems = new List<Problem>(Checks.Regression(x, y).Problems());
        if (options.LearningRate is { } given && (!(given > 0) || double.IsInfinity(given)))
            problems.Add(new Problem("param.out_of_range", $"learning_rate must be a finite number > 0 or auto, found {given}; try auto (1 / L, the default)"));
        if (options.MaxIter < 1) problems.Add(new Problem("param.out_of_range", $"max_iter must be >= 1, found {options.MaxIter}"));
        if (!(options.Tol >= 0)) problems.Add(new Problem("param.out_of_range", $"tol must be >= 0, found {options.Tol}"));
        if (options.NIterNoChange < 1) problems.Add(new Problem("param.out_of_range", $"n_iter_no_change must be >= 1, found {options.NIterNoChange}"));
        if (options.BatchSize is < 1) problems.Add(new Problem("param.out_of_range", $"batch_size must be >= 1 (or None for full batch), found {options.BatchSize}"));
        if (!(options.Alpha >= 0)) problems.Add(new Problem("param.out_of_range", $"alpha must be >= 0, found {options.Alpha}"));
        if (problems.Count > 0) return Valid.Fail<GradientDescentModel>(problems);

        int n = x.Rows, p = x.Cols;
        var batch = Math.Min(options.BatchSize ?? n, n);
        var learningRate = options.LearningRate ?? 1 / LargestCurvature(x, options.Alpha, options.FitIntercept);
        var w = new double[p];
        var grad = new double[p];
        var b = 0.0;
        var order = Enumerable.Range(0, n).ToArray();
        var cursor = new RngCursor(rng);
        var history = new List<double>();
        var best = double.PositiveInfinity;
        var noChange = 0;
        var loss0 = Loss(x, y, w, b, options.Alpha);
        for (var epoch = 0; epoch < options.MaxIter; epoch++)
        {
            if (batch < n) cursor.Shuffle(order.AsSpan());
            for (var start = 0; start < n; start += batch)
            {
                var end = Math.Min(start + batch, n);
                Array.Clear(grad);
                var gb = 0.0;
                for (var k = start; k < end; k++)
                {
                    var row = x.Row(order[k]);
                    var r = y[order[k]] - Reduce.Dot(row, w) - b;
                    TensorPrimitives.MultiplyAdd(row, -r, grad, grad);
                    gb -= r;
                }
                var m = end - start;
                TensorPrimitives.Divide(grad, m, grad);
                TensorPrimitives.MultiplyAdd(w, options.Alpha, grad, grad);
                TensorPrimitives.MultiplyAdd(grad, -learningRate, w, w);
                if (options.FitIntercept) b -= learningRate * gb / m;
            }
            var loss = Loss(x, y, w, b, options.Alpha);
            history.Add(loss);
            afterEpoch?.Invoke(w, b);
            if (!double.IsFinite(loss) || loss > 10 * loss0)
            {
                var curvature = LargestCurvature(x, options.Alpha, options.FitIntercept);
                return Valid.Fail<GradientDescentModel>("optimize.diverged",
                    $"gradient descent diverged at epoch {epoch + 1} (loss {loss:G6}) with learning_rate={learningRate:G4}: on these features " +
                    $"full-batch steps are stable only below 2 / L = {2 / curvature:G3} (L = {curvature:G4}, the largest eigenvalue of the loss's " +
                    $"Hessian X^T X / n + alpha I); use learning_rate={1 / curvature:G2} (1 / L), or drop strongly correlated features");
            }
            if (loss > best - options.Tol) noChange++;
            else noChange = 0;
            best = Math.Min(best, loss);
            if (noChange >= options.NIterNoChange)
                return Valid.Ok(new GradientDescentModel(options, w, b, history, epoch + 1, true));
        }
        return Valid.Ok(new GradientDescentModel(options, w, b, history, options.MaxIter, false));
    }

    /// <summary>Computes the loss (1/(2n)) ||y - X w - b||^2 + (alpha/2) ||w||^2.</summary>
    /// <param name="x">Features, shape (n, p).</param>
    /// <param name="y">Targets, length n.</param>
    /// <param name="w">Weights, length p.</param>
    /// <param name="b">Intercept.</param>
    /// <param name="alpha">L2 penalty.</param>
    /// <returns>The loss.</returns>
    public static double Loss(Matrix x, IReadOnlyList<double> y, ReadOnlySpan<double> w, double b, double alpha)
    {
        var s = 0.0;
        for (var i = 0; i < x.Rows; i++)
        {
            var r = y[i] - Reduce.Dot(x.Row(i), w) - b;
            s += r * r;
        }
        return s / (2 * x.Rows) + 0.5 * alpha * Reduce.SumOfSquares(w);
    }

    /// <summary>Computes the gradient of <see cref="Loss"/> with respect to (w, b).</summary>
    /// <param name="x">Features, shape (n, p).</param>
    /// <param name="y">Targets, length n.</param>
    /// <param name="w">Weights, length p.</param>
    /// <param name="b">Intercept.</param>
    /// <param name="alpha">L2 penalty.</param>
    /// <returns>dL/dw (length p) and dL/db.</returns>
    public static (double[] DW, double DB) Gradient(Matrix x, IReadOnlyList<double> y, ReadOnlySpan<double> w, double b, double alpha)
    {
        var g = new double[w.Length];
        var gb = 0.0;
        for (var i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            var r = y[i] - Reduce.Dot(row, w) - b;
            TensorPrimitives.MultiplyAdd(row, -r / x.Rows, g, g);
            gb -= r / x.Rows;
        }
        TensorPrimitives.MultiplyAdd(w, alpha, g, g);
        return (g, gb);
    }

    /// <summary>Predicts with a fitted model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>X w + b.</returns>
    public static double[] Predict(GradientDescentModel model, Matrix x) => LinearData.Predict(model.Coef, model.Intercept, x);

    /// <summary>Writes a fitted model's learned state for a model file: <c>coef_</c>, <c>intercept_</c>, the loss curve, <c>n_iter_</c>, convergence.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The state.</returns>
    internal static StateNode Write(GradientDescentModel model) =>
        new StateNode().Floats("coef_", model.Coef.ToArray()).Float("intercept_", model.Intercept).Floats("loss_curve_", model.LossHistory.ToArray())
            .Int("n_iter_", model.NIter).Bool("converged", model.Converged);

    /// <summary>Reads a model written by <see cref="Write"/>.</summary>
    /// <param name="options">The options rebuilt from the recorded parameters.</param>
    /// <param name="r">The reader.</param>
    /// <returns>The model, or <c>model.corrupt</c> problems naming the bad entry (a weight not finite, <c>n_iter_</c> outside [0, max_iter]).</returns>
    internal static Validation<Problem, GradientDescentModel> Read(GradientDescentOptions options, StateReader r)
    {
        var (coef, b) = ModelState.ReadLinear(r);
        var loss = r.Floats("loss_curve_", finite: false);
        var nIter = r.Int("n_iter_", 0, Math.Max(0, options.MaxIter));
        var converged = r.Bool("converged");
        return ModelState.Finish(r, () => new GradientDescentModel(options, coef, b, loss, nIter, converged));
    }
}
