using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Structures;
using Xunit;

namespace Pure.Materials.Tests.Structures;

/// <summary><see cref="StructureJson.ReadMatbench"/> keeps every column of a Matbench file by name (numbers in round-trip form, booleans as
/// pandas prints them, text as given, null as null), and <see cref="StructureEntry.Target"/> stays the number it always was.</summary>
public class StructureJsonColumnsTests
{
    private const string Lattice = "[[4,0,0],[0,4,0],[0,0,4]]";

    private static string Pymatgen => StructureJson.WritePymatgen(StructureJson.ReadMatbench(
        $$"""{"records": [{"mbid": "m", "lattice": {{Lattice}}, "species": ["Na", "Cl"], "frac_coords": [[0,0,0],[0.5,0.5,0.5]]}]}""").OrThrow()[0].Structure);

    [Fact]
    public void SplitLayout_KeepsEveryColumnByName_AndTheFirstNumericColumnIsTheTarget()
    {
        var text = $$"""
            {"index": ["a", "b"], "columns": ["is_metal", "structure", "gap", "crystal", "note", "fold"],
             "data": [[true, {{Pymatgen}}, 0.1, "cubic", null, 0], [false, {{Pymatgen}}, 2.25e-3, "hexagonal", "x", 1]]}
            """;
        var entries = StructureJson.ReadMatbench(text, "t.json").OrThrow();
        Assert.Equal(["a", "b"], entries.Select(e => e.Id));
        Assert.Equal(["is_metal", "gap", "crystal", "note", "fold"], entries[0].Columns.Keys);
        Assert.Equal(["True", "0.1", "cubic", null, "0"], entries[0].Columns.Values);
        Assert.Equal(["False", "0.00225", "hexagonal", "x", "1"], entries[1].Columns.Values);
        Assert.Equal([0.1, 2.25e-3], entries.Select(e => e.Target!.Value));
        Assert.All(entries, e => Assert.Equal("gap", e.TargetColumn));
    }

    [Fact]
    public void ABooleanOnlyFile_HasColumnsButNoNumericTarget()
    {
        var text = $$"""{"index": ["a"], "columns": ["structure", "is_metal"], "data": [[{{Pymatgen}}, true]]}""";
        var e = StructureJson.ReadMatbench(text).OrThrow().Single();
        Assert.Equal("True", e.Columns["is_metal"]);
        Assert.Null(e.Target);
        Assert.Null(e.TargetColumn);
    }

    [Fact]
    public void CompactLayout_KeepsABooleanOrTextTarget_AndEveryOtherField()
    {
        var text = $$"""
            {"records": [{"mbid": "m1", "target": true, "phase": "rocksalt", "lattice": {{Lattice}}, "species": ["Na", "Cl"], "frac_coords": [[0,0,0],[0.5,0.5,0.5]]},
                         {"mbid": "m2", "target": false, "lattice": {{Lattice}}, "species": ["Na", "Cl"], "frac_coords": [[0,0,0],[0.5,0.5,0.5]], "e": 1.5}]}
            """;
        var entries = StructureJson.ReadMatbench(text).OrThrow();
        Assert.Equal(["target", "phase", "e"], entries[0].Columns.Keys);
        Assert.Equal(["True", "rocksalt", null], entries[0].Columns.Values);
        Assert.Equal(["False", null, "1.5"], entries[1].Columns.Values);
        Assert.All(entries, e => Assert.Null(e.Target));
        Assert.All(entries, e => Assert.Equal("target", e.TargetColumn));
    }

    [Fact]
    public void ADuplicateColumnName_IsAProblem()
    {
        var text = $$"""{"columns": ["structure", "y", "y"], "data": [[{{Pymatgen}}, 1, 2]]}""";
        var p = StructureJson.ReadMatbench(text, "dup.json").Problems().Single();
        Assert.Equal("json.duplicate_column", p.Code);
        Assert.Contains("'y' appears 2 times", p.Message);
    }

    [Fact]
    public void Entries_AreEqual_OnlyWithTheSameColumns()
    {
        var text = $$"""{"index": ["a"], "columns": ["structure", "y"], "data": [[{{Pymatgen}}, 1]]}""";
        var e = StructureJson.ReadMatbench(text).OrThrow().Single();
        Assert.Equal(e, StructureJson.ReadMatbench(text).OrThrow().Single());
        Assert.NotEqual(e, e with { Columns = new OrderedDictionary<string, string?> { ["y"] = "2" } });
    }

    /// <summary>matbench_phonons reads the same targets as before every column was kept: the table's <c>last phdos peak</c> (which
    /// equals the JSON records) and the official fold, as named columns.</summary>
    [Fact]
    public void BundledPhonons_CarryLastPhdosPeakAndFold_WithTheTargetsUnchanged()
    {
        var entries = BundledStructures.MatbenchPhonons().OrThrow();
        var table = BundledStructures.MatbenchPhononsTable().OrThrow();
        var peak = table.ColumnIndex("last phdos peak").OrThrow();
        var fold = table.ColumnIndex("fold").OrThrow();
        Assert.Equal(1265, entries.Length);
        Assert.Equal(98.58577122703691, entries[0].Target);
        for (var i = 0; i < entries.Length; i++)
        {
            var e = entries[i];
            Assert.Equal(["last phdos peak", "fold"], e.Columns.Keys);
            Assert.Equal("last phdos peak", e.TargetColumn);
            Assert.Equal(double.Parse(table.Rows[i][peak], CultureInfo.InvariantCulture), e.Target!.Value);
            Assert.Equal(e.Target!.Value.ToString("R", CultureInfo.InvariantCulture), e.Columns["last phdos peak"]);
            Assert.Equal(table.Rows[i][fold], e.Columns["fold"]);
        }
    }
}
