using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Structures;

namespace Pure.Materials.Featurize.Structural;

/// <summary>A fitted set of structure featurizers as a value: the names in column order, what each learned in fitting, and the
/// element-value policy of the composition featurizers. It rebuilds the same featurizer at predict time (see <see cref="Build"/>)
/// and is saved with a model (<c>Pipelines.ModelFile</c>).</summary>
/// <param name="Names">Featurizer names in column order (<see cref="StructureFeaturizers.Names"/> or composition featurizer names),
/// e.g. <c>magpie</c>, <c>site-stats-bond-length</c>, with their options as given (e.g. <c>coulomb:sort_eigenvalues=false</c>).</param>
/// <param name="Lengths">Per name, the fitted column count: the Coulomb (or sine Coulomb) eigenvalue padding length (the largest
/// site count of the structures it was fitted on) for <c>coulomb</c> and <c>sine-coulomb</c>, 0 for every featurizer without
/// fitted state. Same length as <paramref name="Names"/>.</param>
/// <param name="ElementValues">Missing element property values of the composition featurizers.</param>
public sealed record StructureFeaturization(IReadOnlyList<string> Names, IReadOnlyList<int> Lengths, MissingElementValue ElementValues)
{
    /// <summary>Parses the names and fits what needs fitting (the Coulomb eigenvalue length) on <paramref name="training"/>.</summary>
    /// <param name="names">Comma-separated names, e.g. <c>magpie,site-stats-bond-length,coulomb</c>.</param>
    /// <param name="training">The structures to fit on (at least one when a Coulomb featurizer is named).</param>
    /// <param name="missing">Missing element value policy of the composition featurizers.</param>
    /// <returns>The fitted description, or the problems of <see cref="StructureFeaturizers.Parse"/>.</returns>
    public static Validation<Problem, StructureFeaturization> Fit(string names, IReadOnlyList<Structure> training, MissingElementValue missing = MissingElementValue.NaN)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(training);
        var list = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return from joined in StructureFeaturizers.Parse(names, training, missing)
               from parts in Valid.All(list.Select(n => StructureFeaturizers.Named(n, training, missing)))
               select new StructureFeaturization(list, parts.Select(p => p is CoulombMatrix c ? c.Length : 0).ToArray(), missing);
    }

    /// <summary>Builds the joined featurizer this description names, with the fitted lengths (nothing is refitted).</summary>
    /// <returns>The featurizer (columns in <see cref="Names"/> order), or <c>param.unknown_featurizer</c>, <c>param.duplicate_featurizer</c>,
    /// <c>param.out_of_range</c> (a length missing, negative, above <see cref="CoulombMatrix.MaxLength"/>, or given to a featurizer
    /// that fits none), <c>shape.length_mismatch</c> (names and lengths of different counts).</returns>
    public Validation<Problem, IStructureFeaturizer> Build()
    {
        if (Names.Count != Lengths.Count)
            return Valid.Fail<IStructureFeaturizer>("shape.length_mismatch", $"{Names.Count} structure featurizer names but {Lengths.Count} fitted lengths; give one length per name.");
        if (Names.Count == 0)
            return Valid.Fail<IStructureFeaturizer>("param.empty", "no structure featurizer named; give at least one.");
        var duplicates = Names.GroupBy(StructureFeaturizers.BaseName, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            return Valid.Fail<IStructureFeaturizer>("param.duplicate_featurizer", $"featurizer '{duplicates[0]}' is named more than once; name it once");
        return Valid.All(Names.Select((name, i) => One(name, Lengths[i]))).Bind(fs => StructureFeaturizer.Join(fs));
    }

    private Validation<Problem, IStructureFeaturizer> One(string name, int length) => name switch
    {
        _ when StructureFeaturizers.BaseName(name) is "coulomb" or "sine-coulomb" =>
            StructureFeaturizers.CoulombOptions(name).Bind(o => CoulombMatrix.Create(o, length)).Map(f => (IStructureFeaturizer)f),
        _ when length != 0 => Valid.Fail<IStructureFeaturizer>("param.out_of_range",
            string.Create(CultureInfo.InvariantCulture, $"featurizer '{name}' fits no length, but {length} is recorded for it; record 0.")),
        _ => StructureFeaturizers.Named(name, [], ElementValues),
    };

    /// <summary>Compares names, lengths and the element-value policy element by element.</summary>
    /// <param name="other">The other description.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(StructureFeaturization? other) => other is not null && ElementValues == other.ElementValues
        && Names.SequenceEqual(other.Names) && Lengths.SequenceEqual(other.Lengths);

    /// <summary>Hashes consistently with equality.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(ElementValues, Names.Count, Lengths.Count);
}
