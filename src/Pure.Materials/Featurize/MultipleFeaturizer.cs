using System.Collections.Immutable;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>Concatenates several composition featurizers into one, keeping their labels, units, citations and implementors (matminer <c>MultipleFeaturizer</c>).</summary>
/// <remarks>
/// The features are each featurizer's features in the order given: labels are concatenated unchanged (so
/// <c>magpie,stoichiometry</c> gives <c>MagpieData minimum Number</c> ... <c>10-norm</c>), citations and implementors are the
/// union of the parts in first-seen order. Invariances and NaN behaviour are those of the parts. Immutable and thread-safe.
/// Source: matminer v0.9.0 <c>matminer/featurizers/base.py</c> (<c>MultipleFeaturizer</c>).
/// </remarks>
/// <example>
/// <code>
/// var all = MultipleFeaturizer.Create([ElementProperty.Magpie, Stoichiometry.Default, ValenceOrbital.Default, ElementFraction.Default]).OrThrow();
/// all.Labels.Count;   // 132 + 6 + 8 + 103 = 249, the columns of matminer's reference file
/// </code>
/// </example>
public sealed class MultipleFeaturizer : ICompositionFeaturizer
{
    private readonly int[] _offsets;

    private MultipleFeaturizer(ImmutableArray<ICompositionFeaturizer> parts)
    {
        Parts = parts;
        _offsets = new int[parts.Length + 1];
        for (var i = 0; i < parts.Length; i++) _offsets[i + 1] = _offsets[i] + parts[i].Labels.Count;
        Labels = [.. parts.SelectMany(p => p.Labels)];
        Units = [.. parts.SelectMany(p => p.Units)];
        Citations = [.. parts.SelectMany(p => p.Citations).Distinct()];
        Implementors = [.. parts.SelectMany(p => p.Implementors).Distinct()];
    }

    /// <summary>The featurizers concatenated, in order.</summary>
    public ImmutableArray<ICompositionFeaturizer> Parts { get; }

    /// <summary>Concatenates featurizers.</summary>
    /// <param name="parts">At least one featurizer; nested <see cref="MultipleFeaturizer"/>s are flattened.</param>
    /// <returns>The featurizer, or <c>param.empty</c> when no part is given, <c>param.duplicate_label</c> when two parts produce the
    /// same label (the columns could not be told apart).</returns>
    public static Validation<Problem, MultipleFeaturizer> Create(IEnumerable<ICompositionFeaturizer> parts)
    {
        var flat = parts.SelectMany(p => p is MultipleFeaturizer m ? m.Parts.AsEnumerable() : [p]).ToImmutableArray();
        if (flat.IsEmpty) return Valid.Fail<MultipleFeaturizer>("param.empty", "no featurizers given; name at least one (e.g. magpie)");
        var duplicates = flat.SelectMany(p => p.Labels).GroupBy(l => l).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        return duplicates.Length > 0
            ? Valid.Fail<MultipleFeaturizer>("param.duplicate_label",
                $"the featurizers produce the same column {duplicates.Length} time(s) (first: '{duplicates[0]}'); name each featurizer once")
            : Valid.Ok(new MultipleFeaturizer(flat));
    }

    /// <inheritdoc />
    public string Name => string.Join(",", Parts.Select(p => p.Name));

    /// <inheritdoc />
    public IReadOnlyList<string> Labels { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Units { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Citations { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Implementors { get; }

    /// <inheritdoc />
    public void Featurize(Composition composition, Span<double> destination)
    {
        var n = _offsets[^1];
        if (destination.Length < n) throw new ArgumentException($"Destination is too short: {destination.Length} < {n}.", nameof(destination));
        for (var i = 0; i < Parts.Length; i++)
            Parts[i].Featurize(composition, destination[_offsets[i].._offsets[i + 1]]);
    }
}
