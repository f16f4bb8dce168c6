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
    /// has sites; options after a colon with matminer's names, see <see cref="CoulombOptions"/>, e.g.
    /// <c>sine-coulomb:sort_eigenvalues=false</c> for matminer's column order), <c>rdf</c> (<see cref="RadialDistributionFunction.Default"/>, 200), <c>site-stats-bond-length</c> (4),
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
        var duplicates = list.GroupBy(BaseName).Where(g => g.Count() > 1)
            .Select(g => new Problem("param.duplicate_featurizer", $"featurizer '{g.Key}' is named {g.Count()} times; name it once")).ToList();
        var parsed = Valid.All(list.Select(n => Named(n, training, missing)));
        if (duplicates.Count > 0) return Valid.Fail<IStructureFeaturizer>(duplicates.Concat(parsed.Problems()));
        return parsed.Bind(fs => StructureFeaturizer.Join(fs));
    }

    /// <summary>Builds one featurizer by name.</summary>
    /// <param name="name">A name of <see cref="Names"/> or <see cref="CompositionFeaturizers.Names"/>; <c>coulomb</c> and
    /// <c>sine-coulomb</c> take options (<see cref="CoulombOptions"/>), e.g. <c>coulomb:sort_eigenvalues=false</c>.</param>
    /// <param name="training">Structures to fit the Coulomb length on.</param>
    /// <param name="missing">Missing element value policy of the composition featurizers.</param>
    /// <returns>The featurizer, or <c>param.unknown_featurizer</c> listing the names, or a problem of <see cref="CoulombOptions"/>.</returns>
    public static Validation<Problem, IStructureFeaturizer> Named(string name, IReadOnlyList<Structure> training, MissingElementValue missing = MissingElementValue.NaN)
    {
        ArgumentNullException.ThrowIfNull(name);
        var baseName = BaseName(name);
        if (baseName is "coulomb" or "sine-coulomb")
            return CoulombOptions(name).Bind(o => CoulombMatrix.Fit(o, training)).Map(f => (IStructureFeaturizer)f);
        if (baseName != name && (Names.Contains(baseName) || CompositionFeaturizers.Names.Contains(baseName)))
            return Valid.Fail<IStructureFeaturizer>("param.unknown_option",
                $"featurizer '{baseName}' takes no options, but '{name}' gives some; write '{baseName}' alone (only coulomb and sine-coulomb take options, e.g. coulomb:sort_eigenvalues=false).");
        return name switch
        {
            "density" => Valid.Ok<IStructureFeaturizer>(DensityFeatures.Default),
            "rdf" => Valid.Ok<IStructureFeaturizer>(RadialDistributionFunction.Default),
            "site-stats-bond-length" => Valid.Ok<IStructureFeaturizer>(SiteStatsFingerprint.BondLength),
            "site-stats-cn" => Valid.Ok<IStructureFeaturizer>(SiteStatsFingerprint.Coordination),
            "site-stats-grdf" => Valid.Ok<IStructureFeaturizer>(SiteStatsFingerprint.GaussianGrdf),
            _ when CompositionFeaturizers.Names.Contains(name) => CompositionFeaturizers.Named(name, missing).Map(StructureFeaturizer.FromComposition),
            _ => Valid.Fail<IStructureFeaturizer>("param.unknown_featurizer",
                $"unknown structure featurizer '{name}'; use one of {string.Join(", ", Names)} or a composition featurizer ({string.Join(", ", CompositionFeaturizers.Names)})"),
        };
    }

    /// <summary>The featurizer name without its options: the text before the first colon.</summary>
    internal static string BaseName(string spec)
    {
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? spec : spec[..colon];
    }

    /// <summary>Parses a Coulomb featurizer spec, <c>coulomb</c> or <c>sine-coulomb</c> followed by <c>:key=value</c> options with
    /// matminer's names: <c>sort_eigenvalues=true|false</c> (default true: largest first; false: matminer's own column order,
    /// <see cref="EigenvalueOrder.Matminer"/>) and <c>diag_elems=true|false</c> (default true: <c>M_ii = 0.5 Z^2.4</c>; false: 0).</summary>
    /// <param name="spec">For example <c>sine-coulomb:sort_eigenvalues=false:diag_elems=false</c>.</param>
    /// <returns>The options, or <c>param.unknown_featurizer</c> (another base name), <c>param.unknown_option</c> (another key, or a
    /// key given twice), <c>param.invalid_value</c> (not key=value, or a value other than true/false).</returns>
    public static Validation<Problem, CoulombMatrixOptions> CoulombOptions(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Split(':');
        var kind = parts[0] switch
        {
            "coulomb" => CoulombMatrixKind.Coulomb,
            "sine-coulomb" => CoulombMatrixKind.Sine,
            _ => (CoulombMatrixKind?)null,
        };
        if (kind is null)
            return Valid.Fail<CoulombMatrixOptions>("param.unknown_featurizer", $"'{spec}' is not a Coulomb featurizer; write coulomb or sine-coulomb, optionally followed by :sort_eigenvalues=false or :diag_elems=false.");
        var options = new CoulombMatrixOptions(kind.Value);
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var setting in parts.Skip(1))
        {
            var eq = setting.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                return Valid.Fail<CoulombMatrixOptions>("param.invalid_value", $"option '{setting}' of featurizer '{spec}' is not key=value; write e.g. {parts[0]}:sort_eigenvalues=false.");
            var (key, text) = (setting[..eq], setting[(eq + 1)..]);
            if (key is not ("sort_eigenvalues" or "diag_elems"))
                return Valid.Fail<CoulombMatrixOptions>("param.unknown_option", $"featurizer '{parts[0]}' has no option '{key}'; its options are sort_eigenvalues=true|false and diag_elems=true|false.");
            if (!seen.Add(key))
                return Valid.Fail<CoulombMatrixOptions>("param.unknown_option", $"option '{key}' is given twice in '{spec}'; give it once.");
            bool value;
            if (text == "true") value = true;
            else if (text == "false") value = false;
            else
                return Valid.Fail<CoulombMatrixOptions>("param.invalid_value", $"option {key} of featurizer '{parts[0]}' is '{text}'; write {key}=true or {key}=false.");
            options = key == "sort_eigenvalues"
                ? options with { Order = value ? EigenvalueOrder.SortedDescending : EigenvalueOrder.Matminer }
                : options with { DiagonalElements = value };
        }
        return Valid.Ok(options);
    }
}
