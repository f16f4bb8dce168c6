using System.Buffers;
using System.Numerics.Tensors;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Evaluate;

/// <summary>Holds every regression score of one set of predictions (one test fold, one hold-out set).</summary>
/// <param name="Mae">Mean absolute error, in the unit of the target (e.g. eV); see <see cref="Metrics.Mae"/>.</param>
/// <param name="Rmse">Root mean squared error, in the unit of the target; see <see cref="Metrics.Rmse"/>.</param>
/// <param name="Mse">Mean squared error, in the unit of the target squared; see <see cref="Metrics.Mse"/>.</param>
/// <param name="R2">Coefficient of determination, dimensionless, at most 1; 1.0 or 0.0 for a constant <c>y_true</c> as scikit-learn; see <see cref="Metrics.R2"/>.</param>
/// <param name="Mape">Mean absolute percentage error as scikit-learn defines it, a fraction (0.1 means 10 %), huge (about 1e15 times the error) when <c>y_true</c> has zeros; see <see cref="Metrics.Mape"/>.</param>
/// <param name="MaxError">Largest absolute residual, in the unit of the target; see <see cref="Metrics.MaxError"/>.</param>
/// <param name="PearsonR">Pearson correlation coefficient in [-1, 1], or NaN when either vector is constant (a constant predictor such as the mean baseline), as <c>scipy.stats.pearsonr</c>; see <see cref="Metrics.PearsonR"/>.</param>
/// <param name="MapeMatbench">Matbench's MAPE, a fraction, over the rows with |y_true| &gt; 1e-5 only (band gaps of metals are 0); NaN when no row qualifies; see <see cref="Metrics.MapeMatbench"/>.</param>
/// <remarks>Built by <see cref="Metrics.Regression"/>, which rejects NaN and infinite inputs; PearsonR and MapeMatbench are the only fields that can be NaN. Source: scikit-learn 1.2.1 <c>sklearn.metrics</c>; Matbench v0.1.</remarks>
public sealed record RegressionScores(double Mae, double Rmse, double Mse, double R2, double Mape, double MaxError, double PearsonR, double MapeMatbench);

/// <summary>Summarises one metric over cross-validation folds: mean, population standard deviation, minimum and maximum.</summary>
/// <param name="Mean">Arithmetic mean of the per-fold values, in the metric's unit.</param>
/// <param name="Std">Population standard deviation (ddof = 0, numpy's default): sqrt(sum_i (v_i - mean)^2 / n); 0 for one fold.</param>
/// <param name="Min">Smallest per-fold value.</param>
/// <param name="Max">Largest per-fold value.</param>
/// <param name="Count">Number of folds n, at least 1.</param>
/// <remarks>Source: Matbench v0.1 <c>MatbenchTask.scores</c> (numpy <c>mean</c>, <c>std</c>, <c>min</c>, <c>max</c> over folds).</remarks>
public sealed record MetricSummary(double Mean, double Std, double Min, double Max, int Count);

/// <summary>Computes regression metrics on paired target and prediction vectors, defined as in scikit-learn 1.2.1.</summary>
/// <remarks>
/// The single-metric functions are span kernels in the manner of <see cref="TensorPrimitives"/>: they throw
/// <see cref="ArgumentException"/> for a programmer error (lengths differ, or empty input) and propagate NaN (a NaN in either
/// input gives NaN). <see cref="Regression"/> is the validated entry point for data: it reports those cases, and NaN or
/// infinite values, as <see cref="Problem"/>s. Residuals are <c>r_i = y_i - yhat_i</c>; n is the number of samples.
/// Sums are taken in SIMD order, so results agree with numpy's pairwise sums to a relative 1e-12, not bit for bit.
/// Source: scikit-learn 1.2.1 <c>sklearn/metrics/_regression.py</c>; scipy 1.10.1 <c>scipy.stats.pearsonr</c>.
/// </remarks>
public static class Metrics
{
    /// <summary>The |y_true| floor of <see cref="Mape"/>: machine epsilon of binary64, 2^-52 = 2.220446049250313e-16 (numpy <c>finfo(float64).eps</c>).</summary>
    public const double MapeEpsilon = 2.220446049250313e-16;

    /// <summary>The default threshold of <see cref="MapeMatbench"/>: rows with |y_true| at or below 1e-5 are left out, as Matbench v0.1 does.</summary>
    public const double MatbenchMapeThreshold = 1e-5;

    /// <summary>Computes the mean absolute error, MAE = (1/n) sum_i |y_i - yhat_i|.</summary>
    /// <param name="yTrue">Targets, shape (n_samples,), any unit (e.g. eV).</param>
    /// <param name="yPred">Predictions, shape (n_samples,), same unit.</param>
    /// <returns>The MAE in the unit of the targets, at least 0; NaN when an input holds NaN.</returns>
    /// <exception cref="ArgumentException">When the lengths differ or the inputs are empty.</exception>
    /// <remarks>Example: MAE([1, 2, 3], [2, 2, 2]) = 2/3. Source: <c>sklearn.metrics.mean_absolute_error</c>.</remarks>
    public static double Mae(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred)
    {
        var buffer = Residuals(yTrue, yPred);
        try { return MaeOf(buffer.AsSpan(0, yTrue.Length)); }
        finally { ArrayPool<double>.Shared.Return(buffer); }
    }

    /// <summary>Computes the mean squared error, MSE = (1/n) sum_i (y_i - yhat_i)^2.</summary>
    /// <param name="yTrue">Targets, shape (n_samples,).</param>
    /// <param name="yPred">Predictions, shape (n_samples,).</param>
    /// <returns>The MSE in the unit of the targets squared, at least 0; NaN when an input holds NaN.</returns>
    /// <exception cref="ArgumentException">When the lengths differ or the inputs are empty.</exception>
    /// <remarks>Source: <c>sklearn.metrics.mean_squared_error</c>.</remarks>
    public static double Mse(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred)
    {
        var buffer = Residuals(yTrue, yPred);
        try { return MseOf(buffer.AsSpan(0, yTrue.Length)); }
        finally { ArrayPool<double>.Shared.Return(buffer); }
    }

    /// <summary>Computes the root mean squared error, RMSE = sqrt((1/n) sum_i (y_i - yhat_i)^2).</summary>
    /// <param name="yTrue">Targets, shape (n_samples,).</param>
    /// <param name="yPred">Predictions, shape (n_samples,).</param>
    /// <returns>The RMSE in the unit of the targets, at least <see cref="Mae"/>; NaN when an input holds NaN.</returns>
    /// <exception cref="ArgumentException">When the lengths differ or the inputs are empty.</exception>
    /// <remarks>Source: <c>sklearn.metrics.mean_squared_error(..., squared=False)</c> (1.2.1); Matbench's <c>rmse</c>.</remarks>
    public static double Rmse(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred) => Math.Sqrt(Mse(yTrue, yPred));

    /// <summary>Computes the coefficient of determination, R2 = 1 - sum_i (y_i - yhat_i)^2 / sum_i (y_i - mean(y))^2.</summary>
    /// <param name="yTrue">Targets, shape (n_samples,).</param>
    /// <param name="yPred">Predictions, shape (n_samples,).</param>
    /// <returns>
    /// R2, dimensionless, at most 1 (can be any negative number). When <c>y_true</c> is constant (zero denominator) the
    /// result is 1.0 if the predictions are perfect and 0.0 otherwise, as scikit-learn's default <c>force_finite=True</c>.
    /// With a single sample R2 is undefined and the result is NaN, as scikit-learn (which also warns); NaN when an input holds NaN.
    /// </returns>
    /// <exception cref="ArgumentException">When the lengths differ or the inputs are empty.</exception>
    /// <remarks>Source: <c>sklearn.metrics.r2_score</c> and <c>_assemble_r2_explained_variance</c> (1.2.1).</remarks>
    public static double R2(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred)
    {
        var buffer = Residuals(yTrue, yPred);
        try { return R2Of(yTrue, buffer.AsSpan(0, yTrue.Length)); }
        finally { ArrayPool<double>.Shared.Return(buffer); }
    }

    /// <summary>Computes the mean absolute percentage error as scikit-learn: MAPE = (1/n) sum_i |y_i - yhat_i| / max(|y_i|, eps).</summary>
    /// <param name="yTrue">Targets, shape (n_samples,).</param>
    /// <param name="yPred">Predictions, shape (n_samples,).</param>
    /// <returns>
    /// MAPE as a fraction (0.1 means 10 %), at least 0. eps = <see cref="MapeEpsilon"/>, so a zero target with a nonzero
    /// error contributes about 4.5e15 times the error: the value is finite but huge (metals with a band gap of exactly 0 eV do this;
    /// see <see cref="MapeMatbench"/>). NaN when an input holds NaN.
    /// </returns>
    /// <exception cref="ArgumentException">When the lengths differ or the inputs are empty.</exception>
    /// <remarks>Example: MAPE([1, 0, 2.4, 7], [1.2, 0.1, 2.4, 8]) = 112589990684262.48. Source: <c>sklearn.metrics.mean_absolute_percentage_error</c> (1.2.1).</remarks>
    public static double Mape(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred)
    {
        var buffer = Residuals(yTrue, yPred);
        try { return MapeOf(yTrue, buffer.AsSpan(0, yTrue.Length)); }
        finally { ArrayPool<double>.Shared.Return(buffer); }
    }

    /// <summary>Computes the mean absolute percentage error as Matbench v0.1 does: rows with |y_true| at or below a threshold are left out.</summary>
    /// <param name="yTrue">Targets, shape (n_samples,).</param>
    /// <param name="yPred">Predictions, shape (n_samples,).</param>
    /// <param name="threshold">Rows with |y_i| &lt;= threshold are skipped; default <see cref="MatbenchMapeThreshold"/> (1e-5), in the unit of the targets.</param>
    /// <returns>
    /// (1/m) sum over the m kept rows of |(y_i - yhat_i) / y_i|, a fraction. NaN when no row is kept (Matbench takes numpy's
    /// mean of an empty array), or when an input holds NaN. The score is not representative of rows near zero: it ignores them.
    /// </returns>
    /// <exception cref="ArgumentException">When the lengths differ or the inputs are empty.</exception>
    /// <remarks>Source: Matbench v0.1 <c>matbench/data_ops.py</c>, <c>mean_absolute_percentage_error(y_true, y_pred, threshold=1e-5)</c> (mask <c>abs(y_true) &gt; threshold</c>).</remarks>
    public static double MapeMatbench(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred, double threshold = MatbenchMapeThreshold)
    {
        RequireSameNonEmpty(yTrue, yPred);
        var sum = 0.0;
        var kept = 0;
        for (var i = 0; i < yTrue.Length; i++)
        {
            if (double.IsNaN(yTrue[i]) || double.IsNaN(yPred[i])) return double.NaN;
            if (!(Math.Abs(yTrue[i]) > threshold)) continue;
            sum += Math.Abs((yTrue[i] - yPred[i]) / yTrue[i]);
            kept++;
        }
        return kept == 0 ? double.NaN : sum / kept;
    }

    /// <summary>Computes the largest absolute residual, max_i |y_i - yhat_i|.</summary>
    /// <param name="yTrue">Targets, shape (n_samples,).</param>
    /// <param name="yPred">Predictions, shape (n_samples,).</param>
    /// <returns>The maximum error in the unit of the targets, at least 0; NaN when an input holds NaN.</returns>
    /// <exception cref="ArgumentException">When the lengths differ or the inputs are empty.</exception>
    /// <remarks>Source: <c>sklearn.metrics.max_error</c>.</remarks>
    public static double MaxError(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred)
    {
        var buffer = Residuals(yTrue, yPred);
        try { return MaxErrorOf(buffer.AsSpan(0, yTrue.Length)); }
        finally { ArrayPool<double>.Shared.Return(buffer); }
    }

    /// <summary>Computes the Pearson correlation coefficient r = sum_i (y_i - mean(y)) (yhat_i - mean(yhat)) / (||y - mean(y)|| ||yhat - mean(yhat)||).</summary>
    /// <param name="yTrue">Targets, shape (n_samples,).</param>
    /// <param name="yPred">Predictions, shape (n_samples,).</param>
    /// <returns>
    /// r in [-1, 1] (clipped, as scipy). NaN when either vector is constant (every value equal to its first, which includes
    /// a single sample): the coefficient is undefined, and <c>scipy.stats.pearsonr</c> and <c>numpy.corrcoef</c> both return NaN.
    /// With two samples r = sign(y_1 - y_0) sign(yhat_1 - yhat_0), as scipy. NaN when an input holds NaN.
    /// </returns>
    /// <exception cref="ArgumentException">When the lengths differ or the inputs are empty.</exception>
    /// <remarks>
    /// The centred vectors are divided by their norms before the dot product, as scipy; the norms are computed as
    /// sqrt(sum of squares) and overflow for values beyond about 1e154. Source: scipy 1.10.1 <c>scipy.stats.pearsonr</c>.
    /// </remarks>
    public static double PearsonR(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred)
    {
        RequireSameNonEmpty(yTrue, yPred);
        var n = yTrue.Length;
        if (IsConstant(yTrue) || IsConstant(yPred)) return double.NaN;
        if (n == 2)
        {
            double dx = yTrue[1] - yTrue[0], dy = yPred[1] - yPred[0];
            return double.IsNaN(dx) || double.IsNaN(dy) ? double.NaN : Math.Sign(dx) * Math.Sign(dy);
        }
        var buffer = ArrayPool<double>.Shared.Rent(2 * n);
        try
        {
            var xm = buffer.AsSpan(0, n);
            var ym = buffer.AsSpan(n, n);
            TensorPrimitives.Subtract(yTrue, Reduce.Sum(yTrue) / n, xm);
            TensorPrimitives.Subtract(yPred, Reduce.Sum(yPred) / n, ym);
            TensorPrimitives.Divide(xm, Reduce.Norm(xm), xm);
            TensorPrimitives.Divide(ym, Reduce.Norm(ym), ym);
            var r = Reduce.Dot(xm, ym);
            return double.IsNaN(r) ? r : Math.Clamp(r, -1.0, 1.0);
        }
        finally { ArrayPool<double>.Shared.Return(buffer); }
    }

    /// <summary>Validates targets and predictions and computes every regression score at once.</summary>
    /// <param name="yTrue">Targets, shape (n_samples,), finite, any unit (e.g. eV).</param>
    /// <param name="yPred">Predictions, shape (n_samples,), finite, same unit.</param>
    /// <returns>
    /// The scores, or every problem found: <c>shape.rows_mismatch</c> (lengths differ), <c>data.empty</c> (no sample),
    /// <c>data.too_few_rows</c> (one sample: R2 and Pearson r are undefined), <c>data.nan_target</c> (NaN or infinite target;
    /// <see cref="Problem.Row"/> is the 1-based row of the first one) and <c>data.nan_prediction</c> (NaN or infinite prediction).
    /// </returns>
    /// <remarks>
    /// Formulas: see <see cref="Mae"/>, <see cref="Rmse"/>, <see cref="Mse"/>, <see cref="R2"/>, <see cref="Mape"/>,
    /// <see cref="MaxError"/>, <see cref="PearsonR"/>. Only <see cref="RegressionScores.PearsonR"/> can be NaN (a constant
    /// vector, e.g. a mean-predicting baseline). The residuals are computed once. Source: scikit-learn 1.2.1; Matbench v0.1 reports
    /// MAE, RMSE, MAPE (its own, <see cref="MapeMatbench"/>) and max error.
    /// </remarks>
    /// <example><c>Metrics.Regression([1, 2, 3], [2, 2, 2])</c> gives Mae = 2/3, Mse = 2/3, R2 = 0, MaxError = 1, PearsonR = NaN.</example>
    public static Validation<Problem, RegressionScores> Regression(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred)
    {
        var problems = new List<Problem>();
        if (yTrue.Length != yPred.Length)
            problems.Add(new Problem("shape.rows_mismatch",
                $"y_true has {yTrue.Length} values but y_pred has {yPred.Length}; pass exactly one prediction per target row"));
        else if (yTrue.Length == 0)
            problems.Add(new Problem("data.empty", "y_true and y_pred are empty; score at least 2 predictions"));
        else if (yTrue.Length == 1)
            problems.Add(new Problem("data.too_few_rows",
                "found 1 prediction, while R2 and Pearson r need at least 2; score a larger test set or pool the predictions of all folds"));
        AddNonFinite(problems, yTrue, "data.nan_target", "y_true", "drop the rows without a measured target before splitting");
        AddNonFinite(problems, yPred, "data.nan_prediction", "y_pred", "check the model's inputs (impute or scale features) and its fit");
        if (problems.Count > 0) return Valid.Fail<RegressionScores>(problems);

        var buffer = Residuals(yTrue, yPred);
        try
        {
            var r = buffer.AsSpan(0, yTrue.Length);
            var mse = MseOf(r);
            return Valid.Ok(new RegressionScores(
                Mae: MaeOf(r),
                Rmse: Math.Sqrt(mse),
                Mse: mse,
                R2: R2Of(yTrue, r),
                Mape: MapeOf(yTrue, r),
                MaxError: MaxErrorOf(r),
                PearsonR: PearsonR(yTrue, yPred),
                MapeMatbench: MapeMatbench(yTrue, yPred)));
        }
        finally { ArrayPool<double>.Shared.Return(buffer); }
    }

    /// <summary>Summarises per-fold values of one metric into mean, population standard deviation, minimum and maximum.</summary>
    /// <param name="perFold">One value per fold, shape (n_folds,), finite.</param>
    /// <returns>
    /// The summary, or problems: <c>data.empty</c> (no value) and <c>data.nan_metric</c> (a NaN or infinite value, e.g. a
    /// Pearson r of a constant predictor; <see cref="Problem.Row"/> is the 1-based fold position).
    /// </returns>
    /// <remarks>
    /// mean = (1/n) sum_i v_i; std = sqrt((1/n) sum_i (v_i - mean)^2), the population standard deviation (ddof = 0) that
    /// numpy's <c>std</c> and Matbench's reported <c>std</c> use; scikit-learn's <c>cross_val_score(...).std()</c> is the same.
    /// Source: Matbench v0.1 <c>MatbenchTask.scores</c>; numpy 1.24 <c>numpy.std</c>.
    /// </remarks>
    public static Validation<Problem, MetricSummary> Summarize(ReadOnlySpan<double> perFold)
    {
        var problems = new List<Problem>();
        if (perFold.Length == 0)
            problems.Add(new Problem("data.empty", "no per-fold values to summarise; pass one value per fold"));
        AddNonFinite(problems, perFold, "data.nan_metric", "value",
            "a metric was undefined on a fold (e.g. Pearson r of a constant prediction); summarise the other metrics or fix that fold");
        if (problems.Count > 0) return Valid.Fail<MetricSummary>(problems);

        var n = perFold.Length;
        var mean = Reduce.Sum(perFold) / n;
        var buffer = ArrayPool<double>.Shared.Rent(n);
        try
        {
            var centred = buffer.AsSpan(0, n);
            TensorPrimitives.Subtract(perFold, mean, centred);
            var std = Math.Sqrt(Reduce.SumOfSquares(centred) / n);
            return Valid.Ok(new MetricSummary(mean, std, TensorPrimitives.Min(perFold), TensorPrimitives.Max(perFold), n));
        }
        finally { ArrayPool<double>.Shared.Return(buffer); }
    }

    private static double MaeOf(ReadOnlySpan<double> residuals) => Reduce.SumOfMagnitudes(residuals) / residuals.Length;

    private static double MseOf(ReadOnlySpan<double> residuals) => Reduce.SumOfSquares(residuals) / residuals.Length;

    private static double MaxErrorOf(ReadOnlySpan<double> residuals) => Math.Abs(TensorPrimitives.MaxMagnitude(residuals));

    private static double MapeOf(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> residuals)
    {
        var sum = 0.0;
        for (var i = 0; i < yTrue.Length; i++)
            sum += Math.Abs(residuals[i]) / Math.Max(Math.Abs(yTrue[i]), MapeEpsilon);
        return sum / yTrue.Length;
    }

    /// <summary>R2 from the targets and residuals; sklearn's force_finite rule for a zero denominator, NaN below 2 samples.</summary>
    private static double R2Of(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> residuals)
    {
        var n = yTrue.Length;
        if (n < 2) return double.NaN;
        var numerator = Reduce.SumOfSquares(residuals);
        var mean = Reduce.Sum(yTrue) / n;
        var denominator = 0.0;
        foreach (var y in yTrue) denominator += (y - mean) * (y - mean);
        if (double.IsNaN(numerator) || double.IsNaN(denominator)) return double.NaN;
        if (numerator == 0.0) return 1.0;
        if (denominator == 0.0) return 0.0;
        return 1.0 - numerator / denominator;
    }

    private static bool IsConstant(ReadOnlySpan<double> v)
    {
        for (var i = 1; i < v.Length; i++)
            if (v[i] != v[0]) return false;
        return !double.IsNaN(v[0]);
    }

    /// <summary>Rents a buffer holding y_true - y_pred in its first n entries; the caller returns it to the shared pool.</summary>
    private static double[] Residuals(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred)
    {
        RequireSameNonEmpty(yTrue, yPred);
        var buffer = ArrayPool<double>.Shared.Rent(yTrue.Length);
        TensorPrimitives.Subtract(yTrue, yPred, buffer.AsSpan(0, yTrue.Length));
        return buffer;
    }

    private static void RequireSameNonEmpty(ReadOnlySpan<double> yTrue, ReadOnlySpan<double> yPred)
    {
        if (yTrue.Length != yPred.Length)
            throw new ArgumentException($"y_true has {yTrue.Length} values but y_pred has {yPred.Length}; lengths must be equal.", nameof(yPred));
        if (yTrue.Length == 0)
            throw new ArgumentException("y_true and y_pred are empty; at least one sample is required.", nameof(yTrue));
    }

    /// <summary>Adds one problem naming the count of NaN or infinite values and the first of them.</summary>
    private static void AddNonFinite(List<Problem> problems, ReadOnlySpan<double> v, string code, string name, string fix)
    {
        var count = 0;
        var first = -1;
        for (var i = 0; i < v.Length; i++)
        {
            if (double.IsFinite(v[i])) continue;
            if (first < 0) first = i;
            count++;
        }
        if (count == 0) return;
        problems.Add(new Problem(code,
            $"{name} has {count} NaN or infinite value(s); the first is {v[first]} at index {first} (0-based); {fix}",
            first + 1, name));
    }
}
