using Pure.Materials.Core;
using Pure.Materials.Data;
using Xunit;

namespace Pure.Materials.Tests.Data;

public class DatasetTests
{
    private static CsvTable Table(string text) => Csv.Read(new StringReader(text), "test.csv").OrThrow();

    [Fact]
    public void Read_Fails_OnEmptyFile() =>
        Assert.Equal("csv.empty", Assert.Single(Csv.Read(new StringReader(""), "empty.csv").Problems()).Code);

    [Fact]
    public void Read_Fails_OnHeaderOnly() =>
        Assert.Equal("csv.no_rows", Assert.Single(Csv.Read(new StringReader("a,b\n"), "h.csv").Problems()).Code);

    [Fact]
    public void Read_ReportsEveryRaggedRow_WithRowNumbers()
    {
        var problems = Csv.Read(new StringReader("a,b\n1,2\n3\n4,5\n6,7,8\n"), "r.csv").Problems();
        Assert.Equal([2, 4], problems.Select(p => p.Row!.Value));
        Assert.All(problems, p => Assert.Equal("csv.bad_row", p.Code));
    }

    [Fact]
    public void Read_Fails_OnUnclosedQuote() =>
        Assert.Equal("csv.malformed", Assert.Single(Csv.Read(new StringReader("a,b\n1,\"x\n"), "q.csv").Problems()).Code);

    [Fact]
    public void FromTable_Fails_OnMissingColumn_ListingTheColumns()
    {
        var p = Assert.Single(Dataset.FromTable(new DatasetSpec { FormulaColumn = "formula", TargetColumn = "gap" }, Table("composition,gap\nFe2O3,2.1\n")).Problems());
        Assert.Equal("csv.missing_column", p.Code);
        Assert.Equal("formula", p.Column);
        Assert.Contains("'composition'", p.Message);
    }

    [Fact]
    public void FromTable_ReportsEveryBadRow_WithRowAndColumn()
    {
        var table = Table("id,composition,gap\na,Fe2O3,2.1\nb,Fe2Xx3,1.0\nc,NaCl,abc\nd,,0.5\ne,MgO,\n");
        var problems = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap" }, table).Problems();
        Assert.Contains(problems, p => p.Code == "formula.unknown_element" && p.Row == 2 && p.Column == "composition");
        Assert.Contains(problems, p => p.Code == "data.non_numeric_target" && p.Row == 3 && p.Column == "gap");
        Assert.Contains(problems, p => p.Code == "formula.empty" && p.Row == 4);
        Assert.Contains(problems, p => p.Code == "data.missing_target" && p.Row == 5);
        Assert.Equal(4, problems.Length);
    }

    [Fact]
    public void FromTable_ReadsBooleanTargets_AndFolds()
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "is_metal", FoldColumn = "fold" },
            Table("mbid,composition,is_metal,fold\nm1,Fe,True,0\nm2,NaCl,False,1\n")).OrThrow();
        Assert.Equal(TargetKind.Boolean, ds.TargetKind);
        Assert.Equal([1.0, 0.0], ds.Target);
        Assert.Equal([0, 1], ds.Folds);
        Assert.Equal(["m1", "m2"], ds.Ids);
    }

    [Fact]
    public void FromTable_FeatureColumns_EmptyCellIsMissing_TextIsAProblem()
    {
        var ok = Dataset.FromTable(new DatasetSpec { TargetColumn = "y", FeatureColumns = ["a", "b"] }, Table("a,b,y\n1,,3\n2,5,6\n")).OrThrow();
        Assert.True(double.IsNaN(ok.ColumnFeatures[0, 1]));
        var p = Assert.Single(Dataset.FromTable(new DatasetSpec { TargetColumn = "y", FeatureColumns = ["a"] }, Table("a,y\nx1,3\n")).Problems());
        Assert.Equal(("data.non_numeric_feature", 1, "a"), (p.Code, p.Row!.Value, p.Column!));
    }

    [Fact]
    public void BundledExptGap_Loads_AllRows_WithOfficialFolds()
    {
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt", FoldColumn = "fold" },
            BundledData.Open("matbench_expt_gap").OrThrow()).OrThrow();
        Assert.Equal(4604, ds.Count);
        Assert.Equal(5, ds.Folds!.Distinct().Count());
        Assert.Equal("mb-expt-gap-0001", ds.Ids[0]);
    }

    [Fact]
    public void OpenPathOrName_Fails_OnMissingFile() =>
        Assert.Equal("io.not_found", Assert.Single(BundledData.OpenPathOrName("/nonexistent/x.csv").Problems()).Code);
}
