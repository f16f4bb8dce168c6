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
        var tables = inputs.Select(path => Csv.ReadFile(path)).ToList();
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
                var std = iStd >= 0 && double.TryParse(cells[iStd], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : 0.0;
                rows.Add((index, score, std, cells));
            }
        }
        // The order of Screen.Run (ScoredCandidate.Order): higher score, then smaller std, then smaller index.
        var best = rows.OrderByDescending(x => x.Score).ThenBy(x => x.Std).ThenBy(x => x.Index).Take(top).ToList();
        // --out -: the merged CSV on standard output, the message on stderr.
        var toStdout = output == Outputs.Standard;
        var temp = toStdout ? null : Outputs.Temporary(output);
        using (var file = temp is null ? null : new StreamWriter(temp))
        {
            var writer = file ?? Console.Out;
            Csv.Write(writer, header, best.Select((x, k) => (IEnumerable<string>)x.Cells.Select((c, j) => j == Col("rank") ? (k + 1).ToString(CultureInfo.InvariantCulture) : c).ToArray()));
            writer.Flush();
        }
        if (temp is not null) Outputs.Commit([(temp, output)]);
        (toStdout ? Console.Error : Console.Out).WriteLine($"merged {rows.Count:N0} candidates from {inputs.Length} shards; wrote the best {best.Count} to {(toStdout ? "standard output" : output)}");
        return [];
    }
}
