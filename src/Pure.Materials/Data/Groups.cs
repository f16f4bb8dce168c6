using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Data;

/// <summary>Builds group ids per row for <c>GroupKFold</c>: by reduced formula (polymorphs and formula multiples together) or by a table column.</summary>
/// <remarks>Ids are 0, 1, ... in order of first appearance. Source: ML.NET <c>samplingKeyColumnName</c>; matbench practice of keeping a composition's polymorphs together.</remarks>
public static class Groups
{
    /// <summary>Groups rows by the reduced formula of their composition (Fe2O3 and Fe4O6 share a group).</summary>
    /// <param name="dataset">A dataset with a formula column.</param>
    /// <returns>Group id per row, shape (n_rows,), or <c>param.missing</c> when the dataset has no compositions.</returns>
    public static Validation<Problem, int[]> ByReducedFormula(Dataset dataset) =>
        dataset.Compositions is { } cs
            ? Valid.Ok(Encode(cs.Select(c => c.ReducedFormula)))
            : Valid.Fail<int[]>("param.missing", "grouping by reduced formula needs a formula column; set DatasetSpec.FormulaColumn or group by a column");

    /// <summary>Groups rows by the text of one column (cells compared exactly, after trimming).</summary>
    /// <param name="table">The table the dataset was read from (same rows, same order).</param>
    /// <param name="column">Column name, matched exactly.</param>
    /// <returns>Group id per row, or <c>csv.missing_column</c> (listing the columns that exist).</returns>
    public static Validation<Problem, int[]> ByColumn(CsvTable table, string column) =>
        table.ColumnIndex(column).Map(j => Encode(table.Rows.Select(r => r[j].Trim())));

    /// <summary>Encodes any keys as 0, 1, ... in order of first appearance (see <see cref="GroupIds.Encode"/>).</summary>
    /// <param name="keys">One key per row.</param>
    /// <returns>Group id per row.</returns>
    public static int[] Encode<TKey>(IEnumerable<TKey> keys) where TKey : notnull => GroupIds.Encode(keys);
}
