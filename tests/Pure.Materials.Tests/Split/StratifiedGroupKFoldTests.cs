using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Linear;
using Pure.Materials.Split;
using Pure.Materials.Tests.Cli;
using Xunit;

namespace Pure.Materials.Tests.Split;

/// <summary>Stratified group k-fold (scikit-learn parity unshuffled; properties shuffled), split schemes and group-aware model selection.</summary>
public class StratifiedGroupKFoldTests
{
    private static readonly Rng Seeded = Rng.FromSeed(11);

    /// <summary>120 rows in 30 groups of 4; the class rate depends on the group.</summary>
    private static (int[] Labels, int[] Groups) Data(int seed = 5)
    {
        var cursor = new RngCursor(Rng.FromSeed(seed));
        var groups = Enumerable.Range(0, 120).Select(i => i / 4).ToArray();
        var rate = Enumerable.Range(0, 30).Select(_ => cursor.NextDouble()).ToArray();
        var labels = groups.Select(g => cursor.NextDouble() < rate[g] ? 1 : 0).ToArray();
        var order = Enumerable.Range(0, 120).ToArray();
        cursor.Shuffle(order.AsSpan());
        return (order.Select(i => labels[i]).ToArray(), order.Select(i => groups[i]).ToArray());
    }

    [Fact]
    public void Unshuffled_EqualsScikitLearn()
    {
        var rows = SelectionReference.Read("stratified_group_kfold.csv");
        Assert.True(rows.Count >= 20);
        foreach (var group in rows.GroupBy(r => (r["case"], r["k"])))
        {
            var labels = SelectionReference.Ints(group.First()["labels"]);
            var groups = SelectionReference.Ints(group.First()["groups"]);
            var k = int.Parse(group.Key.Item2, CultureInfo.InvariantCulture);
            var folds = StratifiedGroupKFold.Split(labels, groups, k, false, Seeded).OrThrow();
            Assert.Equal(k, folds.Length);
            foreach (var r in group)
                Assert.Equal(SelectionReference.Ints(r["test"]), folds[int.Parse(r["fold"], CultureInfo.InvariantCulture)].Test);
        }
    }

    [Fact]
    public void Shuffled_Partitions_KeepsGroupsWhole_AndKeepsClassRatios()
    {
        var (labels, groups) = Data();
        var overall = labels.Average();
        foreach (var seed in new long[] { 1, 2, 3, 4, 5 })
        foreach (var k in new[] { 2, 3, 5 })
        {
            var folds = StratifiedGroupKFold.Split(labels, groups, k, true, Rng.FromSeed(seed)).OrThrow();
            Assert.Equal(Enumerable.Range(0, 120), folds.SelectMany(f => f.Test).Order());
            foreach (var f in folds)
            {
                Assert.Equal(Enumerable.Range(0, 120), f.Train.Concat(f.Test).Order());
                Assert.Empty(f.Train.Select(i => groups[i]).Intersect(f.Test.Select(i => groups[i])));
                // Groups of 4 rows: each fold's positive share stays close to the whole set's.
                Assert.InRange(f.Test.Average(i => labels[i]), overall - 0.12, overall + 0.12);
            }
        }
    }

    [Fact]
    public void Shuffled_SameSeedSameSplit_DifferentSeedDifferentSplit()
    {
        var (labels, groups) = Data();
        var a = StratifiedGroupKFold.Split(labels, groups, 4, true, Rng.FromSeed(1)).OrThrow();
        var b = StratifiedGroupKFold.Split(labels, groups, 4, true, Rng.FromSeed(1)).OrThrow();
        var c = StratifiedGroupKFold.Split(labels, groups, 4, true, Rng.FromSeed(2)).OrThrow();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Fails_WithClearProblems()
    {
        var few = StratifiedGroupKFold.Split([0, 0, 1, 1], [0, 0, 1, 1], 3, false, Seeded).Problems();
        Assert.Contains(few, p => p.Code == "split.too_few_groups" && p.Message.Contains("2 group(s)"));
        var rare = StratifiedGroupKFold.Split([0, 0, 0, 0, 0, 1], [0, 1, 2, 3, 4, 5], 3, false, Seeded).Problems();
        Assert.Contains(rare, p => p.Code == "split.class_too_small" && p.Message.Contains("class 1 has 1 row(s)"));
        Assert.Equal("shape.rows_mismatch", Assert.Single(StratifiedGroupKFold.Split([0, 1], [0], 2, false, Seeded).Problems()).Code);
        Assert.Equal("split.too_few_classes", Assert.Single(StratifiedGroupKFold.Split([1, 1, 1], [0, 1, 2], 2, false, Seeded).Problems()).Code);
        Assert.Equal("param.out_of_range", Assert.Single(StratifiedGroupKFold.Split([0, 1], [0, 1], 1, false, Seeded).Problems()).Code);
    }

    [Fact]
    public void GroupedScheme_HoldOutAndInnerFolds_NeverSplitAGroup()
    {
        var (_, groups) = Data();
        var scheme = new SplitScheme.Grouped(3, groups);
        foreach (var seed in new long[] { 1, 2, 3 })
        {
            var holdOut = scheme.HoldOut(120, 0.25, Rng.FromSeed(seed)).OrThrow();
            Assert.Equal(Enumerable.Range(0, 120), holdOut.Train.Concat(holdOut.Test).Order());
            Assert.Empty(holdOut.Train.Select(i => groups[i]).Intersect(holdOut.Test.Select(i => groups[i])));
            Assert.Equal(8, holdOut.Test.Select(i => groups[i]).Distinct().Count()); // ceil(0.25 * 30) groups
            var inner = scheme.Folds(holdOut.Train, Rng.FromSeed(seed + 10)).OrThrow();
            foreach (var f in inner)
            {
                var train = f.Train.Select(i => groups[holdOut.Train[i]]);
                var test = f.Test.Select(i => groups[holdOut.Train[i]]);
                Assert.Empty(train.Intersect(test));
                Assert.Equal(holdOut.Train.Length, f.Train.Length + f.Test.Length);
            }
        }
    }

    [Fact]
    public void StratifiedScheme_HoldOut_KeepsEachClassWithinOneRow()
    {
        var (labels, _) = Data();
        var holdOut = new SplitScheme.Stratified(3, labels).HoldOut(120, 0.2, Rng.FromSeed(3)).OrThrow();
        Assert.Equal(24, holdOut.Test.Length);
        foreach (var c in new[] { 0, 1 })
        {
            var expected = 24.0 * labels.Count(l => l == c) / 120;
            Assert.InRange(holdOut.Test.Count(i => labels[i] == c), Math.Floor(expected), Math.Ceiling(expected));
        }
        Assert.Equal("split.class_too_small", Assert.Single(new SplitScheme.Stratified(2, [0, 0, 0, 1]).HoldOut(4, 0.5, Seeded).Problems()).Code);
    }

    [Fact]
    public void StratifiedGroupedScheme_HoldOut_KeepsGroupsWhole_AndPlainSchemeEqualsTrainTestSplit()
    {
        var (labels, groups) = Data();
        var holdOut = new SplitScheme.StratifiedGrouped(3, labels, groups).HoldOut(120, 0.25, Rng.FromSeed(4)).OrThrow();
        Assert.Empty(holdOut.Train.Select(i => groups[i]).Intersect(holdOut.Test.Select(i => groups[i])));
        Assert.InRange(holdOut.Test.Length, 20, 40);
        Assert.Equal(TrainTestSplit.Split(120, 0.25, Rng.FromSeed(4)).OrThrow(), new SplitScheme.Plain(3).HoldOut(120, 0.25, Rng.FromSeed(4)).OrThrow());
        Assert.Equal("shape.rows_mismatch", Assert.Single(new SplitScheme.Grouped(3, groups).HoldOut(100, 0.25, Seeded).Problems()).Code);
    }

    [Fact]
    public void SelectThenTest_WithAGroupedScheme_SearchesOnGroupKFoldsOfTheDevelopmentRows()
    {
        var (labels, groups) = Data();
        var cursor = new RngCursor(Rng.FromSeed(9));
        var x = new double[120][];
        var y = new double[120];
        for (var i = 0; i < 120; i++)
        {
            x[i] = [cursor.NextDouble(), labels[i]];
            y[i] = 2 * x[i][0] - x[i][1] + 0.1 * cursor.NextDouble() + 0.05 * (groups[i] % 3);
        }
        var matrix = Matrix.FromRows(x);
        var candidates = new[] { 0.01, 1.0, 100.0 }.Select(a =>
            new SearchCandidate($"alpha={a}", new PipelineOptions(ImputeStrategy.None, ScaleStrategy.Standard, Learners.Ridge(new RidgeOptions { Alpha = a })))).ToArray();
        var scheme = new SplitScheme.Grouped(4, groups);
        var holdOut = scheme.HoldOut(120, 0.25, Rng.FromSeed(1)).OrThrow();
        var viaScheme = ModelSearch.SelectThenTest(new SearchOptions(), candidates, matrix, y, holdOut, scheme, Rng.FromSeed(2)).OrThrow();
        var devGroups = holdOut.Train.Select(i => groups[i]).ToArray();
        var explicitFolds = ModelSearch.SelectThenTest(new SearchOptions(), candidates, matrix, y, holdOut,
            (_, r) => GroupKFold.Split(devGroups, 4, true, r), Rng.FromSeed(2)).OrThrow();
        Assert.Equal(explicitFolds.Selected.Label, viaScheme.Selected.Label);
        Assert.Equal(explicitFolds.TestScores.Metric("mae"), viaScheme.TestScores.Metric("mae"));
        Assert.Equal(explicitFolds.Search.Candidates.Select(c => c.Summary["mae"].Mean), viaScheme.Search.Candidates.Select(c => c.Summary["mae"].Mean));
        Assert.Equal(4, viaScheme.Search.Folds);
        var outer = StratifiedGroupKFold.Split(labels, groups, 3, true, Rng.FromSeed(3)).OrThrow();
        var nested = ModelSearch.Nested(new SearchOptions(), candidates, matrix, y, outer, new SplitScheme.StratifiedGrouped(3, labels, groups), Rng.FromSeed(4)).OrThrow();
        Assert.Equal(3, nested.Folds.Count);
        Assert.All(nested.Folds, f => Assert.Equal(3, f.Search.Folds));
    }

    private static string GroupedCsv()
    {
        var cursor = new RngCursor(Rng.FromSeed(21));
        var lines = new List<string> { "id,family,cls,f1,f2,y" };
        for (var i = 0; i < 80; i++)
        {
            var family = i / 4;
            var cls = (family % 3 == 0) ^ (i % 4 == 0) ? 1 : 0;
            var f1 = cursor.NextDouble();
            var f2 = cursor.NextDouble();
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"r{i},fam{family},{cls},{f1:R},{f2:R},{2 * f1 - f2 + 0.3 * cls + 0.05 * cursor.NextDouble():R}"));
        }
        var dir = CliProcess.TempDir("pm-sgkf-");
        var path = Path.Combine(dir, "grouped.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void SearchCli_TestFractionAndNested_HonourGroupsAndStratify()
    {
        var data = GroupedCsv();
        string[] common = ["search", "--data", data, "--feature-columns", "f1,f2", "--model", "ridge", "--grid", "alpha=0.01,1,100", "--inner-folds", "3"];
        var held = CliProcess.Run([.. common, "--target", "y", "--test-fraction", "0.25", "--groups", "family"]);
        Assert.True(held.Exit == 0, held.Err + held.Out);
        Assert.Contains("held-out split and selection folds: group k-fold", held.Out);
        Assert.Contains("scored once after selection", held.Out);
        var strat = CliProcess.Run([.. common, "--target", "cls", "--test-fraction", "0.25", "--stratify"]);
        Assert.True(strat.Exit == 0, strat.Err + strat.Out);
        Assert.Contains("stratified k-fold", strat.Out);
        var nested = CliProcess.Run([.. common, "--target", "cls", "--nested", "--folds", "3", "--groups", "family", "--stratify"]);
        Assert.True(nested.Exit == 0, nested.Err + nested.Out);
        Assert.Contains("inner selection folds: 3-fold stratified group k-fold", nested.Out);
        Assert.Contains("over 3 outer folds", nested.Out);
        var cv = CliProcess.Run("cv", "--data", data, "--feature-columns", "f1,f2", "--model", "ridge", "--target", "cls", "--groups", "family", "--stratify", "--folds", "4");
        Assert.True(cv.Exit == 0, cv.Err + cv.Out);
        var missing = CliProcess.Run([.. common, "--target", "y", "--test-fraction", "0.25", "--groups", "spacegroup"]);
        Assert.Equal(1, missing.Exit);
        Assert.Contains("[csv.missing_column]", missing.Err);
    }

    [Theory]
    [InlineData("split.too_few_groups", "inner folds of the", "--target", "y", "--test-fraction", "0.25", "--groups", "family", "--inner-folds", "50")]
    [InlineData("split.class_too_small", "fewer than k = 40 folds", "--target", "cls", "--test-fraction", "0.25", "--stratify", "--inner-folds", "40")]
    [InlineData("split.too_few_groups", "outer fold 0: inner folds of the", "--target", "cls", "--nested", "--folds", "3", "--groups", "family", "--stratify", "--inner-folds", "30")]
    [InlineData("split.stratify_continuous", "column 'y'", "--target", "y", "--test-fraction", "0.25", "--stratify")]
    [InlineData("split.empty_side", "20 test group(s)", "--target", "y", "--test-fraction", "0.99", "--groups", "family")]
    [InlineData("param.out_of_range", "use k <= 80", "--target", "y", "--folds", "500")]
    public void SearchCli_BadSplits_GiveOneClearLineEach(string code, string text, params string[] extra)
    {
        var (exit, stdout, stderr) = CliProcess.Run(["search", "--data", GroupedCsv(), "--feature-columns", "f1,f2", "--model", "ridge", "--grid", "alpha=0.1,1", .. extra]);
        Assert.Equal(1, exit);
        Assert.Contains($"[{code}]", stderr);
        Assert.Contains(text, stderr);
        Assert.DoesNotContain("   at ", stderr + stdout);
    }
}
