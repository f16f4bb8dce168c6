using FsCheck;
using FsCheck.Fluent;
using Pure.Materials.Core;
using Pure.Materials.Split;
using Xunit;

namespace Pure.Materials.Properties;

/// <summary>Stratified, group, repeated, shuffle and three-way splits partition the rows, keep classes and groups, and are determined by their seed.</summary>
public class ModelSelectionProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(200);

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

    /// <summary>(labels, k, seed, other seed): every class has at least k rows.</summary>
    private static Gen<(int[] Labels, int K, long Seed, long Other)> StratifiedCases =>
        from labels in Generators.ClassLabels
        let minCount = labels.GroupBy(l => l).Min(g => g.Count())
        from k in Gen.Choose(2, Math.Max(2, Math.Min(minCount, 10)))
        from seed in Generators.Seed
        from other in Generators.Seed
        where k <= minCount && other != seed
        select (labels, k, seed, other);

    [Fact]
    public void StratifiedKFold_PartitionsTheRows_AndKeepsEachClassWithinOneRowOfItsShare()
    {
        Check.One(Runs, Prop.ForAll(StratifiedCases.ToArbitrary(), c =>
        {
            var folds = StratifiedKFold.Split(c.Labels, c.K, true, Rng.FromSeed(c.Seed)).OrThrow();
            var n = c.Labels.Length;
            var ratiosKept = c.Labels.Distinct().All(cls =>
            {
                var share = c.Labels.Count(l => l == cls) / (double)c.K;
                return folds.All(f => Math.Abs(f.Test.Count(i => c.Labels[i] == cls) - share) < 1.0);
            });
            return folds.Length == c.K && folds.All(f => Partitions(n, f)) && TestFoldsCoverEachRowOnce(n, folds) && ratiosKept;
        }));
    }

    [Fact]
    public void StratifiedKFold_SameSeedSameFolds_DifferentSeedDifferentFolds()
    {
        var cases = StratifiedCases.Where(c => c.Labels.Length >= 40);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var a = StratifiedKFold.Split(c.Labels, c.K, true, Rng.FromSeed(c.Seed)).OrThrow();
            return a.SequenceEqual(StratifiedKFold.Split(c.Labels, c.K, true, Rng.FromSeed(c.Seed)).OrThrow())
                && !a.SequenceEqual(StratifiedKFold.Split(c.Labels, c.K, true, Rng.FromSeed(c.Other)).OrThrow());
        }));
    }

    [Fact]
    public void StratifiedKFold_ReportsAProblem_WhenKExceedsAClassCount()
    {
        var cases = from labels in Generators.ClassLabels
                    let minCount = labels.GroupBy(l => l).Min(g => g.Count())
                    from extra in Gen.Choose(1, 5)
                    where minCount + extra <= labels.Length
                    select (labels, k: minCount + extra);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
            StratifiedKFold.Split(c.labels, c.k, true, Rng.FromSeed(1)).Problems().Any(p => p.Code == "split.class_too_small")));
    }

    private static Gen<(int[] Groups, int K, long Seed, long Other)> GroupCases =>
        from groups in Generators.GroupLabels
        let nGroups = groups.Distinct().Count()
        from k in Gen.Choose(2, Math.Max(2, Math.Min(nGroups, 8)))
        from seed in Generators.Seed
        from other in Generators.Seed
        where k <= nGroups && other != seed
        select (groups, k, seed, other);

    [Fact]
    public void GroupKFold_PartitionsTheRows_AndNeverPutsAGroupOnBothSides()
    {
        Check.One(Runs, Prop.ForAll(GroupCases.ToArbitrary(), c =>
        {
            var folds = GroupKFold.Split(c.Groups, c.K, true, Rng.FromSeed(c.Seed)).OrThrow();
            var n = c.Groups.Length;
            var neverSplit = folds.All(f => !f.Train.Select(i => c.Groups[i]).Intersect(f.Test.Select(i => c.Groups[i])).Any());
            return folds.Length == c.K && folds.All(f => Partitions(n, f)) && TestFoldsCoverEachRowOnce(n, folds) && neverSplit;
        }));
    }

    [Fact]
    public void GroupKFold_SameSeedSameFolds()
    {
        Check.One(Runs, Prop.ForAll(GroupCases.ToArbitrary(), c =>
            GroupKFold.Split(c.Groups, c.K, true, Rng.FromSeed(c.Seed)).OrThrow()
                .SequenceEqual(GroupKFold.Split(c.Groups, c.K, true, Rng.FromSeed(c.Seed)).OrThrow())));
    }

    [Fact]
    public void GroupKFold_Shuffled_DifferentSeedsGiveDifferentFolds_WhenManyGroupsTie()
    {
        // 60 singleton groups: all sizes tie, so the order (and the folds) come from the seed.
        var cases = from seed in Generators.Seed from other in Generators.Seed where seed != other select (seed, other);
        var groups = Enumerable.Range(0, 60).ToArray();
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), t =>
            !GroupKFold.Split(groups, 3, true, Rng.FromSeed(t.seed)).OrThrow()
                .SequenceEqual(GroupKFold.Split(groups, 3, true, Rng.FromSeed(t.other)).OrThrow())));
    }

    [Fact]
    public void RepeatedKFold_AndShuffleSplit_Partition_AndFollowTheSeed()
    {
        var cases = from n in Gen.Choose(30, 200) from k in Gen.Choose(2, 10) from r in Gen.Choose(1, 4)
                    from seed in Generators.Seed from other in Generators.Seed where seed != other select (n, k, r, seed, other);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var rep = RepeatedKFold.Split(c.n, c.k, c.r, Rng.FromSeed(c.seed)).OrThrow();
            var repeatsCover = Enumerable.Range(0, c.r).All(j => TestFoldsCoverEachRowOnce(c.n, rep.Skip(j * c.k).Take(c.k).ToArray()));
            var shuffle = ShuffleSplit.Split(c.n, c.r, 0.25, Rng.FromSeed(c.seed)).OrThrow();
            return rep.Length == c.r * c.k && rep.All(s => Partitions(c.n, s)) && repeatsCover
                && rep.SequenceEqual(RepeatedKFold.Split(c.n, c.k, c.r, Rng.FromSeed(c.seed)).OrThrow())
                && !rep.SequenceEqual(RepeatedKFold.Split(c.n, c.k, c.r, Rng.FromSeed(c.other)).OrThrow())
                && shuffle.All(s => Partitions(c.n, s))
                && !shuffle.SequenceEqual(ShuffleSplit.Split(c.n, c.r, 0.25, Rng.FromSeed(c.other)).OrThrow());
        }));
    }

    [Fact]
    public void TrainValidationTest_PartitionsTheRows_AndFollowsTheSeed()
    {
        var cases = from n in Gen.Choose(20, 400) from v in Gen.Choose(5, 40) from t in Gen.Choose(5, 40)
                    from seed in Generators.Seed from other in Generators.Seed where seed != other select (n, v / 100.0, t / 100.0, seed, other);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (n, v, t, seed, other) = c;
            var s = TrainValidationTestSplit.Split(n, v, t, Rng.FromSeed(seed)).OrThrow();
            var all = s.Train.Concat(s.Validation).Concat(s.Test).Order();
            return all.SequenceEqual(Enumerable.Range(0, n)) && s.Test.Length == (int)Math.Ceiling(t * n)
                && s == TrainValidationTestSplit.Split(n, v, t, Rng.FromSeed(seed)).OrThrow()
                && s != TrainValidationTestSplit.Split(n, v, t, Rng.FromSeed(other)).OrThrow();
        }));
    }

    [Fact]
    public void LeaveOneOut_PartitionsTheRows()
    {
        Check.One(Runs, Prop.ForAll(Gen.Choose(2, 60).ToArbitrary(), n =>
        {
            var s = LeaveOneOut.Split(n).OrThrow();
            return s.Length == n && s.All(x => Partitions(n, x) && x.Test.Length == 1) && TestFoldsCoverEachRowOnce(n, s);
        }));
    }
}
