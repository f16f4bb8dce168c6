using FsCheck;
using FsCheck.Fluent;
using Pure.Materials.Core;
using Pure.Materials.Split;
using Xunit;

namespace Pure.Materials.Properties;

/// <summary>Every splitter partitions the rows, is determined by its seed, and changes with the seed.</summary>
public class SplitProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    /// <summary>(n, k, shuffle, seed) with 2 &lt;= k &lt;= n.</summary>
    private static Gen<(int N, int K, bool Shuffle, long Seed)> KFoldCases(int minRows) =>
        from n in Gen.Choose(minRows, 300)
        from k in Gen.Choose(2, Math.Min(n, 20))
        from shuffle in Gen.Elements(true, false)
        from seed in Generators.Seed
        select (n, k, shuffle, seed);

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

    [Fact]
    public void KFold_PartitionsTheRows_WithScikitLearnsFoldSizes()
    {
        Check.One(Runs, Prop.ForAll(KFoldCases(2).ToArbitrary(), c =>
        {
            var folds = KFold.Split(c.N, c.K, c.Shuffle, Rng.FromSeed(c.Seed)).OrThrow();
            var sizesOk = folds.Select((f, i) => f.Test.Length == c.N / c.K + (i < c.N % c.K ? 1 : 0)).All(ok => ok);
            return folds.Length == c.K && sizesOk && folds.All(f => Partitions(c.N, f) && f.Test.Length > 0)
                && TestFoldsCoverEachRowOnce(c.N, folds);
        }));
    }

    [Fact]
    public void KFold_SameSeedGivesTheSameFolds()
    {
        Check.One(Runs, Prop.ForAll(KFoldCases(2).ToArbitrary(), c =>
            KFold.Split(c.N, c.K, c.Shuffle, Rng.FromSeed(c.Seed)).OrThrow()
                .SequenceEqual(KFold.Split(c.N, c.K, c.Shuffle, Rng.FromSeed(c.Seed)).OrThrow())));
    }

    [Fact]
    public void KFold_Shuffled_DifferentSeedsGiveDifferentFolds()
    {
        var cases = from c in KFoldCases(30) from other in Generators.Seed where other != c.Seed select (c, other);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), t =>
            !KFold.Split(t.c.N, t.c.K, true, Rng.FromSeed(t.c.Seed)).OrThrow()
                .SequenceEqual(KFold.Split(t.c.N, t.c.K, true, Rng.FromSeed(t.other)).OrThrow())));
    }

    private static Gen<(int N, double Fraction, long Seed)> TrainTestCases(int minRows, int minPermille, int maxPermille) =>
        from n in Gen.Choose(minRows, 400)
        from permille in Gen.Choose(minPermille, maxPermille)
        from seed in Generators.Seed
        select (n, permille / 1000.0, seed);

    [Fact]
    public void TrainTestSplit_PartitionsTheRows_OrReportsAnEmptySide()
    {
        Check.One(Runs, Prop.ForAll(TrainTestCases(0, 1, 999).ToArbitrary(), c =>
        {
            var nTest = (int)Math.Ceiling(c.Fraction * c.N);
            var result = TrainTestSplit.Split(c.N, c.Fraction, Rng.FromSeed(c.Seed));
            if (nTest == 0 || nTest == c.N)
                return result.Problems().Select(p => p.Code).SequenceEqual(["split.empty_side"]);
            var s = result.OrThrow();
            return s.Test.Length == nTest && Partitions(c.N, s);
        }));
    }

    [Fact]
    public void TrainTestSplit_SameSeedSameSplit_DifferentSeedDifferentSplit()
    {
        var cases = from c in TrainTestCases(30, 100, 900) from other in Generators.Seed where other != c.Seed select (c, other);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), t =>
        {
            var (c, other) = t;
            var a = TrainTestSplit.Split(c.N, c.Fraction, Rng.FromSeed(c.Seed)).OrThrow();
            return a == TrainTestSplit.Split(c.N, c.Fraction, Rng.FromSeed(c.Seed)).OrThrow()
                && a != TrainTestSplit.Split(c.N, c.Fraction, Rng.FromSeed(other)).OrThrow();
        }));
    }

    [Fact]
    public void PredefinedFolds_PartitionTheRows_AndTestFoldKHoldsTheRowsLabelledK()
    {
        Check.One(Runs, Prop.ForAll(Generators.FoldLabels.ToArbitrary(), labels =>
        {
            var folds = PredefinedFolds.FromLabels(labels).OrThrow();
            var n = labels.Length;
            return folds.Length == labels.Max() + 1
                && folds.All(f => Partitions(n, f))
                && TestFoldsCoverEachRowOnce(n, folds)
                && folds.Select((f, k) => f.Test.All(i => labels[i] == k)).All(ok => ok);
        }));
    }

    [Fact]
    public void PredefinedFolds_ReportAMissingLabel_InsteadOfAnEmptyFold()
    {
        var cases = from labels in Generators.FoldLabels from drop in Gen.Choose(0, 7) where drop < labels.Max() select (labels, drop);
        Check.One(Runs, Prop.ForAll(cases.ToArbitrary(), t =>
        {
            var relabelled = t.labels.Where(l => l != t.drop).ToArray();
            var problems = PredefinedFolds.FromLabels(relabelled).Problems();
            return problems.Length > 0 && problems.All(p => p.Code is "fold.missing_label" or "fold.too_few_folds");
        }));
    }
}
