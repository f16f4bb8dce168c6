using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>A feature matrix with its column labels.</summary>
/// <param name="Labels">Column labels, length n_features.</param>
/// <param name="X">Values, shape (n_samples, n_features); NaN marks a missing value.</param>
public sealed record FeatureSet(IReadOnlyList<string> Labels, Matrix X);

/// <summary>Looks up composition featurizers by their command-line names and builds feature sets for datasets.</summary>
public static class CompositionFeaturizers
{
    /// <summary>The names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["magpie"];

    /// <summary>Parses a comma-separated list of featurizer names.</summary>
    /// <param name="names">For example <c>magpie</c>.</param>
    /// <param name="missing">Missing element value policy for element-property featurizers.</param>
    /// <returns>The featurizers in the order given, or <c>param.unknown_featurizer</c> per unknown name.</returns>
    public static Validation<Problem, ICompositionFeaturizer[]> Parse(string names, MissingElementValue missing = MissingElementValue.NaN) =>
        Valid.All(names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n switch
        {
            "magpie" => ElementProperty.FromPreset("magpie", missing).Map(f => (ICompositionFeaturizer)f),
            _ => Valid.Fail<ICompositionFeaturizer>("param.unknown_featurizer", $"unknown featurizer '{n}'; use one of {string.Join(", ", Names)}"),
        }));

    /// <summary>Builds the feature matrix of a dataset: each featurizer's columns in order, then the dataset's numeric feature columns.</summary>
    /// <param name="featurizers">Composition featurizers (may be empty when the dataset has feature columns).</param>
    /// <param name="dataset">The dataset.</param>
    /// <returns>The feature set, shape (dataset.Count, total features), or <c>data.no_formula_column</c> when featurizers are given without a formula column,
    /// <c>data.no_features</c> when there is nothing to learn from.</returns>
    public static Validation<Problem, FeatureSet> Build(IReadOnlyList<ICompositionFeaturizer> featurizers, Dataset dataset)
    {
        if (featurizers.Count > 0 && dataset.Compositions is null)
            return Valid.Fail<FeatureSet>("data.no_formula_column", "featurizers need a formula column; pass --formula-column NAME");
        var labels = new List<string>();
        Matrix? x = null;
        foreach (var f in featurizers)
        {
            var block = f.FeaturizeMany(dataset.Compositions!);
            x = x is null ? block : x.HConcat(block);
            labels.AddRange(f.Labels);
        }
        if (dataset.ColumnFeatureNames.Count > 0)
        {
            x = x is null ? dataset.ColumnFeatures : x.HConcat(dataset.ColumnFeatures);
            labels.AddRange(dataset.ColumnFeatureNames);
        }
        return x is null
            ? Valid.Fail<FeatureSet>("data.no_features", "no features: name featurizers (--featurizers magpie) with a formula column, or numeric columns (--feature-columns A,B)")
            : Valid.Ok(new FeatureSet(labels, x));
    }
}
