using System.Numerics.Tensors;
using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Scale;

/// <summary>Holds the hyperparameters of <see cref="MinMaxScaler"/> (inert values).</summary>
/// <param name="FeatureMin">Lower end of the target range, sklearn <c>feature_range[0]</c>; default 0; finite and below <paramref name="FeatureMax"/>.</param>
/// <param name="FeatureMax">Upper end of the target range, sklearn <c>feature_range[1]</c>; default 1.</param>
/// <param name="Clip">Whether <see cref="MinMaxScaler.Transform"/> clips new rows to [FeatureMin, FeatureMax]; default false (new rows may fall outside), as sklearn's <c>clip</c>.</param>
public sealed record MinMaxScalerOptions(double FeatureMin = 0.0, double FeatureMax = 1.0, bool Clip = false);

/// <summary>Holds what <see cref="MinMaxScaler.Fit(MinMaxScalerOptions, Matrix)"/> learned: per-feature minimum, maximum, scale and offset.</summary>
/// <remarks>
/// Immutable; only <see cref="MinMaxScaler"/> creates it, so every array has n_features entries and every scale is
/// positive. Value equality over the options and every learned number. Source: scikit-learn 1.2.1 <c>MinMaxScaler</c> attributes.
/// </remarks>
public sealed record MinMaxScalerModel
{
    private readonly double[] _dataMin;
    private readonly double[] _dataMax;
    private readonly double[] _scale;
    private readonly double[] _min;

    internal MinMaxScalerModel(MinMaxScalerOptions options, double[] dataMin, double[] dataMax, double[] scale, double[] min, int samplesSeen)
    {
        (Options, _dataMin, _dataMax, _scale, _min, SamplesSeen) = (options, dataMin, dataMax, scale, min, samplesSeen);
        DataMin = Vec.Own(dataMin);
        DataMax = Vec.Own(dataMax);
        DataRange = Vec.Own(dataMax.Zip(dataMin, (hi, lo) => hi - lo).ToArray());
        Scale = Vec.Own(scale);
        Min = Vec.Own(min);
    }

    /// <summary>The options the model was fitted with.</summary>
    public MinMaxScalerOptions Options { get; }

    /// <summary>Per-feature minimum of the training rows, sklearn <c>data_min_ : (n_features,)</c>, in each feature's unit.</summary>
    public IReadOnlyList<double> DataMin { get; }

    /// <summary>Per-feature maximum of the training rows, sklearn <c>data_max_ : (n_features,)</c>.</summary>
    public IReadOnlyList<double> DataMax { get; }

    /// <summary>Per-feature range, sklearn <c>data_range_ : (n_features,)</c> = data_max_ - data_min_ (0 for a constant feature).</summary>
    public IReadOnlyList<double> DataRange { get; }

    /// <summary>Per-feature factor, sklearn <c>scale_ : (n_features,)</c> = (FeatureMax - FeatureMin) / data_range_, with a range below 10 eps replaced by 1.</summary>
    public IReadOnlyList<double> Scale { get; }

    /// <summary>Per-feature offset, sklearn <c>min_ : (n_features,)</c> = FeatureMin - data_min_ * scale_.</summary>
    public IReadOnlyList<double> Min { get; }

    /// <summary>Number of training rows, sklearn <c>n_samples_seen_</c>.</summary>
    public int SamplesSeen { get; }

    /// <summary>Number of feature columns, sklearn <c>n_features_in_</c>.</summary>
    public int Features => _scale.Length;

    internal ReadOnlySpan<double> ScaleSpan => _scale;

    internal ReadOnlySpan<double> MinSpan => _min;

    /// <summary>Compares the options and every learned number (NaN equals NaN).</summary>
    /// <param name="other">The other model.</param>
    /// <returns>True when both models are the same.</returns>
    public bool Equals(MinMaxScalerModel? other) =>
        other is not null && Options == other.Options && SamplesSeen == other.SamplesSeen &&
        FeatureChecks.Same(_dataMin, other._dataMin) && FeatureChecks.Same(_dataMax, other._dataMax) &&
        FeatureChecks.Same(_scale, other._scale) && FeatureChecks.Same(_min, other._min);

    /// <summary>Hashes the options and learned numbers, consistently with <see cref="Equals(MinMaxScalerModel?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Options, SamplesSeen, FeatureChecks.Hash(_dataMin), FeatureChecks.Hash(_dataMax));
}

/// <summary>Scales each feature linearly so that the training rows span [FeatureMin, FeatureMax].</summary>
/// <remarks>
/// x'_ij = x_ij * scale_j + min_j with scale_j = (FeatureMax - FeatureMin) / (max_i x_ij - min_i x_ij) and
/// min_j = FeatureMin - data_min_j * scale_j (the same operations, in the same order, as scikit-learn). A constant
/// feature (range below 10 eps, eps = 2^-52) gets a divisor of 1 instead of its range, as scikit-learn's
/// <c>_handle_zeros_in_scale</c>: its training values map to FeatureMin, and new values to FeatureMin + (x - data_min) (FeatureMax - FeatureMin).
/// Source: scikit-learn 1.2.1 <c>MinMaxScaler</c>.
/// </remarks>
public static class MinMaxScaler
{
    /// <summary>Learns per-feature minimum and maximum of the training rows with the default range (0, 1).</summary>
    /// <param name="x">Training features, shape (n_samples, n_features), finite.</param>
    /// <returns>See <see cref="Fit(MinMaxScalerOptions, Matrix)"/>.</returns>
    public static Validation<Problem, MinMaxScalerModel> Fit(Matrix x) => Fit(new MinMaxScalerOptions(), x);

    /// <summary>Learns per-feature minimum and maximum of the training rows.</summary>
    /// <param name="options">Target range and clipping.</param>
    /// <param name="x">Training features, shape (n_samples, n_features), finite (impute NaN first).</param>
    /// <returns>
    /// The fitted model, or every problem found: <c>param.out_of_range</c> (FeatureMin not below FeatureMax, or not finite),
    /// <c>data.empty</c>, <c>data.nan_feature</c> (one per column, naming the first row) and <c>data.infinite_feature</c>.
    /// scikit-learn ignores NaN here; this library asks for an explicit imputation step.
    /// </returns>
    /// <remarks>Deterministic; <paramref name="x"/> is not modified.</remarks>
    public static Validation<Problem, MinMaxScalerModel> Fit(MinMaxScalerOptions options, Matrix x)
    {
        var problems = new List<Problem>();
        if (!(double.IsFinite(options.FeatureMin) && double.IsFinite(options.FeatureMax) && options.FeatureMin < options.FeatureMax))
            problems.Add(new Problem("param.out_of_range",
                $"feature range ({options.FeatureMin}, {options.FeatureMax}) is invalid; FeatureMin must be finite and below FeatureMax, e.g. (0, 1)"));
        problems.AddRange(FeatureChecks.Empty(x, "MinMaxScaler.Fit"));
        problems.AddRange(FeatureChecks.NonFinite(x, "MinMaxScaler.Fit", allowNaN: false));
        if (problems.Count > 0) return Valid.Fail<MinMaxScalerModel>(problems);

        int n = x.Rows, p = x.Cols;
        var dataMin = x.Row(0).ToArray();
        var dataMax = x.Row(0).ToArray();
        for (var i = 1; i < n; i++)
        {
            TensorPrimitives.Min(dataMin, x.Row(i), dataMin);
            TensorPrimitives.Max(dataMax, x.Row(i), dataMax);
        }
        var width = options.FeatureMax - options.FeatureMin;
        var scale = new double[p];
        var min = new double[p];
        for (var j = 0; j < p; j++)
        {
            var range = dataMax[j] - dataMin[j];
            scale[j] = width / (range < 10 * FeatureChecks.MachineEpsilon ? 1.0 : range);
            min[j] = options.FeatureMin - dataMin[j] * scale[j];
        }
        return Valid.Ok(new MinMaxScalerModel(options, dataMin, dataMax, scale, min, n));
    }

    /// <summary>Scales rows with a fitted model: x'_ij = x_ij * scale_j + min_j, clipped to the range when the options say so.</summary>
    /// <param name="model">A model fitted on the training rows.</param>
    /// <param name="x">Features to transform, shape (n_rows, n_features).</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">When the column count differs from the model's (a programmer error: transform rows featurized like the training rows).</exception>
    /// <remarks>NaN entries stay NaN; new rows may fall outside the range unless <see cref="MinMaxScalerOptions.Clip"/>. Source: <c>MinMaxScaler.transform</c>.</remarks>
    public static Matrix Transform(MinMaxScalerModel model, Matrix x)
    {
        FeatureChecks.RequireColumns(x, model.Features, "the MinMaxScalerModel");
        var (lo, hi, clip) = (model.Options.FeatureMin, model.Options.FeatureMax, model.Options.Clip);
        return FeatureChecks.MapRows(x, (row, y) =>
        {
            TensorPrimitives.Multiply(row, model.ScaleSpan, y);
            TensorPrimitives.Add(y, model.MinSpan, y);
            if (!clip) return;
            for (var j = 0; j < y.Length; j++) y[j] = Math.Clamp(y[j], lo, hi);
        });
    }

    /// <summary>Maps scaled values back to feature units: x_ij = (x'_ij - min_j) / scale_j.</summary>
    /// <param name="model">A fitted model.</param>
    /// <param name="scaled">Scaled values, shape (n_rows, n_features).</param>
    /// <returns>A new matrix of the same shape.</returns>
    /// <exception cref="ArgumentException">When the column count differs from the model's (a programmer error: transform rows featurized like the training rows).</exception>
    /// <remarks>Inverse of <see cref="Transform"/> up to rounding (values clipped by Transform do not come back). Source: <c>MinMaxScaler.inverse_transform</c>.</remarks>
    public static Matrix InverseTransform(MinMaxScalerModel model, Matrix scaled)
    {
        FeatureChecks.RequireColumns(scaled, model.Features, "the MinMaxScalerModel");
        return FeatureChecks.MapRows(scaled, (row, x) =>
        {
            TensorPrimitives.Subtract(row, model.MinSpan, x);
            TensorPrimitives.Divide(x, model.ScaleSpan, x);
        });
    }
}
