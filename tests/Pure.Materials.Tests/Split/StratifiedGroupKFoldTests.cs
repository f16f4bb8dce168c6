using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Pure.Materials.Models;
using Pure.Materials.Models.Linear;
using Pure.Materials.Split;
using Xunit;

namespace Pure.Materials.Tests.Split;

/// <summary>Stratified group k-fold (scikit-learn parity unshuffled; properties shuffled), split schemes and group-aware model selection.</summary>
public class StratifiedGroupKFoldTests
{
    private static readonly Rng Seeded = Rng.FromSeed(11);

    /// <summary>120 rows in 30 groups of 4; the class rate depends on the group.</summary>
    internal static (int[] Labels, int[] Groups) Data(int seed = 5)
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

}
