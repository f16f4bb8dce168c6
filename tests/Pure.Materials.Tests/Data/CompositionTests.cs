using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Xunit;

namespace Pure.Materials.Tests.Data;

public class CompositionTests
{
    private static Composition P(string formula) => Composition.Parse(formula).OrThrow();

    /// <summary>Writes a composition as "Sym amount" pairs in stored order, amounts in round-trip form.</summary>
    private static string Pairs(Composition c) =>
        string.Join(" ", c.AtomicNumbers.Select((z, k) => $"{Elements.Symbol(z)}{c.Amounts[k].ToString("R", CultureInfo.InvariantCulture)}"));

    // ---------------------------------------------------------------- valid formulas

    [Theory]
    // nested groups, as pymatgen reads them (Ag(AuS)2 -> Ag1 Au2 S2)
    [InlineData("Ag(AuS)2", "Ag1 Au2 S2")]
    [InlineData("Ag(W3Br7)2", "Ag1 W6 Br14")]
    [InlineData("Ca5(PO4)3F", "Ca5 P3 O12 F1")]
    [InlineData("CrH9(CN2)3", "Cr1 H9 C3 N6")]
    [InlineData("Ba14Ir8(PdO11)3", "Ba14 Ir8 Pd3 O33")]
    [InlineData("((Fe)2O)3", "Fe6 O3")]
    [InlineData("Pb(Zr0.52Ti0.48)O3", "Pb1 Zr0.52 Ti0.48 O3")]
    // decimals and tiny fractions
    [InlineData("Ag0.5Ge1Pb1.75S4", "Ag0.5 Ge1 Pb1.75 S4")]
    [InlineData("Nb0.0000616", "Nb6.16E-05")]
    [InlineData("Si0.0645Ge0.9355", "Si0.0645 Ge0.9355")]
    [InlineData("Bi0.002Te0.003Pb0.999Se0.999", "Bi0.002 Te0.003 Pb0.999 Se0.999")]
    [InlineData("Zr41.2Ti13.8Cu12.5Ni10Be22.5", "Zr41.2 Ti13.8 Cu12.5 Ni10 Be22.5")]
    [InlineData("Fe0.5O", "Fe0.5 O1")]
    [InlineData("Fe1.5O2", "Fe1.5 O2")]
    // spaces, pure elements, repeated elements
    [InlineData("Ba1 Te1", "Ba1 Te1")]
    [InlineData("  Fe2 O3\t", "Fe2 O3")]
    [InlineData("Al", "Al1")]
    [InlineData("HOg", "H1 Og1")]
    [InlineData("FeOFe", "Fe2 O1")]
    [InlineData("CH3NH3PbI3", "C1 H6 N1 Pb1 I3")]
    // square brackets
    [InlineData("[Co(NH3)6]Cl3", "Co1 N6 H18 Cl3")]
    [InlineData("[Fe(H2O)6]Cl3", "Fe1 H12 O6 Cl3")]
    // hydrates: the number after the separator multiplies the group after it
    [InlineData("CuSO4·5H2O", "Cu1 S1 O9 H10")]
    [InlineData("CuSO4.5H2O", "Cu1 S1 O9 H10")]
    [InlineData("CuSO4*5H2O", "Cu1 S1 O9 H10")]
    [InlineData("CuSO4•5H2O", "Cu1 S1 O9 H10")]
    [InlineData("CuSO4 · 5 H2O", "Cu1 S1 O9 H10")]
    [InlineData("CuSO4.H2O", "Cu1 S1 O5 H2")]
    [InlineData("Na2CO3.10H2O", "Na2 C1 O13 H20")]
    [InlineData("CaSO4·0.5H2O", "Ca1 S1 O4.5 H1")]
    [InlineData("CuCl2·2NH3", "Cu1 Cl2 N2 H6")]
    [InlineData("Fe(OH)3.5H2O", "Fe1 O8 H13")]
    [InlineData("[Fe(H2O)6]Cl3.2H2O", "Fe1 H16 O8 Cl3")]
    [InlineData("(CuSO4·5H2O)2", "Cu2 S2 O18 H20")]
    // a '.' between digits that does not start a water term is a decimal point
    [InlineData("Fe0.5H2O", "Fe0.5 H2 O1")]
    [InlineData("Li1.5H2O2", "Li1.5 H2 O2")]
    [InlineData("Fe2.5H2OCl", "Fe2.5 H2 O1 Cl1")]
    // scientific notation: lowercase e, optional sign
    [InlineData("Fe1e-3O", "Fe0.001 O1")]
    [InlineData("Fe1e-6Ni", "Fe1E-06 Ni1")]
    [InlineData("Fe2.5e+2O", "Fe250 O1")]
    [InlineData("O1.5e2", "O150")]
    public void Parse_ReadsElementsAndAmounts_InOrderOfFirstAppearance(string formula, string expected) =>
        Assert.Equal(expected, Pairs(P(formula)));

    /// <summary>Tricky formulas copied from Matbench v0.1 matbench_expt_gap / matbench_expt_is_metal (MIT; Zhuo et al.
    /// 2018): nested groups, decimals, tiny fractions, spaces, pure elements. Every formula of both datasets parses
    /// (9525 rows, checked once with the full files); the amounts are checked against matminer below.</summary>
    [Theory]
    [InlineData("Ag(AuS)2", 3, 5)]
    [InlineData("Ag(W3Br7)2", 3, 21)]
    [InlineData("Ag0.5Ge1Pb1.75S4", 4, 7.25)]
    [InlineData("Ag0.5Ge1Pb1.75Se4", 4, 7.25)]
    [InlineData("Ag2Mo(I2O7)2", 4, 21)]
    [InlineData("Ag7(SI)2", 3, 11)]
    [InlineData("Al(Ni10B7)2", 3, 35)]
    [InlineData("Al7(CN)3", 3, 13)]
    [InlineData("AlFe4(CuO4)3", 4, 20)]
    [InlineData("Ba23Ga8(SbS19)2", 4, 71)]
    [InlineData("Ba3La3(Cu3O7)2", 4, 26)]
    [InlineData("BH(PbO2)2", 4, 8)]
    [InlineData("Bi4Pd(SeO3)4", 4, 21)]
    [InlineData("Ce2(SbPd3)3", 3, 14)]
    [InlineData("Gd2(MoO4)3", 3, 17)]
    [InlineData("Li3Ti2(PO4)3", 4, 20)]
    [InlineData("Na2Zn(GeSe3)2", 4, 11)]
    [InlineData("Ni4(PO4)3", 3, 19)]
    [InlineData("Tm(NiGe)2", 3, 5)]
    [InlineData("Nb0.0000616", 1, 0.0000616)]
    [InlineData("Si0.0645Ge0.9355", 2, 1)]
    [InlineData("Sr8.007Ge2.043Bi7.949Se24", 4, 41.999)]
    [InlineData("Bi0.002Te0.003Pb0.999Se0.999", 4, 2.003)]
    [InlineData("Zn0.99Ga0.01Sb0.01Te0.99", 4, 2)]
    [InlineData("Al0.01Ga0.99P1", 3, 2)]
    [InlineData("Zn0.15Ga0.85As0.85Se0.15", 4, 2)]
    [InlineData("BP", 2, 2)]
    [InlineData("UO", 2, 2)]
    [InlineData("YN", 2, 2)]
    [InlineData("Al", 1, 1)]
    [InlineData("Ba1 Te1", 2, 2)]
    public void Parse_AcceptsMatbenchFormulas(string formula, int count, double total)
    {
        var c = P(formula);
        Assert.Equal(count, c.Count);
        Assert.Equal(total, c.TotalAmount, 1e-12);
        Assert.Equal(c, P(c.Formula));
    }

    /// <summary>matminer 0.9.0 <c>ElementFraction</c> (103 columns H..Lr, computed by pymatgen 2022.11.7 from the parsed
    /// amounts) equals <see cref="Composition.FractionOf"/> bit for bit on every formula of the reference files
    /// (Reference/matminer-0.9.0/README.md: all 4604 matbench_expt_gap formulas and 220 edge cases).</summary>
    [Theory]
    [InlineData("composition_expt_gap.csv.gz", 4604)]
    [InlineData("composition_small.csv", 220)]
    public void Parse_MatchesMatminerElementFraction_Exactly(string file, int rows)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", "matminer-0.9.0", file);
        using var stream = File.OpenRead(path);
        using var reader = file.EndsWith(".gz", StringComparison.Ordinal)
            ? new StreamReader(new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress))
            : new StreamReader(stream);
        var header = reader.ReadLine()!.Split(',');
        var hydrogen = Array.IndexOf(header, "H");
        Assert.Equal("Lr", header[hydrogen + 102]);
        var seen = 0;
        var failures = new List<string>();
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            var cells = line.Split(',');
            var c = P(cells[0]);
            seen++;
            for (var z = 1; z <= 103; z++)
            {
                var expected = double.Parse(cells[hydrogen + z - 1], CultureInfo.InvariantCulture);
                if (expected != c.FractionOf(z)) failures.Add($"{cells[0]} Z={z}: expected {expected:R}, got {c.FractionOf(z):R}");
            }
        }
        Assert.Equal(rows, seen);
        Assert.True(failures.Count == 0, string.Join("; ", failures.Take(10)));
    }

    [Fact]
    public void Parse_AgAuS2_MatchesPymatgenAmounts()
    {
        var c = P("Ag(AuS)2");
        Assert.Equal([47, 79, 16], c.AtomicNumbers);
        Assert.Equal([1.0, 2.0, 2.0], c.Amounts);
        Assert.Equal(5, c.TotalAmount);
        Assert.Equal(0.4, c.FractionOf(79), 15);
        Assert.Equal(2, c.AmountOf(16));
    }

    [Fact]
    public void Parse_DeepNesting_DoesNotOverflowTheStack()
    {
        var formula = new string('(', 4000) + "Fe" + new string(')', 4000) + "2";
        Assert.Equal("Fe2", Pairs(P(formula)));
    }

    [Fact]
    public void Parse_AcceptsExactlyMaxLength()
    {
        var formula = string.Concat(Enumerable.Repeat("Fe", 5000)); // 10,000 characters
        Assert.Equal("Fe5000", Pairs(P(formula)));
    }

    // ---------------------------------------------------------------- invalid formulas

    [Theory]
    [InlineData("", "formula.empty", null)]
    [InlineData("   ", "formula.empty", null)]
    [InlineData("Fe2Xx3", "formula.unknown_element", 4)]
    [InlineData("Fexy", "formula.unknown_element", 1)]
    [InlineData("E", "formula.unknown_element", 1)]
    [InlineData("Fe1E-3", "formula.unknown_element", 4)]
    [InlineData("Fe2O3)", "formula.unbalanced_parenthesis", 6)]
    [InlineData("(FeO", "formula.unbalanced_parenthesis", 1)]
    [InlineData("(Fe]", "formula.unbalanced_parenthesis", 4)]
    [InlineData("[Co(NH3]6", "formula.unbalanced_parenthesis", 8)]
    [InlineData(",65", "formula.unexpected_character", 1)]
    [InlineData("Fe#", "formula.unexpected_character", 3)]
    [InlineData("fe2o3", "formula.unexpected_character", 1)]
    [InlineData("Fe2O3,FeO", "formula.unexpected_character", 6)]
    [InlineData("Fe2e", "formula.unexpected_character", 4)]
    [InlineData("Fe+2", "formula.unexpected_character", 3)]
    [InlineData("Xe😀", "formula.unexpected_character", 3)]
    [InlineData("Fe\u0000", "formula.unexpected_character", 3)]
    [InlineData("Fe0O", "formula.invalid_amount", 3)]
    [InlineData("Fe0.000O", "formula.invalid_amount", 3)]
    [InlineData("Fe-2", "formula.invalid_amount", 3)]
    [InlineData("Fe1e999", "formula.invalid_amount", 3)]
    [InlineData("Fe1e-999", "formula.invalid_amount", 3)]
    [InlineData("(Fe)0", "formula.invalid_amount", 5)]
    [InlineData("CuSO4·0H2O", "formula.invalid_amount", 7)]
    [InlineData("(Fe1e200)1e200", "formula.invalid_amount", 2)]
    [InlineData("2H2O", "formula.misplaced_amount", 1)]
    [InlineData("Fe 2", "formula.misplaced_amount", 4)]
    [InlineData("Fe2 3", "formula.misplaced_amount", 5)]
    [InlineData("(2Fe)", "formula.misplaced_amount", 2)]
    [InlineData("CuSO4 5H2O", "formula.misplaced_amount", 7)]
    [InlineData("()", "formula.empty_group", 1)]
    [InlineData("Fe[]2", "formula.empty_group", 3)]
    [InlineData("CuSO4·", "formula.dangling_separator", 6)]
    [InlineData("Fe2O3.", "formula.dangling_separator", 6)]
    [InlineData("·H2O", "formula.dangling_separator", 1)]
    [InlineData("CuSO4··H2O", "formula.dangling_separator", 6)]
    [InlineData("(·H2O)", "formula.dangling_separator", 2)]
    [InlineData("Fe.5O", "formula.ambiguous_dot", 3)]
    [InlineData("CuCl2 .2NH3", "formula.ambiguous_dot", 7)]
    [InlineData("CaSO4.0.5H2O", "formula.ambiguous_dot", 8)]
    [InlineData("Fe1e3.5H2O", "formula.ambiguous_dot", 6)]
    public void Parse_Fails_WithCodeAndPosition(string formula, string code, int? position)
    {
        var problems = Composition.Parse(formula).Problems();
        var p = Assert.Single(problems);
        Assert.Equal(code, p.Code);
        Assert.Null(p.Row);
        Assert.Null(p.Column);
        if (position is int pos) Assert.Contains($"position {pos}", p.Message);
    }

    [Fact]
    public void Parse_UnknownElement_MessageNamesFormulaTokenAndPosition()
    {
        var p = Assert.Single(Composition.Parse("Fe2Xx3").Problems());
        Assert.StartsWith("'Fe2Xx3' has an unknown element 'Xx' at position 4", p.Message);
        Assert.Equal("column 'composition': " + p.Message + " [formula.unknown_element]", (p with { Column = "composition" }).ToString());
    }

    [Fact]
    public void Parse_Null_IsEmpty_NotAnException()
    {
        var p = Assert.Single(Composition.Parse(null!).Problems());
        Assert.Equal("formula.empty", p.Code);
    }

    [Fact]
    public void Parse_TooLong_IsAProblem_AndTheMessageStaysShort()
    {
        var p = Assert.Single(Composition.Parse(string.Concat(Enumerable.Repeat("Fe", 5001))).Problems());
        Assert.Equal("formula.too_long", p.Code);
        Assert.Contains("10002 characters", p.Message);
        Assert.True(p.Message.Length < 400);
    }

    [Fact]
    public void Parse_UnclosedDeepNesting_IsAProblem()
    {
        var p = Assert.Single(Composition.Parse(new string('(', 10_000)).Problems());
        Assert.Equal("formula.unbalanced_parenthesis", p.Code);
    }

    [Fact]
    public void Parse_Messages_SayHowToFix()
    {
        Assert.Contains("lowercase 'e'", Composition.Parse("Fe1E-3").Problems()[0].Message);
        Assert.Contains("uppercase letter", Composition.Parse("fe2o3").Problems()[0].Message);
        Assert.Contains("'·'", Composition.Parse("Fe.5O").Problems()[0].Message);
        Assert.Contains("positive", Composition.Parse("Fe0O").Problems()[0].Message);
    }

    // ---------------------------------------------------------------- Formula round trip

    [Theory]
    [InlineData("Fe2O3", "Fe2O3")]
    [InlineData("Ag(AuS)2", "AgAu2S2")]
    [InlineData("Ag0.5Ge1Pb1.75S4", "Ag0.5GePb1.75S4")]
    [InlineData("Nb0.0000616", "Nb6.16e-05")]
    [InlineData("Fe1e-200(O)1e-200", "Fe1e-200O1e-200")]
    [InlineData("CuSO4·5H2O", "CuSO9H10")]
    [InlineData("CaSO4·0.5H2O", "CaSO4.5H")]
    [InlineData("Fe0.5H2O", "Fe0.5H2O1")] // "Fe0.5H2O" is also a decimal, but 2.5 below would not be
    [InlineData("Fe2.5H2O1", "Fe2.5H2O1")]
    [InlineData("Fe1e300O1e300", "Fe1e+300O1e+300")]
    public void Formula_IsCanonical_AndParsesBackToAnEqualComposition(string formula, string canonical)
    {
        var c = P(formula);
        Assert.Equal(canonical, c.Formula);
        Assert.Equal(canonical, c.ToString());
        var again = P(c.Formula);
        Assert.Equal(c, again);
        Assert.Equal(c.AtomicNumbers, again.AtomicNumbers);
        Assert.Equal(c.Amounts, again.Amounts);
    }

    [Fact]
    public void Formula_OfADecimalBeforeWater_KeepsTheExplicitOne()
    {
        var c = Composition.FromAmounts([(26, 2.5), (1, 2), (8, 1)]).OrThrow();
        Assert.Equal("Fe2.5H2O1", c.Formula);
        Assert.Equal(c, P(c.Formula));
    }

    // ---------------------------------------------------------------- ReducedFormula

    [Fact]
    public void ReducedFormula_GroupsMultiplesAndElementOrders()
    {
        var expected = "Fe2O3";
        Assert.Equal(expected, P("Fe2O3").ReducedFormula);
        Assert.Equal(expected, P("O3Fe2").ReducedFormula);
        Assert.Equal(expected, P("Fe4O6").ReducedFormula);
        Assert.Equal(expected, P("O6 Fe4").ReducedFormula);
        Assert.NotEqual(P("Fe2O3"), P("Fe4O6"));
    }

    /// <summary>Pairs (formula, reduced_formula) copied from Matbench v0.1 matbench_phonons, columns written by
    /// pymatgen 2022.11.7 (Petretto et al., Sci. Data 5, 180065 (2018); MIT). All 1265 rows match.</summary>
    [Theory]
    [InlineData("Ba1 Te1", "BaTe")]
    [InlineData("B2 P2", "BP")]
    [InlineData("Y2 S2 F2", "YSF")]
    [InlineData("Mg2 Sn2 As4", "MgSnAs2")]
    [InlineData("Ca2 Si1", "Ca2Si")]
    [InlineData("Ca2 B4 C4", "Ca(BC)2")]
    [InlineData("K2 Sn1 As2 S6", "K2Sn(AsS3)2")]
    [InlineData("Sn1 Hg2 Se4", "Sn(HgSe2)2")]
    [InlineData("Ba1 Ti1 B2 O6", "BaTi(BO3)2")]
    [InlineData("Mg1 Sn1 B2 O6", "MgSn(BO3)2")]
    [InlineData("Ca2 Be4 N4", "Ca(BeN)2")]
    [InlineData("Ba1 Ga1 Si1 H1", "BaGaSiH")]
    [InlineData("Li4 P2 N2 O4", "Li2PNO2")]
    [InlineData("Ba2 Y2 Cu2 Te6", "BaYCuTe3")]
    [InlineData("Sr1 Ge1 Te1 O6", "SrGeTeO6")]
    [InlineData("Cs2 Y2 Hg2 Se6", "CsYHgSe3")]
    [InlineData("Ba2 La1 Ta1 O6", "Ba2LaTaO6")]
    [InlineData("Si2 Cu4 Se6", "Cu2SiSe3")]
    [InlineData("Nb1 Cu3 S4", "NbCu3S4")]
    [InlineData("Cs2 Pb1 Cl6", "Cs2PbCl6")]
    [InlineData("Ni2 P4", "NiP2")]
    [InlineData("Li2 Be2 P2", "LiBeP")]
    [InlineData("N4", "N2")]
    public void ReducedFormula_MatchesPymatgen_OnMatbenchPhonons(string formula, string pymatgenReduced) =>
        Assert.Equal(pymatgenReduced, P(formula).ReducedFormula);

    [Theory]
    [InlineData("O", "O2")]
    [InlineData("O6", "O2")]
    [InlineData("H2", "H2")]
    [InlineData("LiO", "Li2O2")]
    [InlineData("Na2O2", "Na2O2")]
    [InlineData("H2O2", "H2O2")]
    [InlineData("Fe0.5O", "Fe0.5O1")]
    [InlineData("OFe0.5", "Fe0.5O1")]
    [InlineData("Nb0.0000616", "Nb6.16e-05")]
    [InlineData("Fe1e-9O", "Fe1e-09O1")]
    [InlineData("He2Ne", "He2Ne")]
    [InlineData("NeHe2", "He2Ne")]
    [InlineData("ArNaCl", "NaClAr")]
    [InlineData("CuSO4·5H2O", "CuH10SO9")]
    [InlineData("LiFePO4", "LiFePO4")]
    [InlineData("Li4Fe4P4O16", "LiFePO4")]
    public void ReducedFormula_FollowsPymatgenRules(string formula, string reduced)
    {
        var c = P(formula);
        Assert.Equal(reduced, c.ReducedFormula);
        Assert.True(Composition.Parse(c.ReducedFormula).IsSuccess);
    }

    // ---------------------------------------------------------------- equality, FromAmounts, FractionOf

    [Fact]
    public void Equality_IgnoresOrder_AndIsExactOnAmounts()
    {
        var a = P("Fe2O3");
        var b = P("O3Fe2");
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, P("Fe2O3.0000000001"));
        Assert.NotEqual(a, P("Fe2O3N"));
        Assert.NotEqual(a, P("Fe2"));
        Assert.False(a.Equals(null));
        Assert.False(a.Equals((object)"Fe2O3"));
        Assert.True(a.Equals((object)b));
        Assert.Single(new HashSet<Composition> { a, b, P("FeO3Fe") });
    }

    [Fact]
    public void FromAmounts_MergesRepeatedElements_InOrderOfFirstAppearance()
    {
        var c = Composition.FromAmounts([(8, 1), (26, 2), (8, 2)]).OrThrow();
        Assert.Equal([8, 26], c.AtomicNumbers);
        Assert.Equal([3.0, 2.0], c.Amounts);
        Assert.Equal(P("Fe2O3"), c);
    }

    [Fact]
    public void FromAmounts_Fails_WithEveryProblem()
    {
        var problems = Composition.FromAmounts([(0, 1), (26, -1), (119, double.NaN), (8, double.PositiveInfinity)]).Problems();
        Assert.Equal(
            ["composition.invalid_atomic_number", "composition.invalid_amount", "composition.invalid_atomic_number",
             "composition.invalid_amount", "composition.invalid_amount"],
            problems.Select(p => p.Code));
        Assert.Equal("composition.empty", Assert.Single(Composition.FromAmounts([]).Problems()).Code);
        Assert.Equal("composition.invalid_amount",
            Assert.Single(Composition.FromAmounts([(26, double.MaxValue), (26, double.MaxValue)]).Problems()).Code);
    }

    [Fact]
    public void FractionOf_IsAmountOverTotal_ZeroWhenAbsent()
    {
        var c = P("Fe2O3");
        Assert.Equal(2, c.Count);
        Assert.Equal(5, c.TotalAmount);
        Assert.Equal(0.4, c.FractionOf(26), 15);
        Assert.Equal(0.6, c.FractionOf(8), 15);
        Assert.Equal(0, c.FractionOf(1));
        Assert.Equal(0, c.FractionOf(0));
        Assert.Equal(0, c.FractionOf(500));
    }

    [Fact]
    public void Amounts_CannotBeChangedThroughTheInterface()
    {
        var c = P("Fe2O3");
        Assert.False(c.Amounts is double[]);
        Assert.False(c.AtomicNumbers is int[]);
    }

    // ---------------------------------------------------------------- Elements

    [Fact]
    public void Elements_SymbolsAndAtomicNumbers_RoundTrip()
    {
        Assert.Equal(118, Elements.Count);
        Assert.Equal("H", Elements.Symbol(1));
        Assert.Equal("Fe", Elements.Symbol(26));
        Assert.Equal("Og", Elements.Symbol(118));
        for (var z = 1; z <= Elements.Count; z++)
        {
            Assert.True(Elements.TryGetAtomicNumber(Elements.Symbol(z), out var back));
            Assert.Equal(z, back);
        }
        Assert.Equal(118, Enumerable.Range(1, 118).Select(Elements.Symbol).Distinct().Count());
    }

    [Theory]
    [InlineData("fe")]
    [InlineData("FE")]
    [InlineData("")]
    [InlineData(" Fe")]
    [InlineData("Fex")]
    [InlineData("Xx")]
    [InlineData("J")]
    public void Elements_TryGetAtomicNumber_IsExactAndCaseSensitive(string symbol)
    {
        Assert.False(Elements.TryGetAtomicNumber(symbol, out var z));
        Assert.Equal(0, z);
    }

    [Fact]
    public void Elements_Symbol_ThrowsOutsideRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Elements.Symbol(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Elements.Symbol(119));
    }
}
