using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Structures;

namespace Pure.Materials.Featurize.Structural;

/// <summary>Looks up structure featurizers by their command-line names; composition featurizer names (e.g. <c>magpie</c>) describe
/// the structure's composition.</summary>
public static class StructureFeaturizers
{
    /// <summary>The structure featurizer names: <c>density</c> (<see cref="DensityFeatures"/>, 3), <c>coulomb</c> and
    /// <c>sine-coulomb</c> (<see cref="CoulombMatrix"/>, eigenvalues sorted descending, as many columns as the largest structure
    /// has sites), <c>rdf</c> (<see cref="RadialDistributionFunction.Default"/>, 200), <c>site-stats-bond-length</c> (4),
    /// <c>site-stats-cn</c> (2), <c>site-stats-grdf</c> (20) (<see cref="SiteStatsFingerprint"/>). Any name of
    /// <see cref="CompositionFeaturizers.Names"/> is also accepted and featurizes the structure's composition.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["density", "coulomb", "sine-coulomb", "rdf", "site-stats-bond-length", "site-stats-cn", "site-stats-grdf"];

    /// <summary>Parses a comma-separated list of names and builds one joined featurizer, fitting what needs fitting (the Coulomb
    /// matrix length) on <paramref name="training"/>.</summary>
    /// <param name="names">For example <c>magpie,site-stats-bond-length</c>.</param>
    /// <param name="training">The structures the Coulomb eigenvalue length is fitted on (the largest site count).</param>
    /// <param name="missing">Missing element value policy of the composition featurizers.</param>
    /// <returns>The featurizer (columns in the order named), or every problem: <c>param.unknown_featurizer</c>,
    /// <c>param.duplicate_featurizer</c>, <c>param.empty</c>, or a fitting problem.</returns>
    public static Validation<Problem, IStructureFeaturizer> Parse(string names, IReadOnlyList<Structure> training, MissingElementValue missing = MissingElementValue.NaN)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(training);
        var list = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (list.Length == 0)
            return Valid.Fail<IStructureFeaturizer>("param.empty", $"no featurizer named; use one or more of {string.Join(", ", Names.Concat(CompositionFeaturizers.Names))}");
        var duplicates = list.GroupBy(n => n).Where(g => g.Count() > 1)
            .Select(g => new Problem("param.duplicate_featurizer", $"featurizer '{g.Key}' is named {g.Count()} times; name it once")).ToList();
        var parsed = Valid.All(list.Select(n => Named(n, training, missing)));
        if (duplicates.Count > 0) return Valid.Fail<IStructureFeaturizer>(duplicates.Concat(parsed.Problems()));
        return parsed.Bind(fs => StructureFeaturizer.Join(fs));
    }

    /// <summary>Builds one featurizer by name.</summary>
    /// <param name="name">A name of <see cref="Names"/> or <see cref="CompositionFeaturizers.Names"/>.</param>
    /// <param name="training">Structures to fit the Coulomb length on.</param>
    /// <param name="missing">Missing element value policy of the composition featurizers.</param>
    /// <returns>The featurizer, or <c>param.unknown_featurizer</c> listing the names.</returns>
    public static Validation<Problem, IStructureFeaturizer> Named(string name, IReadOnlyList<Structure> training, MissingElementValue missing = MissingElementValue.NaN) =>
        name switch
        {
            "density" => Valid.Ok<IStructureFeaturizer>(DensityFeatures.Default),
            "coulomb" => CoulombMatrix.Fit(new CoulombMatrixOptions(CoulombMatrixKind.Coulomb), training).Map(f => (IStructureFeaturizer)f),
            "sine-coulomb" => CoulombMatrix.Fit(new CoulombMatrixOptions(CoulombMatrixKind.Sine), training).Map(f => (IStructureFeaturizer)f),
            "rdf" => Valid.Ok<IStructureFeaturizer>(RadialDistributionFunction.Default),
            "site-stats-bond-length" => Valid.Ok<IStructureFeaturizer>(SiteStatsFingerprint.BondLength),
            "site-stats-cn" => Valid.Ok<IStructureFeaturizer>(SiteStatsFingerprint.Coordination),
            "site-stats-grdf" => Valid.Ok<IStructureFeaturizer>(SiteStatsFingerprint.GaussianGrdf),
            _ when CompositionFeaturizers.Names.Contains(name) => CompositionFeaturizers.Named(name, missing).Map(StructureFeaturizer.FromComposition),
            _ => Valid.Fail<IStructureFeaturizer>("param.unknown_featurizer",
                $"unknown structure featurizer '{name}'; use one of {string.Join(", ", Names)} or a composition featurizer ({string.Join(", ", CompositionFeaturizers.Names)})"),
        };
}
