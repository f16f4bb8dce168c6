using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Split;
using Xunit;

namespace Pure.Materials.Tests.Split;

/// <summary>Reads the reference files of tools/reference/sklearn_selection.py (a '#' header line naming tool, version and command).</summary>
internal static class SelectionReference
{
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", "sklearn-1.2.1", file);
        var lines = File.ReadAllLines(path).Where(l => !l.StartsWith('#') && l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => (IReadOnlyDictionary<string, string>)header.Zip(l.Split(','), (h, c) => (h, c)).ToDictionary(p => p.h, p => p.c)).ToList();
    }

    public static int[] Ints(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    public static double[] Vec(string text) =>
        text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
}

/// <summary>Stratified, group, leave-one-out, repeated, shuffle and train/validation/test splits: scikit-learn parity (exact), problems, determinism.</summary>
public class SplitterTests
{
    private static readonly Rng Seeded = Rng.FromSeed(7);

    [Fact]
    public void StratifiedKFold_Unshuffled_EqualsScikitLearn()
    {
        var rows = SelectionReference.Read("stratified_kfold.csv");
        Assert.True(rows.Count > 40);
        foreach (var group in rows.GroupBy(r => (r["case"], r["k"])))
        {
            var labels = SelectionReference.Ints(group.First()["labels"]);
            var k = int.Parse(group.Key.Item2, CultureInfo.InvariantCulture);
            var folds = StratifiedKFold.Split(labels, k, false, Seeded).OrThrow();
            Assert.Equal(k, folds.Length);
            foreach (var r in group)
                Assert.Equal(SelectionReference.Ints(r["test"]), folds[int.Parse(r["fold"], CultureInfo.InvariantCulture)].Test);
        }
    }

    [Fact]
    public void GroupKFold_Unshuffled_EqualsScikitLearn_WhenGroupSizesAreDistinct()
    {
        var rows = SelectionReference.Read("group_kfold.csv");
        Assert.True(rows.Count > 10);
        foreach (var group in rows.GroupBy(r => (r["case"], r["k"])))
        {
            var groups = SelectionReference.Ints(group.First()["groups"]);
            var k = int.Parse(group.Key.Item2, CultureInfo.InvariantCulture);
            var folds = GroupKFold.Split(groups, k, false, Seeded).OrThrow();
            foreach (var r in group)
                Assert.Equal(SelectionReference.Ints(r["test"]), folds[int.Parse(r["fold"], CultureInfo.InvariantCulture)].Test);
        }
    }

    [Fact]
    public void StratifiedKFold_Fails_WhenKExceedsAClassCount_NamingTheClass()
    {
        var problems = StratifiedKFold.Split([0, 0, 0, 0, 0, 1, 1], 3, true, Seeded).Problems();
        var p = Assert.Single(problems);
        Assert.Equal("split.class_too_small", p.Code);
        Assert.Contains("class 1 has 2 row(s)", p.Message);
    }

    [Fact]
    public void StratifiedKFold_Fails_OnASingleClass_AndWhenKExceedsRows()
    {
        Assert.Equal("split.too_few_classes", Assert.Single(StratifiedKFold.Split([1, 1, 1, 1], 2, false, Seeded).Problems()).Code);
        Assert.Equal("param.out_of_range", Assert.Single(StratifiedKFold.Split([0, 1, 0], 4, false, Seeded).Problems()).Code);
    }

    [Fact]
    public void GroupKFold_Fails_WhenKExceedsTheNumberOfGroups()
    {
        var p = Assert.Single(GroupKFold.Split([0, 0, 1, 1, 1], 3, false, Seeded).Problems());
        Assert.Equal("split.too_few_groups", p.Code);
        Assert.Contains("2 group(s)", p.Message);
    }

    [Fact]
    public void Groups_ByReducedFormula_PutsFormulaMultiplesTogether()
    {
        var table = new CsvTable("t", ["f", "y"], [["Fe2O3", "1"], ["NaCl", "2"], ["Fe4O6", "3"], ["Na2Cl2", "4"], ["MgO", "5"]]);
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "f", TargetColumn = "y" }, table).OrThrow();
        Assert.Equal([0, 1, 0, 1, 2], Groups.ByReducedFormula(ds).OrThrow());
        Assert.Equal([0, 1, 2, 3, 4], Groups.ByColumn(table, "y").OrThrow());
    }

    [Fact]
    public void Groups_ByColumn_Fails_WhenTheColumnIsMissing()
    {
        var table = new CsvTable("t", ["f", "y"], [["Fe2O3", "1"]]);
        Assert.Equal("csv.missing_column", Assert.Single(Groups.ByColumn(table, "spacegroup").Problems()).Code);
        var ds = Dataset.FromTable(new DatasetSpec { TargetColumn = "y" }, table).OrThrow();
        Assert.Equal("param.missing", Assert.Single(Groups.ByReducedFormula(ds).Problems()).Code);
    }

    [Fact]
    public void LeaveOneOut_TestsEachRowOnce()
    {
        var splits = LeaveOneOut.Split(4).OrThrow();
        Assert.Equal(4, splits.Length);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal([i], splits[i].Test);
            Assert.Equal(Enumerable.Range(0, 4).Where(j => j != i), splits[i].Train);
        }
        Assert.Equal("param.out_of_range", Assert.Single(LeaveOneOut.Split(1).Problems()).Code);
    }

    [Fact]
    public void RepeatedKFold_GivesRTimesKSplits_WithDifferentShufflesPerRepeat()
    {
        var splits = RepeatedKFold.Split(30, 3, 4, Seeded).OrThrow();
        Assert.Equal(12, splits.Length);
        Assert.NotEqual(splits[0], splits[3]);
        Assert.Equal(splits, RepeatedKFold.Split(30, 3, 4, Seeded).OrThrow());
        Assert.Equal("param.out_of_range", Assert.Single(RepeatedKFold.Split(30, 3, 0, Seeded).Problems()).Code);
        Assert.Equal("param.out_of_range", Assert.Single(RepeatedKFold.Split(2, 3, 2, Seeded).Problems()).Code);
    }

    [Fact]
    public void ShuffleSplit_DrawsIndependentSplitsOfScikitLearnSize()
    {
        var splits = ShuffleSplit.Split(50, 5, 0.2, Seeded).OrThrow();
        Assert.Equal(5, splits.Length);
        Assert.All(splits, s => Assert.Equal(10, s.Test.Length));
        Assert.True(splits.Distinct().Count() == 5);
        Assert.Equal("split.empty_side", Assert.Single(ShuffleSplit.Split(1, 5, 0.5, Seeded).Problems()).Code);
    }

    [Fact]
    public void TrainValidationTest_70_15_15_PartitionsTheRows()
    {
        var s = TrainValidationTestSplit.Split(100, 0.15, 0.15, Seeded).OrThrow();
        Assert.Equal((70, 15, 15), (s.Train.Length, s.Validation.Length, s.Test.Length));
        Assert.Equal(Enumerable.Range(0, 100), s.Train.Concat(s.Validation).Concat(s.Test).Order());
        Assert.Equal(s, TrainValidationTestSplit.Split(100, 0.15, 0.15, Seeded).OrThrow());
        Assert.Equal(85, s.DevelopmentVersusTest.Train.Length);
        Assert.Equal("param.out_of_range", Assert.Single(TrainValidationTestSplit.Split(100, 0.5, 0.5, Seeded).Problems()).Code);
        Assert.Equal("split.empty_side", Assert.Single(TrainValidationTestSplit.Split(2, 0.3, 0.3, Seeded).Problems()).Code);
    }
}
