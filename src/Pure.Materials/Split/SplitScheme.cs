using LanguageExt;
using Pure.Materials.Core;

namespace Pure.Materials.Split;

/// <summary>Describes how rows may be split (plain, by group, by class, or both) so that model selection makes every split the same way: k folds of any subset of rows, and one held-out test split.</summary>
/// <remarks>
/// A scheme holds the per-row group ids and/or class labels of the whole data set, so the inner folds of a search on
/// some development rows and the outer test split both respect them: a group never straddles the development and test
/// rows or an inner training and validation fold, and class shares are kept in both. All splits are shuffled from the
/// given stream. Source: scikit-learn 1.2.1 <c>KFold</c>, <c>GroupKFold</c>, <c>StratifiedKFold</c>,
/// <c>StratifiedGroupKFold</c>, <c>ShuffleSplit</c>, <c>GroupShuffleSplit</c>, <c>StratifiedShuffleSplit</c>.
/// </remarks>
public abstract record SplitScheme
{
    private SplitScheme() { }

    /// <summary>Plain shuffled k-fold and a shuffled train/test split.</summary>
    /// <param name="K">Number of folds, at least 2.</param>
    public sealed record Plain(int K) : SplitScheme;

    /// <summary>Group k-fold and a group shuffle split (whole groups on each side).</summary>
    /// <param name="K">Number of folds, at least 2.</param>
    /// <param name="Groups">Group id of every row of the data set, shape (n_rows,).</param>
    public sealed record Grouped(int K, IReadOnlyList<int> Groups) : SplitScheme;

    /// <summary>Stratified k-fold and a stratified train/test split (each class's share kept).</summary>
    /// <param name="K">Number of folds, at least 2.</param>
    /// <param name="Labels">Class label of every row of the data set, shape (n_rows,).</param>
    public sealed record Stratified(int K, IReadOnlyList<int> Labels) : SplitScheme;

    /// <summary>Stratified group k-fold, and its first fold as the held-out test split.</summary>
    /// <param name="K">Number of folds, at least 2.</param>
    /// <param name="Labels">Class label of every row, shape (n_rows,).</param>
    /// <param name="Groups">Group id of every row, shape (n_rows,).</param>
    public sealed record StratifiedGrouped(int K, IReadOnlyList<int> Labels, IReadOnlyList<int> Groups) : SplitScheme;

    /// <summary>Makes the scheme's k shuffled folds of some rows of the data set.</summary>
    /// <param name="rows">Rows of the data set to split (e.g. the development rows of a held-out split), 0-based.</param>
    /// <param name="rng">A stream for this split alone.</param>
    /// <returns>k splits whose indices are positions in <paramref name="rows"/> (0 .. rows.Count - 1), or the splitter's problems
    /// (e.g. <c>split.too_few_groups</c>, <c>split.class_too_small</c>).</returns>
    public Validation<Problem, TrainTest[]> Folds(IReadOnlyList<int> rows, Rng rng) => this switch
    {
        Plain p => KFold.Split(rows.Count, p.K, true, rng),
        Grouped g => GroupKFold.Split(Pick(g.Groups, rows), g.K, true, rng),
        Stratified s => StratifiedKFold.Split(Pick(s.Labels, rows), s.K, true, rng),
        StratifiedGrouped sg => StratifiedGroupKFold.Split(Pick(sg.Labels, rows), Pick(sg.Groups, rows), sg.K, true, rng),
        _ => throw new InvalidOperationException("unknown split scheme"),
    };

    /// <summary>Draws one held-out test split of all <paramref name="nRows"/> rows that respects the scheme.</summary>
    /// <param name="nRows">Number of rows of the data set (the length of the scheme's groups or labels).</param>
    /// <param name="testFraction">Fraction in (0, 1) of the rows held out, e.g. 0.2.</param>
    /// <param name="rng">A stream for this split alone.</param>
    /// <returns>
    /// The split with ascending indices. Plain: <see cref="TrainTestSplit"/> (ceil(f n) test rows). Grouped: ceil(f n_groups)
    /// groups drawn at random are the test rows (scikit-learn's <c>GroupShuffleSplit</c>). Stratified: ceil(f n) test rows,
    /// per class floor(share) plus one for the largest remainders (ties to the lower class), drawn at random within the
    /// class (the sizes of scikit-learn's <c>StratifiedShuffleSplit</c> up to tie-breaking). Stratified and grouped: the
    /// first of K' = max(2, round(1 / f)) shuffled stratified group folds (so about n / K' test rows).
    /// Problems: <c>param.out_of_range</c> (fraction outside (0, 1)), <c>shape.rows_mismatch</c> (nRows differs from the
    /// scheme's rows), <c>split.empty_side</c> (a side without rows or groups), <c>split.class_too_small</c> (a class with
    /// fewer than 2 rows), and those of the k-fold splitters.
    /// </returns>
    public Validation<Problem, TrainTest> HoldOut(int nRows, double testFraction, Rng rng)
    {
        if (!(testFraction > 0.0 && testFraction < 1.0))
            return Valid.Fail<TrainTest>("param.out_of_range", $"testFraction is {testFraction}; it must lie strictly between 0 and 1, e.g. 0.2 for a 80/20 split");
        var known = this switch { Grouped g => g.Groups.Count, Stratified s => s.Labels.Count, StratifiedGrouped sg => sg.Labels.Count, _ => nRows };
        if (known != nRows)
            return Valid.Fail<TrainTest>("shape.rows_mismatch", $"the split scheme holds {known} row(s) but the data set has {nRows}");
        return this switch
        {
            Plain => TrainTestSplit.Split(nRows, testFraction, rng),
            Grouped g => GroupHoldOut(g.Groups, testFraction, rng),
            Stratified s => StratifiedHoldOut(s.Labels, testFraction, rng),
            StratifiedGrouped sg => StratifiedGroupKFold.Split(sg.Labels, sg.Groups, Math.Max(2, (int)Math.Round(1.0 / testFraction)), true, rng).Map(f => f[0]),
            _ => throw new InvalidOperationException("unknown split scheme"),
        };
    }

    private static int[] Pick(IReadOnlyList<int> values, IReadOnlyList<int> rows) => rows.Select(r => values[r]).ToArray();

    private static Validation<Problem, TrainTest> GroupHoldOut(IReadOnlyList<int> groups, double fraction, Rng rng)
    {
        var ids = GroupIds.Encode(groups);
        var nGroups = ids.Length == 0 ? 0 : ids.Max() + 1;
        var nTest = (int)Math.Ceiling(fraction * nGroups);
        if (nTest == 0 || nTest >= nGroups)
            return Valid.Fail<TrainTest>("split.empty_side",
                $"with {nGroups} group(s) and testFraction {fraction} the held-out split has {nGroups - nTest} development and {nTest} test group(s); both sides need a group: use more groups or a fraction closer to 0.5");
        var order = Enumerable.Range(0, nGroups).ToArray();
        new RngCursor(rng).Shuffle(order.AsSpan());
        var isTest = new bool[nGroups];
        foreach (var g in order[..nTest]) isTest[g] = true;
        return Valid.Ok(FromMask(ids.Select(g => isTest[g]).ToArray()));
    }

    private static Validation<Problem, TrainTest> StratifiedHoldOut(IReadOnlyList<int> labels, double fraction, Rng rng)
    {
        var n = labels.Count;
        var (encoded, classes) = StratifiedKFold.Encode(labels);
        var counts = new int[classes.Length];
        foreach (var c in encoded) counts[c]++;
        var small = Enumerable.Range(0, classes.Length).Where(c => counts[c] < 2).Select(c => new Problem("split.class_too_small",
            $"class {classes[c]} has {counts[c]} row, so it cannot be on both sides of a stratified held-out split; merge rare classes or do not stratify (SplitScheme.Stratified)")).ToArray();
        if (small.Length > 0) return Valid.Fail<TrainTest>(small);
        var nTest = (int)Math.Ceiling(fraction * n);
        if (nTest < classes.Length || n - nTest < classes.Length)
            return Valid.Fail<TrainTest>("split.empty_side",
                $"with {n} row(s) and testFraction {fraction} the held-out split has {n - nTest} development and {nTest} test row(s), fewer than the {classes.Length} classes; use a fraction closer to 0.5");
        var take = new int[classes.Length];
        var remainder = new double[classes.Length];
        for (var c = 0; c < classes.Length; c++)
        {
            var exact = (double)nTest * counts[c] / n;
            take[c] = (int)Math.Floor(exact);
            remainder[c] = exact - take[c];
        }
        foreach (var c in Enumerable.Range(0, classes.Length).OrderByDescending(c => remainder[c]).Take(nTest - take.Sum())) take[c]++;
        var cursor = new RngCursor(rng);
        var isTest = new bool[n];
        for (var c = 0; c < classes.Length; c++)
        {
            var rows = Enumerable.Range(0, n).Where(i => encoded[i] == c).ToArray();
            cursor.Shuffle(rows.AsSpan());
            foreach (var r in rows[..take[c]]) isTest[r] = true;
        }
        return Valid.Ok(FromMask(isTest));
    }

    private static TrainTest FromMask(bool[] isTest) =>
        new(Enumerable.Range(0, isTest.Length).Where(i => !isTest[i]).ToArray(), Enumerable.Range(0, isTest.Length).Where(i => isTest[i]).ToArray());
}
