using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Pure.Materials.Core;
using Pure.Materials.Split;

namespace Pure.Materials.Properties;

/// <summary>Every splitter partitions the rows, is determined by its seed, and changes with the seed.</summary>
[Properties(MaxTest = 300)]
public class SplitProperties
{
    /// <summary>Checks that one split covers 0..n-1 exactly once, with both sides ascending.</summary>
    private static bool Partitions(int n, TrainTest s)
    {
        var seen = new int[n];
        foreach (var i in s.Train.Concat(s.Test))
        {
            if (i < 0 || i >= n) return false;
            seen[i]++;
        }
        return seen.All(c => c == 1) && Ascending(s.Train) && Ascending(s.Test);
    }

    private static bool Ascending(int[] a)
    {
        for (var i = 1; i < a.Length; i++)
            if (a[i] <= a[i - 1]) return false;
        return true;
    }

    private static bool TestFoldsCoverEachRowOnce(int n, TrainTest[] folds)
    {
        var seen = new int[n];
        foreach (var f in folds)
            foreach (var i in f.Test) seen[i]++;
        return seen.All(c => c == 1);
    }

    [Property]
    public bool KFold_PartitionsTheRows_WithScikitLearnsFoldSizes(KFoldCase c, RngSeed seed)
    {
        var folds = KFold.Split(c.N, c.K, c.Shuffle, seed.Rng).OrThrow();
        var sizesOk = folds.Select((f, i) => f.Test.Length == c.N / c.K + (i < c.N % c.K ? 1 : 0)).All(ok => ok);
        return folds.Length == c.K && sizesOk && folds.All(f => Partitions(c.N, f) && f.Test.Length > 0)
            && TestFoldsCoverEachRowOnce(c.N, folds);
    }

    [Property]
    public bool KFold_SameSeedGivesTheSameFolds(KFoldCase c, RngSeed seed) =>
        KFold.Split(c.N, c.K, c.Shuffle, seed.Rng).OrThrow().SequenceEqual(KFold.Split(c.N, c.K, c.Shuffle, seed.Rng).OrThrow());

    [Property]
    public Property KFold_Shuffled_DifferentSeedsGiveDifferentFolds(KFoldCase c, RngSeed seed, RngSeed other) =>
        // With 30 rows or more a collision of two shuffles is negligible (30! orders); smaller n are discarded, not passed.
        Prop.When(c.N >= 30 && other.Value != seed.Value, () =>
            !KFold.Split(c.N, c.K, true, seed.Rng).OrThrow().SequenceEqual(KFold.Split(c.N, c.K, true, other.Rng).OrThrow()));

    [Property]
    public Property TrainTestSplit_PartitionsTheRows_WhenBothSidesAreNonEmpty(TrainTestCase c, RngSeed seed)
    {
        var nTest = (int)Math.Ceiling(c.Fraction * c.N);
        return Prop.When(nTest > 0 && nTest < c.N, () =>
        {
            var s = TrainTestSplit.Split(c.N, c.Fraction, seed.Rng).OrThrow();
            return s.Test.Length == nTest && Partitions(c.N, s);
        });
    }

    [Property(MaxTest = 100)]
    public Property TrainTestSplit_ReportsAnEmptySide(EmptySideCase c, RngSeed seed)
    {
        var nTest = (int)Math.Ceiling(c.Fraction * c.N);
        return Prop.When(nTest == 0 || nTest == c.N, () =>
            TrainTestSplit.Split(c.N, c.Fraction, seed.Rng).Problems().Select(p => p.Code).SequenceEqual(["split.empty_side"]));
    }

    [Property]
    public Property TrainTestSplit_SameSeedSameSplit_DifferentSeedDifferentSplit(TrainTestCase c, RngSeed seed, RngSeed other) =>
        Prop.When(c.N >= 30 && c.Permille is >= 100 and <= 900 && other.Value != seed.Value, () =>
        {
            var a = TrainTestSplit.Split(c.N, c.Fraction, seed.Rng).OrThrow();
            return a == TrainTestSplit.Split(c.N, c.Fraction, seed.Rng).OrThrow()
                && a != TrainTestSplit.Split(c.N, c.Fraction, other.Rng).OrThrow();
        });

    [Property]
    public bool PredefinedFolds_PartitionTheRows_AndTestFoldKHoldsTheRowsLabelledK(FoldLabelsCase c)
    {
        var labels = c.Labels;
        var folds = PredefinedFolds.FromLabels(labels).OrThrow();
        var n = labels.Length;
        return folds.Length == labels.Max() + 1
            && folds.All(f => Partitions(n, f))
            && TestFoldsCoverEachRowOnce(n, folds)
            && folds.Select((f, k) => f.Test.All(i => labels[i] == k)).All(ok => ok);
    }

    [Property]
    public bool PredefinedFolds_ReportAMissingLabel_InsteadOfAnEmptyFold(MissingFoldCase c)
    {
        var relabelled = c.Labels.Where(l => l != c.Drop).ToArray();
        var problems = PredefinedFolds.FromLabels(relabelled).Problems();
        return problems.Length > 0 && problems.All(p => p.Code is "fold.missing_label" or "fold.too_few_folds");
    }
}
