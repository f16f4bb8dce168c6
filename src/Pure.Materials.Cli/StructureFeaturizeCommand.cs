using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Featurize.Structural;
using Pure.Materials.Structures;

namespace Pure.Materials.Cli;

internal sealed record StructureFeaturizeArgs(string Structures, string Featurizers, string ElementValues, string Out);

/// <summary><c>featurize --structures FILE|DIR|matbench_phonons</c>: one output row per structure, <c>id</c> and the structure file's
/// columns first (see <see cref="StructureRows"/>), then the features of the named structure featurizers (and composition featurizers of
/// each structure's composition), e.g. <c>--featurizers magpie,site-stats-bond-length</c>.</summary>
/// <remarks>Inputs: a JSON file in a Matbench layout (pandas split with a <c>structure</c> column, or <c>{records: [...]}</c>; id and every
/// other column kept by name: numbers, booleans as True/False, text), any other single structure file (CIF, POSCAR/CONTCAR, extended XYZ,
/// one pymatgen JSON dict), a directory of such files (sorted by name; id = file name), or the bundled <c>matbench_phonons</c> (columns
/// <c>mbid</c>, <c>last phdos peak</c>, <c>fold</c>: the official Matbench v0.1 test fold). A Matbench JSON file without a column named
/// <c>target</c> also gives its first numeric column as <c>target</c> (the only column kept before). Every structure that cannot be read or
/// featurized is a problem naming it (row and id); nothing is written then. The Coulomb eigenvalue length is fitted on the structures
/// featurized.</remarks>
internal static class StructureFeaturizeCommand
{
    public static IReadOnlyList<Problem> Run(StructureFeaturizeArgs a)
    {
        var clock = Stopwatch.StartNew();
        MissingElementValue? missing = a.ElementValues switch { "nan" => MissingElementValue.NaN, "table-mean" => MissingElementValue.TableMean, _ => null };
        if (missing is null) return [new Problem("param.invalid_value", $"--element-values {a.ElementValues} is not accepted; use nan or table-mean")];
        var loaded = Load(a.Structures);
        if (loaded.IsFail) return loaded.Problems();
        var data = loaded.OrThrow();
        var rows = data.Rows;
        var structures = rows.Select(r => r.Structure).ToArray();
        var parsed = StructureFeaturizers.Parse(a.Featurizers, structures, missing.Value);
        if (parsed.IsFail) return parsed.Problems();
        var featurizer = parsed.OrThrow();
        var built = StructureFeaturizer.Build(featurizer, structures);
        if (built.IsFail)
            return [.. built.Problems().Select(p => p.Row is int r
                ? p with { Message = $"structure {r} ('{rows[r].Id}' in {a.Structures}), {p.Column}: {p.Message}" }
                : p)];
        var x = built.OrThrow().X;
        var header = Header(a.Structures, data, formula: false, featurizer.Labels);
        if (header.IsFail) return header.Problems();

        var outPath = Path.GetFullPath(a.Out);
        var dir = Path.GetDirectoryName(outPath);
        if (dir is not null) Directory.CreateDirectory(dir);
        var tmp = Outputs.Temporary(outPath);
        using (var w = new StreamWriter(tmp, false, new UTF8Encoding(false), 1 << 16))
        {
            w.WriteLine(string.Join(",", header.OrThrow().Select(Quote)));
            var line = new StringBuilder();
            for (var i = 0; i < rows.Length; i++)
            {
                line.Clear().Append(Quote(rows[i].Id));
                foreach (var cell in Cells(data, i)) line.Append(',').Append(Quote(cell));
                for (var j = 0; j < x.Cols; j++)
                {
                    var v = x[i, j];
                    line.Append(',');
                    if (!double.IsNaN(v)) line.Append(v.ToString("R", CultureInfo.InvariantCulture));
                }
                w.WriteLine(line);
            }
        }
        Outputs.Commit([(tmp, outPath)]);
        var seconds = clock.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        Console.WriteLine($"featurized {rows.Length} structures x {x.Cols} features in {seconds} s; wrote {a.Out}");
        return [];
    }

    /// <summary>The structures and their features as an in-memory table: the id column, the structure file's columns (see
    /// <see cref="ToTable"/>), <c>formula</c> (each structure's reduced formula, e.g. <c>NaCl</c>), then the features written with
    /// round-trip digits (NaN as an empty cell); the id column's name; and the fitted featurizers (saved with a model by fit).</summary>
    /// <param name="source">The structures (see <see cref="Load"/>).</param>
    /// <param name="featurizerNames">The structure featurizers, e.g. <c>magpie,site-stats-bond-length</c>.</param>
    /// <param name="elementValues"><c>nan</c> or <c>table-mean</c>.</param>
    /// <param name="target">When given, the target column is checked (<see cref="CheckTarget"/>) before any structure is featurized.</param>
    /// <param name="task">The task asked for (<c>classification</c>, <c>regression</c>), or null to detect it.</param>
    /// <remarks>What needs fitting (the Coulomb eigenvalue length) is fitted on every structure of <paramref name="source"/>, as
    /// cross-validation has always done, so a model fitted with a fold held out featurizes exactly as cv's fold does.</remarks>
    internal static LanguageExt.Validation<Problem, (CsvTable Table, string IdName, StructureFeaturization Featurization)> Table(string source, string featurizerNames, string elementValues,
        string? target = null, string? task = null)
    {
        MissingElementValue? missing = elementValues switch { "nan" => MissingElementValue.NaN, "table-mean" => MissingElementValue.TableMean, _ => null };
        if (missing is null) return Valid.Fail<(CsvTable, string, StructureFeaturization)>("param.invalid_value", $"element values {elementValues} is not accepted; use nan or table-mean");
        return from loaded in Load(source)
               from checkedTarget in target is null ? Valid.Ok(LanguageExt.Unit.Default) : CheckTarget(loaded, target, task, source)
               let structures = loaded.Rows.Select(r => r.Structure).ToArray()
               from fitted in StructureFeaturization.Fit(featurizerNames, structures, missing.Value)
               from featurizer in fitted.Build()
               from set in Located(StructureFeaturizer.Build(featurizer, structures), loaded.Rows, source)
               from table in ToTable(source, loaded, set)
               select (table, loaded.IdName, fitted);
    }

    /// <summary>The name of the reduced-formula column of <see cref="Table"/>.</summary>
    internal const string FormulaColumn = "formula";

    private static LanguageExt.Validation<Problem, FeatureSet> Located(LanguageExt.Validation<Problem, FeatureSet> built, StructureEntry[] rows, string source) =>
        built.IsFail
            ? Valid.Fail<FeatureSet>(built.Problems().Select(p => p.Row is int r ? p with { Message = $"structure {r} ('{rows[r].Id}' in {source}), {p.Column}: {p.Message}" } : p))
            : built;

    /// <summary>The structures as a table: id, the <c>target</c> alias (when there is one, see <see cref="StructureRows"/>), the file's
    /// columns in its order (a null cell as an empty one; matbench_phonons: <c>last phdos peak</c>, <c>fold</c>), reduced formula, then
    /// the features of <paramref name="set"/> (none when null: a graph learner reads the structures themselves).</summary>
    /// <returns>The table, or <c>json.duplicate_column</c> when a file column has the name of the id column, of <c>formula</c> or of a
    /// feature.</returns>
    internal static LanguageExt.Validation<Problem, CsvTable> ToTable(string source, StructureRows loaded, FeatureSet? set) =>
        Header(source, loaded, formula: true, set?.Labels ?? []).Map(header =>
        {
            var rows = loaded.Rows;
            var cells = new string[rows.Length][];
            for (var i = 0; i < rows.Length; i++)
            {
                var row = new List<string>(header.Count) { rows[i].Id };
                row.AddRange(Cells(loaded, i));
                row.Add(rows[i].Structure.Composition.ReducedFormula);
                for (var j = 0; j < (set?.X.Cols ?? 0); j++) row.Add(double.IsNaN(set!.X[i, j]) ? "" : set.X[i, j].ToString("R", CultureInfo.InvariantCulture));
                cells[i] = [.. row];
            }
            return new CsvTable(source, header, cells);
        });

    /// <summary>The header of the structures' table: id, the alias, the columns, <c>formula</c> (when asked), the feature labels; a
    /// column of the file that repeats the name of another is a problem.</summary>
    private static LanguageExt.Validation<Problem, List<string>> Header(string source, StructureRows loaded, bool formula, IReadOnlyList<string> labels)
    {
        var header = new List<string> { loaded.IdName };
        if (loaded.AliasOf is not null) header.Add(TargetAlias);
        header.AddRange(loaded.Columns);
        if (formula) header.Add(FormulaColumn);
        header.AddRange(labels);
        var seen = new System.Collections.Generic.HashSet<string>();
        var clash = loaded.Columns.FirstOrDefault(c => c == loaded.IdName || (formula && c == FormulaColumn) || labels.Contains(c) || (loaded.AliasOf is not null && c == TargetAlias));
        if (clash is not null)
            return Valid.Fail<List<string>>(new Problem("json.duplicate_column",
                $"the column '{clash}' of {source} has the name of {(clash == loaded.IdName ? "the id column" : clash == FormulaColumn && formula ? "the reduced-formula column every structure gets" : "a feature")}; rename it in the file", Column: clash));
        return header.All(seen.Add) ? Valid.Ok(header) : Valid.Fail<List<string>>("json.duplicate_column", "two columns of the structures' table have one name; rename one");
    }

    /// <summary>Row <paramref name="i"/>'s cells after the id: the alias (the cell of the column it copies), then each column (null as empty).</summary>
    private static IEnumerable<string> Cells(StructureRows loaded, int i)
    {
        var e = loaded.Rows[i];
        if (loaded.AliasOf is not null) yield return e.Columns.TryGetValue(loaded.AliasOf, out var a) ? a ?? "" : "";
        foreach (var c in loaded.Columns) yield return e.Columns.TryGetValue(c, out var v) ? v ?? "" : "";
    }

    /// <summary>The name under which a structure file's target column is also given: <c>target</c>, the name of the only column
    /// before every column was kept.</summary>
    internal const string TargetAlias = "target";

    /// <summary>The cells of a column of the structures' table (the alias included), null when there is no such column.</summary>
    internal static string[]? ColumnCells(StructureRows loaded, string name)
    {
        if (name == TargetAlias && loaded.AliasOf is not null) return [.. Enumerable.Range(0, loaded.Rows.Length).Select(i => Cells(loaded, i).First())];
        if (!loaded.Columns.Contains(name)) return null;
        return [.. loaded.Rows.Select(e => e.Columns.TryGetValue(name, out var v) ? v ?? "" : "")];
    }

    /// <summary>Checks the target column of a run before anything is featurized or trained: it exists, every structure has a value
    /// in it, and (a regression target, decided as cv decides for tables: <see cref="TaskTarget.Detect"/>) every value is a number.</summary>
    /// <returns>Nothing, or one problem per bad row naming the row (1-based structure number), the structure's id, the column and the
    /// fix: <c>csv.missing_column</c> (no such column; the columns there are listed), <c>data.missing_target</c>,
    /// <c>data.non_numeric_target</c>.</returns>
    internal static LanguageExt.Validation<Problem, LanguageExt.Unit> CheckTarget(StructureRows loaded, string target, string? task, string source)
    {
        var table = ToTable(source, loaded, null);
        if (table.IsFail) return Valid.Fail<LanguageExt.Unit>(table.Problems());
        if (MissingTarget(loaded, target, source) is { } missing) return Valid.Fail<LanguageExt.Unit>(missing);
        var cells = ColumnCells(loaded, target)!;
        var problems = new List<Problem>();
        for (var r = 0; r < cells.Length; r++)
            if (Dataset.IsMissing(cells[r]))
                problems.Add(new Problem("data.missing_target",
                    $"structure '{loaded.Rows[r].Id}' has no value{(cells[r].Length > 0 ? $" ('{cells[r]}')" : "")} in column '{target}' of {source}; fill it in, or leave the structure out of the file", r + 1, target));
        if (problems.Count > 0) return Valid.Fail<LanguageExt.Unit>(problems);
        TaskKind? asked = task switch { "classification" => TaskKind.Classification, "regression" => TaskKind.Regression, _ => null };
        var kind = TaskTarget.Detect(table.OrThrow(), target, asked);
        if (kind.IsFail)
            return Valid.Fail<LanguageExt.Unit>(kind.Problems().Select(p => p.Row is int row && row >= 1 && row <= cells.Length
                ? p with { Message = $"structure '{loaded.Rows[row - 1].Id}': " + p.Message.Replace(
                    "regression (asked) needs a numeric target; leave the task to detection (this target is then classified) or choose a numeric target column",
                    "--task regression needs a numeric target; drop --task (this target is then classified) or choose a numeric --target") }
                : p));
        if (kind.OrThrow() == TaskKind.Regression)
            for (var r = 0; r < cells.Length; r++)
                if (!double.TryParse(cells[r].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                    problems.Add(new Problem("data.non_numeric_target",
                        $"structure '{loaded.Rows[r].Id}': '{cells[r]}' in column '{target}' of {source} is not a number, and this column is a regression target (its other values are numbers); correct the value, or leave the structure out of the file", r + 1, target));
        return problems.Count > 0 ? Valid.Fail<LanguageExt.Unit>(problems) : Valid.Ok(LanguageExt.Unit.Default);
    }

    /// <summary>The problem when the structures carry no column of that name (a directory or a single structure file carries none):
    /// names the columns they do carry.</summary>
    internal static Problem? MissingTarget(StructureRows loaded, string target, string source)
    {
        if (ColumnCells(loaded, target) is not null) return null;
        var known = loaded.Columns.Where(c => c != "fold").ToList();
        var alias = target == TargetAlias ? $" ('{TargetAlias}' names the first numeric column of a structure file, and these structures have none)" : "";
        return new Problem("csv.missing_column", known.Count switch
        {
            0 => $"the structures in {source} carry no target values, so there is no '{target}' to fit; give a Matbench JSON file (pandas split with a target column) or matbench_phonons",
            1 => $"the structures in {source} carry the target '{known[0]}', not '{target}'{alias}; use --target \"{known[0]}\"",
            _ => $"the structures in {source} carry the columns {string.Join(", ", known.Select(k => $"'{k}'"))}, not '{target}'{alias}; name one with --target (e.g. --target \"{known[0]}\")",
        }, Column: target);
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The structures with ids and their columns (see <see cref="StructureRows"/>).</summary>
    /// <param name="source">A JSON file in a Matbench layout (<c>.json</c> or <c>.json.gz</c>), any other structure file, a directory of
    /// them, or <c>matbench_phonons</c> (bundled).</param>
    internal static LanguageExt.Validation<Problem, StructureRows> Load(string source)
    {
        if (source == "matbench_phonons" && !File.Exists(source) && !Directory.Exists(source))
            return BundledStructures.MatbenchPhonons().Map(entries => Rows(entries, "mbid", alias: false));
        if (Directory.Exists(source))
        {
            var files = Directory.EnumerateFiles(source).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                return Valid.Fail<StructureRows>("io.empty", $"directory '{source}' holds no structure file; give CIF, POSCAR, XYZ or JSON files.");
            return Valid.All(files.Select(f => StructureFile.Read(f).Map(s => new StructureEntry(Path.GetFileName(f), null, s))))
                .Map(e => Rows([.. e], "id", alias: false));
        }
        if (!File.Exists(source))
            return Valid.Fail<StructureRows>("io.not_found", $"'{source}' is not a file or directory; give a structure file, a directory of them, or matbench_phonons (bundled).");
        if (source.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase))
        {
            string text;
            try
            {
                using var stream = File.OpenRead(source);
                using var reader = source.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                    ? new StreamReader(new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress))
                    : new StreamReader(stream);
                text = reader.ReadToEnd();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                return Valid.Fail<StructureRows>("file.unreadable", $"could not read '{source}': {e.Message}");
            }
            var many = StructureJson.ReadMatbench(text, Path.GetFileName(source));
            if (many.IsSuccess) return many.Map(e => Rows(e, "id", alias: true));
            if (many.Problems().Any(p => p.Code != "json.unknown_layout")) return Valid.Fail<StructureRows>(many.Problems());
            return StructureJson.ReadPymatgen(text, Path.GetFileName(source))
                .Map(s => Rows([new StructureEntry(Path.GetFileName(source), null, s)], "id", alias: false));
        }
        return StructureFile.Read(source).Map(s => Rows([new StructureEntry(Path.GetFileName(source), null, s)], "id", alias: false));
    }

    /// <summary>The rows with their column names (those of the first entry: every entry of a Matbench file has the same), the folds of
    /// a <c>fold</c> column and, for a Matbench JSON file (<paramref name="alias"/>) without a column named <c>target</c>, the column
    /// the <c>target</c> alias copies: the one <see cref="StructureEntry.Target"/> came from.</summary>
    private static StructureRows Rows(StructureEntry[] entries, string idName, bool alias)
    {
        IReadOnlyList<string> columns = entries.Length == 0 ? [] : [.. entries[0].Columns.Keys];
        string? aliasOf = null;
        if (alias && !columns.Contains(TargetAlias))
            aliasOf = entries.Select(e => e.TargetColumn).FirstOrDefault(c => c is not null && columns.Contains(c));
        var folds = columns.Contains("fold") ? entries.Select(e => e.Columns.TryGetValue("fold", out var v) ? v ?? "" : "").ToArray() : null;
        return new StructureRows(entries, idName, columns, aliasOf, folds);
    }
}

/// <summary>The structures of <c>--structures</c>: the rows (id, structure, and the file's other columns by name), the name of the id
/// column (<c>mbid</c> for matbench_phonons, else <c>id</c>), the file's column names in order (matbench_phonons: <c>last phdos
/// peak</c>, <c>fold</c>; a directory or a single structure file: none), the column the <c>target</c> alias copies, and the folds.</summary>
/// <param name="Rows">The structures in file order.</param>
/// <param name="IdName">The id column's name.</param>
/// <param name="Columns">Every column of the file except the structure and the id, in file order.</param>
/// <param name="AliasOf">For a Matbench JSON file without a column literally named <c>target</c>: the column that is also given as
/// <c>target</c> (<see cref="StructureEntry.TargetColumn"/>: the first column holding a number, the one the reader took as the target before every column was kept), so that
/// <c>--target target</c> keeps working; null otherwise.</param>
/// <param name="Folds">The cells of a <c>fold</c> column, or null.</param>
internal sealed record StructureRows(StructureEntry[] Rows, string IdName, IReadOnlyList<string> Columns, string? AliasOf, string[]? Folds);
