using Pure.Materials.Core;
using Pure.Materials.Data;
using Xunit;

namespace Pure.Materials.Tests.Data;

public class TargetKindTests
{
    private static CsvTable Table(string text) => Csv.Read(new StringReader(text), "test.csv").OrThrow();

    [Theory]
    [InlineData("True|False|true|no", TargetKind.Boolean)]
    [InlineData("cubic|tetragonal| cubic |", TargetKind.Label)]
    [InlineData("metal|NA|insulator", TargetKind.Label)]
    [InlineData("1.5|2|0", TargetKind.Numeric)]
    [InlineData("1|2|3|230", TargetKind.Numeric)]
    [InlineData("1.5|abc|2.0", TargetKind.Numeric)]
    [InlineData("|NA|", TargetKind.Numeric)]
    [InlineData("True|False|maybe", TargetKind.Numeric)] // mostly booleans: a typo, not three classes
    [InlineData("2,1|3,5|1,0", TargetKind.Numeric)] // decimal commas
    [InlineData("2.1 eV|3 eV|0.5eV", TargetKind.Numeric)] // a unit in every cell
    [InlineData("2H|4H|6H|3C", TargetKind.Label)] // polytypes are labels
    public void DetectTargetKind_ReadsTheColumnAsAMaterialsScientistWould(string cells, TargetKind expected) =>
        Assert.Equal(expected, Dataset.DetectTargetKind(cells.Split('|')));

    [Fact]
    public void FromTable_TextLabels_BecomeOrdinalClassIndices_WithNamesKept()
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "system", ClassLabels = true },
            Table("composition,system\nFe,cubic\nTiO2,tetragonal\nNaCl,cubic\nZnO,Hexagonal\n")).OrThrow();
        Assert.Equal(TargetKind.Label, ds.TargetKind);
        Assert.Equal(["Hexagonal", "cubic", "tetragonal"], ds.ClassNames); // ordinal: upper case sorts first, as numpy.unique
        Assert.Equal([1.0, 2.0, 1.0, 0.0], ds.Target);
    }

    [Fact]
    public void FromTable_TextLabels_WithoutClassLabels_AreNonNumericTargetProblemsPerRow()
    {
        var problems = Dataset.FromTable(new DatasetSpec { TargetColumn = "system" }, Table("system\ncubic\ntetragonal\n")).Problems();
        Assert.Equal([1, 2], problems.Select(p => p.Row!.Value));
        Assert.All(problems, p => Assert.Equal(("data.non_numeric_target", "system"), (p.Code, p.Column!)));
    }

    [Fact]
    public void FromTable_TextLabels_MissingLabelIsAProblemNamingTheRow()
    {
        var p = Assert.Single(Dataset.FromTable(new DatasetSpec { TargetColumn = "system", ClassLabels = true },
            Table("system,x\ncubic,1\n,2\ntetragonal,3\n")).Problems());
        Assert.Equal(("data.missing_target", 2, "system"), (p.Code, p.Row!.Value, p.Column!));
    }

    [Fact]
    public void FromTable_WholeNumbers_StayNumeric_EvenWithClassLabels()
    {
        var ds = Dataset.FromTable(new DatasetSpec { TargetColumn = "n", ClassLabels = true }, Table("n\n1\n2\n3\n")).OrThrow();
        Assert.Equal(TargetKind.Numeric, ds.TargetKind);
        Assert.Null(ds.ClassNames);
        Assert.Equal([1.0, 2.0, 3.0], ds.Target);
    }
}
