using System.CommandLine;
using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;

namespace Pure.Materials.Cli;

/// <summary>The <c>merge</c> command: combines the outputs of <c>screen --shard k/N</c> into one ranked list, equal to the unsharded run's.</summary>
internal static class MergeCommand
{
    public static Command Definition(Func<Func<IReadOnlyList<Problem>>, int> run)
    {
        var inputs = new Argument<string[]>("inputs") { Description = "The shards' CSV files written by screen --shard k/N --out FILE (or --out - redirected to a file).", Arity = ArgumentArity.OneOrMore };
        var top = Options.Top();
        var output = Options.RequiredOut();
        var command = new Command("merge", "Merge the best candidates of screen shards into one ranked list (the same as screening unsharded with the same --top).") { inputs, top, output };
        command.SetAction(r => run(() => Run(r.GetValue(inputs) ?? [], r.GetValue(top), r.GetValue(output)!)));
        return command;
    }

    public static IReadOnlyList<Problem> Run(string[] inputs, int top, string output)
    {
        if (top < 1) return [new Problem("param.out_of_range", $"--top {top}: keep at least 1 candidate")];
        var tables = inputs.Select(Read).ToList();
        var problems = tables.SelectMany(t => t.Problems()).ToList();
        if (problems.Count > 0) return problems;
        var header = tables[0].OrThrow().Header;
        string[] required = ["rank", "index", "candidate", "y_pred", "score"];
        var missing = required.Where(c => !header.Contains(c)).ToArray();
        if (missing.Length > 0)
            return [new Problem("csv.missing_column", $"'{inputs[0]}' has no column {string.Join(", ", missing)}: merge reads the files screen --shard writes", Column: missing[0])];
        for (var i = 1; i < tables.Count; i++)
            if (!tables[i].OrThrow().Header.SequenceEqual(header))
                return [new Problem("csv.header_mismatch", $"'{inputs[i]}' has the columns {string.Join(",", tables[i].OrThrow().Header)}, '{inputs[0]}' has {string.Join(",", header)}: merge shards of one screen")];
        int Col(string name) => header.ToList().IndexOf(name);
        var (iIndex, iScore, iStd) = (Col("index"), Col("score"), Col("y_std"));
        var rows = new List<(long Index, double Score, double Std, string[] Cells)>();
        var seen = new HashSet<long>();
        for (var t = 0; t < tables.Count; t++)
        {
            var table = tables[t].OrThrow();
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var cells = table.Rows[r];
                if (!long.TryParse(cells[iIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                    || !double.TryParse(cells[iScore], NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
                    return [new Problem("csv.invalid_value", $"'{inputs[t]}': the index or score is not a number", r + 2, "score")];
                if (!seen.Add(index))
                    return [new Problem("merge.duplicate_candidate", $"'{inputs[t]}': candidate index {index} is in two inputs; the shards of one screen are disjoint (k/N for k = 0..N-1)", r + 2, "index")];
                for (var j = 0; j < header.Count; j++)
                {
                    var ok = header[j] is "rank" or "n_features_out_of_range" ? long.TryParse(cells[j], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                        : header[j] is "candidate" or "unseen_elements" or "index" || cells[j].Length == 0
                        || double.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                    if (!ok)
                        return [new Problem("csv.invalid_value", $"'{inputs[t]}': '{cells[j]}' in column '{header[j]}' is not a number; merge reads the files screen --shard writes", r + 2, header[j])];
                }
                var std = iStd >= 0 && double.TryParse(cells[iStd], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0.0;
                rows.Add((index, score, std, cells));
            }
        }
        // The order of Screen.Run (ScoredCandidate.Order): higher score, then smaller std, then smaller index.
        var best = rows.OrderByDescending(x => x.Score).ThenBy(x => x.Std).ThenBy(x => x.Index).Take(top).ToList();
        // --out -: the merged CSV on standard output, the message on stderr.
        var toStdout = output == Outputs.Standard;
        var temp = toStdout ? null : Outputs.Temporary(output);
        using (var file = temp is null ? null : new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            // The columns screen writes, typed as screen types them; cells parse back to the values screen formatted, so a CSV
            // merge is byte-equal to the unsharded run and a Parquet merge holds the same values.
            var columns = header.Select(h => new OutputColumn(h, h is "rank" or "index" or "n_features_out_of_range" ? ColumnKind.Integer
                : h is "candidate" or "unseen_elements" ? ColumnKind.Text : ColumnKind.Number)).ToArray();
            using var table = file is null ? TableWriter.CreateCsv(Console.Out, columns) : TableWriter.Create(file, TableWriter.FormatOf(output), columns);
            foreach (var (x, k) in best.Select((x, k) => (x, k)))
            {
                for (var j = 0; j < columns.Length; j++)
                {
                    var cell = j == Col("rank") ? (k + 1).ToString(CultureInfo.InvariantCulture) : x.Cells[j];
                    switch (columns[j].Kind)
                    {
                        case ColumnKind.Integer: table.Integer(long.Parse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)); break;
                        case ColumnKind.Number: table.Number(cell.Length == 0 ? double.NaN : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture)); break;
                        default: table.Text(cell); break;
                    }
                }
                table.EndRow();
            }
            table.Complete();
        }
        if (temp is not null) Outputs.Commit([(temp, output)]);
        (toStdout ? Console.Error : Console.Out).WriteLine($"merged {rows.Count:N0} candidates from {inputs.Length} shards; wrote the best {best.Count} to {(toStdout ? "standard output" : output)}");
        return [];
    }

    /// <summary>A shard file: Parquet for <c>*.parquet</c> / <c>*.pq</c>, CSV otherwise; cells as text either way.</summary>
    private static LanguageExt.Validation<Problem, CsvTable> Read(string path)
    {
        if (TableWriter.FormatOf(path) == TableFormat.Csv || !File.Exists(path)) return Csv.ReadFile(path);
        using var stream = File.OpenRead(path);
        return ParquetTables.Read(stream, path);
    }
}
