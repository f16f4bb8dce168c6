using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Split;

/// <summary>Splits rows at random into one training set and one test set.</summary>
/// <remarks>
/// n_test = ceil(testFraction * n) and n_train = n - n_test, computed in binary64 exactly as scikit-learn (so
/// 0.07 * 100 = 7.000000000000001 gives 8 test rows, as there). The rows are shuffled once (Fisher-Yates over 0..n-1 with
/// draws from <see cref="Rng"/>); the first n_test shuffled rows are the test set. The same generator always gives the
/// same split; scikit-learn's own random choice cannot be reproduced (different generator), only its sizes.
/// Source: scikit-learn 1.2.1 <c>train_test_split</c>, <c>ShuffleSplit</c>, <c>_validate_shuffle_split</c>.
/// </remarks>
public static class TrainTestSplit
{
    /// <summary>Draws a random train/test split of <paramref name="nRows"/> rows.</summary>
    /// <param name="nRows">Number of rows n, at least 2.</param>
    /// <param name="testFraction">Fraction of rows in the test set, in the open interval (0, 1), e.g. 0.2.</param>
    /// <param name="rng">A stream for this split alone (split it off the experiment's, e.g. with <see cref="Step.Random{T}"/>); it is read, not advanced.</param>
    /// <returns>
    /// The split with ascending indices, or problems: <c>param.out_of_range</c> (a fraction outside (0, 1) or a negative
    /// row count) and <c>split.empty_side</c> (the sizes leave the training or the test set with 0 rows).
    /// </returns>
    /// <example><c>TrainTestSplit.Split(100, 0.2, Rng.FromSeed(42))</c> gives 80 training and 20 test rows.</example>
    public static Validation<Problem, TrainTest> Split(int nRows, double testFraction, Rng rng)
    {
        if (nRows < 0)
            return Valid.Fail<TrainTest>("param.out_of_range", $"the row count is {nRows}; it must be at least 2");
        if (!(testFraction > 0.0 && testFraction < 1.0))
            return Valid.Fail<TrainTest>("param.out_of_range",
                $"testFraction is {testFraction}; it must lie strictly between 0 and 1, e.g. 0.2 for a 80/20 split");
        var nTest = (int)Math.Ceiling(testFraction * nRows);
        var nTrain = nRows - nTest;
        if (nTrain == 0 || nTest == 0)
            return Valid.Fail<TrainTest>("split.empty_side",
                $"with {nRows} row(s) and testFraction {testFraction} the split has {nTrain} training and {nTest} test row(s); " +
                "both sides need at least 1 row: use more rows or a fraction closer to 0.5");

        var order = new int[nRows];
        for (var i = 0; i < nRows; i++) order[i] = i;
        new RngCursor(rng).Shuffle(order.AsSpan());
        var test = order[..nTest];
        var train = order[nTest..];
        Array.Sort(test);
        Array.Sort(train);
        return Valid.Ok(new TrainTest(train, test));
    }
}
