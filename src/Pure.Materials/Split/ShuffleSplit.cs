using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Split;

/// <summary>Draws several independent random train/test splits (Monte-Carlo cross-validation); test sets may overlap between splits.</summary>
/// <remarks>
/// Split j is <see cref="TrainTestSplit.Split"/> with the j-th stream of <c>rng.SplitMany(nSplits)</c>; sizes as
/// scikit-learn (n_test = ceil(testFraction * n)). Source: scikit-learn 1.2.1 <c>ShuffleSplit</c> (same sizes, different generator).
/// </remarks>
public static class ShuffleSplit
{
    /// <summary>Draws <paramref name="nSplits"/> random train/test splits.</summary>
    /// <param name="nRows">Number of rows n, at least 2.</param>
    /// <param name="nSplits">Number of splits, at least 1 (scikit-learn's default is 10).</param>
    /// <param name="testFraction">Test fraction in (0, 1).</param>
    /// <param name="rng">A stream for this split alone; read, not advanced.</param>
    /// <returns>The splits, or the problems of <see cref="TrainTestSplit.Split"/> and <c>param.out_of_range</c> for nSplits &lt; 1.</returns>
    public static Validation<Problem, TrainTest[]> Split(int nRows, int nSplits, double testFraction, Rng rng)
    {
        if (nSplits < 1)
            return Valid.Fail<TrainTest[]>("param.out_of_range", $"shuffle split needs at least 1 split, found {nSplits}");
        var first = TrainTestSplit.Split(nRows, testFraction, rng);
        if (first.IsFail) return first.Map(_ => System.Array.Empty<TrainTest>());
        var (streams, _) = rng.SplitMany(nSplits);
        return Valid.All(streams.Select(s => TrainTestSplit.Split(nRows, testFraction, s)));
    }
}
