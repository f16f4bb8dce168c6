using System.Numerics.Tensors;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Scale;

/// <summary>Holds what <see cref="StandardScaler.Fit"/> learned from the training rows: per-feature mean and scale.</summary>
/// <remarks>
/// Immutable; only <see cref="StandardScaler.Fit"/> creates it, so Mean, Var and Scale always have n_features entries and
/// every scale is positive. Value equality: two models are equal when every learned number is equal, so fitting the same
/// rows twice gives equal models. Source: scikit-learn 1.2.1 <c>StandardScaler</c> attributes.
/// </remarks>
public sealed record StandardScalerModel
{
    private readonly double[] _mean;
    private readonly double[] _var;
    private readonly double[] _scale;

    internal StandardScalerModel(double[] mean, double[] var, double[] scale, int samplesSeen)
    {
        (_mean, _var, _scale, SamplesSeen) = (mean, var, scale, samplesSeen);
        Mean = Vec.Own(mean);
        Var = Vec.Own(var);
        Scale = Vec.Own(scale);
    }

    /// <summary>Per-feature mean of the training rows, sklearn <c>mean_ : (n_features,)</c>, in each feature's unit.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-feature population variance (ddof = 0) of the training rows, sklearn <c>var_ : (n_features,)</c>, in each feature's unit squared.</summary>
    public IReadOnlyList<double> Var { get; }

    /// <summary>Per-feature divisor, sklearn <c>scale_ : (n_features,)</c>: sqrt(var_), or exactly 1.0 for a (near-)constant feature.</summary>
    public IReadOnlyList<double> Scale { get; }

    /// <summary>Number of training rows the model was fitted on, sklearn <c>n_samples_seen_</c>.</summary>
    public int SamplesSeen { get; }

    /// <summary>Number of feature columns, sklearn <c>n_features_in_</c>.</summary>
    public int Features => _mean.Length;

    internal ReadOnlySpan<double> MeanSpan => _mean;

    internal ReadOnlySpan<double> ScaleSpan => _scale;

    /// <summary>Compares every learned number (NaN equals NaN).</summary>
    /// <param name="other">The other model.</param>
    /// <returns>True when both models hold the same numbers.</returns>
    public bool Equals(StandardScalerModel? other) =>
        other is not null && SamplesSeen == other.SamplesSeen &&
        FeatureChecks.Same(_mean, other._mean) && FeatureChecks.Same(_var, other._var) && FeatureChecks.Same(_scale, other._scale);

    /// <summary>Hashes every learned number, consistently with <see cref="Equals(StandardScalerModel?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(SamplesSeen, FeatureChecks.Hash(_mean), FeatureChecks.Hash(_scale));
}

/// <summary>Standardises features to zero mean and unit variance using statistics of the training rows only.</summary>
/// <remarks>
/// z_ij = (x_ij - mean_j) / scale_j with mean_j = (1/n) sum_i x_ij, var_j = (1/n) sum_i (x_ij - mean_j)^2 (population
/// variance, ddof = 0) and scale_j = sqrt(var_j). A feature whose variance is indistinguishable from 0,
/// var_j &lt;= n eps var_j + (n mean_j eps)^2 with eps = 2^-52, gets scale_j = 1.0 exactly as scikit-learn does: it is
/// only centred, and maps to 0 on the training rows. The variance uses scikit-learn's corrected two-pass formula
/// (sum d^2 - (sum d)^2 / n) / n with d = x - mean, summed row by row as numpy does along axis 0.
/// Source: scikit-learn 1.2.1 <c>StandardScaler</c>, <c>_incremental_mean_and_var</c>, <c>_is_constant_feature</c>,
/// <c>_handle_zeros_in_scale</c>; Chan, Golub, LeVeque, "Algorithms for computing the sample variance" (1983).
/// </remarks>
public static class StandardScaler
{
    /// <summary>Learns the per-feature mean and scale of the training rows.</summary>
    /// <param name="x">Training features, shape (n_samples, n_features), finite (impute NaN first).</param>
    /// <returns>
    /// The fitted model, or every problem found: <c>data.empty</c> (no row or no column), <c>data.nan_feature</c>
    /// (one per column with NaN, naming the first row; impute first with <see cref="MeanImputer"/>) and
    /// <c>data.infinite_feature</c>. scikit-learn ignores NaN here; this library asks for an explicit imputation step.
    /// </returns>
    /// <remarks>Deterministic; <paramref name="x"/> is not modified. Fitting on the same rows twice gives equal models.</remarks>
    public static Validation<Problem, StandardScalerModel> Fit(Matrix x)
    {
        var problems = FeatureChecks.Empty(x, "StandardScaler.Fit")
            .Concat(FeatureChecks.NonFinite(x, "StandardScaler.Fit", allowNaN: false)).ToList();
        if (problems.Count > 0) return Valid.Fail<StandardScalerModel>(problems);

        int n = x.Rows, p = x.Cols;
        var mean = new double[p];
        for (var i = 0; i < n; i++) TensorPrimitives.Add(mean, x.Row(i), mean);
        TensorPrimitives.Divide(mean, n, mean);

        var correction = new double[p];
        var squares = new double[p];
        var d = new double[p];
        for (var i = 0; i < n; i++)
        {
            TensorPrimitives.Subtract(x.Row(i), mean, d);
            TensorPrimitives.Add(correction, d, correction);
            TensorPrimitives.Multiply(d, d, d);
            TensorPrimitives.Add(squares, d, squares);
        }

        var var = new double[p];
        var scale = new double[p];
        for (var j = 0; j < p; j++)
        {
            var[j] = (squares[j] - correction[j] * correction[j] / n) / n;
            var drift = n * mean[j] * FeatureChecks.MachineEpsilon;
            var bound = n * FeatureChecks.MachineEpsilon * var[j] + drift * drift;
            scale[j] = var[j] <= bound ? 1.0 : Math.Sqrt(var[j]);
        }
        return Valid.Ok(new StandardScalerModel(mean, var, scale, n));
    }

    /// <summary>Standardises rows with a fitted model: z_ij = (x_ij - mean_j) / scale_j.</summary>
    /// <param name="model">A model from <see cref="Fit"/> (fitted on the training rows).</param>
    /// <param name="x">Features to transform (training or new rows), shape (n_rows, n_features).</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">When the column count differs from the model's (a programmer error: transform rows featurized like the training rows).</exception>
    /// <remarks>NaN entries stay NaN (a missing value stays missing); the input is not modified. Source: <c>StandardScaler.transform</c>.</remarks>
    public static Matrix Transform(StandardScalerModel model, Matrix x)
    {
        FeatureChecks.RequireColumns(x, model.Features, "the StandardScalerModel");
        return FeatureChecks.MapRows(x, (row, z) =>
        {
            TensorPrimitives.Subtract(row, model.MeanSpan, z);
            TensorPrimitives.Divide(z, model.ScaleSpan, z);
        });
    }

    /// <summary>Maps standardised values back to feature units: x_ij = z_ij * scale_j + mean_j.</summary>
    /// <param name="model">A model from <see cref="Fit"/>.</param>
    /// <param name="z">Standardised values, shape (n_rows, n_features).</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">When the column count differs from the model's (a programmer error: transform rows featurized like the training rows).</exception>
    /// <remarks>Inverse of <see cref="Transform"/> up to rounding (a relative few ulps). Source: <c>StandardScaler.inverse_transform</c>.</remarks>
    public static Matrix InverseTransform(StandardScalerModel model, Matrix z)
    {
        FeatureChecks.RequireColumns(z, model.Features, "the StandardScalerModel");
        return FeatureChecks.MapRows(z, (row, x) =>
        {
            TensorPrimitives.Multiply(row, model.ScaleSpan, x);
            TensorPrimitives.Add(x, model.MeanSpan, x);
        });
    }
}
