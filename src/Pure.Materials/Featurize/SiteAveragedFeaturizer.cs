using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>Computes <see cref="SiteAveraged"/> properties from a formula: the composition is split into its site species (elements and
/// molecular cations such as MA and FA, read back from the C, H and N they were expanded into) and averaged per site.</summary>
/// <remarks>
/// Species amounts: an element species (K, Pb, I, ...) counts its element's amount; the molecular species (MA = C H6 N, FA = C H5 N2)
/// get the amounts a whose elements best explain the composition's remaining elements (least squares over the elements the cations hold,
/// then checked: every such element must be explained within 1e-9 relative and every amount be &gt;= 0, else the row has no site
/// fractions). <c>MA1Ca0.125Sn0.75Pb0.125I3</c>: C 1, N 1 give MA 1, FA 0; <c>FA0.5Cs0.5PbI3</c>: C 0.5, N 1 give FA 0.5.
/// The amounts are then averaged per site as <see cref="SiteAveraged.Featurize"/> does (fractions normalised per site).
/// A row whose composition holds an element on no site, or that leaves a site empty, gets NaN in every column and
/// <see cref="Explain"/> says why; <see cref="CompositionFeaturizers.Build"/> reports such rows as <c>featurize.not_on_sites</c>.
/// The tutorial's own formula strings round 1/8 to 0.12 or 0.13 (<c>MA1Ca0.12Sn0.75Pb0.12I3</c>, whose columns hold 0.125): from those
/// strings the averages differ from the data's columns by what the rounding makes (measured in <c>SiteAveragedFeaturizerTests</c>);
/// from formulas written with the exact fractions they equal the columns within 1e-9.
/// Source: IMRC 2025 perovskite ML tutorial (Mannodi-Kanakkithodi group), its element sheet and its 36 site-averaged columns.
/// </remarks>
public sealed class SiteAveragedFeaturizer : ICompositionFeaturizer
{
    private readonly int[] _elementOf;              // per species: atomic number, or 0 for a molecular species
    private readonly int[] _molecular;              // species indices of the molecular species
    private readonly int[] _cationElements;         // atomic numbers the molecular species hold
    private readonly double[,] _stoichiometry;      // [cation element, molecular species]
    private readonly bool[] _onSite = new bool[Elements.Count + 1];

    /// <summary>Builds the featurizer from a site-averaged featurizer and the molecular cations its species may be.</summary>
    /// <param name="averaged">The per-site averages (sites, species table, properties).</param>
    /// <param name="cations">The molecular cations whose symbols name species (e.g. <see cref="MolecularCations.Standard"/> for MA, FA).</param>
    /// <returns>The featurizer, or <c>param.unknown_species</c> for a species that is neither an element symbol nor a cation of <paramref name="cations"/>.</returns>
    public static LanguageExt.Validation<Core.Problem, SiteAveragedFeaturizer> Create(SiteAveraged averaged, MolecularCations cations)
    {
        var unknown = averaged.SpeciesColumns.Where(s => !Elements.TryGetAtomicNumber(s, out _) && cations.Cations.All(c => c.Symbol != s)).ToArray();
        return unknown.Length > 0
            ? Core.Valid.Fail<SiteAveragedFeaturizer>("param.unknown_species",
                $"species {string.Join(", ", unknown.Select(u => $"'{u}'"))} are neither element symbols nor molecular cations ({cations}); define them as molecular cations (SYMBOL=FORMULA)")
            : Core.Valid.Ok(new SiteAveragedFeaturizer(averaged, cations));
    }

    private SiteAveragedFeaturizer(SiteAveraged averaged, MolecularCations cations)
    {
        Averaged = averaged;
        var species = averaged.SpeciesColumns;
        _elementOf = new int[species.Length];
        var molecular = new List<int>();
        for (var i = 0; i < species.Length; i++)
        {
            if (Elements.TryGetAtomicNumber(species[i], out var z)) { _elementOf[i] = z; _onSite[z] = true; }
            else molecular.Add(i);
        }
        _molecular = [.. molecular];
        var cationOf = _molecular.Select(i => cations.Cations.First(c => c.Symbol == species[i]).Elements).ToArray();
        _cationElements = [.. cationOf.SelectMany(c => c.AtomicNumbers).Distinct().Order()];
        _stoichiometry = new double[_cationElements.Length, _molecular.Length];
        for (var e = 0; e < _cationElements.Length; e++)
            for (var k = 0; k < _molecular.Length; k++)
                _stoichiometry[e, k] = cationOf[k].AmountOf(_cationElements[e]);
        foreach (var z in _cationElements) _onSite[z] = true;
    }

    /// <summary>The per-site averages this featurizer computes.</summary>
    public SiteAveraged Averaged { get; }

    /// <summary>The ABX3 perovskite averages of the IMRC 2025 tutorial (<see cref="SiteAveraged.PerovskiteTutorial"/>) with MA and FA:
    /// the CLI's <c>site-averaged</c>, 36 columns <c>A_ion_rad</c> ... <c>X_period</c>.</summary>
    public static SiteAveragedFeaturizer Perovskite { get; } = new(SiteAveraged.PerovskiteTutorial, MolecularCations.Standard);

    /// <inheritdoc />
    public string Name => "site-averaged";

    /// <inheritdoc />
    public IReadOnlyList<string> Labels => Averaged.Labels;

    /// <inheritdoc />
    public IReadOnlyList<string> Units => Averaged.Units;

    /// <inheritdoc />
    public IReadOnlyList<string> Citations { get; } = ["IMRC 2025 ML tutorial, halide perovskite DFT data (Mannodi-Kanakkithodi group, Purdue)"];

    /// <inheritdoc />
    public IReadOnlyList<string> Implementors { get; } = ["Pure.Materials"];

    /// <summary>The amount of each species of <see cref="SiteAveraged.SpeciesColumns"/> in a composition.</summary>
    /// <param name="composition">A composition whose molecular cations were read as their elements.</param>
    /// <param name="amounts">Receives one amount per species.</param>
    /// <returns>Null on success, else why the composition has no site amounts (an element on no site, cations that do not fit).</returns>
    public string? SpeciesAmounts(Composition composition, Span<double> amounts)
    {
        for (var j = 0; j < composition.Count; j++)
            if (!_onSite[composition.AtomicNumbers[j]])
                return $"'{Elements.Symbol(composition.AtomicNumbers[j])}' is on no site ({string.Join("; ", Averaged.Sites.Select(s => $"{s.Name}: {string.Join(" ", s.Species)}"))})";
        for (var i = 0; i < _elementOf.Length; i++) amounts[i] = _elementOf[i] > 0 ? composition.AmountOf(_elementOf[i]) : 0;
        if (_molecular.Length == 0) return null;
        // Least squares S a = c over the cation elements (normal equations; S is tiny: 3 elements x 2 cations for MA, FA).
        var m = _molecular.Length;
        var ne = _cationElements.Length;
        var c = new double[ne];
        for (var e = 0; e < ne; e++) c[e] = composition.AmountOf(_cationElements[e]);
        var a = new double[m, m + 1];
        for (var p = 0; p < m; p++)
        {
            for (var q = 0; q < m; q++)
            {
                double s = 0;
                for (var e = 0; e < ne; e++) s += _stoichiometry[e, p] * _stoichiometry[e, q];
                a[p, q] = s;
            }
            double r = 0;
            for (var e = 0; e < ne; e++) r += _stoichiometry[e, p] * c[e];
            a[p, m] = r;
        }
        for (var col = 0; col < m; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < m; row++) if (Math.Abs(a[row, col]) > Math.Abs(a[pivot, col])) pivot = row;
            if (Math.Abs(a[pivot, col]) < 1e-12) return "the molecular cations' formulas cannot be told apart from their elements";
            for (var k = 0; k <= m; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            for (var row = 0; row < m; row++)
            {
                if (row == col) continue;
                var f = a[row, col] / a[col, col];
                for (var k = col; k <= m; k++) a[row, k] -= f * a[col, k];
            }
        }
        for (var k = 0; k < m; k++)
        {
            var x = a[k, m] / a[k, k];
            if (Math.Abs(x) < 1e-12) x = 0;
            if (x < 0) return $"the C, H, N amounts do not come from {string.Join(" and ", _molecular.Select(i => Averaged.SpeciesColumns[i]))} (that would need {Averaged.SpeciesColumns[_molecular[k]]} {x:G4})";
            amounts[_molecular[k]] = x;
        }
        for (var e = 0; e < ne; e++)
        {
            double s = 0;
            for (var k = 0; k < m; k++) s += _stoichiometry[e, k] * amounts[_molecular[k]];
            if (Math.Abs(s - c[e]) > 1e-9 * Math.Max(1, Math.Abs(c[e])))
                return $"the amount of '{Elements.Symbol(_cationElements[e])}' ({c[e]:G6}) is not made by {string.Join(" and ", _molecular.Select(i => Averaged.SpeciesColumns[i]))}";
        }
        return null;
    }

    /// <summary>Why a composition gets NaN features, or null when it gets values.</summary>
    /// <param name="composition">The composition.</param>
    /// <returns>The reason (an element on no site, cations that do not fit, an empty site), or null.</returns>
    public string? Explain(Composition composition)
    {
        var amounts = new double[Averaged.SpeciesColumns.Length];
        if (SpeciesAmounts(composition, amounts) is { } why) return why;
        var destination = new double[Labels.Count];
        var done = Averaged.Featurize(amounts, destination);
        return done.IsFail ? done.Problems()[0].Message : null;
    }

    /// <summary>The <c>featurize.not_on_sites</c> problem of a composition for any site-averaged part of <paramref name="featurizer"/>
    /// (itself or a part of a <see cref="MultipleFeaturizer"/>), or null when it fits (or no part is site-averaged).</summary>
    internal static Core.Problem? NotOnSites(ICompositionFeaturizer featurizer, Composition composition, string formula, int? row, string? column)
    {
        IEnumerable<ICompositionFeaturizer> parts = featurizer is MultipleFeaturizer many ? many.Parts : [featurizer];
        foreach (var site in parts.OfType<SiteAveragedFeaturizer>())
            if (site.Explain(composition) is { } why)
                return new Core.Problem("featurize.not_on_sites",
                    $"'{formula}' cannot be split into the {string.Join(", ", site.Averaged.Sites.Select(s => s.Name))} sites of {site.Name}: {why}; "
                    + "give formulas of these sites only (molecular cations read with DatasetSpec.MolecularCations = MolecularCations.Standard)", row, column);
        return null;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">When <paramref name="destination"/> is shorter than <see cref="Labels"/> (a programmer error).</exception>
    public void Featurize(Composition composition, Span<double> destination)
    {
        if (destination.Length < Labels.Count) throw new ArgumentException($"Destination is too short: {destination.Length} < {Labels.Count}.", nameof(destination));
        Span<double> amounts = stackalloc double[Averaged.SpeciesColumns.Length];
        if (SpeciesAmounts(composition, amounts) is not null || Averaged.Featurize(amounts, destination).IsFail)
            destination[..Labels.Count].Fill(double.NaN);
    }
}
