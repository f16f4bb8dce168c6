using Pure.Materials.Core;
using Pure.Materials.Data;
using Xunit;

namespace Pure.Materials.Tests.Data;

/// <summary>Glob patterns for feature columns (<c>*</c>, <c>?</c>), expanded against a table's header.</summary>
public class ColumnPatternsTests
{
    [Theory]
    [InlineData("MagpieData*", "MagpieData mean Number", true)]
    [InlineData("MagpieData*", "PymatgenData mean X", false)]
    [InlineData("*Number", "MagpieData mean Number", true)]
    [InlineData("*mean*", "MagpieData mean Number", true)]
    [InlineData("x?", "x1", true)]
    [InlineData("x?", "x12", false)]
    [InlineData("x?", "x", false)]
    [InlineData("*", "", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYbZ", false)]
    [InlineData("magpie*", "MagpieData mean Number", false)] // case-sensitive, as column names
    public void Matches_IsAWholeNameGlob(string pattern, string column, bool expected) =>
        Assert.Equal(expected, ColumnPatterns.Matches(pattern, column));

    [Fact]
    public void Expand_KeepsTheGivenOrder_PatternColumnsInHeaderOrder_AndEachColumnOnce()
    {
        var header = new[] { "id", "x2", "y", "x1", "z", "gap" };
        var names = ColumnPatterns.Expand(["z", "x*", "x1", "*"], header, "t.csv", ["id", "gap"]).OrThrow().ToArray();
        Assert.Equal(["z", "x2", "x1", "y"], names);
    }

    [Fact]
    public void Expand_APatternMatchingNothing_IsAProblemNamingThePatternAndListingColumns()
    {
        var header = Enumerable.Range(0, 20).Select(i => $"c{i}").ToArray();
        var problem = Assert.Single(ColumnPatterns.Expand(["Magpie*", "c1"], header, "t.csv").Problems());
        Assert.Equal("csv.no_matching_column", problem.Code);
        Assert.Equal("Magpie*", problem.Column);
        Assert.Contains("'Magpie*' matches no column of t.csv", problem.Message);
        Assert.Contains("'c0', 'c1'", problem.Message);
        Assert.Contains("(20 columns)", problem.Message);
    }

    [Fact]
    public void Dataset_FeatureColumnPatterns_NeverTakeTheTargetIdOrFold()
    {
        var table = Csv.Read(new StringReader("id,f_a,f_b,f_gap,fold\n1,1,2,3,0\n2,4,5,6,1\n"), "t.csv").OrThrow();
        var ds = Dataset.FromTable(new DatasetSpec { TargetColumn = "f_gap", FoldColumn = "fold", FeatureColumns = ["f_*", "*"] }, table).OrThrow();
        Assert.Equal(["f_a", "f_b"], ds.ColumnFeatureNames);
        Assert.Equal(5.0, ds.ColumnFeatures[1, 1]);
    }
}
