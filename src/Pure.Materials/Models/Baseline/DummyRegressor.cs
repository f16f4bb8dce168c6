using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Models.Baseline;

/// <summary>What a <see cref="DummyRegressor"/> predicts for every row (scikit-learn <c>strategy</c>).</summary>
public enum DummyStrategy
{
    /// <summary>The mean of the training targets.</summary>
    Mean,

    /// <summary>Their median.</summary>
    Median,

    /// <summary>Their <see cref="DummyRegressorOptions.Quantile"/> quantile (linear interpolation, numpy's default).</summary>
    Quantile,

    /// <summary><see cref="DummyRegressorOptions.Constant"/>.</summary>
    Constant,
}

/// <summary>Hyper-parameters of the baseline regressor (scikit-learn <c>DummyRegressor</c> names and defaults).</summary>
public sealed record DummyRegressorOptions
{
    /// <summary><c>strategy</c>; default <see cref="DummyStrategy.Mean"/>.</summary>
    public DummyStrategy Strategy { get; init; } = DummyStrategy.Mean;

    /// <summary><c>quantile</c>, in [0, 1]; needed by <see cref="DummyStrategy.Quantile"/>. Default null.</summary>
    public double? Quantile { get; init; }

    /// <summary><c>constant</c>, in target units; needed by <see cref="DummyStrategy.Constant"/>. Default null.</summary>
    public double? Constant { get; init; }
}

/// <summary>A fitted baseline: one value, <c>constant_</c>.</summary>
/// <param name="Options">The hyper-parameters.</param>
/// <param name="Value"><c>constant_</c>: the prediction for every row, in target units.</param>
public sealed record DummyRegressorModel(DummyRegressorOptions Options, double Value);

/// <summary>Predicts one value learned from the targets alone, ignoring the features: the baseline every model must beat (Matbench
/// reports a dummy mean beside each task).</summary>
/// <remarks>Mean: sum y / n; median and quantile q: the value at position q (n - 1) of the sorted targets, interpolated linearly between
/// neighbours (numpy <c>percentile</c>'s default, used by scikit-learn 1.2.1 without sample weights). Deterministic.
/// Source: scikit-learn 1.2.1 <c>sklearn/dummy.py</c> <c>DummyRegressor</c>.</remarks>
public static class DummyRegressor
{
    /// <summary>Fits the baseline.</summary>
    /// <param name="options">Hyper-parameters.</param>
    /// <param name="x">Features, shape (n_samples, n_features); only their count is checked.</param>
    /// <param name="y">Targets, length n_samples, finite.</param>
    /// <returns>The model, or the problems of <see cref="Checks.Regression"/>, <c>param.missing</c> (quantile or constant strategy without its
    /// value), <c>param.out_of_range</c> (quantile outside [0, 1], constant not finite).</returns>
    public static Validation<Problem, DummyRegressorModel> Fit(DummyRegressorOptions options, Matrix x, IReadOnlyList<double> y)
    {
        var problems = new List<Problem>(Checks.Regression(x, y).Problems());
        if (options.Strategy == DummyStrategy.Quantile && options.Quantile is not { } _)
            problems.Add(new Problem("param.missing", "strategy=quantile needs quantile (e.g. quantile=0.5)"));
        if (options.Quantile is { } q && !(q >= 0 && q <= 1))
            problems.Add(new Problem("param.out_of_range", $"quantile must be in [0, 1], found {q}"));
        if (options.Strategy == DummyStrategy.Constant && options.Constant is not { } _)
            problems.Add(new Problem("param.missing", "strategy=constant needs constant (e.g. constant=0)"));
        if (options.Constant is { } c && !double.IsFinite(c))
            problems.Add(new Problem("param.out_of_range", $"constant must be a finite number, found {c}"));
        if (problems.Count > 0) return Valid.Fail<DummyRegressorModel>(problems);
        var value = options.Strategy switch
        {
            DummyStrategy.Mean => Reduce.Sum(y.ToArray()) / y.Count,
            DummyStrategy.Median => Percentile(y, 0.5),
            DummyStrategy.Quantile => Percentile(y, options.Quantile!.Value),
            _ => options.Constant!.Value,
        };
        return Valid.Ok(new DummyRegressorModel(options, value));
    }

    /// <summary>Predicts <see cref="DummyRegressorModel.Value"/> for every row.</summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Features, shape (n_samples, n_features).</param>
    /// <returns>Predictions, length n_samples.</returns>
    public static double[] Predict(DummyRegressorModel model, Matrix x) => Enumerable.Repeat(model.Value, x.Rows).ToArray();

    private static double Percentile(IReadOnlyList<double> y, double q)
    {
        var sorted = y.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
