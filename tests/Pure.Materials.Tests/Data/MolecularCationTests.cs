using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Tests.Cli;
using Xunit;

namespace Pure.Materials.Tests.Data;

/// <summary>Molecular cations (MA = CH3NH3, FA = CH(NH2)2) in formulas: read as their elements when asked, a clear problem otherwise,
/// and no formula that was valid before changes meaning.</summary>
public class MolecularCationTests
{
    private static Dictionary<string, double> Amounts(Composition c) =>
        Enumerable.Range(0, c.Count).ToDictionary(i => Elements.Symbol(c.AtomicNumbers[i]), i => c.Amounts[i]);

    [Fact]
    public void MAPbI3_IsCarbonSixHydrogensNitrogenLeadAndThreeIodines()
    {
        var c = Composition.Parse("MAPbI3", MolecularCations.Standard).OrThrow();
        Assert.Equal(new Dictionary<string, double> { ["C"] = 1, ["H"] = 6, ["N"] = 1, ["Pb"] = 1, ["I"] = 3 }, Amounts(c));
        Assert.Equal(Composition.Parse("CH3NH3PbI3").OrThrow(), c);
    }

    [Fact]
    public void FA_IsCH5N2_TimesItsAmount_BesideCaesium()
    {
        // FA0.5Cs0.5PbBr3: C 0.5, H 2.5, N 1 from half a formamidinium.
        var c = Composition.Parse("FA0.5Cs0.5PbBr3", MolecularCations.Standard).OrThrow();
        Assert.Equal(new Dictionary<string, double> { ["C"] = 0.5, ["H"] = 2.5, ["N"] = 1, ["Cs"] = 0.5, ["Pb"] = 1, ["Br"] = 3 }, Amounts(c));
    }

    [Fact]
    public void TutorialFormula_MA1Ca_ReadsCalciumNotCarbon()
    {
        var c = Composition.Parse("MA1Ca0.12Sn0.75Pb0.12I3", MolecularCations.Standard).OrThrow();
        Assert.Equal(new Dictionary<string, double> { ["C"] = 1, ["H"] = 6, ["N"] = 1, ["Ca"] = 0.12, ["Sn"] = 0.75, ["Pb"] = 0.12, ["I"] = 3 }, Amounts(c));
    }

    [Theory]
    [InlineData("FAs", "F,As")]        // fluorine + arsenic: 'FA' followed by a lowercase letter is not the cation
    [InlineData("FAl3", "F,Al")]
    [InlineData("CaF2", "Ca,F")]
    [InlineData("(MA)2PbI4", "C,H,N,Pb,I")]
    [InlineData("MA0.5FA0.5PbI3", "C,H,N,Pb,I")]
    public void CationSymbols_CountOnlyAsCapitalsNotFollowedByALowercaseLetter(string formula, string elements)
    {
        var c = Composition.Parse(formula, MolecularCations.Standard).OrThrow();
        Assert.Equal(elements.Split(','), c.AtomicNumbers.Select(Elements.Symbol));
    }

    [Theory]
    [InlineData("Fa2O3", "Fa")]
    [InlineData("MaPbI3", "Ma")]
    [InlineData("XAPbI3", "X")]
    [InlineData("MAFAPbI3x", null)]
    public void UnknownSymbols_StayProblems_WithCations(string formula, string? symbol)
    {
        var problems = Composition.Parse(formula, MolecularCations.Standard).Problems();
        Assert.Single(problems);
        if (symbol is not null)
        {
            Assert.Equal("formula.unknown_element", problems[0].Code);
            Assert.Contains($"'{symbol}'", problems[0].Message);
        }
        else Assert.Equal("formula.unexpected_character", problems[0].Code);
    }

    [Theory]
    [InlineData("MAPbI3", "'M' at position 1")]
    [InlineData("FAPbI3", "'A' at position 2")]
    [InlineData("Cs0.5FA0.5PbI3", "'A' at position 7")]
    public void WithoutCations_MAAndFA_AreUnknownElements_AndTheMessageSaysHowToReadThem(string formula, string where)
    {
        var p = Assert.Single(Composition.Parse(formula).Problems());
        Assert.Equal("formula.unknown_element", p.Code);
        Assert.Contains(where, p.Message);
        Assert.Contains("DatasetSpec.MolecularCations = MolecularCations.Standard", p.Message);
        // No hint where no MA/FA pair is written.
        Assert.DoesNotContain("molecular", Assert.Single(Composition.Parse("XePbI3x").Problems()).Message);
        Assert.DoesNotContain("molecular", Assert.Single(Composition.Parse("QPbI3").Problems()).Message);
    }

    /// <summary>Parity cannot move: every matbench_expt_gap formula parses to the same composition with the cations as without.</summary>
    [Fact]
    public void EveryExptGapFormula_ParsesIdentically_WithCations()
    {
        var table = BundledData.Open("matbench_expt_gap").OrThrow();
        var col = table.ColumnIndex("composition").OrThrow();
        foreach (var row in table.Rows)
        {
            var plain = Composition.Parse(row[col]).OrThrow();
            var with = Composition.Parse(row[col], MolecularCations.Standard).OrThrow();
            Assert.Equal(plain.AtomicNumbers, with.AtomicNumbers);
            Assert.Equal(plain.Amounts, with.Amounts);
        }
    }

    /// <summary>Strings that were valid formulas keep their meaning; strings that failed either still fail or now hold a cation.</summary>
    [Fact]
    public void RandomStrings_NeverThrow_AndValidFormulasKeepTheirMeaning()
    {
        const string alphabet = "MAFCaslNPbI(0123.)e Hx";
        var random = new Random(16);
        for (var t = 0; t < 20000; t++)
        {
            var chars = new char[random.Next(1, 12)];
            for (var k = 0; k < chars.Length; k++) chars[k] = alphabet[random.Next(alphabet.Length)];
            var s = new string(chars);
            var plain = Composition.Parse(s);
            var with = Composition.Parse(s, MolecularCations.Standard);
            if (plain.IsSuccess) Assert.Equal(plain.OrThrow(), with.OrThrow());
            else if (with.IsSuccess) Assert.True(s.Contains("MA") || s.Contains("FA"), s);
        }
    }

    [Fact]
    public void Magpie_OfMAPbI3_EqualsMagpie_OfItsElementsWrittenOut()
    {
        var magpie = ElementProperty.Magpie;
        var a = magpie.Featurize(Composition.Parse("MAPbI3", MolecularCations.Standard).OrThrow());
        var b = magpie.Featurize(Composition.Parse("CH6NPbI3").OrThrow());
        Assert.Equal(b, a);
    }

    [Theory]
    [InlineData("CN", "spells one-letter elements")]
    [InlineData("Ma", "two or more capital letters")]
    [InlineData("ZZ", "not known")]
    [InlineData("MA,MA", "given twice")]
    [InlineData("GA=C(NH2", "never closed")]
    public void Parse_RefusesBadDefinitions(string definitions, string message)
    {
        var problems = MolecularCations.Parse(definitions.Split(',')).Problems();
        Assert.Contains(problems, p => p.Message.Contains(message));
    }

    [Fact]
    public void UserGivenCation_Guanidinium_IsReadAsItsFormula()
    {
        var cations = MolecularCations.Parse(["MA", "GA=C(NH2)3"]).OrThrow();
        Assert.Equal(["GA=C(NH2)3", "MA=CH3NH3"], cations.Definitions);
        var c = Composition.Parse("GA0.1MA0.9PbI3", cations).OrThrow();
        Assert.Equal(new Dictionary<string, double> { ["C"] = 1, ["H"] = 0.6 + 5.4, ["N"] = 0.3 + 0.9, ["Pb"] = 1, ["I"] = 3 },
            Amounts(c).ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 12)));
        Assert.Equal(cations, MolecularCations.Parse(cations.Definitions).OrThrow());
    }

    [Fact]
    public void Cli_PerovskiteFormulas_FeaturizeWithTheFlag_AndOtherwiseNameIt()
    {
        var dir = CliRun.TempDir("cations");
        var outPath = Path.Combine(dir, "f.csv");
        var (exit, _, err) = CliRun.Run("featurize", "--data", "perovskite_dft", "--formula-column", "Formula", "--featurizers", "stoichiometry", "--out", outPath);
        Assert.Equal(1, exit);
        Assert.Contains("row 1, column 'Formula'", err);
        Assert.Contains("--molecular-cations MA,FA", err);
        (exit, var output, err) = CliRun.Run("featurize", "--data", "perovskite_dft", "--formula-column", "Formula", "--featurizers", "stoichiometry",
            "--molecular-cations", "MA,FA", "--out", outPath);
        Assert.True(exit == 0, err);
        Assert.Contains("featurized 512 rows x 6 features", output);
    }

    [Fact]
    public void Cli_FitWithCations_SavesThem_AndPredictReadsTheFormulasTheSameWay()
    {
        var dir = CliRun.TempDir("cations-fit");
        var model = Path.Combine(dir, "m.pmm");
        var (exit, _, err) = CliRun.Run("fit", "--data", "perovskite_dft", "--target", "Decomposition Energy", "--formula-column", "Formula",
            "--molecular-cations", "MA,FA", "--set", "n_estimators=5", "--out", model);
        Assert.True(exit == 0, err);
        var loaded = Pure.Materials.Pipelines.ModelFile.Load(model).OrThrow();
        Assert.Equal(MolecularCations.Standard, loaded.Pipeline.Input.MolecularCations);
        var preds = Path.Combine(dir, "p.csv");
        (exit, var output, err) = CliRun.Run("predict", "--model", model, "--data", "perovskite_dft", "--out", preds);
        Assert.True(exit == 0, err);
        Assert.Contains("MAE ", output);
        Assert.Equal(513, File.ReadAllLines(preds).Length);
    }
}
