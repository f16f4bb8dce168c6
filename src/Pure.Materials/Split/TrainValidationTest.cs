using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Split;

/// <summary>Holds one split of the rows into training, validation and test rows (0-based indices, each ascending, pairwise disjoint, covering every row).</summary>
/// <param name="Train">Training rows, shape (n_train,).</param>
/// <param name="Validation">Validation rows (model selection), shape (n_validation,).</param>
/// <param name="Test">Test rows (reported once, after selection), shape (n_test,).</param>
/// <remarks>Treat the arrays as read-only; value equality compares the indices.</remarks>
public sealed record TrainValidationTest(int[] Train, int[] Validation, int[] Test)
{
    /// <summary>Compares the indices of all three sides.</summary>
    /// <param name="other">The other split.</param>
    /// <returns>True when all three index sets are equal.</returns>
    public bool Equals(TrainValidationTest? other) =>
        other is not null && Train.AsSpan().SequenceEqual(other.Train) && Validation.AsSpan().SequenceEqual(other.Validation)
        && Test.AsSpan().SequenceEqual(other.Test);

    /// <summary>Hashes the indices, consistently with <see cref="Equals(TrainValidationTest?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var i in Test) h.Add(i);
        foreach (var i in Validation) h.Add(i);
        return h.ToHashCode();
    }

    /// <summary>The training and validation rows as one train/test split (for model selection).</summary>
    public TrainTest TrainVersusValidation => new(Train, Validation);

    /// <summary>Training plus validation rows against the test rows (refit after selection, then test once).</summary>
    public TrainTest DevelopmentVersusTest => new(Train.Concat(Validation).Order().ToArray(), Test);
}

/// <summary>Splits rows at random into training, validation and test sets (e.g. 70/15/15).</summary>
/// <remarks>
/// n_test = ceil(testFraction * n), n_validation = ceil(validationFraction * n) (binary64, as scikit-learn's
/// <c>train_test_split</c> rounds a test size), n_train = the rest. One Fisher-Yates shuffle of 0..n-1 from the given
/// <see cref="Rng"/>: the first n_test shuffled rows are the test set, the next n_validation the validation set.
/// Source: the usual two calls of scikit-learn 1.2.1 <c>train_test_split</c>, done in one shuffle.
/// </remarks>
public static class TrainValidationTestSplit
{
    /// <summary>Draws a random train/validation/test split.</summary>
    /// <param name="nRows">Number of rows n, at least 3.</param>
    /// <param name="validationFraction">Fraction of rows for validation, in (0, 1), e.g. 0.15.</param>
    /// <param name="testFraction">Fraction of rows for test, in (0, 1), e.g. 0.15; the two fractions sum to less than 1.</param>
    /// <param name="rng">A stream for this split alone; read, not advanced.</param>
    /// <returns>The split, or <c>param.out_of_range</c> (a fraction outside (0, 1) or fractions summing to 1 or more) and <c>split.empty_side</c>.</returns>
    /// <example><c>TrainValidationTestSplit.Split(100, 0.15, 0.15, Rng.FromSeed(1))</c> gives 70/15/15 rows.</example>
    public static Validation<Problem, TrainValidationTest> Split(int nRows, double validationFraction, double testFraction, Rng rng)
    {
        if (!(validationFraction > 0 && validationFraction < 1 && testFraction > 0 && testFraction < 1 && validationFraction + testFraction < 1))
            return Valid.Fail<TrainValidationTest>("param.out_of_range",
                $"validation fraction {validationFraction} and test fraction {testFraction} must each lie in (0, 1) and sum to less than 1, e.g. 0.15 and 0.15 for 70/15/15");
        var nTest = (int)Math.Ceiling(testFraction * nRows);
        var nValidation = (int)Math.Ceiling(validationFraction * nRows);
        var nTrain = nRows - nTest - nValidation;
        if (nRows < 0 || nTrain <= 0 || nTest <= 0 || nValidation <= 0)
            return Valid.Fail<TrainValidationTest>("split.empty_side",
                $"with {nRows} row(s) the split has {nTrain} training, {nValidation} validation and {nTest} test row(s); every side needs at least 1 row");
        var order = Enumerable.Range(0, nRows).ToArray();
        new RngCursor(rng).Shuffle(order.AsSpan());
        var test = order[..nTest];
        var validation = order[nTest..(nTest + nValidation)];
        var train = order[(nTest + nValidation)..];
        Array.Sort(test);
        Array.Sort(validation);
        Array.Sort(train);
        return Valid.Ok(new TrainValidationTest(train, validation, test));
    }
}
