using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Xunit;
using Xunit.Abstractions;

namespace Pure.Materials.Tests.Featurize;

/// <summary>Site-averaged properties of the halide perovskites (bundled <c>perovskite_dft</c>) against the tutorial's own 36 columns
/// and its element sheet (Reference/perovskite-tutorial), and compared with the shipped Magpie / pymatgen tables.</summary>
public class SiteAveragedTests(ITestOutputHelper output)
{
    private static CsvTable Sheet() =>
        Csv.ReadFile(Path.Combine(AppContext.BaseDirectory, "Reference", "perovskite-tutorial", "Elemental_properties_Sheet1.csv")).OrThrow();

    private static SpeciesTable TutorialTable() => SpeciesTable.FromCsv(Sheet(), "M").OrThrow();

    /// <summary>Largest relative difference per feature between computed site averages and the dataset's columns.</summary>
    private static Dictionary<string, double> Differences(FeatureSet computed, CsvTable data, Func<string, string>? column = null)
    {
        var result = new Dictionary<string, double>();
        for (var j = 0; j < computed.Labels.Count; j++)
        {
            var c = data.ColumnIndex(column?.Invoke(computed.Labels[j]) ?? computed.Labels[j]).OrThrow();
            var worst = 0.0;
            for (var r = 0; r < data.Rows.Count; r++)
            {
                var expected = double.Parse(data.Rows[r][c], CultureInfo.InvariantCulture);
                var actual = computed.X[r, j];
                var diff = Math.Abs(actual - expected);
                worst = Math.Max(worst, diff == 0 ? 0 : diff / Math.Max(Math.Abs(expected), Math.Abs(actual)));
            }
            result[computed.Labels[j]] = worst;
        }
        return result;
    }

    [Fact]
    public void TutorialSheet_Reproduces_All36SiteColumns_OfPerovskiteDft()
    {
        var data = BundledData.Open("perovskite_dft").OrThrow();
        var f = SiteAveraged.Create(SiteAveraged.PerovskiteSites, TutorialTable(), SiteAveraged.PerovskiteTutorialProperties).OrThrow();
        var x = f.FeaturizeTable(data).OrThrow();
        Assert.Equal(512, x.X.Rows);
        Assert.Equal(36, x.Labels.Count);
        var diffs = Differences(x, data);
        output.WriteLine($"512 rows x 36 columns, max relative difference {diffs.Values.Max():E2}");
        // The tutorial wrote its X-site columns with about 10 significant digits; everything else is exact.
        Assert.All(diffs, d => Assert.True(d.Value <= 1e-9, $"{d.Key}: {d.Value:E2}"));
    }

    [Fact]
    public void MolecularCations_NeedUserRows_OtherwiseAProblemNamesThem()
    {
        var magpie = SpeciesTable.FromElements("magpie", [("MP", "MeltingT")]).OrThrow();
        var problems = SiteAveraged.Create(SiteAveraged.PerovskiteSites, magpie, [("MP", "MP")]).Problems();
        Assert.Equal(["param.missing_species", "param.missing_species"], problems.Select(p => p.Code));
        Assert.Contains("'MA'", problems[0].Message);
        Assert.Contains("'FA'", problems[1].Message);

        var withCations = magpie.With("MA", [181.0]).Bind(t => t.With("FA", [354.0])).OrThrow();
        var f = SiteAveraged.Create(SiteAveraged.PerovskiteSites, withCations, [("MP", "MP")]).OrThrow();
        var x = new double[3];
        // A = MA0.5 Cs0.5, B = Pb, X = I: A_MP = (181 + 301.59) / 2 with Magpie's Cs melting point.
        var fractions = new double[f.SpeciesColumns.Length];
        fractions[f.SpeciesColumns.IndexOf("MA")] = 0.5;
        fractions[f.SpeciesColumns.IndexOf("Cs")] = 0.5;
        fractions[f.SpeciesColumns.IndexOf("Pb")] = 1;
        fractions[f.SpeciesColumns.IndexOf("I")] = 3; // fractions are normalised per site
        f.Featurize(fractions, x).OrThrow();
        Assert.Equal((181 + 301.59) / 2, x[0], 12);
        Assert.Equal(600.61, x[1], 12);
        Assert.Equal(386.85, x[2], 12);
    }

    [Fact]
    public void EmptySite_IsAProblemOfThatRow()
    {
        var f = SiteAveraged.Create(SiteAveraged.PerovskiteSites, TutorialTable(), SiteAveraged.PerovskiteTutorialProperties).OrThrow();
        var fractions = new double[f.SpeciesColumns.Length];
        fractions[f.SpeciesColumns.IndexOf("Cs")] = 1;
        fractions[f.SpeciesColumns.IndexOf("I")] = 1;
        var problem = Assert.Single(f.Featurize(fractions, new double[36]).Problems());
        Assert.Equal("data.empty_site", problem.Code);
        Assert.Contains("site B", problem.Message);
    }

    [Fact]
    public void MagpieTables_DifferFromTheTutorialSheet_AsDocumented()
    {
        // The same site averages built from Magpie (11 properties) and pymatgen (ionic radius), with the tutorial's MA and FA rows.
        var sheet = TutorialTable();
        (string Label, string Magpie)[] map =
        [
            ("BP", "BoilingT"), ("MP", "MeltingT"), ("dens", "Density"), ("at_wt", "AtomicWeight"), ("EA", "ElectronAffinity"),
            ("IE", "FirstIonizationEnergy"), ("hof", "HeatFusion"), ("hov", "HeatVaporization"), ("En", "Electronegativity"),
            ("at_num", "Number"), ("period", "Row"),
        ];
        var tutorialColumn = SiteAveraged.PerovskiteTutorialProperties.ToDictionary(p => p.Label, p => p.Property);
        var magpie = SpeciesTable.FromElements("magpie", map.Select(m => (m.Label, m.Magpie))).OrThrow();
        foreach (var cation in new[] { "MA", "FA" })
            magpie = magpie.With(cation, [.. map.Select(m => sheet[cation, tutorialColumn[m.Label]])]).OrThrow();
        var pymatgen = SpeciesTable.FromElements("pymatgen", [("ion_rad", "average_ionic_radius")]).OrThrow();
        foreach (var cation in new[] { "MA", "FA" })
            pymatgen = pymatgen.With(cation, [sheet[cation, "Ion_rad"]]).OrThrow();

        var data = BundledData.Open("perovskite_dft").OrThrow();
        var fromMagpie = SiteAveraged.Create(SiteAveraged.PerovskiteSites, magpie, map.Select(m => (m.Label, m.Label))).OrThrow().FeaturizeTable(data).OrThrow();
        var fromPymatgen = SiteAveraged.Create(SiteAveraged.PerovskiteSites, pymatgen, [("ion_rad", "ion_rad")]).OrThrow().FeaturizeTable(data).OrThrow();
        var diffs = Differences(fromMagpie, data).Concat(Differences(fromPymatgen, data)).ToDictionary();
        foreach (var (label, d) in diffs.OrderBy(d => d.Key, StringComparer.Ordinal)) output.WriteLine($"{label}: max relative difference {d:G3}");

        foreach (var site in new[] { "A", "B", "X" })
        {
            // Agree within the sheet's written precision (about 10 significant digits on the X site).
            Assert.True(diffs[$"{site}_at_num"] <= 1e-9, $"{site}_at_num");
            Assert.True(diffs[$"{site}_period"] <= 1e-9, $"{site}_period");
            Assert.True(diffs[$"{site}_En"] <= 1e-9, $"{site}_En");
            // Different compilations: small differences.
            Assert.InRange(diffs[$"{site}_at_wt"], 0, 1e-3);                          // Ge 72.61 (sheet) vs 72.64 (Magpie)
            Assert.InRange(diffs[$"{site}_MP"], 0, 0.01);
            Assert.InRange(diffs[$"{site}_BP"], 0, 0.035);
            Assert.InRange(diffs[$"{site}_hov"], 0, 0.05);
            Assert.InRange(diffs[$"{site}_hof"], 0, 0.15);                            // Ge 31.8 (sheet) vs 36.94 kJ/mol (Magpie)
            // Different units.
            Assert.InRange(diffs[$"{site}_dens"], 0.998, 0.9995);                     // Magpie g/L vs sheet g/cm^3: factor 1000
            Assert.InRange(diffs[$"{site}_IE"], 0.989, 0.990);                        // Magpie eV vs sheet kJ/mol: factor 96.485
        }
        Assert.True(diffs["B_EA"] > 1, "Ca, Sr, Ba: the sheet lists negative electron affinities, Magpie small positive ones");
        Assert.InRange(diffs["A_EA"], 0, 0.01);
        Assert.InRange(diffs["X_EA"], 0, 0.01);
        Assert.True(diffs["B_ion_rad"] > 0.3 && diffs["X_ion_rad"] > 0.5, "Shannon radii (sheet) vs pymatgen's average over oxidation states");
    }

    [Fact]
    public void SpeciesTable_FromCsv_ReportsBadCells_WithRowAndColumn()
    {
        var table = Csv.Read(new StringReader("M,MP\nCs,301.5\nPb,abc\nCs,1\n"), "sheet").OrThrow();
        var problems = SpeciesTable.FromCsv(table, "M").Problems();
        Assert.Equal(["data.non_numeric_feature", "data.duplicate_species"], problems.Select(p => p.Code));
        Assert.Equal((2, "MP"), (problems[0].Row!.Value, problems[0].Column!));
        Assert.Equal(3, problems[1].Row);
    }
}
