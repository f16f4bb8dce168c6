using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Scale;

/// <summary>Holds what <see cref="MeanImputer.Fit"/> learned: the mean of each feature over its observed training values.</summary>
/// <remarks>
/// Immutable; only <see cref="MeanImputer.Fit"/> creates it, so every statistic is finite. Value equality over the
/// statistics. Source: scikit-learn 1.2.1 <c>SimpleImputer(strategy="mean")</c>, attribute <c>statistics_</c>.
/// </remarks>
public sealed record MeanImputerModel
{
    private readonly double[] _statistics;

    internal MeanImputerModel(double[] statistics)
    {
        _statistics = statistics;
        Statistics = Vec.Own(statistics);
    }

    /// <summary>Per-feature fill value, sklearn <c>statistics_ : (n_features,)</c>: the mean of the non-NaN training values, in each feature's unit.</summary>
    public IReadOnlyList<double> Statistics { get; }

    /// <summary>Number of feature columns, sklearn <c>n_features_in_</c>.</summary>
    public int Features => _statistics.Length;

    /// <summary>Compares every statistic.</summary>
    /// <param name="other">The other model.</param>
    /// <returns>True when both models hold the same statistics.</returns>
    public bool Equals(MeanImputerModel? other) => other is not null && FeatureChecks.Same(_statistics, other._statistics);

    /// <summary>Hashes the statistics, consistently with <see cref="Equals(MeanImputerModel?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => FeatureChecks.Hash(_statistics);

    internal double this[int j] => _statistics[j];
}

/// <summary>Fills missing feature values (NaN) with the mean of the feature over the training rows.</summary>
/// <remarks>
/// statistics_j = (1 / |O_j|) sum_{i in O_j} x_ij, where O_j is the set of training rows whose value in column j is not NaN.
/// NaN marks a missing value (e.g. an element property that the table lacks); infinities are not missing values and
/// are reported. A column with no observed training value is a <see cref="Problem"/> (scikit-learn 1.2.1 drops it with a
/// warning, which would shift every later column). Source: scikit-learn 1.2.1 <c>SimpleImputer(strategy="mean")</c>.
/// </remarks>
public static class MeanImputer
{
    /// <summary>Learns the per-feature mean of the observed (non-NaN) training values.</summary>
    /// <param name="x">Training features, shape (n_samples, n_features); NaN marks a missing value.</param>
    /// <returns>
    /// The fitted model, or every problem found: <c>data.empty</c>, <c>data.infinite_feature</c> (one per column with an
    /// infinity) and <c>data.all_missing_column</c> (one per column that is NaN in every training row: drop that column,
    /// or supply values for it, before fitting).
    /// </returns>
    /// <remarks>Sums run row by row in the order of the rows; deterministic; <paramref name="x"/> is not modified.</remarks>
    public static Validation<Problem, MeanImputerModel> Fit(Matrix x)
    {
        var problems = FeatureChecks.Empty(x, "MeanImputer.Fit")
            .Concat(FeatureChecks.NonFinite(x, "MeanImputer.Fit", allowNaN: true)).ToList();
        var statistics = new double[x.Cols];
        for (var j = 0; j < x.Cols && x.Rows > 0; j++)
        {
            var (sum, count) = (0.0, 0);
            for (var i = 0; i < x.Rows; i++)
            {
                var v = x[i, j];
                if (double.IsNaN(v)) continue;
                sum += v;
                count++;
            }
            if (count == 0)
                problems.Add(new Problem("data.all_missing_column",
                    $"feature column {j} is NaN in all {x.Rows} training rows, so it has no mean; drop the column or supply values for it before fitting",
                    null, FeatureChecks.Name(j)));
            statistics[j] = sum / count;
        }
        return problems.Count > 0 ? Valid.Fail<MeanImputerModel>(problems) : Valid.Ok(new MeanImputerModel(statistics));
    }

    /// <summary>Replaces every NaN in column j by statistics_j; other values are copied unchanged.</summary>
    /// <param name="model">A model fitted on the training rows.</param>
    /// <param name="x">Features to fill (training or new rows), shape (n_rows, n_features).</param>
    /// <returns>A matrix of the same shape without NaN: <paramref name="x"/> itself when it has none (matrices are immutable, so
    /// sharing is safe and saves a copy the size of x), else a new one.</returns>
    /// <exception cref="ArgumentException">When the column count differs from the model's (a programmer error: transform rows featurized like the training rows).</exception>
    /// <remarks>The input is not modified. Source: <c>SimpleImputer.transform</c>.</remarks>
    public static Matrix Transform(MeanImputerModel model, Matrix x)
    {
        FeatureChecks.RequireColumns(x, model.Features, "the MeanImputerModel");
        if (!HasNaN(x.Data)) return x;
        return FeatureChecks.MapRows(x, (row, y) =>
        {
            for (var j = 0; j < row.Length; j++) y[j] = double.IsNaN(row[j]) ? model[j] : row[j];
        });
    }

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (var v in values)
            if (double.IsNaN(v)) return true;
        return false;
    }
}
