using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Split;

/// <summary>Splits rows into k folds so that all rows of one group (e.g. one reduced formula) fall in the same fold: a group is never on both sides.</summary>
/// <remarks>
/// Groups are taken largest first and each is placed in the fold holding the fewest rows so far (the lowest-numbered such
/// fold on ties), which balances fold sizes. Groups of equal size are taken in order of first appearance, or in an order
/// shuffled with the given <see cref="Rng"/> when <c>shuffle</c> is true (so different seeds give different folds when
/// sizes tie). Without shuffling the folds equal scikit-learn's <c>GroupKFold(n_splits=k)</c> whenever group sizes are
/// distinct (scikit-learn breaks ties with numpy's unstable argsort).
/// Source: scikit-learn 1.2.1 <c>GroupKFold._iter_test_indices</c>; ML.NET <c>samplingKeyColumnName</c>.
/// </remarks>
public static class GroupKFold
{
    /// <summary>Builds the k group-respecting train/test splits.</summary>
    /// <param name="groups">Group id of each row, shape (n_rows,); any integers (see <c>Groups</c>).</param>
    /// <param name="k">Number of folds, 2 &lt;= k &lt;= number of distinct groups.</param>
    /// <param name="shuffle">Whether to shuffle groups of equal size before placing them.</param>
    /// <param name="rng">A stream for this split alone; read, not advanced; unused when <paramref name="shuffle"/> is false.</param>
    /// <returns>k splits with ascending indices, or <c>param.out_of_range</c> (k &lt; 2) and <c>split.too_few_groups</c> (k larger than the number of groups).</returns>
    /// <example><c>GroupKFold.Split([0, 0, 0, 1, 1, 2], 2, false, rng)</c> tests rows {0, 1, 2} then {3, 4, 5}.</example>
    public static Validation<Problem, TrainTest[]> Split(IReadOnlyList<int> groups, int k, bool shuffle, Rng rng)
    {
        if (k < 2)
            return Valid.Fail<TrainTest[]>("param.out_of_range", $"group k-fold needs at least 2 folds, found k = {k}");
        var (encoded, ids) = StratifiedKFold.Encode(groups);
        if (k > ids.Length)
            return Valid.Fail<TrainTest[]>("split.too_few_groups",
                $"cannot make k = {k} folds from {ids.Length} group(s): each fold needs a whole group; use k <= {ids.Length} or finer groups");
        var sizes = new int[ids.Length];
        foreach (var g in encoded) sizes[g]++;
        var order = Enumerable.Range(0, ids.Length).ToArray();
        if (shuffle) new RngCursor(rng).Shuffle(order.AsSpan());
        var byLargest = order.OrderByDescending(g => sizes[g]).ToArray(); // stable: ties keep first-appearance or shuffled order
        var weight = new int[k];
        var foldOfGroup = new int[ids.Length];
        foreach (var g in byLargest)
        {
            var lightest = 0;
            for (var f = 1; f < k; f++)
                if (weight[f] < weight[lightest]) lightest = f;
            foldOfGroup[g] = lightest;
            weight[lightest] += sizes[g];
        }
        var foldOfRow = encoded.Select(g => foldOfGroup[g]).ToArray();
        return Valid.Ok(TrainTest.FromFoldOfRow(foldOfRow, k));
    }
}
