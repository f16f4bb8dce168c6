using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Split;

/// <summary>Splits rows into k folds; each fold is the test set once and the other k - 1 folds are its training set.</summary>
/// <remarks>
/// Fold sizes as scikit-learn: every fold has floor(n / k) rows and the first n mod k folds one more. Fold f holds the
/// next block of rows in order 0..n-1, or in a shuffled order (one Fisher-Yates shuffle with draws from the given
/// <see cref="Rng"/>) when <c>shuffle</c> is true. Without shuffling the folds are exactly scikit-learn's
/// <c>KFold(n_splits=k)</c>; with shuffling the sizes are the same but the rows differ (another generator), and Matbench's
/// official folds must be read from its <c>fold</c> column with <see cref="PredefinedFolds.FromLabels"/>.
/// Source: scikit-learn 1.2.1 <c>KFold._iter_test_indices</c>.
/// </remarks>
public static class KFold
{
    /// <summary>Builds the k train/test splits of k-fold cross-validation.</summary>
    /// <param name="nRows">Number of rows n, at least k.</param>
    /// <param name="k">Number of folds, 2 &lt;= k &lt;= n (5 in Matbench).</param>
    /// <param name="shuffle">Whether to shuffle the rows before cutting them into folds (recommended unless the order is random already).</param>
    /// <param name="rng">A stream for this split alone; read, not advanced; not used when <paramref name="shuffle"/> is false.</param>
    /// <returns>
    /// k splits with ascending indices (every row is in exactly one test set), or <c>param.out_of_range</c> when k &lt; 2 or
    /// k &gt; n.
    /// </returns>
    /// <example><c>KFold.Split(10, 3, shuffle: false, rng)</c> gives test folds {0..3}, {4..6}, {7..9}.</example>
    public static Validation<Problem, TrainTest[]> Split(int nRows, int k, bool shuffle, Rng rng)
    {
        if (k < 2)
            return Valid.Fail<TrainTest[]>("param.out_of_range",
                $"k-fold cross-validation needs at least 2 folds, found k = {k}; use k = 5 (Matbench) or k = 10");
        if (k > nRows)
            return Valid.Fail<TrainTest[]>("param.out_of_range",
                $"cannot make k = {k} folds from {nRows} row(s): each fold needs at least 1 row; use k <= {Math.Max(nRows, 0)} or more rows");

        var order = new int[nRows];
        for (var i = 0; i < nRows; i++) order[i] = i;
        if (shuffle) new RngCursor(rng).Shuffle(order.AsSpan());
        var foldOfRow = new int[nRows];
        var position = 0;
        for (var f = 0; f < k; f++)
        {
            var size = nRows / k + (f < nRows % k ? 1 : 0);
            for (var s = 0; s < size; s++) foldOfRow[order[position++]] = f;
        }
        return Valid.Ok(TrainTest.FromFoldOfRow(foldOfRow, k));
    }
}
