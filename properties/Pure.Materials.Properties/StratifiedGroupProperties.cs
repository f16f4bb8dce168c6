using FsCheck;
using FsCheck.Fluent;
using Pure.Materials.Core;
using Pure.Materials.Split;
using Xunit;

namespace Pure.Materials.Properties;

/// <summary>Stratified group k-fold and group-aware held-out splits: partition the rows, never split a group, keep classes, follow the seed.</summary>
public class StratifiedGroupProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(150);

    /// <summary>(labels, groups, k, seed, other seed): each group's rows carry labels drawn from a per-group class rate; k fits the groups and classes.</summary>
    private static Gen<(int[] Labels, int[] Groups, int K, long Seed, long Other)> Cases =>
        from groups in Generators.GroupLabels
        from labelSeed in Generators.Seed
        let labels = Labels(groups, labelSeed)
        let nGroups = groups.Distinct().Count()
        let minClass = labels.GroupBy(l => l).Min(g => g.Count())
        let classes = labels.Distinct().Count()
        from k in Gen.Choose(2, Math.Max(2, Math.Min(Math.Min(nGroups, minClass), 8)))
        from seed in Generators.Seed
        from other in Generators.Seed
        where classes >= 2 && k <= nGroups && k <= minClass && other != seed
        select (labels, groups, k, seed, other);

    private static int[] Labels(int[] groups, long seed)
    {
        var cursor = new RngCursor(Rng.FromSeed(seed));
        var rate = groups.Distinct().ToDictionary(g => g, _ => cursor.NextDouble());
        return groups.Select(g => cursor.NextDouble() < rate[g] ? 1 : 0).ToArray();
    }

    private static bool Partitions(int n, TrainTest s) =>
        s.Train.Concat(s.Test).Order().SequenceEqual(Enumerable.Range(0, n)) && s.Test.Length > 0 && s.Train.Length > 0;

    private static bool Whole(int[] groups, TrainTest s) => !s.Train.Select(i => groups[i]).Intersect(s.Test.Select(i => groups[i])).Any();

    [Fact]
    public void StratifiedGroupKFold_PartitionsTheRows_AndNeverPutsAGroupOnBothSides()
    {
        Check.One(Runs, Prop.ForAll(Cases.ToArbitrary(), c =>
        {
            var folds = StratifiedGroupKFold.Split(c.Labels, c.Groups, c.K, true, Rng.FromSeed(c.Seed)).OrThrow();
            var n = c.Labels.Length;
            return folds.Length == c.K && folds.All(f => Partitions(n, f) && Whole(c.Groups, f))
                && folds.SelectMany(f => f.Test).Order().SequenceEqual(Enumerable.Range(0, n));
        }));
    }

    [Fact]
    public void StratifiedGroupKFold_WithOneRowPerGroup_KeepsEachClassWithinOneRowOfItsShare()
    {
        // Singleton groups leave the greedy placement free, so it must stratify as well as stratified k-fold does.
        var cases = from labels in Generators.ClassLabels
                    let minCount = labels.GroupBy(l => l).Min(g => g.Count())
                    from k in Gen.Choose(2, Math.Max(2, Math.Min(minCount, 10)))
                    from seed in Generators.Seed
                    where k <= minCount
                    select (labels, k, seed);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var folds = StratifiedGroupKFold.Split(c.labels, Enumerable.Range(0, c.labels.Length).ToArray(), c.k, true, Rng.FromSeed(c.seed)).OrThrow();
            return c.labels.Distinct().All(cls =>
            {
                var share = c.labels.Count(l => l == cls) / (double)c.k;
                return folds.All(f => Math.Abs(f.Test.Count(i => c.labels[i] == cls) - share) < 1.0 + 1e-9);
            });
        }));
    }

    [Fact]
    public void StratifiedGroupKFold_SameSeedSameFolds()
    {
        Check.One(Runs, Prop.ForAll(Cases.ToArbitrary(), c =>
            StratifiedGroupKFold.Split(c.Labels, c.Groups, c.K, true, Rng.FromSeed(c.Seed)).OrThrow()
                .SequenceEqual(StratifiedGroupKFold.Split(c.Labels, c.Groups, c.K, true, Rng.FromSeed(c.Seed)).OrThrow())));
    }

    [Fact]
    public void GroupedAndStratifiedGroupedHoldOuts_NeverSplitAGroup_AndTheirInnerFoldsNeither()
    {
        var cases = from c in Cases where c.Groups.Distinct().Count() >= 6 select c;
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var n = c.Labels.Length;
            SplitScheme[] schemes = [new SplitScheme.Grouped(2, c.Groups), new SplitScheme.StratifiedGrouped(2, c.Labels, c.Groups)];
            return schemes.All(s =>
            {
                var held = s.HoldOut(n, 0.25, Rng.FromSeed(c.Seed));
                if (held.IsFail) return held.Problems().All(p => p.Code is "split.class_too_small" or "split.too_few_groups");
                var h = held.OrThrow();
                if (!Partitions(n, h) || !Whole(c.Groups, h)) return false;
                var inner = s.Folds(h.Train, Rng.FromSeed(c.Other));
                if (inner.IsFail) return inner.Problems().All(p => p.Code is "split.class_too_small" or "split.too_few_groups" or "split.too_few_classes");
                var devGroups = h.Train.Select(i => c.Groups[i]).ToArray();
                return inner.OrThrow().All(f => Partitions(h.Train.Length, f) && Whole(devGroups, f));
            });
        }));
    }
}
