using System.Globalization;
using LanguageExt;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;

namespace Pure.Materials.Cli;

/// <summary><c>--on-error skip</c> for <c>cv</c> and <c>search</c>: rows with a row-level problem (bad formula, non-numeric or
/// missing target, bad feature cell, infinite feature) are left out before the run and listed in the skipped-rows report
/// (<c>row, id, column, code, message</c>; rows numbered as in the file, 1-based data rows); never dropped silently.</summary>
internal sealed class SkippedRows
{
    private static readonly string[] IdCandidates = ["mbid", "id", "material_id", "Index"];
    private readonly List<(int Row, string Id, Problem Problem)> _rows = [];
    private int[]? _kept;

    /// <summary>Rows left out, in file order.</summary>
    public int Count => _rows.Count;

    /// <summary>Validates <c>--on-error</c>.</summary>
    public static Problem? CheckOption(string onError) =>
        onError is "stop" or "skip" ? null : new Problem("param.invalid_value", $"--on-error {onError} is not accepted; use stop (report every bad row, run nothing) or skip (leave bad rows out and list them)");

    /// <summary>With skip, returns the table without the rows that have problems (repeated until the rest loads); with stop, the table.</summary>
    public Validation<Problem, CsvTable> Apply(string onError, DatasetSpec spec, IReadOnlyList<ICompositionFeaturizer> featurizers, CsvTable table)
    {
        if (onError != "skip") return Valid.Ok(table);
        var original = Enumerable.Range(1, table.Rows.Count).ToArray();
        var idCol = spec.IdColumn is { } idName ? table.Header.ToList().IndexOf(idName)
            : IdCandidates.Select(c => table.Header.ToList().IndexOf(c)).FirstOrDefault(i => i >= 0, -1);
        // Rows with the wrong number of fields (kept by the reader in skip mode) go first: nothing else can be read from them.
        var current = table;
        if (table.Rows.Any(r => r.Length != table.Header.Count))
        {
            var wellFormed = new List<string[]>();
            var wellFormedOriginal = new List<int>();
            for (var i = 0; i < table.Rows.Count; i++)
            {
                var fields = table.Rows[i];
                if (fields.Length == table.Header.Count)
                {
                    wellFormed.Add(fields);
                    wellFormedOriginal.Add(i + 1);
                    continue;
                }
                _rows.Add((i + 1, idCol >= 0 && idCol < fields.Length ? fields[idCol] : (i + 1).ToString(CultureInfo.InvariantCulture),
                    new Problem("csv.bad_row", $"row {i + 1} has {fields.Length} fields, the header has {table.Header.Count}; fix the quoting or the number of commas", i + 1)));
            }
            if (wellFormed.Count == 0)
                return Valid.Fail<CsvTable>(new Problem("data.all_rows_skipped",
                    $"all {table.Rows.Count} rows of {table.Source} have problems and were skipped, nothing is left to run on; the first: {_rows[0].Problem}"));
            original = [.. wellFormedOriginal];
            current = new CsvTable(table.Source, table.Header, wellFormed);
        }
        for (var pass = 0; pass < 100; pass++)
        {
            var loaded = Dataset.FromTable(spec, current)
                .Bind(ds => featurizers.Count == 0 ? Valid.Ok(ds) : CompositionFeaturizers.Build(featurizers, ds).Map(_ => ds));
            if (!loaded.IsFail) break;
            var problems = loaded.Problems();
            var general = problems.Where(p => p.Row is not int r || r < 1 || r > current.Rows.Count).ToList();
            if (general.Count > 0) return Valid.Fail<CsvTable>(general);
            var bad = problems.GroupBy(p => p.Row!.Value).ToDictionary(g => g.Key, g => g.First());
            var keptRows = new List<string[]>();
            var keptOriginal = new List<int>();
            for (var i = 0; i < current.Rows.Count; i++)
            {
                if (bad.TryGetValue(i + 1, out var p))
                {
                    var row = original[i];
                    _rows.Add((row, idCol >= 0 ? current.Rows[i][idCol] : row.ToString(CultureInfo.InvariantCulture), p with { Row = row }));
                    continue;
                }
                keptRows.Add(current.Rows[i]);
                keptOriginal.Add(original[i]);
            }
            if (keptRows.Count == 0)
                return Valid.Fail<CsvTable>(new Problem("data.all_rows_skipped",
                    $"all {table.Rows.Count} rows of {table.Source} have problems and were skipped, nothing is left to run on; the first: {_rows[0].Problem}"));
            original = [.. keptOriginal];
            current = new CsvTable(current.Source, current.Header, keptRows);
        }
        _rows.Sort((x, y) => x.Row.CompareTo(y.Row));
        _kept = original;
        return Valid.Ok(current);
    }

    /// <summary>Maps row numbers of problems found after skipping (counted among the kept rows) back to file rows.</summary>
    public IReadOnlyList<Problem> MapRows(IEnumerable<Problem> problems) =>
        _kept is null || _rows.Count == 0
            ? problems.ToList()
            : problems.Select(p => p.Row is int r && r >= 1 && r <= _kept.Length ? p with { Row = _kept[r - 1] } : p).ToList();

    /// <summary>Writes the skipped-rows report (header only when nothing was skipped).</summary>
    public void Write(string path)
    {
        using var w = new StreamWriter(path);
        Csv.Write(w, ["row", "id", "column", "code", "message"], _rows.Select(r => (IEnumerable<string>)
            [r.Row.ToString(CultureInfo.InvariantCulture), r.Id, r.Problem.Column ?? "", r.Problem.Code, r.Problem.Message]));
    }

    /// <summary>Reports the skipped rows: into <paramref name="dir"/> (skipped_rows.csv) or <paramref name="path"/> when given,
    /// else one warning line per row on stderr (at most 50), and a summary line.</summary>
    public void Report(string onError, string? path, Outputs.Directory? dir, int rowsRead)
    {
        if (onError != "skip") return;
        string? written = null;
        if (path is not null)
        {
            var full = Path.GetFullPath(path);
            var tmp = Outputs.Temporary(full);
            Write(tmp);
            Outputs.Commit([(tmp, full)]);
            written = path;
        }
        else if (dir is not null)
        {
            Write(dir.File("skipped_rows.csv"));
            written = Path.Combine(dir.Path, "skipped_rows.csv");
        }
        else
            foreach (var r in _rows.Take(50)) Console.Error.WriteLine($"warning: skipped {FlagNames.ToCli(r.Problem)}");
        var line = $"skipped {_rows.Count} of {rowsRead} rows{(written is null ? "" : $"; listed in {written}")}";
        if (_rows.Count > 0) Console.Error.WriteLine($"warning: {line}");
        else Console.WriteLine(line);
    }
}
