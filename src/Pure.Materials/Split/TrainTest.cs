namespace Pure.Materials.Split;

/// <summary>Holds one split of the rows into training and test rows, as 0-based row indices.</summary>
/// <param name="Train">Training row indices, ascending, shape (n_train,).</param>
/// <param name="Test">Test row indices, ascending, shape (n_test,); disjoint from <paramref name="Train"/>.</param>
/// <remarks>
/// Treat both arrays as read-only: the splitters build fresh arrays and never share them. They are arrays so that
/// <c>x.SelectRows(split.Train)</c> works directly. Value equality compares the indices, so "same seed, same split" is
/// testable with <c>==</c>. Source: the <c>(train, test)</c> index pairs of scikit-learn's splitters.
/// </remarks>
public sealed record TrainTest(int[] Train, int[] Test)
{
    /// <summary>Compares the indices of both sides.</summary>
    /// <param name="other">The other split.</param>
    /// <returns>True when both hold the same training and the same test indices.</returns>
    public bool Equals(TrainTest? other) =>
        other is not null && Train.AsSpan().SequenceEqual(other.Train) && Test.AsSpan().SequenceEqual(other.Test);

    /// <summary>Hashes the indices, consistently with <see cref="Equals(TrainTest?)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var i in Test) h.Add(i);
        h.Add(Train.Length);
        return h.ToHashCode();
    }

    /// <summary>Prints the sizes and the first test indices, e.g. <c>TrainTest { Train = 80 rows, Test = 20 rows [0, 7, 9, ...] }</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"TrainTest {{ Train = {Train.Length} rows, Test = {Test.Length} rows [{string.Join(", ", Test.Take(8))}{(Test.Length > 8 ? ", ..." : "")}] }}";

    /// <summary>Builds one split per fold from the fold of each row: test k = rows with fold k, train k = the other rows, both ascending.</summary>
    /// <param name="foldOfRow">Fold of each row, each in [0, k).</param>
    /// <param name="k">Number of folds.</param>
    internal static TrainTest[] FromFoldOfRow(ReadOnlySpan<int> foldOfRow, int k)
    {
        var n = foldOfRow.Length;
        var sizes = new int[k];
        foreach (var f in foldOfRow) sizes[f]++;
        var splits = new TrainTest[k];
        for (var f = 0; f < k; f++)
        {
            var train = new int[n - sizes[f]];
            var test = new int[sizes[f]];
            int a = 0, b = 0;
            for (var i = 0; i < n; i++)
            {
                if (foldOfRow[i] == f) test[b++] = i;
                else train[a++] = i;
            }
            splits[f] = new TrainTest(train, test);
        }
        return splits;
    }
}
