using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;

namespace Pure.Materials.Screening;

/// <summary>Builds candidate spaces (CSV formulas, stoichiometry templates, n-ary element spaces, site-mixed solid solutions)
/// and enumerates them.</summary>
/// <remarks>
/// Every factory validates its whole input up front (every problem at once, as <see cref="Problem"/> values) and knows the
/// exact <see cref="CandidateSpace.Count"/> before enumeration starts. Enumeration is lazy, deterministic (no randomness:
/// the same space always gives the same sequence) and uses bounded memory whatever the count, so a space of 10^9
/// candidates can be streamed into a LINQ query.
/// </remarks>
/// <example>
/// <code>
/// var space = Candidates.FromTemplate("A2BX4",
///     new Dictionary&lt;string, IReadOnlyList&lt;string&gt;&gt; { ["A"] = ["Li", "Na"], ["B"] = ["Mg", "Mo"], ["X"] = ["O"] },
///     ChargeNeutrality.PymatgenDefault).OrThrow();
/// space.Count;                                   // 2: Li2MoO4, Na2MoO4 (A(+1)2 B X(-2)4 needs B(+6); Mg is only 2+)
/// var ternaries = Candidates.Nary(["Li", "Fe", "P", "O"], 3, 4).OrThrow();
/// var first = Candidates.Enumerate(ternaries).Take(3).Select(c => c.Label); // LiFeP, LiFeP2, LiFeP3
/// </code>
/// </example>
public static class Candidates
{
    /// <summary>Returns the candidates of a space, lazily, in its fixed order (the same as <see cref="CandidateSpace.Enumerate"/>).</summary>
    /// <param name="space">The space.</param>
    /// <returns>Exactly <c>space.Count</c> candidates; candidate k has index k.</returns>
    public static IEnumerable<Candidate> Enumerate(CandidateSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.Enumerate();
    }

    /// <summary>Reads candidate formulas from a CSV file with a header row.</summary>
    /// <param name="path">The CSV file (comma-separated, UTF-8).</param>
    /// <param name="formulaColumn">The column of formulas (e.g. <c>composition</c>); any formula <see cref="Composition.Parse(string)"/> reads.</param>
    /// <param name="idColumn">A column whose value names each candidate, or null to name it by its formula as written.</param>
    /// <param name="filter">Keep only charge-neutral compositions (whole amounts needed), or null to keep every row.</param>
    /// <param name="cations">Molecular cations the formulas may hold (e.g. <see cref="MolecularCations.Standard"/>: MA, FA), read as their
    /// elements as the model's training formulas were (<see cref="Pipelines.PipelineInput.MolecularCations"/>); null for none.</param>
    /// <returns>
    /// The space (see <see cref="FormulaCsvSpace"/>; the file is read once here to count and check every row), or every problem:
    /// <c>io.not_found</c>, <c>io.read_failed</c>, <c>csv.not_csv</c>, <c>csv.delimiter</c>, <c>csv.empty</c>, <c>csv.no_rows</c>,
    /// <c>csv.malformed</c>, <c>csv.missing_column</c>; per row (with row number and column): <c>csv.bad_row</c>, the parser's
    /// <c>formula.*</c> codes, and with a filter <c>charge.non_integer_amount</c>, <c>charge.amount_too_large</c>; the first 1000
    /// row problems are listed, then <c>candidates.more_problems</c> counts the rest.
    /// </returns>
    public static Validation<Problem, CandidateSpace> FromCsv(string path, string formulaColumn, string? idColumn = null, ChargeNeutrality? filter = null,
        MolecularCations? cations = null) =>
        FormulaCsvSpace.FromPath(path, formulaColumn, idColumn, filter, cations);

    /// <summary>Reads candidate formulas from CSV text that can be opened more than once (a string, a bundled resource).</summary>
    /// <param name="open">Opens the text from the start; called once to check and count, then once per enumeration.</param>
    /// <param name="source">A name for messages.</param>
    /// <param name="formulaColumn">The column of formulas.</param>
    /// <param name="idColumn">A column naming each candidate, or null.</param>
    /// <param name="filter">A charge-neutrality filter, or null.</param>
    /// <param name="cations">Molecular cations the formulas may hold, or null for none.</param>
    /// <returns>The space or the problems of <see cref="FromCsv(string, string, string?, ChargeNeutrality?, MolecularCations?)"/> (without the file ones).</returns>
    public static Validation<Problem, CandidateSpace> FromCsv(Func<TextReader> open, string source, string formulaColumn, string? idColumn = null, ChargeNeutrality? filter = null,
        MolecularCations? cations = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        return FormulaCsvSpace.Create(open, source, null, formulaColumn, idColumn, filter, cations);
    }

    /// <summary>Enumerates a stoichiometry template with one element per role, e.g. <c>A2BX4</c>.</summary>
    /// <param name="template">Roles with whole amounts: a role is an uppercase ASCII letter then lowercase letters, its amount
    /// 1..1000 (default 1), e.g. <c>A2BX4</c>, <c>ABX3</c>, <c>AaBbO3</c>.</param>
    /// <param name="roles">The element symbols of every role of the template (case-sensitive, e.g. <c>["A"] = ["Li", "Na", "K"]</c>);
    /// the sets must be disjoint. A fixed element is a role with one element: <c>ABO3</c> with <c>["O"] = ["O"]</c>.</param>
    /// <param name="filter">Keep only charge-neutral compositions, or null for all.</param>
    /// <returns>The space (see <see cref="TemplateSpace"/>), or every problem: <c>template.empty</c>,
    /// <c>template.unexpected_character</c>, <c>template.invalid_amount</c>, <c>template.repeated_role</c>,
    /// <c>template.unknown_role</c>, <c>param.unused_role</c>, <c>param.empty</c>, <c>param.unknown_element</c>,
    /// <c>param.duplicate_element</c>, <c>param.overlapping_roles</c>, <c>space.too_large</c> (more than 2^63 - 1).</returns>
    public static Validation<Problem, CandidateSpace> FromTemplate(string template, IReadOnlyDictionary<string, IReadOnlyList<string>> roles, ChargeNeutrality? filter = null) =>
        TemplateSpace.Create(template, roles, filter);

    /// <summary>Enumerates every composition of exactly <paramref name="arity"/> of the given elements with whole amounts up to
    /// <paramref name="maxAmount"/>, each composition once (no multiples of a smaller formula, no permutations).</summary>
    /// <param name="elements">Distinct element symbols, e.g. 20 elements; their order sets the enumeration order.</param>
    /// <param name="arity">Elements per composition, 1..elements.Count (3 for ternaries).</param>
    /// <param name="maxAmount">Largest amount of one element, 1..1000 (e.g. 8).</param>
    /// <param name="filter">Keep only charge-neutral compositions, or null for all.</param>
    /// <returns>The space (see <see cref="NarySpace"/> for the rule and the exact count), or every problem:
    /// <c>param.empty</c>, <c>param.unknown_element</c>, <c>param.duplicate_element</c>, <c>param.out_of_range</c>, <c>space.too_large</c>.</returns>
    public static Validation<Problem, CandidateSpace> Nary(IReadOnlyList<string> elements, int arity, int maxAmount, ChargeNeutrality? filter = null) =>
        NarySpace.Create(elements, arity, maxAmount, filter);

    /// <summary>Enumerates site-mixed solid solutions: fractions on a grid of step 1/n per site, summing to 1 on each site.</summary>
    /// <param name="sites">The sites with their species and steps, at least one.</param>
    /// <param name="averaged">A site-averaged property featurizer over the same sites (in the same order) whose features follow the
    /// fractions, or null for fractions only.</param>
    /// <returns>The space (see <see cref="SiteMixedSpace"/>), or every problem: <c>param.empty</c>, <c>param.out_of_range</c>,
    /// <c>param.duplicate_species</c>, <c>param.sites_mismatch</c>, <c>param.duplicate_label</c>, <c>space.too_large</c>.</returns>
    public static Validation<Problem, CandidateSpace> SiteMixed(IReadOnlyList<SiteGrid> sites, SiteAveraged? averaged = null) =>
        SiteMixedSpace.Create(sites, averaged);

    /// <summary>Enumerates the halide perovskite ABX3 site-mixing space of the bundled <c>perovskite_dft</c> data (A = K, Rb, Cs,
    /// MA, FA; B = Ca, Sr, Ba, Ge, Sn, Pb; X = Cl, Br, I) with the data's 50 feature columns.</summary>
    /// <param name="aSteps">Grid steps on the A site (8 gives fractions in steps of 0.125, as in the data), 1..1000.</param>
    /// <param name="bSteps">Grid steps on the B site, 1..1000.</param>
    /// <param name="xSteps">Grid steps on the X site, 1..1000 (the data also has X fractions in steps of 1/6; 24 covers both grids).</param>
    /// <returns>The space, whose <see cref="CandidateSpace.FeatureLabels"/> are the <c>perovskite_dft</c> columns <c>K</c> ... <c>I</c>,
    /// <c>A_ion_rad</c> ... <c>X_period</c> in the data's order; count C(a+4, 4) * C(b+5, 5) * C(x+2, 2) (8, 8, 8: 28,667,925).
    /// Problems: <c>param.out_of_range</c>.</returns>
    /// <remarks>The 36 averages use the tutorial's element sheet (embedded, see <c>Screening/Tables/PROVENANCE.md</c>) and
    /// <see cref="SiteAveraged.PerovskiteTutorialProperties"/>, which reproduce the data's columns within 3e-10 relative.
    /// Source: IMRC 2025 perovskite ML tutorial (Mannodi-Kanakkithodi group, Purdue).</remarks>
    public static Validation<Problem, CandidateSpace> PerovskiteSiteMixed(int aSteps = 8, int bSteps = 8, int xSteps = 8)
    {
        var sites = SiteAveraged.PerovskiteSites;
        var averaged = SiteAveraged.PerovskiteTutorial;
        return SiteMixed([new SiteGrid(sites[0], aSteps), new SiteGrid(sites[1], bSteps), new SiteGrid(sites[2], xSteps, 3)], averaged);
    }

}
