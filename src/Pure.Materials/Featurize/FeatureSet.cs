using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>A feature matrix with its column labels.</summary>
/// <param name="Labels">Column labels, length n_features.</param>
/// <param name="X">Values, shape (n_samples, n_features); NaN marks a missing value.</param>
public sealed record FeatureSet(IReadOnlyList<string> Labels, Matrix X)
{
    /// <summary>The categorical columns of <see cref="X"/> (their cells hold code-book indices, see <see cref="Data.Dataset.Categories"/>),
    /// to be one-hot encoded by a step fitted on training rows only; empty when none.</summary>
    public IReadOnlyList<Scale.OneHotColumn> Categorical { get; init; } = [];

    /// <summary>The one-hot encoding of <see cref="Categorical"/>, or null when there is no categorical column.</summary>
    public Scale.OneHotEncoderOptions? OneHot => Categorical.Count == 0 ? null : new Scale.OneHotEncoderOptions(Categorical);
}

/// <summary>Looks up composition featurizers by their command-line names and builds feature sets for datasets.</summary>
public static class CompositionFeaturizers
{
    /// <summary>The names accepted by <see cref="Parse"/>, each with the featurizer it builds:
    /// <c>magpie</c> (<see cref="ElementProperty.Magpie"/>, 132), <c>matminer</c> (<see cref="ElementProperty.Matminer"/>, 65),
    /// <c>stoichiometry</c> (6), <c>valence-orbital</c> (8), <c>element-fraction</c> (103), <c>tmetal-fraction</c> (1),
    /// <c>band-center</c> (1), <c>ion-property</c> (3), <c>site-averaged</c> (<see cref="SiteAveragedFeaturizer.Perovskite"/>, 36: the
    /// perovskite tutorial's site averages from formulas whose MA and FA were read as their elements).</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["magpie", "matminer", "stoichiometry", "valence-orbital", "element-fraction", "tmetal-fraction", "band-center", "ion-property", "site-averaged"];

    /// <summary>Parses a comma-separated list of featurizer names.</summary>
    /// <param name="names">For example <c>magpie,stoichiometry,valence-orbital</c>; see <see cref="Names"/>.</param>
    /// <param name="missing">Missing element value policy for the element-property featurizers (<c>magpie</c>, <c>matminer</c>).</param>
    /// <returns>The featurizers in the order given, or every problem: <c>param.unknown_featurizer</c> per unknown name,
    /// <c>param.duplicate_featurizer</c> per name given twice, <c>param.empty</c> when no name is given.</returns>
    public static Validation<Problem, ICompositionFeaturizer[]> Parse(string names, MissingElementValue missing = MissingElementValue.NaN)
    {
        var list = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0)
            return Valid.Fail<ICompositionFeaturizer[]>("param.empty", $"no featurizer named; use one or more of {string.Join(", ", Names)}");
        var duplicates = list.GroupBy(n => n).Where(g => g.Count() > 1)
            .Select(g => new Problem("param.duplicate_featurizer", $"featurizer '{g.Key}' is named {g.Count()} times; name it once")).ToList();
        var parsed = Valid.All(list.Select(n => Named(n, missing)));
        return duplicates.Count > 0 ? Valid.Fail<ICompositionFeaturizer[]>(duplicates.Concat(parsed.Problems())) : parsed;
    }

    /// <summary>Builds one featurizer by name (see <see cref="Names"/>).</summary>
    /// <param name="name">A name of <see cref="Names"/>.</param>
    /// <param name="missing">Missing element value policy for the element-property featurizers.</param>
    /// <returns>The featurizer, or <c>param.unknown_featurizer</c> listing the names.</returns>
    public static Validation<Problem, ICompositionFeaturizer> Named(string name, MissingElementValue missing = MissingElementValue.NaN) =>
        name switch
        {
            "magpie" or "matminer" => ElementProperty.FromPreset(name, missing).Map(f => (ICompositionFeaturizer)f),
            "stoichiometry" => Valid.Ok<ICompositionFeaturizer>(Stoichiometry.Default),
            "valence-orbital" => Valid.Ok<ICompositionFeaturizer>(ValenceOrbital.Default),
            "element-fraction" => Valid.Ok<ICompositionFeaturizer>(ElementFraction.Default),
            "tmetal-fraction" => Valid.Ok<ICompositionFeaturizer>(TMetalFraction.Default),
            "band-center" => Valid.Ok<ICompositionFeaturizer>(BandCenter.Default),
            "ion-property" => Valid.Ok<ICompositionFeaturizer>(IonProperty.Default),
            "site-averaged" => Valid.Ok<ICompositionFeaturizer>(SiteAveragedFeaturizer.Perovskite),
            _ => Valid.Fail<ICompositionFeaturizer>("param.unknown_featurizer", $"unknown featurizer '{name}'; use one of {string.Join(", ", Names)}"),
        };

    /// <summary>Builds the feature matrix of a dataset: each featurizer's columns in order, then the dataset's numeric feature columns.</summary>
    /// <param name="featurizers">Composition featurizers (may be empty when the dataset has feature columns).</param>
    /// <param name="dataset">The dataset.</param>
    /// <returns>The feature set, shape (dataset.Count, total features), or <c>data.no_formula_column</c> when featurizers are given without a formula column,
    /// <c>data.no_features</c> when there is nothing to learn from, <c>featurize.non_finite</c> (row, formula column, feature named) when a
    /// feature comes out infinite.</returns>
    public static Validation<Problem, FeatureSet> Build(IReadOnlyList<ICompositionFeaturizer> featurizers, Dataset dataset)
    {
        if (featurizers.Count > 0 && dataset.Compositions is null)
            return Valid.Fail<FeatureSet>("data.no_formula_column", "featurizers need a formula column; set DatasetSpec.FormulaColumn");
        var labels = new List<string>();
        Matrix? x = null;
        if (featurizers.Count > 0)
        {
            var featurized = Featurize(featurizers, dataset.Compositions!, i => dataset.Formulas?[i] ?? "", column: null);
            if (featurized.IsFail) return featurized;
            x = featurized.OrThrow().X;
            labels.AddRange(featurized.OrThrow().Labels);
        }
        var offset = labels.Count;
        if (dataset.ColumnFeatureNames.Count > 0)
        {
            x = x is null ? dataset.ColumnFeatures : x.HConcat(dataset.ColumnFeatures);
            labels.AddRange(dataset.ColumnFeatureNames);
        }
        var names = dataset.ColumnFeatureNames.ToList();
        var categorical = dataset.Categories.Select(c => new Scale.OneHotColumn(offset + names.IndexOf(c.Name), c.Name, c.Values)).ToArray();
        return x is null
            ? Valid.Fail<FeatureSet>("data.no_features", "no features: give FeatureSet.Build(featurizers) (e.g. magpie) with a formula column, or numeric columns in DatasetSpec.FeatureColumns (e.g. A,B)")
            : Valid.Ok(new FeatureSet(labels, x) { Categorical = categorical });
    }

    /// <summary>Featurizes compositions with each featurizer in turn, refusing infinite values (as <see cref="Build"/> does).</summary>
    /// <param name="featurizers">At least one featurizer.</param>
    /// <param name="compositions">The compositions, n rows.</param>
    /// <param name="formula">The formula of row i as written, for messages.</param>
    /// <returns>The featurizers' columns in order, shape (n, total features), or <c>featurize.non_finite</c> per infinite row (at most 50),
    /// its 1-based row and the feature named.</returns>
    internal static Validation<Problem, FeatureSet> Featurize(IReadOnlyList<ICompositionFeaturizer> featurizers, IReadOnlyList<Composition> compositions, Func<int, string> formula)
        => Featurize(featurizers, compositions, formula, column: null);

    private static Validation<Problem, FeatureSet> Featurize(IReadOnlyList<ICompositionFeaturizer> featurizers, IReadOnlyList<Composition> compositions, Func<int, string> formula, string? column)
    {
        var labels = new List<string>();
        Matrix? x = null;
        foreach (var f in featurizers)
        {
            var block = f.FeaturizeMany(compositions);
            var infinite = new List<Problem>();
            for (var i = 0; i < block.Rows && infinite.Count < 50; i++)
                for (var j = 0; j < block.Cols; j++)
                    if (double.IsInfinity(block[i, j]))
                    {
                        infinite.Add(CsvFeaturizer.NonFinite(f.Labels[j], formula(i), i + 1, f.Labels[j]));
                        break;
                    }
            if (infinite.Count > 0) return Valid.Fail<FeatureSet>(infinite);
            if (f is SiteAveragedFeaturizer site)
            {
                // A formula that does not fit the sites gets NaN from the featurizer; here it is a problem of its row, never a silent NaN.
                var offSite = new List<Problem>();
                for (var i = 0; i < block.Rows && offSite.Count < 50; i++)
                    if (double.IsNaN(block[i, 0]) && SiteAveragedFeaturizer.NotOnSites(site, compositions[i], formula(i), i + 1, column) is { } p)
                        offSite.Add(p);
                if (offSite.Count > 0) return Valid.Fail<FeatureSet>(offSite);
            }
            x = x is null ? block : x.HConcat(block);
            labels.AddRange(f.Labels);
        }
        return Valid.Ok(new FeatureSet(labels, x!));
    }
}
