using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Split;

namespace Pure.Materials.Properties;

/// <summary>Stratified, group, repeated, shuffle and three-way splits partition the rows, keep classes and groups, and are determined by their seed.</summary>
[Properties(MaxTest = 200)]
public class ModelSelectionProperties
{
    private static bool Partitions(int n, TrainTest s)
    {
        var seen = new int[n];
        foreach (var i in s.Train.Concat(s.Test))
        {
            if (i < 0 || i >= n) return false;
            seen[i]++;
        }
        return seen.All(c => c == 1) && s.Test.Length > 0 && s.Train.Length > 0;
    }

    private static bool TestFoldsCoverEachRowOnce(int n, TrainTest[] folds)
    {
        var seen = new int[n];
        foreach (var f in folds) foreach (var i in f.Test) seen[i]++;
        return seen.All(c => c == 1);
    }

    [Property]
    public bool StratifiedKFold_PartitionsTheRows_AndKeepsEachClassWithinOneRowOfItsShare(StratifiedCase c, RngSeed seed)
    {
        var folds = StratifiedKFold.Split(c.Labels, c.K, true, seed.Rng).OrThrow();
        var n = c.Labels.Length;
        var ratiosKept = c.Labels.Distinct().All(cls =>
        {
            var share = c.Labels.Count(l => l == cls) / (double)c.K;
            return folds.All(f => Math.Abs(f.Test.Count(i => c.Labels[i] == cls) - share) < 1.0);
        });
        return folds.Length == c.K && folds.All(f => Partitions(n, f)) && TestFoldsCoverEachRowOnce(n, folds) && ratiosKept;
    }

    [Property]
    public Property StratifiedKFold_SameSeedSameFolds_DifferentSeedDifferentFolds(StratifiedCase c, RngSeed seed, RngSeed other) =>
        // 40 rows or more: two seeds giving the same folds is negligible; smaller cases are discarded, not passed.
        Prop.When(c.Labels.Length >= 40 && seed.Value != other.Value, () =>
        {
            var a = StratifiedKFold.Split(c.Labels, c.K, true, seed.Rng).OrThrow();
            return a.SequenceEqual(StratifiedKFold.Split(c.Labels, c.K, true, seed.Rng).OrThrow())
                && !a.SequenceEqual(StratifiedKFold.Split(c.Labels, c.K, true, other.Rng).OrThrow());
        });

    [Property]
    public bool StratifiedKFold_ReportsAProblem_WhenKExceedsAClassCount(OversizedKCase c) =>
        StratifiedKFold.Split(c.Labels, c.K, true, Rng.FromSeed(1)).Problems().Any(p => p.Code == "split.class_too_small");

    [Property]
    public bool GroupKFold_PartitionsTheRows_AndNeverPutsAGroupOnBothSides(GroupCase c, RngSeed seed)
    {
        var folds = GroupKFold.Split(c.Groups, c.K, true, seed.Rng).OrThrow();
        var n = c.Groups.Length;
        var neverSplit = folds.All(f => !f.Train.Select(i => c.Groups[i]).Intersect(f.Test.Select(i => c.Groups[i])).Any());
        return folds.Length == c.K && folds.All(f => Partitions(n, f)) && TestFoldsCoverEachRowOnce(n, folds) && neverSplit;
    }

    [Property]
    public bool GroupKFold_SameSeedSameFolds(GroupCase c, RngSeed seed) =>
        GroupKFold.Split(c.Groups, c.K, true, seed.Rng).OrThrow().SequenceEqual(GroupKFold.Split(c.Groups, c.K, true, seed.Rng).OrThrow());

    private static readonly int[] SixtySingletons = [.. Enumerable.Range(0, 60)];

    [Property]
    public Property GroupKFold_Shuffled_DifferentSeedsGiveDifferentFolds_WhenManyGroupsTie(RngSeed seed, RngSeed other) =>
        // 60 singleton groups: all sizes tie, so the order (and the folds) come from the seed.
        Prop.When(seed.Value != other.Value, () =>
            !GroupKFold.Split(SixtySingletons, 3, true, seed.Rng).OrThrow().SequenceEqual(GroupKFold.Split(SixtySingletons, 3, true, other.Rng).OrThrow()));

    [Property]
    public Property RepeatedKFold_AndShuffleSplit_Partition_AndFollowTheSeed(RepeatedCase c, RngSeed seed, RngSeed other) =>
        Prop.When(seed.Value != other.Value, () =>
        {
            var (n, k, r) = (c.N, c.K, c.Repeats);
            var rep = RepeatedKFold.Split(n, k, r, seed.Rng).OrThrow();
            var repeatsCover = Enumerable.Range(0, r).All(j => TestFoldsCoverEachRowOnce(n, rep.Skip(j * k).Take(k).ToArray()));
            var shuffle = ShuffleSplit.Split(n, r, 0.25, seed.Rng).OrThrow();
            return rep.Length == r * k && rep.All(s => Partitions(n, s)) && repeatsCover
                && rep.SequenceEqual(RepeatedKFold.Split(n, k, r, seed.Rng).OrThrow())
                && !rep.SequenceEqual(RepeatedKFold.Split(n, k, r, other.Rng).OrThrow())
                && shuffle.All(s => Partitions(n, s))
                && !shuffle.SequenceEqual(ShuffleSplit.Split(n, r, 0.25, other.Rng).OrThrow());
        });

    [Property]
    public Property TrainValidationTest_PartitionsTheRows_AndFollowsTheSeed(ThreeWayCase c, RngSeed seed, RngSeed other) =>
        Prop.When(seed.Value != other.Value, () =>
        {
            var (n, v, t) = (c.N, c.ValidationPercent / 100.0, c.TestPercent / 100.0);
            var s = TrainValidationTestSplit.Split(n, v, t, seed.Rng).OrThrow();
            var all = s.Train.Concat(s.Validation).Concat(s.Test).Order();
            return all.SequenceEqual(Enumerable.Range(0, n)) && s.Test.Length == (int)Math.Ceiling(t * n)
                && s == TrainValidationTestSplit.Split(n, v, t, seed.Rng).OrThrow()
                && s != TrainValidationTestSplit.Split(n, v, t, other.Rng).OrThrow();
        });

    [Property]
    public bool LeaveOneOut_PartitionsTheRows(LeaveOneOutSize size)
    {
        var n = size.N;
        var s = LeaveOneOut.Split(n).OrThrow();
        return s.Length == n && s.All(x => Partitions(n, x) && x.Test.Length == 1) && TestFoldsCoverEachRowOnce(n, s);
    }
}
