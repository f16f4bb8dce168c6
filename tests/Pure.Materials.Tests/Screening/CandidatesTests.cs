using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Screening;
using Xunit;

namespace Pure.Materials.Tests.Screening;

public class CandidatesTests
{
    private static readonly string ReferenceFolder = Path.Combine(AppContext.BaseDirectory, "Reference", "pymatgen-2022.11.7");

    private static Dictionary<string, IReadOnlyList<string>> Roles(params (string Role, string[] Elements)[] roles) =>
        roles.ToDictionary(r => r.Role, r => (IReadOnlyList<string>)r.Elements);

    private static string[] Formulas(CandidateSpace space) => [.. space.Enumerate().Select(c => c.Composition!.Formula)];

    // ---- charge neutrality: pymatgen 2022.11.7 oxi_state_guesses ----

    [Fact]
    public void ChargeNeutrality_AgreesWithPymatgenOxiStateGuesses_On400Compositions_ForBothTables()
    {
        var rows = File.ReadLines(Path.Combine(ReferenceFolder, "charge_balance.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(400, rows.Length);
        var disagreements = new List<string>();
        foreach (var r in rows)
        {
            var c = Composition.Parse(r[0]).OrThrow();
            var d = ChargeNeutrality.PymatgenDefault.IsBalanced(c).OrThrow();
            var a = ChargeNeutrality.PymatgenAll.IsBalanced(c).OrThrow();
            if (d != bool.Parse(r[1]) || a != bool.Parse(r[2])) disagreements.Add($"{r[0]}: default {d} (pymatgen {r[1]}), all {a} (pymatgen {r[2]})");
        }
        Assert.Empty(disagreements);
        // Both answers occur in the reference, for both tables.
        Assert.Contains(rows, r => r[1] == "true");
        Assert.Contains(rows, r => r[1] == "false");
        Assert.Contains(rows, r => r[2] == "true" && r[1] == "false");
    }

    [Theory]
    [InlineData("Fe3O4", true)]   // mixed valence Fe(2+) Fe(3+)2
    [InlineData("Fe2O3", true)]
    [InlineData("FeO2", false)]   // ICSD Fe is 2+ or 3+ only
    [InlineData("NaCl", true)]
    [InlineData("Na2Cl", false)]
    [InlineData("HeO", false)]    // He has no oxidation state
    [InlineData("Fe", false)]     // no 0 state in the tables
    public void ChargeNeutrality_HandCheckedCases(string formula, bool balanced) =>
        Assert.Equal(balanced, ChargeNeutrality.PymatgenDefault.IsBalanced(Composition.Parse(formula).OrThrow()).OrThrow());

    [Fact]
    public void ChargeNeutrality_Fails_OnNonIntegerAmounts_AsPymatgenRaises()
    {
        var p = Assert.Single(ChargeNeutrality.PymatgenDefault.IsBalanced(Composition.Parse("Fe0.5O").OrThrow()).Problems());
        Assert.Equal("charge.non_integer_amount", p.Code);
        Assert.Contains("Fe 0.5", p.Message);
    }

    [Fact]
    public void ChargeNeutrality_Tables_AreThoseOfPymatgen()
    {
        Assert.Equal([2, 3], ChargeNeutrality.PymatgenDefault.StatesOf(26));
        Assert.Equal([-2, -1, 1, 2, 3, 4, 5, 6], ChargeNeutrality.PymatgenAll.StatesOf(26));
        Assert.Equal([3, 4, 5, 6, 7], ChargeNeutrality.PymatgenDefault.StatesOf(94)); // Pu: no ICSD state, falls back to all
        Assert.Empty(ChargeNeutrality.PymatgenDefault.StatesOf(2));
    }

    // ---- templates ----

    [Fact]
    public void Template_EnumeratesEveryAssignment_InRoleOrder_LastRoleFastest()
    {
        var space = Candidates.FromTemplate("A2BX4", Roles(("A", ["Li", "Na"]), ("B", ["Mg", "Mo"]), ("X", ["O", "S"]))).OrThrow();
        Assert.Equal(8, space.Count);
        Assert.Equal(["Li2MgO4", "Li2MgS4", "Li2MoO4", "Li2MoS4", "Na2MgO4", "Na2MgS4", "Na2MoO4", "Na2MoS4"], Formulas(space));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), space.Enumerate().Select(c => c.Index));
    }

    [Fact]
    public void Template_ChargeFilter_KeepsOnlyBalancedCompositions_ByHand()
    {
        // A(+1)2 B X(-2)4 balances only with B(+6): Mo has 6+ in ICSD, Mg only 2+.
        var space = Candidates.FromTemplate("A2BX4", Roles(("A", ["Li", "Na"]), ("B", ["Mg", "Mo"]), ("X", ["O"])), ChargeNeutrality.PymatgenDefault).OrThrow();
        Assert.Equal(2, space.Count);
        Assert.Equal(["Li2MoO4", "Na2MoO4"], Formulas(space));
        Assert.Equal([0L, 1L], space.Enumerate().Select(c => c.Index));
    }

    [Fact]
    public void Template_ReportsEveryProblem()
    {
        var problems = Candidates.FromTemplate("A2BX4", Roles(("A", ["Li", "Xx"]), ("B", ["Li"]), ("Y", ["O"]))).Problems();
        Assert.Equal(["param.overlapping_roles", "param.unknown_element", "param.unused_role", "template.unknown_role"], problems.Select(p => p.Code).Order(StringComparer.Ordinal));
        Assert.Equal("template.unexpected_character", Assert.Single(Candidates.FromTemplate("A2 B", Roles(("A", ["Li"]), ("B", ["O"]))).Problems()).Code);
        Assert.Equal("template.invalid_amount", Assert.Single(Candidates.FromTemplate("A0B", Roles(("A", ["Li"]), ("B", ["O"]))).Problems()).Code);
        Assert.Equal("template.repeated_role", Assert.Single(Candidates.FromTemplate("ABA", Roles(("A", ["Li"]), ("B", ["O"]))).Problems()).Code);
    }

    // ---- n-ary spaces ----

    [Fact]
    public void Nary_Ternaries_AreReduced_EachOnce_InLexicographicOrder()
    {
        var space = Candidates.Nary(["Li", "Fe", "P", "O"], 3, 4).OrThrow();
        // C(4,3) subsets * (4^3 - 2^3 - 1^3) amount tuples with gcd 1 = 4 * 55.
        Assert.Equal(220, space.Count);
        var formulas = Formulas(space);
        Assert.Equal(220, formulas.Length);
        Assert.Equal(["LiFeP", "LiFeP2", "LiFeP3", "LiFeP4", "LiFe2P"], formulas[..5]);
        Assert.DoesNotContain("Li2Fe2P2", formulas);
        Assert.Equal(220, space.Enumerate().Select(c => c.Composition!.ReducedFormula).Distinct().Count());
    }

    [Theory]
    [InlineData(new[] { "Li", "Na", "Fe", "O", "S" }, 2, 6)]
    [InlineData(new[] { "Li", "Mn", "Fe", "Co", "O", "F" }, 3, 5)]
    [InlineData(new[] { "Ba", "Ti", "Sn", "N", "O", "Cl", "Se" }, 4, 3)]
    [InlineData(new[] { "Cu", "Zn", "Sn", "S" }, 1, 7)]
    public void Nary_CountEqualsEnumeration_WithAndWithoutChargeFilter(string[] elements, int arity, int maxAmount)
    {
        var all = Candidates.Nary(elements, arity, maxAmount).OrThrow();
        Assert.Equal(all.Count, all.Enumerate().LongCount());
        foreach (var filter in new[] { ChargeNeutrality.PymatgenDefault, ChargeNeutrality.PymatgenAll })
        {
            var kept = Candidates.Nary(elements, arity, maxAmount, filter).OrThrow();
            var expected = all.Enumerate().Where(c => filter.IsBalanced(c.Composition!).OrThrow()).Select(c => c.Composition!.Formula).ToArray();
            Assert.Equal(expected.Length, kept.Count);
            Assert.Equal(expected, Formulas(kept));
        }
    }

    [Fact]
    public void Nary_LargeSpace_IsCountedWithoutEnumerating()
    {
        string[] symbols = [.. Enumerable.Range(1, 80).Select(Elements.Symbol)];
        var space = Candidates.Nary(symbols, 4, 10).OrThrow();
        // Brute-force count of 4-tuples in 1..10 with gcd 1, times C(80, 4) = 1,581,580.
        long tuples = 0;
        for (var a = 1; a <= 10; a++) for (var b = 1; b <= 10; b++) for (var c = 1; c <= 10; c++) for (var d = 1; d <= 10; d++)
            if (Gcd(Gcd(a, b), Gcd(c, d)) == 1) tuples++;
        Assert.Equal(1_581_580L * tuples, space.Count);
        Assert.True(space.Count > 10_000_000_000L);
        var neutral = Candidates.Nary([.. Enumerable.Range(1, 40).Select(Elements.Symbol)], 3, 8, ChargeNeutrality.PymatgenDefault).OrThrow();
        Assert.InRange(neutral.Count, 1, Candidates.Nary([.. Enumerable.Range(1, 40).Select(Elements.Symbol)], 3, 8).OrThrow().Count - 1);
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    [Fact]
    public void Nary_ReportsEveryProblem()
    {
        var problems = Candidates.Nary(["Fe", "Fe", "Qq"], 0, 0).Problems();
        Assert.Equal(["param.duplicate_element", "param.out_of_range", "param.out_of_range", "param.unknown_element"], problems.Select(p => p.Code).Order(StringComparer.Ordinal));
        Assert.Equal("space.too_large", Assert.Single(Candidates.Nary([.. Enumerable.Range(1, 118).Select(Elements.Symbol)], 10, 1000).Problems()).Code);
    }

    // ---- CSV ----

    private static Func<TextReader> Text(string s) => () => new StringReader(s);

    [Fact]
    public void FromCsv_StreamsRowsInOrder_WithTheIdColumnAsName()
    {
        var space = Candidates.FromCsv(Text("id,formula\na,Fe2O3\nb,NaCl\nc,FeO2\n"), "test.csv", "formula", "id").OrThrow();
        Assert.Equal(3, space.Count);
        Assert.Equal(["a:Fe2O3", "b:NaCl", "c:FeO2"], space.Enumerate().Select(c => $"{c.Name}:{c.Composition!.Formula}"));
        var neutral = Candidates.FromCsv(Text("id,formula\na,Fe2O3\nb,NaCl\nc,FeO2\n"), "test.csv", "formula", "id", ChargeNeutrality.PymatgenDefault).OrThrow();
        Assert.Equal(2, neutral.Count);
        Assert.Equal([(0L, "a"), (1L, "b")], neutral.Enumerate().Select(c => (c.Index, c.Name!)));
    }

    [Fact]
    public void FromCsv_BadFormula_IsAProblemNamingRowAndColumn()
    {
        var problems = Candidates.FromCsv(Text("formula\nFe2O3\nFe2Xx3\nNaCl\nFe0.5O\n"), "test.csv", "formula", filter: ChargeNeutrality.PymatgenDefault).Problems();
        Assert.Equal(2, problems.Length);
        Assert.Equal(("formula.unknown_element", 2, "formula"), (problems[0].Code, problems[0].Row!.Value, problems[0].Column!));
        Assert.Equal(("charge.non_integer_amount", 4, "formula"), (problems[1].Code, problems[1].Row!.Value, problems[1].Column!));
        Assert.StartsWith("row 2, column 'formula': ", problems[0].ToString());
        Assert.Equal("csv.missing_column", Assert.Single(Candidates.FromCsv(Text("formula\nFe\n"), "test.csv", "formulas").Problems()).Code);
    }

    [Fact]
    public void FromCsv_File_CountsOnOpen_AndDetectsAChangedFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cand-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "composition\nFe2O3\nNaCl\n");
            var space = Candidates.FromCsv(path, "composition").OrThrow();
            Assert.Equal(2, space.Count);
            Assert.Equal(["Fe2O3", "NaCl"], Formulas(space));
            File.WriteAllText(path, "composition\nFe2O3\nNaCl\nKBr\n");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
            var e = Assert.Throws<ProblemException>(() => space.Enumerate().ToArray());
            Assert.Equal("candidates.source_changed", Assert.Single(e.Problems).Code);
            Assert.Equal("io.not_found", Assert.Single(Candidates.FromCsv(path + ".missing", "composition").Problems()).Code);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // ---- site-mixed perovskites ----

    [Fact]
    public void PerovskiteSiteMixed_CountIsStarsAndBars_AndFeatureLabelsAreTheDataColumns()
    {
        var space = (SiteMixedSpace)Candidates.PerovskiteSiteMixed(8, 8, 24).OrThrow();
        Assert.Equal(495L * 1287 * 325, space.Count); // C(12,4) * C(13,5) * C(26,2) = 207,046,125, counted, not enumerated
        var header = BundledData.Open("perovskite_dft").OrThrow().Header;
        Assert.Equal(header.Skip(4), space.FeatureLabels);
        var pure = Candidates.PerovskiteSiteMixed(1, 1, 1).OrThrow();
        Assert.Equal(5 * 6 * 3, pure.Count); // one species per site: the 90 pure ABX3 compounds
        Assert.Equal(90, pure.Enumerate().Select(c => c.Name).Distinct().Count());
    }

    [Fact]
    public void PerovskiteSiteMixed_EveryDataRow_IsACandidate_WithTheDataFeatures()
    {
        // The data's fractions are multiples of 1/8 (A, B) and of 1/8 or 1/6 (X): all are on the 8, 8, 24 grid.
        var space = (SiteMixedSpace)Candidates.PerovskiteSiteMixed(8, 8, 24).OrThrow();
        var table = BundledData.Open("perovskite_dft").OrThrow();
        var worst = 0.0;
        foreach (var row in table.Rows)
        {
            var values = row.Skip(4).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var index = space.IndexOf(values.AsSpan(0, 14));
            Assert.True(index >= 0, $"{row[1]} is not on the grid");
            var candidate = space.At(index);
            Assert.Equal(index, candidate.Index);
            for (var j = 0; j < 50; j++)
            {
                // The data writes fractions to 9 decimals (0.333333333) and averages to 10 significant digits (1052.233333 for
                // exactly 1052.2333...): half a unit in the 10th digit is at most 5e-10 relative.
                var tolerance = j < 14 ? 1e-9 : 5e-10 * Math.Abs(values[j]) + 1e-12;
                worst = Math.Max(worst, Math.Abs(candidate.Features[j] - values[j]) / (j < 14 ? 1 : Math.Abs(values[j]) + 1e-300));
                Assert.True(Math.Abs(candidate.Features[j] - values[j]) <= tolerance, $"{row[1]} {space.FeatureLabels[j]}: {candidate.Features[j]} vs {values[j]}");
            }
        }
        Assert.True(worst < 1e-9);
    }

    [Fact]
    public void SiteMixed_AtAndIndexOf_AgreeWithEnumeration()
    {
        var space = (SiteMixedSpace)Candidates.PerovskiteSiteMixed(2, 2, 3).OrThrow();
        Assert.Equal(15L * 21 * 10, space.Count);
        var all = space.Enumerate().ToArray();
        Assert.Equal(space.Count, all.Length);
        for (var i = 0; i < all.Length; i++)
        {
            Assert.Equal(all[i], space.At(i));
            Assert.Equal(i, space.IndexOf(all[i].Features.Span[..14]));
        }
        Assert.Equal("KCaCl3", all[^1].Name);
        Assert.Equal("FAPbI3", all[0].Name);
        Assert.Equal(-1, space.IndexOf([0.3, 0.7, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]));
    }
}

public class PerovskiteScoringTests
{
    [Fact]
    public void GprFittedOnTheDataColumns_ScoresSiteMixedCandidates_AsItScoresTheDataRows()
    {
        // Fit a GPR on the perovskite_dft columns named by the space's FeatureLabels (14 fractions + 36 averages), then score
        // candidates: at the data's own grid points the candidates' features equal the rows', so must the predictions.
        var space = (SiteMixedSpace)Candidates.PerovskiteSiteMixed(8, 8, 24).OrThrow();
        var table = BundledData.Open("perovskite_dft").OrThrow();
        var data = Dataset.FromTable(new DatasetSpec { TargetColumn = "Band Gap", IdColumn = "Index", FeatureColumns = [.. space.FeatureLabels] }, table).OrThrow();
        var kernel = Pure.Materials.Models.Gaussian.KernelSyntax.Parse("constant*rbf+white", space.FeatureLabels.Count).OrThrow();
        var model = Pure.Materials.Models.Gaussian.GaussianProcess.Fit(
            new Pure.Materials.Models.Gaussian.GaussianProcessOptions { Kernel = kernel, NormalizeY = true }, data.ColumnFeatures, data.Target!, Rng.FromSeed(0)).OrThrow();

        var rows = Enumerable.Range(0, 40).Select(i => i * 12).ToArray();
        var candidates = rows.Select(r => space.At(space.IndexOf(data.ColumnFeatures.Row(r)[..14]))).ToArray();
        var x = Matrix.FromRows([.. candidates.Select(c => c.Features.ToArray())]);
        var (mean, std) = Pure.Materials.Models.Gaussian.GaussianProcess.PredictWithStd(model, x);
        var (rowMean, rowStd) = Pure.Materials.Models.Gaussian.GaussianProcess.PredictWithStd(model, Matrix.FromRows([.. rows.Select(r => data.ColumnFeatures.Row(r).ToArray())]));
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rowMean[i], mean[i], 1e-6);
            Assert.Equal(rowStd[i], std[i], 1e-6);
        }

        // New candidates (not in the data) get finite means and non-negative standard deviations.
        var fresh = Candidates.PerovskiteSiteMixed(4, 4, 4).OrThrow().Enumerate().Take(500).ToArray();
        var (m2, s2) = Pure.Materials.Models.Gaussian.GaussianProcess.PredictWithStd(model, Matrix.FromRows([.. fresh.Select(c => c.Features.ToArray())]));
        Assert.All(m2, v => Assert.True(double.IsFinite(v)));
        Assert.All(s2, v => Assert.True(v >= 0 && double.IsFinite(v)));
    }
}

public class TemplateFixedElementTests
{
    [Fact]
    public void Template_FixedElement_IsARoleWithOneElement()
    {
        var roles = new Dictionary<string, IReadOnlyList<string>> { ["A"] = ["Ca", "Sr", "Ba"], ["B"] = ["Ti", "Zr"], ["O"] = ["O"] };
        var space = Candidates.FromTemplate("ABO3", roles, ChargeNeutrality.PymatgenDefault).OrThrow();
        // A(+2) B(+4) O(-2)3: every pair balances with Ti(4+) or Zr(4+).
        Assert.Equal(["CaTiO3", "CaZrO3", "SrTiO3", "SrZrO3", "BaTiO3", "BaZrO3"], space.Enumerate().Select(c => c.Composition!.Formula));
        Assert.Equal(6, space.Count);
    }
}
