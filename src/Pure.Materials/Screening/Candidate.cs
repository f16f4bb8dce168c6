using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Screening;

/// <summary>One hypothetical material to screen: a stable index in its space, a composition and/or named feature values.</summary>
/// <param name="Index">0-based position in its <see cref="CandidateSpace"/>, 0..Count-1: the candidate's stable id (the same
/// space always gives the same index to the same candidate), for ranking ties and for splitting a space into shards.</param>
/// <param name="Name">A name from the source (the id column of a CSV, the formula as written, or a site-mixing label such as
/// <c>K0.5Rb0.5PbI3</c>); null for enumerated chemical spaces, whose <see cref="Label"/> is the formula.</param>
/// <param name="Composition">The composition to featurize (CSV formulas, chemical spaces); null for site-mixed candidates,
/// whose molecular cations (MA, FA) are not elements.</param>
/// <param name="Features">Feature values in the order of the space's <see cref="CandidateSpace.FeatureLabels"/> (site-mixed
/// spaces: site fractions then site-averaged properties); empty for composition candidates, which a featurizer turns into features.</param>
/// <remarks>Value equality: equal index, name, composition (see <see cref="Data.Composition.Equals(Data.Composition)"/>) and features (element-wise).</remarks>
public sealed record Candidate(long Index, string? Name, Composition? Composition, Vec<double> Features)
{
    /// <summary>The candidate's crystal structure when it is one (a <see cref="StructureSpace"/> for a pipeline on crystal graphs, which
    /// predicts structures, not features); null otherwise.</summary>
    public Structures.Structure? Structure { get; init; }

    /// <summary>A label for people: <see cref="Name"/>, else the composition's formula, else the index.</summary>
    public string Label => Name ?? Composition?.Formula ?? Index.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A deterministic, lazily enumerated set of candidates whose size is known before enumeration starts.</summary>
/// <remarks>
/// Build one with <see cref="Candidates"/> (<c>FromCsv</c>, <c>FromTemplate</c>, <c>Nary</c>, <c>SiteMixed</c>, <c>PerovskiteSiteMixed</c>);
/// every factory validates its input and computes <see cref="Count"/> up front. <see cref="Enumerate"/> streams the candidates
/// with bounded memory; enumerating twice gives the same sequence, and candidate k has <see cref="Candidate.Index"/> k.
/// Spaces are values: two spaces built from equal inputs are equal and enumerate the same sequence.
/// </remarks>
public abstract record CandidateSpace
{
    /// <summary>The exact number of candidates <see cref="Enumerate"/> yields.</summary>
    public abstract long Count { get; }

    /// <summary>Names of the values in each candidate's <see cref="Candidate.Features"/>; empty for composition spaces.</summary>
    public virtual Vec<string> FeatureLabels => Vec<string>.Empty;

    /// <summary>Describes the space in one line (source, roles or sites, filter and count), for reports and logs.</summary>
    /// <returns>For example <c>template A2BX4 (A: Li Na K; B: Mg Zn; X: O S), charge-neutral (pymatgen default), 12 candidates</c>.</returns>
    public abstract string Describe();

    /// <summary>Yields the candidates in the space's fixed order, lazily; candidate k has index k.</summary>
    /// <returns>A sequence of exactly <see cref="Count"/> candidates; each call starts again from the first.</returns>
    public abstract IEnumerable<Candidate> Enumerate();

    /// <summary>Describes a charge filter for <see cref="Describe"/>.</summary>
    private protected static string FilterText(ChargeNeutrality? filter) => filter is null ? ""
        : filter.Table == OxidationStateTable.PymatgenAll ? ", charge-neutral (pymatgen all oxidation states)" : ", charge-neutral (pymatgen default: ICSD oxidation states)";

    /// <summary>Formats a count with thousands separators for <see cref="Describe"/>.</summary>
    private protected static string CountText(long count) => count.ToString("N0", CultureInfo.InvariantCulture) + (count == 1 ? " candidate" : " candidates");
}
