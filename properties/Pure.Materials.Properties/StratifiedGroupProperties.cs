using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Split;

namespace Pure.Materials.Properties;

/// <summary>Stratified group k-fold and group-aware held-out splits: partition the rows, never split a group, keep classes, follow the seed.</summary>
[Properties(MaxTest = 150)]
public class StratifiedGroupProperties
{
    private static bool Partitions(int n, TrainTest s) =>
        s.Train.Concat(s.Test).Order().SequenceEqual(Enumerable.Range(0, n)) && s.Test.Length > 0 && s.Train.Length > 0;

    private static bool Whole(int[] groups, TrainTest s) => !s.Train.Select(i => groups[i]).Intersect(s.Test.Select(i => groups[i])).Any();

    [Property]
    public bool StratifiedGroupKFold_PartitionsTheRows_AndNeverPutsAGroupOnBothSides(StratifiedGroupCase c, RngSeed seed)
    {
        var folds = StratifiedGroupKFold.Split(c.Labels, c.Groups, c.K, true, seed.Rng).OrThrow();
        var n = c.Labels.Length;
        return folds.Length == c.K && folds.All(f => Partitions(n, f) && Whole(c.Groups, f))
            && folds.SelectMany(f => f.Test).Order().SequenceEqual(Enumerable.Range(0, n));
    }

    [Property]
    public bool StratifiedGroupKFold_WithOneRowPerGroup_KeepsEachClassWithinOneRowOfItsShare(StratifiedCase c, RngSeed seed)
    {
        // Singleton groups leave the greedy placement free, so it must stratify as well as stratified k-fold does.
        var folds = StratifiedGroupKFold.Split(c.Labels, Enumerable.Range(0, c.Labels.Length).ToArray(), c.K, true, seed.Rng).OrThrow();
        return c.Labels.Distinct().All(cls =>
        {
            var share = c.Labels.Count(l => l == cls) / (double)c.K;
            return folds.All(f => Math.Abs(f.Test.Count(i => c.Labels[i] == cls) - share) < 1.0 + 1e-9);
        });
    }

    [Property]
    public bool StratifiedGroupKFold_SameSeedSameFolds(StratifiedGroupCase c, RngSeed seed) =>
        StratifiedGroupKFold.Split(c.Labels, c.Groups, c.K, true, seed.Rng).OrThrow()
            .SequenceEqual(StratifiedGroupKFold.Split(c.Labels, c.Groups, c.K, true, seed.Rng).OrThrow());

    [Property]
    public Property GroupedAndStratifiedGroupedHoldOuts_NeverSplitAGroup_AndTheirInnerFoldsNeither(StratifiedGroupCase c, RngSeed seed, RngSeed innerSeed) =>
        // With 6 groups or more both schemes can always hold out a quarter and fold the rest in two: a Problem is a failure here.
        Prop.When(c.Groups.Distinct().Count() >= 6, () =>
        {
            var n = c.Labels.Length;
            SplitScheme[] schemes = [new SplitScheme.Grouped(2, c.Groups), new SplitScheme.StratifiedGrouped(2, c.Labels, c.Groups)];
            return schemes.All(s =>
            {
                var h = s.HoldOut(n, 0.25, seed.Rng).OrThrow();
                if (!Partitions(n, h) || !Whole(c.Groups, h)) return false;
                var devGroups = h.Train.Select(i => c.Groups[i]).ToArray();
                return s.Folds(h.Train, innerSeed.Rng).OrThrow().All(f => Partitions(h.Train.Length, f) && Whole(devGroups, f));
            });
        });
}
