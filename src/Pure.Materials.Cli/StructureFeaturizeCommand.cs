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

/// <summary><c>featurize --structures FILE|DIR|matbench_phonons</c>: one output row per structure, <c>id</c> (and <c>target</c>,
/// <c>fold</c> when known) first, then the features of the named structure featurizers (and composition featurizers of each
/// structure's composition), e.g. <c>--featurizers magpie,site-stats-bond-length</c>.</summary>
/// <remarks>Inputs: a JSON file in a Matbench layout (pandas split with a <c>structure</c> column, or <c>{records: [...]}</c>; id and
/// target kept), any other single structure file (CIF, POSCAR/CONTCAR, extended XYZ, one pymatgen JSON dict), a directory of such
/// files (sorted by name; id = file name), or the bundled <c>matbench_phonons</c> (columns <c>mbid</c>, <c>last phdos peak</c>,
/// <c>fold</c>: the official Matbench v0.1 test fold). Every structure that cannot be read or featurized is a problem naming it
/// (row and id); nothing is written then. The Coulomb eigenvalue length is fitted on the structures featurized.</remarks>
internal static class StructureFeaturizeCommand
{
    public static IReadOnlyList<Problem> Run(StructureFeaturizeArgs a)
    {
        var clock = Stopwatch.StartNew();
        MissingElementValue? missing = a.ElementValues switch { "nan" => MissingElementValue.NaN, "table-mean" => MissingElementValue.TableMean, _ => null };
        if (missing is null) return [new Problem("param.invalid_value", $"--element-values {a.ElementValues} is not accepted; use nan or table-mean")];
        var loaded = Load(a.Structures);
        if (loaded.IsFail) return loaded.Problems();
        var (rows, idName, targetName, folds) = loaded.OrThrow();
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

        var outPath = Path.GetFullPath(a.Out);
        var dir = Path.GetDirectoryName(outPath);
        if (dir is not null) Directory.CreateDirectory(dir);
        var tmp = Outputs.Temporary(outPath);
        var hasTarget = rows.Any(r => r.Target is not null);
        using (var w = new StreamWriter(tmp, false, new UTF8Encoding(false), 1 << 16))
        {
            var header = new List<string> { idName };
            if (hasTarget) header.Add(targetName);
            if (folds is not null) header.Add("fold");
            header.AddRange(featurizer.Labels);
            w.WriteLine(string.Join(",", header.Select(Quote)));
            var line = new StringBuilder();
            for (var i = 0; i < rows.Length; i++)
            {
                line.Clear().Append(Quote(rows[i].Id));
                if (hasTarget) line.Append(',').Append(rows[i].Target is double t ? t.ToString("R", CultureInfo.InvariantCulture) : "");
                if (folds is not null) line.Append(',').Append(folds[i]);
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

    /// <summary>The structures and their features as an in-memory table: the id column, the target (when known), <c>fold</c>
    /// (bundled phonons), <c>formula</c> (each structure's reduced formula, e.g. <c>NaCl</c>), then the features written with
    /// round-trip digits (NaN as an empty cell); the id column's name; and the fitted featurizers (saved with a model by fit).</summary>
    /// <remarks>What needs fitting (the Coulomb eigenvalue length) is fitted on every structure of <paramref name="source"/>, as
    /// cross-validation has always done, so a model fitted with a fold held out featurizes exactly as cv's fold does.</remarks>
    internal static LanguageExt.Validation<Problem, (CsvTable Table, string IdName, StructureFeaturization Featurization)> Table(string source, string featurizerNames, string elementValues)
    {
        MissingElementValue? missing = elementValues switch { "nan" => MissingElementValue.NaN, "table-mean" => MissingElementValue.TableMean, _ => null };
        if (missing is null) return Valid.Fail<(CsvTable, string, StructureFeaturization)>("param.invalid_value", $"element values {elementValues} is not accepted; use nan or table-mean");
        return from loaded in Load(source)
               let structures = loaded.Rows.Select(r => r.Structure).ToArray()
               from fitted in StructureFeaturization.Fit(featurizerNames, structures, missing.Value)
               from featurizer in fitted.Build()
               from set in Located(StructureFeaturizer.Build(featurizer, structures), loaded.Rows, source)
               select (ToTable(source, loaded.Rows, loaded.IdName, loaded.TargetName, loaded.Folds, set), loaded.IdName, fitted);
    }

    /// <summary>The name of the reduced-formula column of <see cref="Table"/>.</summary>
    internal const string FormulaColumn = "formula";

    private static LanguageExt.Validation<Problem, FeatureSet> Located(LanguageExt.Validation<Problem, FeatureSet> built, StructureEntry[] rows, string source) =>
        built.IsFail
            ? Valid.Fail<FeatureSet>(built.Problems().Select(p => p.Row is int r ? p with { Message = $"structure {r} ('{rows[r].Id}' in {source}), {p.Column}: {p.Message}" } : p))
            : built;

    /// <summary>The structures as a table: id, target (when any structure has one), fold (when known), reduced formula, then the
    /// features of <paramref name="set"/> (none when null: a graph learner reads the structures themselves).</summary>
    internal static CsvTable ToTable(string source, StructureEntry[] rows, string idName, string targetName, string[]? folds, FeatureSet? set)
    {
        var hasTarget = rows.Any(r => r.Target is not null);
        var header = new List<string> { idName };
        if (hasTarget) header.Add(targetName);
        if (folds is not null) header.Add("fold");
        header.Add(FormulaColumn);
        if (set is not null) header.AddRange(set.Labels);
        var cells = new string[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = new List<string>(header.Count) { rows[i].Id };
            if (hasTarget) row.Add(rows[i].Target is double t ? t.ToString("R", CultureInfo.InvariantCulture) : "");
            if (folds is not null) row.Add(folds[i]);
            row.Add(rows[i].Structure.Composition.ReducedFormula);
            for (var j = 0; j < (set?.X.Cols ?? 0); j++) row.Add(double.IsNaN(set!.X[i, j]) ? "" : set.X[i, j].ToString("R", CultureInfo.InvariantCulture));
            cells[i] = [.. row];
        }
        return new CsvTable(source, header, cells);
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The fold labels of a Matbench file in pandas' split layout with a <c>fold</c> column (as text, e.g. <c>0</c>), or null
    /// (no such column, another layout, or not one label per row). The target stays the first numeric column after <c>structure</c>
    /// (<see cref="StructureJson.ReadMatbench"/>): put <c>fold</c> after the target.</summary>
    private static string[]? JsonFolds(string text, int rows)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(text, new System.Text.Json.JsonDocumentOptions { MaxDepth = 64 });
            var root = doc.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object || !root.TryGetProperty("columns", out var columns) || !root.TryGetProperty("data", out var data)
                || columns.ValueKind != System.Text.Json.JsonValueKind.Array || data.ValueKind != System.Text.Json.JsonValueKind.Array)
                return null;
            var k = columns.EnumerateArray().Select(c => c.ValueKind == System.Text.Json.JsonValueKind.String ? c.GetString() : null).ToList().IndexOf("fold");
            if (k < 0 || data.GetArrayLength() != rows) return null;
            return data.EnumerateArray().Select(r => r[k].ValueKind == System.Text.Json.JsonValueKind.String ? r[k].GetString()! : r[k].GetRawText()).ToArray();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The structures with ids and targets, the id and target column names, and the folds when known.</summary>
    internal static LanguageExt.Validation<Problem, (StructureEntry[] Rows, string IdName, string TargetName, string[]? Folds)> Load(string source)
    {
        if (source == "matbench_phonons" && !File.Exists(source) && !Directory.Exists(source))
        {
            return from entries in BundledStructures.MatbenchPhonons()
                   from table in BundledStructures.MatbenchPhononsTable()
                   from fold in table.ColumnIndex("fold")
                   select (entries, "mbid", "last phdos peak", (string[]?)table.Rows.Select(r => r[fold]).ToArray());
        }
        if (Directory.Exists(source))
        {
            var files = Directory.EnumerateFiles(source).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                return Valid.Fail<(StructureEntry[], string, string, string[]?)>("io.empty", $"directory '{source}' holds no structure file; give CIF, POSCAR, XYZ or JSON files.");
            return Valid.All(files.Select(f => StructureFile.Read(f).Map(s => new StructureEntry(Path.GetFileName(f), null, s))))
                .Map(e => (e, "id", "target", (string[]?)null));
        }
        if (!File.Exists(source))
            return Valid.Fail<(StructureEntry[], string, string, string[]?)>("io.not_found", $"'{source}' is not a file or directory; give a structure file, a directory of them, or matbench_phonons (bundled).");
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
                return Valid.Fail<(StructureEntry[], string, string, string[]?)>("file.unreadable", $"could not read '{source}': {e.Message}");
            }
            var many = StructureJson.ReadMatbench(text, Path.GetFileName(source));
            if (many.IsSuccess) return many.Map(e => (e, "id", "target", JsonFolds(text, e.Length)));
            if (many.Problems().Any(p => p.Code != "json.unknown_layout")) return many.Map(e => (e, "id", "target", (string[]?)null));
            return StructureJson.ReadPymatgen(text, Path.GetFileName(source))
                .Map(s => (new[] { new StructureEntry(Path.GetFileName(source), null, s) }, "id", "target", (string[]?)null));
        }
        return StructureFile.Read(source).Map(s => (new[] { new StructureEntry(Path.GetFileName(source), null, s) }, "id", "target", (string[]?)null));
    }
}
