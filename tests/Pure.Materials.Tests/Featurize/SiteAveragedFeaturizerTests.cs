using System.Globalization;
using System.Text;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Tests.Cli;
using Xunit;
using Xunit.Abstractions;

namespace Pure.Materials.Tests.Featurize;

/// <summary><c>site-averaged</c> from formulas (MA and FA read as their elements, then split back onto the A, B, X sites) against the
/// 36 columns of the bundled perovskite_dft data, computed by the tutorial from its element sheet.</summary>
public class SiteAveragedFeaturizerTests(ITestOutputHelper output)
{
    private static readonly string[] Species = ["K", "Rb", "Cs", "MA", "FA", "Ca", "Sr", "Ba", "Ge", "Sn", "Pb", "Cl", "Br", "I"];

    /// <summary>The formula of a row written from its exact site-fraction columns (X fractions times 3).</summary>
    private static string ExactFormula(CsvTable data, IReadOnlyList<string> row)
    {
        var sb = new StringBuilder();
        foreach (var s in Species)
        {
            var f = double.Parse(row[data.ColumnIndex(s).OrThrow()], CultureInfo.InvariantCulture);
            if (f == 0) continue;
            if (s is "Cl" or "Br" or "I") f *= 3;
            sb.Append(s).Append(f.ToString("R", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static double WorstRelative(CsvTable data, FeatureSet computed, int j)
    {
        var c = data.ColumnIndex(computed.Labels[j]).OrThrow();
        var worst = 0.0;
        for (var r = 0; r < data.Rows.Count; r++)
        {
            var expected = double.Parse(data.Rows[r][c], CultureInfo.InvariantCulture);
            var actual = computed.X[r, j];
            var diff = Math.Abs(actual - expected);
            worst = Math.Max(worst, diff == 0 ? 0 : diff / Math.Max(Math.Abs(expected), Math.Abs(actual)));
        }
        return worst;
    }

    /// <summary>Largest absolute difference in a column as a share of the column's range over the 512 rows.</summary>
    private static double WorstShareOfRange(CsvTable data, FeatureSet computed, int j)
    {
        var c = data.ColumnIndex(computed.Labels[j]).OrThrow();
        var expected = data.Rows.Select(r => double.Parse(r[c], CultureInfo.InvariantCulture)).ToArray();
        var range = expected.Max() - expected.Min();
        return Enumerable.Range(0, expected.Length).Max(r => Math.Abs(computed.X[r, j] - expected[r])) / range;
    }

    private static FeatureSet Featurize(IEnumerable<string> formulas) =>
        CompositionFeaturizers.Featurize([SiteAveragedFeaturizer.Perovskite],
            formulas.Select(f => Composition.Parse(f, MolecularCations.Standard).OrThrow()).ToArray(), _ => "").OrThrow();

    [Fact]
    public void FromExactFormulas_Reproduces_All36TutorialColumns_Within1e9()
    {
        var data = BundledData.Open("perovskite_dft").OrThrow();
        var x = Featurize(data.Rows.Select(r => ExactFormula(data, r)));
        Assert.Equal(36, x.Labels.Count);
        var worst = Enumerable.Range(0, 36).Max(j => WorstRelative(data, x, j));
        output.WriteLine($"512 rows x 36 columns from exact formulas, max relative difference {worst:E2}");
        Assert.True(worst <= 1e-9, $"{worst:E2}");
    }

    [Fact]
    public void FromTheTutorialsOwnRoundedFormulas_DiffersOnlyByTheRoundingOfOneEighth()
    {
        var data = BundledData.Open("perovskite_dft").OrThrow();
        var formulas = data.Rows.Select(r => r[data.ColumnIndex("Formula").OrThrow()]).ToArray();
        var x = Featurize(formulas);
        var worst = Enumerable.Range(0, 36).Select(j => (Label: x.Labels[j], Worst: WorstShareOfRange(data, x, j))).ToArray();
        foreach (var site in new[] { "A", "B", "X" })
            output.WriteLine($"{site}: largest difference {worst.Where(w => w.Label.StartsWith(site + "_")).Max(w => w.Worst):P2} of the column's range");
        // A row written with 1/8 = 0.125 as 0.12 or 0.13 moves a site average by a few per cent of the column's range, never more.
        Assert.All(worst, w => Assert.True(w.Worst < 0.05, $"{w.Label}: {w.Worst:E2}"));
        // Rows whose formula holds no rounded fraction agree within 1e-9.
        var exactRows = Enumerable.Range(0, formulas.Length).Where(r => formulas[r] == ExactFormula(data, data.Rows[r])
            || Composition.Parse(formulas[r], MolecularCations.Standard).OrThrow() == Composition.Parse(ExactFormula(data, data.Rows[r]), MolecularCations.Standard).OrThrow()).ToArray();
        output.WriteLine($"{exactRows.Length} of 512 formulas hold their exact fractions");
        Assert.True(exactRows.Length > 100);
        foreach (var r in exactRows)
            for (var j = 0; j < 36; j++)
            {
                var expected = double.Parse(data.Rows[r][data.ColumnIndex(x.Labels[j]).OrThrow()], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(x.X[r, j] - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"row {r + 1} {x.Labels[j]}");
            }
    }

    [Theory]
    [InlineData("MAPbI3", "MA", 1.0)]
    [InlineData("FA0.5Cs0.5PbBr3", "FA", 0.5)]
    [InlineData("MA0.25FA0.75SnCl3", "FA", 0.75)]
    public void SpeciesAmounts_ReadMAAndFABackFromCarbonAndNitrogen(string formula, string species, double amount)
    {
        var f = SiteAveragedFeaturizer.Perovskite;
        var amounts = new double[f.Averaged.SpeciesColumns.Length];
        Assert.Null(f.SpeciesAmounts(Composition.Parse(formula, MolecularCations.Standard).OrThrow(), amounts));
        Assert.Equal(amount, amounts[f.Averaged.SpeciesColumns.IndexOf(species)], 12);
    }

    [Theory]
    [InlineData("Fe2O3", "'Fe' is on no site")]
    [InlineData("CsPbI3C", "MA and FA")]          // a carbon no cation explains
    [InlineData("CsI3", "site B is empty")]
    public void OffSiteFormulas_AreProblemsOfTheirRow(string formula, string why)
    {
        var compositions = new[] { Composition.Parse("CsPbI3").OrThrow(), Composition.Parse(formula, MolecularCations.Standard).OrThrow() };
        var p = Assert.Single(CompositionFeaturizers.Featurize([SiteAveragedFeaturizer.Perovskite], compositions, i => i == 0 ? "CsPbI3" : formula).Problems());
        Assert.Equal("featurize.not_on_sites", p.Code);
        Assert.Equal(2, p.Row);
        Assert.Contains(why, p.Message);
    }

    [Fact]
    public void Cli_SiteAveraged_IsAFeaturizerName_AndCvRunsFromTheFormulas()
    {
        var (exit, output, err) = CliRun.Run("cv", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--formula-column", "Formula",
            "--molecular-cations", "MA,FA", "--featurizers", "site-averaged", "--set", "n_estimators=10", "--quiet");
        Assert.True(exit == 0, err);
        Assert.Contains("mean MAE", output);
        var dir = CliRun.TempDir("site-averaged");
        var input = Path.Combine(dir, "in.csv");
        File.WriteAllText(input, "formula\nCsPbI3\nMAPbI3\n");
        (exit, _, err) = CliRun.Run("featurize", "--data", input, "--formula-column", "formula", "--featurizers", "site-averaged,stoichiometry",
            "--molecular-cations", "MA,FA", "--out", Path.Combine(dir, "out.csv"));
        Assert.True(exit == 0, err);
        var lines = File.ReadAllLines(Path.Combine(dir, "out.csv"));
        Assert.StartsWith("formula,A_ion_rad,A_BP,", lines[0]);
        Assert.StartsWith("MAPbI3,2.17,267,181,", lines[2]); // the sheet's MA row
    }
}
