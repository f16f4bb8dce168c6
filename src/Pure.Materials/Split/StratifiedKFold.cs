using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Split;

/// <summary>Splits rows into k folds that keep each class's share of the rows: every fold holds, per class, within one row of count_c / k.</summary>
/// <remarks>
/// Classes are encoded in order of first appearance. The classes' rows are sorted by class and dealt round-robin to
/// the folds (row i of the sorted order goes to fold i mod k), which fixes how many rows of each class each fold gets;
/// inside each class the fold labels (0,...,0,1,...,1,...) are assigned to that class's rows in row order, or in an order
/// shuffled with the given <see cref="Rng"/> (one shuffle per class, in class order, from one stream) when
/// <c>shuffle</c> is true. Without shuffling the folds are exactly scikit-learn's <c>StratifiedKFold(n_splits=k)</c>.
/// Unlike scikit-learn, which only warns, a class with fewer than k rows is a problem: some fold would have none of it.
/// Source: scikit-learn 1.2.1 <c>StratifiedKFold._make_test_folds</c>.
/// </remarks>
public static class StratifiedKFold
{
    /// <summary>Builds the k stratified train/test splits.</summary>
    /// <param name="labels">Class label of each row, shape (n_rows,); any integers (e.g. 0/1 for a boolean target).</param>
    /// <param name="k">Number of folds, 2 &lt;= k &lt;= the smallest class count.</param>
    /// <param name="shuffle">Whether to shuffle each class's rows before dealing them to folds.</param>
    /// <param name="rng">A stream for this split alone; read, not advanced; unused when <paramref name="shuffle"/> is false.</param>
    /// <returns>
    /// k splits with ascending indices, or <c>param.out_of_range</c> (k &lt; 2 or k &gt; n), <c>split.too_few_classes</c>
    /// (a single class: nothing to stratify) and <c>split.class_too_small</c> (k larger than a class's count, naming the class).
    /// </returns>
    /// <example><c>StratifiedKFold.Split([0, 0, 0, 0, 1, 1, 1, 1], 2, false, rng)</c> tests rows {0, 1, 4, 5} then {2, 3, 6, 7}.</example>
    public static Validation<Problem, TrainTest[]> Split(IReadOnlyList<int> labels, int k, bool shuffle, Rng rng)
    {
        var n = labels.Count;
        if (k < 2)
            return Valid.Fail<TrainTest[]>("param.out_of_range", $"stratified k-fold needs at least 2 folds, found k = {k}");
        if (k > n)
            return Valid.Fail<TrainTest[]>("param.out_of_range", $"cannot make k = {k} folds from {n} row(s); use k <= {Math.Max(n, 0)}");
        var (encoded, classes) = Encode(labels);
        var counts = new int[classes.Length];
        foreach (var c in encoded) counts[c]++;
        if (classes.Length < 2)
            return Valid.Fail<TrainTest[]>("split.too_few_classes",
                $"the labels hold a single class ({classes[0]}); stratification needs at least 2 classes: use plain k-fold");
        var problems = new List<Problem>();
        for (var c = 0; c < classes.Length; c++)
            if (counts[c] < k)
                problems.Add(new Problem("split.class_too_small",
                    $"class {classes[c]} has {counts[c]} row(s), fewer than k = {k} folds, so some fold would have none of it; use k <= {counts.Min()} or merge rare classes"));
        if (problems.Count > 0) return Valid.Fail<TrainTest[]>(problems);

        // allocation[f, c] = number of rows of class c among positions f, f + k, f + 2k, ... of the class-sorted order.
        var sorted = encoded.Order().ToArray();
        var allocation = new int[k, classes.Length];
        for (var i = 0; i < n; i++) allocation[i % k, sorted[i]]++;
        var cursor = new RngCursor(rng);
        var foldOfRow = new int[n];
        for (var c = 0; c < classes.Length; c++)
        {
            var folds = new int[counts[c]];
            var p = 0;
            for (var f = 0; f < k; f++)
                for (var r = 0; r < allocation[f, c]; r++) folds[p++] = f;
            if (shuffle) cursor.Shuffle(folds.AsSpan());
            p = 0;
            for (var i = 0; i < n; i++)
                if (encoded[i] == c) foldOfRow[i] = folds[p++];
        }
        return Valid.Ok(TrainTest.FromFoldOfRow(foldOfRow, k));
    }

    /// <summary>Encodes labels as 0, 1, ... in order of first appearance.</summary>
    internal static (int[] Encoded, int[] Classes) Encode(IReadOnlyList<int> labels)
    {
        var index = new Dictionary<int, int>();
        var classes = new List<int>();
        var encoded = new int[labels.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            if (!index.TryGetValue(labels[i], out var c))
            {
                c = classes.Count;
                index[labels[i]] = c;
                classes.Add(labels[i]);
            }
            encoded[i] = c;
        }
        return (encoded, classes.ToArray());
    }
}
