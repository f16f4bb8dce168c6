using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Scale;
using Pure.Materials.Models;

namespace Pure.Materials.Pipelines;

/// <summary>How missing feature values (NaN) are filled before fitting.</summary>
public enum ImputeStrategy
{
    /// <summary>Column mean over the training rows (scikit-learn <c>SimpleImputer(strategy="mean")</c>).</summary>
    Mean,
    /// <summary>No imputation: a NaN reaching the learner is a <c>data.nan_feature</c> problem.</summary>
    None,
}

/// <summary>How features are scaled before fitting.</summary>
public enum ScaleStrategy
{
    /// <summary>Zero mean, unit variance per column over the training rows (<c>StandardScaler</c>).</summary>
    Standard,
    /// <summary>Each column mapped to [0, 1] over the training rows (<c>MinMaxScaler</c>).</summary>
    MinMax,
    /// <summary>No scaling (trees do not need it).</summary>
    None,
}

/// <summary>An unfitted pipeline: impute, then scale, then a learner. Every step is fitted on training rows only, by construction.</summary>
/// <param name="Impute">Missing-value strategy.</param>
/// <param name="Scale">Scaling strategy.</param>
/// <param name="Learner">The regressor.</param>
public sealed record PipelineOptions(ImputeStrategy Impute, ScaleStrategy Scale, Learner Learner)
{
    /// <summary>Categorical columns one-hot encoded before imputation and scaling, with categories learned from the training rows only
    /// (<see cref="OneHotEncoder"/>); null (default) when every column is numeric.</summary>
    public OneHotEncoderOptions? OneHot { get; init; }

    /// <summary>Categorical columns ordinal-encoded before imputation and scaling, with categories learned from the training rows only
    /// (<see cref="OrdinalEncoder"/>: codes 0..k-1 in place, unknown and missing -1; meant for trees, the width stays that of the input);
    /// null (default). At most one of <see cref="OneHot"/> and <see cref="Ordinal"/> is set (both: <c>param.conflict</c> at fit).</summary>
    public OrdinalEncoderOptions? Ordinal { get; init; }

    /// <summary>The default scaling for a learner, as its declaration says (<see cref="ILearnerSpec.DefaultScale"/>): none for trees and the
    /// dummy baseline, standard for linear, kernel, neighbour, support-vector and Gaussian-process models.</summary>
    /// <param name="learnerName">The learner's short name (regression registry first, then classification).</param>
    /// <returns>The declared scaling; <see cref="ScaleStrategy.Standard"/> for a name no registry holds.</returns>
    public static ScaleStrategy DefaultScale(string learnerName) =>
        Learners.Registry.FirstOrDefault(s => s.Name == learnerName)?.DefaultScale
        ?? Classifiers.Registry.FirstOrDefault(s => s.Name == learnerName)?.DefaultScale
        ?? ScaleStrategy.Standard;
}

/// <summary>Fits a <see cref="PipelineOptions"/> on training rows into a <see cref="Predictor"/> that applies the same transforms to new rows.</summary>
/// <remarks>
/// The imputer and scaler see only the rows passed to <see cref="Fit"/>; there is no way through this API to fit them on test rows,
/// so cross-validation built on it cannot leak test information into preprocessing.
/// </remarks>
public static class Pipeline
{
    /// <summary>Fits imputer, scaler and learner, in that order, on the training rows.</summary>
    /// <param name="options">The pipeline.</param>
    /// <param name="x">Training features, shape (n_train, n_features); NaN allowed when imputing.</param>
    /// <param name="y">Training targets, length n_train.</param>
    /// <param name="rng">The learner's private random stream.</param>
    /// <returns>A predictor for raw (unimputed, unscaled) features (both <see cref="Predictor.Predict"/> and, where the learner has one,
    /// <see cref="Predictor.PredictWithStd"/> impute and scale new rows as the training rows were), or the first failing step's problems.</returns>
    public static Validation<Problem, Predictor> Fit(PipelineOptions options, Matrix x, IReadOnlyList<double> y, Rng rng) =>
        FitCore(options, x, y, rng, owned: false);

    /// <summary>Fits as <see cref="Fit"/> does, the same numbers, on rows that are the caller's private copy (cross-validation's training
    /// rows of a fold, overwritten): an ordinal encoder codes them in place instead of copying them (at 106,201 x 134 doubles, 114 MB
    /// less per fold).</summary>
    internal static Validation<Problem, Predictor> FitOwned(PipelineOptions options, Matrix x, IReadOnlyList<double> y, Rng rng) =>
        FitCore(options, x, y, rng, owned: true);

    private static Validation<Problem, Predictor> FitCore(PipelineOptions options, Matrix x, IReadOnlyList<double> y, Rng rng, bool owned) =>
        FitPreprocessing(options.OneHot, options.Ordinal, options.Impute, options.Scale, x, owned).Bind(pre =>
        {
            // The predictor keeps the transform only, not the transformed training rows (the size of x).
            var transform = pre.Transform;
            return options.Learner.Fit(pre.Transformed, y, rng)
                .Map(p => p with
                {
                    Predict = a => p.Predict(transform(a)),
                    PredictWithStd = p.PredictWithStd is { } withStd ? a => withStd(transform(a)) : null,
                });
        });

    /// <summary>Fits the one-hot or ordinal encoder (when given), the imputer and then the scaler on the training rows (the shared front of every pipeline).</summary>
    /// <param name="oneHot">Categorical columns to one-hot encode first, or null.</param>
    /// <param name="ordinal">Categorical columns to ordinal-encode first, or null (at most one of the two encoders).</param>
    /// <param name="impute">Missing-value strategy.</param>
    /// <param name="scale">Scaling strategy.</param>
    /// <param name="x">Training features, shape (n_train, n_features).</param>
    /// <param name="owned">Whether <paramref name="x"/> is the caller's private copy, which the ordinal encoder may code in place.</param>
    /// <returns>The fitted transform for new rows (encode, impute, then scale) and the transformed training rows, or the encoder's, imputer's or
    /// scaler's problems; <c>param.conflict</c> when both encoders are given.</returns>
    internal static Validation<Problem, (Func<Matrix, Matrix> Transform, Matrix Transformed)> FitPreprocessing(OneHotEncoderOptions? oneHot, OrdinalEncoderOptions? ordinal,
        ImputeStrategy impute, ScaleStrategy scale, Matrix x, bool owned = false)
    {
        if (oneHot is not null && ordinal is not null)
            return Valid.Fail<(Func<Matrix, Matrix>, Matrix)>("param.conflict",
                "both PipelineOptions.OneHot and PipelineOptions.Ordinal are set; a categorical column is encoded once: set one of them");
        if (ordinal is not null)
            return OrdinalEncoder.Fit(ordinal, x).Bind(encoder => FitPreprocessing(impute, scale, owned ? InPlace(encoder, x) : OrdinalEncoder.Transform(encoder, x))
                .Map(rest => ((Func<Matrix, Matrix>)(a => rest.Transform(OrdinalEncoder.Transform(encoder, a))), rest.Transformed)));
        if (oneHot is null) return FitPreprocessing(impute, scale, x);
        return OneHotEncoder.Fit(oneHot, x).Bind(encoder => FitPreprocessing(impute, scale, OneHotEncoder.Transform(encoder, x))
            .Map(rest => ((Func<Matrix, Matrix>)(a => rest.Transform(OneHotEncoder.Transform(encoder, a))), rest.Transformed)));
    }

    private static Matrix InPlace(OrdinalEncoderModel encoder, Matrix x)
    {
        OrdinalEncoder.TransformInPlace(encoder, x);
        return x;
    }

    private static Validation<Problem, (Func<Matrix, Matrix> Transform, Matrix Transformed)> FitPreprocessing(ImputeStrategy impute, ScaleStrategy scale, Matrix x)
    {
        Validation<Problem, Func<Matrix, Matrix>> imputer = impute switch
        {
            ImputeStrategy.Mean => MeanImputer.Fit(x).Map(m => (Func<Matrix, Matrix>)(a => MeanImputer.Transform(m, a))),
            _ => Valid.Ok<Func<Matrix, Matrix>>(a => a),
        };
        return imputer.Bind(imp =>
        {
            var xi = imp(x);
            Validation<Problem, Func<Matrix, Matrix>> scaler = scale switch
            {
                ScaleStrategy.Standard => StandardScaler.Fit(xi).Map(m => (Func<Matrix, Matrix>)(a => StandardScaler.Transform(m, a))),
                ScaleStrategy.MinMax => MinMaxScaler.Fit(xi).Map(m => (Func<Matrix, Matrix>)(a => MinMaxScaler.Transform(m, a))),
                _ => Valid.Ok<Func<Matrix, Matrix>>(a => a),
            };
            return scaler.Map(sc => ((Func<Matrix, Matrix>)(a => sc(imp(a))), sc(xi)));
        });
    }
}
