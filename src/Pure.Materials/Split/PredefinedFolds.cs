using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Split;

/// <summary>Builds cross-validation splits from a given fold label per row, such as Matbench's <c>fold</c> column.</summary>
/// <remarks>
/// Test set k = the rows labelled k; training set k = all other rows; K = the number of distinct labels. Use it to
/// reproduce published folds exactly (Matbench v0.1 made its folds with numpy's generator, which is not reproduced here).
/// Source: scikit-learn 1.2.1 <c>PredefinedSplit</c> (without its -1 "always train" label); Matbench v0.1 fold column.
/// </remarks>
public static class PredefinedFolds
{
    /// <summary>Builds one split per fold label.</summary>
    /// <param name="foldOfRow">Fold label of each row, shape (n_rows,); labels must be 0, 1, ..., K-1 with every label present and K &gt;= 2.</param>
    /// <returns>
    /// K splits with ascending indices, split k testing the rows labelled k; or problems: <c>fold.negative_label</c>
    /// (one per row with a negative label, at most 10), <c>fold.missing_label</c> (one per label in 0..max that no row has)
    /// and <c>fold.too_few_folds</c> (fewer than 2 distinct labels, or no rows).
    /// </returns>
    /// <example><c>PredefinedFolds.FromLabels([0, 1, 0, 2, 1, 2])</c> gives 3 splits; split 0 tests rows 0 and 2.</example>
    public static Validation<Problem, TrainTest[]> FromLabels(IReadOnlyList<int> foldOfRow)
    {
        var problems = new List<Problem>();
        var labels = new int[foldOfRow.Count];
        var max = -1;
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = foldOfRow[i];
            if (labels[i] < 0)
            {
                if (problems.Count < 10)
                    problems.Add(new Problem("fold.negative_label",
                        $"row index {i} (0-based) has fold label {labels[i]}; labels must be 0, 1, ..., K-1", i + 1, "fold"));
                continue;
            }
            max = Math.Max(max, labels[i]);
        }
        if (max < 1)
            problems.Add(new Problem("fold.too_few_folds",
                $"found {max + 1} distinct fold label(s) in {labels.Length} row(s); cross-validation needs at least 2 folds", null, "fold"));
        if (problems.Count > 0) return Valid.Fail<TrainTest[]>(problems);

        // Memory follows the data, not the largest label: the distinct labels, sorted (at most one per row).
        var distinct = new SortedSet<int>(labels);
        var missingCount = (long)max + 1 - distinct.Count;
        if (missingCount > 0 && missingCount <= 10)
        {
            for (var f = 0; f <= max; f++)
                if (!distinct.Contains(f))
                    problems.Add(new Problem("fold.missing_label",
                        $"no row has fold label {f}, while labels go up to {max}; labels must be 0, 1, ..., K-1 with every fold non-empty (renumber them)",
                        null, "fold"));
        }
        else if (missingCount > 10)
        {
            var used = string.Join(", ", distinct.Take(10)) + (distinct.Count > 10 ? ", ..." : "");
            problems.Add(new Problem("fold.missing_label",
                $"fold labels go up to {max} but only {distinct.Count} distinct labels are used ({used}): {missingCount} labels in 0..{max} have no row; labels must be 0, 1, ..., K-1 with every fold non-empty (renumber them 0..{distinct.Count - 1})",
                null, "fold"));
        }
        return problems.Count > 0 ? Valid.Fail<TrainTest[]>(problems) : Valid.Ok(TrainTest.FromFoldOfRow(labels, max + 1));
    }
}
