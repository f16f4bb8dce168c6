using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Split;

/// <summary>Splits rows into k folds that keep every group whole (no group straddles train and test) while keeping each class's share of the rows as even as the groups allow.</summary>
/// <remarks>
/// Groups and classes are encoded in ascending order of their values (numpy's <c>np.unique</c>). For each group the
/// per-class row counts are formed; groups are visited in descending order of the population standard deviation of
/// their class counts (a stable sort, so equal deviations keep group order); each group goes to the fold f that
/// minimises mean over classes c of std over folds of count[fold, c] / count[c] after adding the group, ties (within
/// numpy's <c>isclose</c>: |a - b| &lt;= 1e-8 + 1e-5 |b|) broken by the fold with fewer rows, then by lower fold number.
/// Sums are taken in numpy's order, so without shuffling the folds are exactly scikit-learn's
/// <c>StratifiedGroupKFold(n_splits=k)</c>. With shuffling, the order of the groups is shuffled with the given
/// <see cref="Rng"/> before the stable sort (what scikit-learn's documentation describes; scikit-learn 1.2.1 shuffles the
/// count rows without their group ids, a known bug, so its shuffled folds are not reproduced).
/// Unlike scikit-learn, which only warns, a class with fewer than k rows is a problem: some fold would have none of it.
/// Source: scikit-learn 1.2.1 <c>StratifiedGroupKFold._iter_test_indices</c> and <c>_find_best_fold</c>.
/// </remarks>
public static class StratifiedGroupKFold
{
    /// <summary>Builds the k stratified, group-respecting train/test splits.</summary>
    /// <param name="labels">Class label of each row, shape (n_rows,); any integers (e.g. 0/1 for a boolean target).</param>
    /// <param name="groups">Group id of each row, shape (n_rows,); any integers (see <c>Groups</c>).</param>
    /// <param name="k">Number of folds, 2 &lt;= k &lt;= the number of distinct groups and &lt;= the smallest class count.</param>
    /// <param name="shuffle">Whether to shuffle the groups before placing them (groups of equal class spread then land in a seeded order).</param>
    /// <param name="rng">A stream for this split alone; read, not advanced; unused when <paramref name="shuffle"/> is false.</param>
    /// <returns>
    /// k splits with ascending indices, or <c>param.out_of_range</c> (k &lt; 2), <c>shape.rows_mismatch</c> (labels and groups
    /// of different lengths), <c>split.too_few_groups</c> (k larger than the number of groups), <c>split.too_few_classes</c>
    /// (one class) and <c>split.class_too_small</c> (k larger than a class's count, naming the class).
    /// </returns>
    /// <example><c>StratifiedGroupKFold.Split([0, 0, 1, 1, 0, 1], [0, 0, 1, 1, 2, 2], 3, false, rng)</c> keeps rows {0, 1}, {2, 3} and {4, 5} together.</example>
    public static Validation<Problem, TrainTest[]> Split(IReadOnlyList<int> labels, IReadOnlyList<int> groups, int k, bool shuffle, Rng rng)
    {
        if (k < 2)
            return Valid.Fail<TrainTest[]>("param.out_of_range", $"stratified group k-fold needs at least 2 folds, found k = {k}");
        if (labels.Count != groups.Count)
            return Valid.Fail<TrainTest[]>("shape.rows_mismatch", $"{labels.Count} class label(s) but {groups.Count} group id(s); give one of each per row");
        var n = labels.Count;
        var (y, classes) = SortedEncode(labels);
        var (g, groupIds) = SortedEncode(groups);
        var problems = new List<Problem>();
        if (k > groupIds.Length)
            problems.Add(new Problem("split.too_few_groups",
                $"cannot make k = {k} folds from {groupIds.Length} group(s): each fold needs a whole group; use k <= {groupIds.Length} or finer groups"));
        var classCount = new double[classes.Length];
        foreach (var c in y) classCount[c]++;
        if (classes.Length == 1)
            problems.Add(new Problem("split.too_few_classes",
                $"the labels hold a single class ({classes[0]}); stratification needs at least 2 classes: use group k-fold"));
        else
            for (var c = 0; c < classes.Length; c++)
                if (classCount[c] < k)
                    problems.Add(new Problem("split.class_too_small",
                        $"class {classes[c]} has {classCount[c]} row(s), fewer than k = {k} folds, so some fold would have none of it; use k <= {(int)classCount.Min()} or merge rare classes"));
        if (problems.Count > 0) return Valid.Fail<TrainTest[]>(problems);

        var countsPerGroup = new double[groupIds.Length][];
        for (var i = 0; i < groupIds.Length; i++) countsPerGroup[i] = new double[classes.Length];
        for (var i = 0; i < n; i++) countsPerGroup[g[i]][y[i]]++;
        var order = Enumerable.Range(0, groupIds.Length).ToArray();
        if (shuffle) new RngCursor(rng).Shuffle(order.AsSpan());
        var spread = countsPerGroup.Select(row => Std(row)).ToArray();
        var visit = order.OrderByDescending(i => spread[i]).ToArray(); // stable, as numpy's mergesort of -std

        var countsPerFold = new double[k][];
        for (var f = 0; f < k; f++) countsPerFold[f] = new double[classes.Length];
        var foldOfGroup = new int[groupIds.Length];
        foreach (var group in visit)
        {
            var best = BestFold(countsPerFold, classCount, countsPerGroup[group]);
            for (var c = 0; c < classes.Length; c++) countsPerFold[best][c] += countsPerGroup[group][c];
            foldOfGroup[group] = best;
        }
        var foldOfRow = g.Select(i => foldOfGroup[i]).ToArray();
        return Valid.Ok(TrainTest.FromFoldOfRow(foldOfRow, k));
    }

    private static int BestFold(double[][] countsPerFold, double[] classCount, double[] add)
    {
        int k = countsPerFold.Length, nc = classCount.Length;
        var best = -1;
        double minEval = double.PositiveInfinity, minSamples = double.PositiveInfinity;
        var ratios = new double[k];
        var stdPerClass = new double[nc];
        for (var i = 0; i < k; i++)
        {
            for (var c = 0; c < nc; c++) countsPerFold[i][c] += add[c];
            for (var c = 0; c < nc; c++)
            {
                for (var f = 0; f < k; f++) ratios[f] = countsPerFold[f][c] / classCount[c];
                stdPerClass[c] = StdOuterAxis(ratios);
            }
            for (var c = 0; c < nc; c++) countsPerFold[i][c] -= add[c];
            var eval = NumpySum.Pairwise(stdPerClass) / nc;
            var samples = NumpySum.Pairwise(countsPerFold[i]);
            var close = Math.Abs(eval - minEval) <= 1e-8 + 1e-5 * Math.Abs(minEval);
            if (eval < minEval || (close && samples < minSamples))
            {
                minEval = eval;
                minSamples = samples;
                best = i;
            }
        }
        return best;
    }

    /// <summary>numpy's std of a contiguous row (axis=1): sums start from 0 and add pairwise over the whole row.</summary>
    private static double Std(double[] a) => NumpySum.Std(a);

    /// <summary>numpy's std down a column (axis=0): sums row by row, left to right.</summary>
    private static double StdOuterAxis(double[] a)
    {
        var s = a[0];
        for (var i = 1; i < a.Length; i++) s += a[i];
        var mean = s / a.Length;
        var q = (a[0] - mean) * (a[0] - mean);
        for (var i = 1; i < a.Length; i++) q += (a[i] - mean) * (a[i] - mean);
        return Math.Sqrt(q / a.Length);
    }

    /// <summary>Encodes values as 0, 1, ... in ascending order of value (numpy's <c>np.unique(..., return_inverse=True)</c>).</summary>
    private static (int[] Encoded, int[] Values) SortedEncode(IReadOnlyList<int> values)
    {
        var distinct = values.Distinct().Order().ToArray();
        var index = new Dictionary<int, int>();
        for (var i = 0; i < distinct.Length; i++) index[distinct[i]] = i;
        return (values.Select(v => index[v]).ToArray(), distinct);
    }
}
