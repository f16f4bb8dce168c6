using System.Collections.Immutable;
using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Featurize;

/// <summary>A table of properties per species: elements (<c>Pb</c>) or molecular ions (<c>MA</c>, <c>FA</c>), one row each, NaN where unknown.</summary>
/// <remarks>
/// Build it from a CSV file (<see cref="FromCsv"/>, e.g. the perovskite tutorial's element sheet), from the shipped element
/// tables (<see cref="FromElements"/>), and add user-supplied rows for species that no element table has (<see cref="With"/>).
/// Immutable: <see cref="With"/> returns a new table.
/// Source: the element sheet of the IMRC 2025 perovskite ML tutorial (Mannodi-Kanakkithodi group) is the model of this shape.
/// </remarks>
public sealed class SpeciesTable
{
    private readonly ImmutableDictionary<string, ImmutableArray<double>> _rows;

    private SpeciesTable(ImmutableArray<string> properties, ImmutableArray<string> units, ImmutableDictionary<string, ImmutableArray<double>> rows)
    {
        Properties = properties;
        Units = units;
        _rows = rows;
    }

    /// <summary>Property (column) names, in order.</summary>
    public ImmutableArray<string> Properties { get; }

    /// <summary>Unit of each property (same order), empty where unknown.</summary>
    public ImmutableArray<string> Units { get; }

    /// <summary>The species that have a row, in ordinal order.</summary>
    public IEnumerable<string> Species => _rows.Keys.Order(StringComparer.Ordinal);

    /// <summary>The value of a property for a species, or NaN when the species has no row or no value.</summary>
    /// <param name="species">Species name, case-sensitive (<c>Pb</c>, <c>MA</c>).</param>
    /// <param name="property">A name of <see cref="Properties"/>.</param>
    /// <returns>The value or NaN.</returns>
    public double this[string species, string property]
    {
        get
        {
            var j = Properties.IndexOf(property);
            return j >= 0 && _rows.TryGetValue(species, out var row) ? row[j] : double.NaN;
        }
    }

    /// <summary>Reads a species table from CSV: one column of species names, every other column a numeric property.</summary>
    /// <param name="table">The CSV table (e.g. <c>Elemental_properties_Sheet1.csv</c> of the perovskite tutorial: <c>M, Ion_rad, BP, ...</c>).</param>
    /// <param name="speciesColumn">The column of species names (e.g. <c>M</c>).</param>
    /// <returns>The table, or every problem: <c>csv.missing_column</c>, <c>data.non_numeric_feature</c> (row, column),
    /// <c>data.duplicate_species</c> (row). Empty cells are NaN.</returns>
    public static Validation<Problem, SpeciesTable> FromCsv(CsvTable table, string speciesColumn)
    {
        var col = table.ColumnIndex(speciesColumn);
        if (col.IsFail) return Valid.Fail<SpeciesTable>(col.Problems());
        var s = col.OrThrow();
        var propertyColumns = Enumerable.Range(0, table.Header.Count).Where(j => j != s).ToArray();
        var problems = new List<Problem>();
        var rows = ImmutableDictionary.CreateBuilder<string, ImmutableArray<double>>(StringComparer.Ordinal);
        for (var r = 0; r < table.Rows.Count; r++)
        {
            var name = table.Rows[r][s].Trim();
            var values = new double[propertyColumns.Length];
            for (var j = 0; j < propertyColumns.Length; j++)
            {
                var cell = table.Rows[r][propertyColumns[j]].Trim();
                if (cell.Length == 0) values[j] = double.NaN;
                else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[j]))
                    problems.Add(new Problem("data.non_numeric_feature", $"'{cell}' is not a number; property cells must be numeric (leave empty when unknown)", r + 1, table.Header[propertyColumns[j]]));
            }
            if (!rows.TryAdd(name, [.. values]))
                problems.Add(new Problem("data.duplicate_species", $"species '{name}' has a second row; keep one row per species", r + 1, speciesColumn));
        }
        return problems.Count > 0
            ? Valid.Fail<SpeciesTable>(problems)
            : Valid.Ok(new SpeciesTable([.. propertyColumns.Select(j => table.Header[j])], [.. propertyColumns.Select(_ => "")], rows.ToImmutable()));
    }

    /// <summary>Builds a table with one row per element (H..Og, keyed by symbol) from shipped element properties.</summary>
    /// <param name="source"><c>magpie</c> or <c>pymatgen</c>.</param>
    /// <param name="columns">(column name in this table, property name in the source), e.g. <c>("MP", "MeltingT")</c>.</param>
    /// <returns>The table, or <c>param.unknown_source</c>, <c>param.unknown_property</c> per unknown property.</returns>
    public static Validation<Problem, SpeciesTable> FromElements(string source, IEnumerable<(string Column, string Property)> columns)
    {
        var tables = ElementTables.Source(source);
        if (tables.IsFail) return Valid.Fail<SpeciesTable>(tables.Problems());
        var t = tables.OrThrow();
        var cols = columns.ToArray();
        var problems = cols.Where(c => !t.ContainsKey(c.Property))
            .Select(c => new Problem("param.unknown_property", $"the {source} table has no property '{c.Property}'; available: {string.Join(", ", t.Keys.Order(StringComparer.Ordinal))}")).ToList();
        if (problems.Count > 0) return Valid.Fail<SpeciesTable>(problems);
        var rows = ImmutableDictionary.CreateBuilder<string, ImmutableArray<double>>(StringComparer.Ordinal);
        for (var z = 1; z <= Elements.Count; z++)
            rows[Elements.Symbol(z)] = [.. cols.Select(c => t[c.Property][z])];
        return Valid.Ok(new SpeciesTable([.. cols.Select(c => c.Column)], [.. cols.Select(c => t[c.Property].Unit)], rows.ToImmutable()));
    }

    /// <summary>Returns a table with a row added or replaced, for species no element table has (molecular cations such as
    /// methylammonium <c>MA</c> and formamidinium <c>FA</c>) or to override an element's values.</summary>
    /// <param name="species">Species name.</param>
    /// <param name="values">One value per <see cref="Properties"/> entry, in order (NaN where unknown).</param>
    /// <returns>The new table, or <c>shape.columns_mismatch</c> when the count differs.</returns>
    public Validation<Problem, SpeciesTable> With(string species, IReadOnlyList<double> values) =>
        values.Count != Properties.Length
            ? Valid.Fail<SpeciesTable>("shape.columns_mismatch", $"species '{species}' was given {values.Count} values; the table has {Properties.Length} properties ({string.Join(", ", Properties)})")
            : Valid.Ok(new SpeciesTable(Properties, Units, _rows.SetItem(species, [.. values])));
}

/// <summary>One crystallographic site of a site-labelled composition and the species that may occupy it.</summary>
/// <remarks>Source: ABX3 perovskite site notation (A, B cations; X anion), as in the perovskite tutorial data.</remarks>
/// <param name="Name">Site name used as the label prefix, e.g. <c>A</c>, <c>B</c>, <c>X</c>.</param>
/// <param name="Species">Species names that may sit there; in a table, each is also the name of its site-fraction column.</param>
public sealed record Site(string Name, ImmutableArray<string> Species);

/// <summary>Computes fraction-weighted species properties per site of a site-labelled composition (e.g. the A, B and X sites of ABX3 perovskites).</summary>
/// <remarks>
/// For site S with species s and site fractions f_s &gt;= 0, feature <c>{S}_{label}</c> = sum_s f_s p_s / sum_s f_s, where p_s is the
/// species' property value; species with f_s = 0 are skipped (an absent species needs no value). When a site's fractions sum
/// to 1, as in the perovskite tutorial data, this is the plain sum sum_s f_s p_s the tutorial uses. Features are site-major:
/// for each site, each property. Invariant to the order of species within a site and to scaling one site's fractions.
/// Every species of every site must have a value for every property chosen (checked by <see cref="Create"/>), so a row's
/// features are never NaN; a row whose site fractions are all 0 (or negative / non-finite) is a problem for that row.
/// <para>
/// The perovskite tutorial's 36 columns <c>{A,B,X}_{ion_rad, BP, MP, dens, at_wt, EA, IE, hof, hov, En, at_num, period}</c> are
/// reproduced (within 3e-10 relative, the precision the tutorial wrote) by <see cref="PerovskiteSites"/> and
/// <see cref="PerovskiteTutorialProperties"/> with the tutorial's own element sheet. Built instead from the shipped tables
/// (Magpie for 11 properties, pymatgen <c>average_ionic_radius</c> for ion_rad, the sheet's rows for MA and FA), over the 512
/// rows: atomic number, period and electronegativity agree within the sheet's 10 digits; atomic weight differs by up to 0.04 %,
/// melting point 0.8 %, boiling point 3 %, heat of vaporization 4 %, heat of fusion 14 % (different compilations); density is
/// in g/L in Magpie but g/cm^3 in the sheet (factor 1000) and ionization energy in eV but kJ/mol (factor 96.485); the sheet lists
/// negative electron affinities for Ca, Sr, Ba where Magpie has small positive ones (B-site EA off by up to 189 %); and no
/// shipped table holds the sheet's Shannon ionic radii (pymatgen's average over oxidation states is off by up to 57 % on X).
/// The measured differences are in <c>tests/Pure.Materials.Tests/Reference/perovskite-tutorial/README.md</c>.
/// </para>
/// Source: Mannodi-Kanakkithodi group, IMRC 2025 ML tutorial (halide perovskite DFT data); Ward et al., npj Comput. Mater. 2,
/// 16028 (2016) for composition-weighted element properties.
/// </remarks>
/// <example>
/// <code>
/// var sheet = SpeciesTable.FromCsv(Csv.ReadFile("Elemental_properties_Sheet1.csv").OrThrow(), "M").OrThrow();
/// var f = SiteAveraged.Create(SiteAveraged.PerovskiteSites, sheet, SiteAveraged.PerovskiteTutorialProperties).OrThrow();
/// var x = f.FeaturizeTable(BundledData.Open("perovskite_dft").OrThrow()).OrThrow();  // 512 x 36, labels A_ion_rad ... X_period
/// </code>
/// </example>
public sealed class SiteAveraged
{
    private readonly double[] _values; // [species index (all sites, in order) * nProperties + property]
    private readonly int[] _siteStart;

    private SiteAveraged(ImmutableArray<Site> sites, SpeciesTable table, ImmutableArray<(string Label, string Property)> properties)
    {
        Sites = sites;
        PropertyMap = properties;
        _siteStart = new int[sites.Length + 1];
        for (var s = 0; s < sites.Length; s++) _siteStart[s + 1] = _siteStart[s] + sites[s].Species.Length;
        SpeciesColumns = [.. sites.SelectMany(s => s.Species)];
        _values = new double[SpeciesColumns.Length * properties.Length];
        for (var i = 0; i < SpeciesColumns.Length; i++)
            for (var j = 0; j < properties.Length; j++)
                _values[i * properties.Length + j] = table[SpeciesColumns[i], properties[j].Property];
        Labels = [.. from s in sites from p in properties select $"{s.Name}_{p.Label}"];
        Units = [.. from s in sites from p in properties select table.Units[table.Properties.IndexOf(p.Property)]];
    }

    /// <summary>The sites, in feature order.</summary>
    public ImmutableArray<Site> Sites { get; }

    /// <summary>(label, table property) pairs, in feature order within each site.</summary>
    public ImmutableArray<(string Label, string Property)> PropertyMap { get; }

    /// <summary>All species of all sites, in order: the order of the fractions <see cref="Featurize"/> expects and the column names <see cref="FeaturizeTable"/> reads.</summary>
    public ImmutableArray<string> SpeciesColumns { get; }

    /// <summary>Feature labels <c>{site}_{label}</c>, site-major.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Unit of each feature, from the species table (empty where unknown).</summary>
    public IReadOnlyList<string> Units { get; }

    /// <summary>The ABX3 sites of the perovskite tutorial data: A = K, Rb, Cs, MA, FA; B = Ca, Sr, Ba, Ge, Sn, Pb; X = Cl, Br, I.</summary>
    public static ImmutableArray<Site> PerovskiteSites { get; } =
        [new("A", ["K", "Rb", "Cs", "MA", "FA"]), new("B", ["Ca", "Sr", "Ba", "Ge", "Sn", "Pb"]), new("X", ["Cl", "Br", "I"])];

    /// <summary>The tutorial's 12 labels and the columns of its element sheet they average: ion_rad = Ion_rad (Angstrom),
    /// BP (K), MP (K), dens = Density (g/cm^3), at_wt = At_wt (amu), EA = Elec_Aff (kJ/mol), IE = Ion_Energy (kJ/mol),
    /// hof = Heat_fusion (kJ/mol), hov = Heat_vap (kJ/mol), En = Electronegativity (Pauling), at_num = At_num, period = Period.</summary>
    public static ImmutableArray<(string Label, string Property)> PerovskiteTutorialProperties { get; } =
    [
        ("ion_rad", "Ion_rad"), ("BP", "BP"), ("MP", "MP"), ("dens", "Density"), ("at_wt", "At_wt"), ("EA", "Elec_Aff"),
        ("IE", "Ion_Energy"), ("hof", "Heat_fusion"), ("hov", "Heat_vap"), ("En", "Electronegativity"), ("at_num", "At_num"), ("period", "Period"),
    ];

    /// <summary>The perovskite tutorial's 36 averages: <see cref="PerovskiteSites"/>, <see cref="PerovskiteTutorialProperties"/> and the
    /// tutorial's element sheet, embedded (<c>Screening/Tables/perovskite_elements.csv</c>, the tutorial's <c>Elemental_properties_Sheet1.csv</c>
    /// unchanged, MA and FA rows included).</summary>
    public static SiteAveraged PerovskiteTutorial => Tutorial.Value;

    private static readonly Lazy<SiteAveraged> Tutorial = new(() =>
    {
        using var stream = typeof(SiteAveraged).Assembly.GetManifestResourceStream("screening/perovskite_elements.csv")
            ?? throw new InvalidOperationException("Embedded table 'screening/perovskite_elements.csv' is missing from the library build.");
        using var reader = new StreamReader(stream);
        var sheet = Csv.Read(reader, "perovskite_elements.csv").Bind(t => SpeciesTable.FromCsv(t, "M")).OrThrow();
        return Create(PerovskiteSites, sheet, PerovskiteTutorialProperties).OrThrow();
    });

    /// <summary>Builds the featurizer, checking that every species of every site has every property.</summary>
    /// <param name="sites">At least one site, each with at least one species; a species may appear on one site only.</param>
    /// <param name="table">Property values per species (element sheet, element tables plus user rows for molecular ions).</param>
    /// <param name="properties">(label, property of <paramref name="table"/>) pairs; at least one.</param>
    /// <returns>The featurizer, or every problem: <c>param.empty</c>, <c>param.duplicate_species</c>, <c>param.unknown_property</c>,
    /// <c>param.missing_species</c> (a species without a row or without a value; add it with <see cref="SpeciesTable.With"/>).</returns>
    public static Validation<Problem, SiteAveraged> Create(IEnumerable<Site> sites, SpeciesTable table, IEnumerable<(string Label, string Property)> properties)
    {
        var s = sites.ToImmutableArray();
        var p = properties.ToImmutableArray();
        var problems = new List<Problem>();
        if (s.IsEmpty || s.Any(x => x.Species.IsEmpty)) problems.Add(new Problem("param.empty", "every site needs at least one species, and at least one site is needed"));
        if (p.IsEmpty) problems.Add(new Problem("param.empty", "no properties given; name at least one (label, property) pair"));
        foreach (var g in s.SelectMany(x => x.Species).GroupBy(x => x).Where(g => g.Count() > 1))
            problems.Add(new Problem("param.duplicate_species", $"species '{g.Key}' is listed {g.Count()} times; a species (and its fraction column) belongs to one site"));
        foreach (var (_, prop) in p.Where(x => !table.Properties.Contains(x.Property)))
            problems.Add(new Problem("param.unknown_property", $"the species table has no property '{prop}'; it has {string.Join(", ", table.Properties)}"));
        if (problems.Count == 0)
            foreach (var species in s.SelectMany(x => x.Species))
            {
                var missing = p.Where(x => double.IsNaN(table[species, x.Property])).Select(x => x.Property).ToArray();
                if (missing.Length > 0)
                    problems.Add(new Problem("param.missing_species",
                        $"species '{species}' has no value for {string.Join(", ", missing)}; add a row with SpeciesTable.With(\"{species}\", values) (molecular ions such as MA and FA are in no element table)"));
            }
        return problems.Count > 0 ? Valid.Fail<SiteAveraged>(problems) : Valid.Ok(new SiteAveraged(s, table, p));
    }

    /// <summary>Computes the site-averaged properties of one row of site fractions.</summary>
    /// <param name="fractions">Fraction of each species of <see cref="SpeciesColumns"/>, in that order; each finite and &gt;= 0.</param>
    /// <param name="destination">Receives <c>Labels.Count</c> values.</param>
    /// <returns>Success, or <c>data.invalid_fraction</c> (negative or non-finite), <c>data.empty_site</c> (a site whose fractions sum to 0).</returns>
    /// <exception cref="ArgumentException">When a span has the wrong length (a programmer error).</exception>
    public Validation<Problem, Unit> Featurize(ReadOnlySpan<double> fractions, Span<double> destination)
    {
        var np = PropertyMap.Length;
        if (fractions.Length != SpeciesColumns.Length) throw new ArgumentException($"Expected {SpeciesColumns.Length} fractions, found {fractions.Length}.", nameof(fractions));
        if (destination.Length < Labels.Count) throw new ArgumentException($"Destination is too short: {destination.Length} < {Labels.Count}.", nameof(destination));
        for (var i = 0; i < fractions.Length; i++)
            if (!(fractions[i] >= 0) || double.IsInfinity(fractions[i]))
                return Valid.Fail<Unit>("data.invalid_fraction", $"the fraction of '{SpeciesColumns[i]}' is {Csv.Format(fractions[i])}; site fractions must be finite and >= 0", column: SpeciesColumns[i]);
        for (var site = 0; site < Sites.Length; site++)
        {
            double total = 0;
            for (var i = _siteStart[site]; i < _siteStart[site + 1]; i++) total += fractions[i];
            if (total == 0)
                return Valid.Fail<Unit>("data.empty_site", $"site {Sites[site].Name} is empty (fractions of {string.Join(", ", Sites[site].Species)} are all 0); give the site's occupancy");
            for (var j = 0; j < np; j++)
            {
                double acc = 0;
                for (var i = _siteStart[site]; i < _siteStart[site + 1]; i++)
                    if (fractions[i] != 0) acc += fractions[i] * _values[i * np + j];
                destination[site * np + j] = acc / total;
            }
        }
        return Valid.Ok(LanguageExt.Unit.Default);
    }

    /// <summary>Featurizes every row of a table whose columns include the site fractions (<see cref="SpeciesColumns"/>, by name).</summary>
    /// <param name="table">The table, e.g. <c>BundledData.Open("perovskite_dft")</c>; empty fraction cells count as 0.</param>
    /// <returns>The features, shape (rows, Labels.Count), or every problem: <c>csv.missing_column</c>, <c>data.non_numeric_feature</c>,
    /// and per row <c>data.invalid_fraction</c>, <c>data.empty_site</c> (row numbers 1-based).</returns>
    public Validation<Problem, FeatureSet> FeaturizeTable(CsvTable table)
    {
        var cols = Valid.All(SpeciesColumns.Select(table.ColumnIndex));
        if (cols.IsFail) return Valid.Fail<FeatureSet>(cols.Problems());
        var c = cols.OrThrow();
        var n = table.Rows.Count;
        var m = Labels.Count;
        var data = new double[n * m];
        var problems = new List<Problem>();
        var fractions = new double[c.Length];
        for (var r = 0; r < n; r++)
        {
            var ok = true;
            for (var i = 0; i < c.Length; i++)
            {
                var cell = table.Rows[r][c[i]].Trim();
                if (cell.Length == 0) fractions[i] = 0;
                else if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out fractions[i]))
                {
                    problems.Add(new Problem("data.non_numeric_feature", $"'{cell}' is not a number; site fractions must be numeric", r + 1, SpeciesColumns[i]));
                    ok = false;
                }
            }
            if (!ok) continue;
            var row = r;
            Featurize(fractions, data.AsSpan(r * m, m)).Match(Succ: _ => { }, Fail: ps => problems.AddRange(ps.Select(p => p with { Row = row + 1 })));
        }
        return problems.Count > 0 ? Valid.Fail<FeatureSet>(problems) : Valid.Ok(new FeatureSet(Labels, Matrix.Own(n, m, data)));
    }
}
