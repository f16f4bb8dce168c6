using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Split;
using Pure.Materials.Tests.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Split;

/// <summary>Splits: sizes and unshuffled folds against scikit-learn 1.2.1 (exact), problems, and determinism.</summary>
public class SplitTests
{
    private static readonly Rng Seeded = Rng.FromSeed(18012019);

    private static void AssertPartition(int n, TrainTest split)
    {
        Assert.Equal(Enumerable.Range(0, n), split.Train.Concat(split.Test).Order());
        Assert.True(split.Train.SequenceEqual(split.Train.Order()), "train indices must be ascending");
        Assert.True(split.Test.SequenceEqual(split.Test.Order()), "test indices must be ascending");
    }

    [Fact]
    public void TrainTestSplit_Sizes_MatchScikitLearn()
    {
        var rows = SklearnReference.Read("train_test_split.csv");
        Assert.True(rows.Count > 40);
        foreach (var r in rows)
        {
            var n = int.Parse(r["n"], CultureInfo.InvariantCulture);
            var fraction = SklearnReference.Num(r["test_size"]);
            var split = TrainTestSplit.Split(n, fraction, Seeded).OrThrow();
            Assert.True(int.Parse(r["n_test"], CultureInfo.InvariantCulture) == split.Test.Length, $"n = {n}, test_size = {fraction}");
            Assert.Equal(int.Parse(r["n_train"], CultureInfo.InvariantCulture), split.Train.Length);
            AssertPartition(n, split);
        }
    }

    [Fact]
    public void TrainTestSplit_RoundsTheTestSizeUp_InBinary64_AsScikitLearn()
    {
        // 0.07 * 100 = 7.000000000000001 in binary64, so ceil gives 8 (scikit-learn gives 8 too).
        Assert.Equal(8, TrainTestSplit.Split(100, 0.07, Seeded).OrThrow().Test.Length);
        Assert.Equal(20, TrainTestSplit.Split(100, 0.2, Seeded).OrThrow().Test.Length);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void TrainTestSplit_Fails_WhenTheFractionIsOutsideZeroOne(double fraction)
    {
        Assert.Equal("param.out_of_range", Assert.Single(TrainTestSplit.Split(10, fraction, Seeded).Problems()).Code);
    }

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(0, 0.5)]
    [InlineData(2, 0.9)]
    public void TrainTestSplit_Fails_WhenASideWouldBeEmpty(int n, double fraction)
    {
        var p = Assert.Single(TrainTestSplit.Split(n, fraction, Seeded).Problems());
        Assert.Equal("split.empty_side", p.Code);
    }

    [Fact]
    public void TrainTestSplit_SameSeedSameSplit_DifferentSeedDifferentSplit()
    {
        var a = TrainTestSplit.Split(200, 0.25, Rng.FromSeed(1)).OrThrow();
        Assert.Equal(a, TrainTestSplit.Split(200, 0.25, Rng.FromSeed(1)).OrThrow());
        Assert.NotEqual(a, TrainTestSplit.Split(200, 0.25, Rng.FromSeed(2)).OrThrow());
    }

    [Fact]
    public void KFold_Unshuffled_MatchesScikitLearnExactly()
    {
        var rows = SklearnReference.Read("kfold_unshuffled.csv");
        foreach (var group in rows.GroupBy(r => (N: int.Parse(r["n"]), K: int.Parse(r["k"]))))
        {
            var folds = KFold.Split(group.Key.N, group.Key.K, shuffle: false, Seeded).OrThrow();
            Assert.Equal(group.Count(), folds.Length);
            foreach (var r in group)
            {
                var f = folds[int.Parse(r["fold"])];
                Assert.Equal(SklearnReference.Ints(r["test"]), f.Test);
                Assert.Equal(SklearnReference.Ints(r["train"]), f.Train);
            }
        }
    }

    [Fact]
    public void KFold_Shuffled_HasScikitLearnsFoldSizes_AndPartitionsTheRows()
    {
        foreach (var group in SklearnReference.Read("kfold_unshuffled.csv").GroupBy(r => (N: int.Parse(r["n"]), K: int.Parse(r["k"]))))
        {
            var folds = KFold.Split(group.Key.N, group.Key.K, shuffle: true, Seeded).OrThrow();
            Assert.Equal(group.Select(r => SklearnReference.Ints(r["test"]).Length), folds.Select(f => f.Test.Length));
            Assert.Equal(Enumerable.Range(0, group.Key.N), folds.SelectMany(f => f.Test).Order());
            foreach (var f in folds) AssertPartition(group.Key.N, f);
        }
    }

    [Fact]
    public void KFold_MatbenchExptGap_HasTheOfficialFoldSizes()
    {
        // matbench_expt_gap: 4604 rows in 5 folds of 921, 921, 921, 921, 920 rows.
        var folds = KFold.Split(4604, 5, shuffle: true, Seeded).OrThrow();
        Assert.Equal(new[] { 921, 921, 921, 921, 920 }, folds.Select(f => f.Test.Length));
    }

    [Fact]
    public void KFold_ByHand_Unshuffled()
    {
        var folds = KFold.Split(10, 3, shuffle: false, Seeded).OrThrow();
        Assert.Equal(new[] { 0, 1, 2, 3 }, folds[0].Test);
        Assert.Equal(new[] { 4, 5, 6 }, folds[1].Test);
        Assert.Equal(new[] { 7, 8, 9 }, folds[2].Test);
        Assert.Equal(new[] { 0, 1, 2, 3, 7, 8, 9 }, folds[1].Train);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(10, 0)]
    [InlineData(3, 4)]
    [InlineData(0, 2)]
    public void KFold_Fails_WhenKIsBelowTwoOrAboveTheRowCount(int n, int k)
    {
        Assert.Equal("param.out_of_range", Assert.Single(KFold.Split(n, k, shuffle: true, Seeded).Problems()).Code);
    }

    [Fact]
    public void KFold_Shuffled_SameSeedSameFolds_DifferentSeedDifferentFolds()
    {
        var a = KFold.Split(100, 5, true, Rng.FromSeed(3)).OrThrow();
        Assert.Equal(a, KFold.Split(100, 5, true, Rng.FromSeed(3)).OrThrow());
        Assert.NotEqual(a, KFold.Split(100, 5, true, Rng.FromSeed(4)).OrThrow());
    }

    [Fact]
    public void KFold_Unshuffled_IgnoresTheGenerator()
    {
        Assert.Equal(KFold.Split(20, 4, false, Rng.FromSeed(1)).OrThrow(), KFold.Split(20, 4, false, Rng.FromSeed(2)).OrThrow());
    }

    [Fact]
    public void PredefinedFolds_ByHand()
    {
        var folds = PredefinedFolds.FromLabels([0, 1, 0, 2, 1, 2]).OrThrow();

        Assert.Equal(3, folds.Length);
        Assert.Equal(new[] { 0, 2 }, folds[0].Test);
        Assert.Equal(new[] { 1, 3, 4, 5 }, folds[0].Train);
        Assert.Equal(new[] { 3, 5 }, folds[2].Test);
    }

    [Fact]
    public void PredefinedFolds_Fails_WhenALabelIsMissing()
    {
        var p = Assert.Single(PredefinedFolds.FromLabels([0, 2, 0, 2]).Problems());
        Assert.Equal("fold.missing_label", p.Code);
        Assert.Contains("fold label 1", p.Message);
    }

    [Fact]
    public void PredefinedFolds_Fails_OnNegativeLabels_WithTheirRows()
    {
        var problems = PredefinedFolds.FromLabels([0, -1, 1, 1]).Problems();
        var p = Assert.Single(problems);
        Assert.Equal("fold.negative_label", p.Code);
        Assert.Equal(2, p.Row);
    }

    [Fact]
    public void PredefinedFolds_Fails_WithFewerThanTwoFolds()
    {
        Assert.Equal("fold.too_few_folds", Assert.Single(PredefinedFolds.FromLabels([0, 0, 0]).Problems()).Code);
        Assert.Equal("fold.too_few_folds", Assert.Single(PredefinedFolds.FromLabels([]).Problems()).Code);
    }

    [Fact]
    public void TrainTest_HasValueEquality_AndReadableText()
    {
        var a = new TrainTest([0, 2], [1]);
        Assert.Equal(a, new TrainTest([0, 2], [1]));
        Assert.Equal(a.GetHashCode(), new TrainTest([0, 2], [1]).GetHashCode());
        Assert.NotEqual(a, new TrainTest([0, 1], [2]));
        Assert.Equal("TrainTest { Train = 2 rows, Test = 1 rows [1] }", a.ToString());
    }
}
