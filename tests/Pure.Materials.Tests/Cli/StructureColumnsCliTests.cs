using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Pipelines;
using Pure.Materials.Structures;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary><c>--structures</c> with a Matbench JSON file of several columns: <c>--target NAME</c> picks the named column, <c>--target target</c>
/// stays the first numeric column, a boolean column (as Matbench's <c>is_metal</c>) is classified as cv classifies a table's (cgcnn and a
/// forest on features), and a missing or non-numeric target cell or an unknown name is one problem naming row, id, column and fix.
/// The data are the first 60 matbench_phonons structures with SYNTHETIC columns made only to test the plumbing: <c>is_metal</c> = last phdos
/// peak above the 60 rows' median (no materials meaning), <c>peak</c> (the last phdos peak, cm^-1), <c>volume</c> (the cell volume,
/// Angstrom^3) and <c>fold</c> (row number mod 5).</summary>
public class StructureColumnsCliTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => CliRun.Run(args);

    private const int Rows = 60;

    private static StructureEntry[] Entries() => BundledStructures.MatbenchPhonons().OrThrow().Take(Rows).ToArray();

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes the data in pandas' split layout: columns structure, is_metal (JSON true/false), peak, volume, fold; <paramref name="edit"/>
    /// may replace a row's JSON cells (is_metal, peak, volume) before writing.</summary>
    private static string WriteJson(string dir, string name = "columns.json", Func<int, string[], string[]>? edit = null)
    {
        var entries = Entries();
        var median = entries.Select(e => e.Target!.Value).Order().ElementAt(Rows / 2);
        var text = new StringBuilder("{\"index\": [");
        text.Append(string.Join(", ", entries.Select(e => $"\"{e.Id}\"")));
        text.Append("], \"columns\": [\"structure\", \"is_metal\", \"peak\", \"volume\", \"fold\"], \"data\": [");
        text.Append(string.Join(", ", entries.Select((e, i) =>
        {
            string[] cells = [e.Target!.Value >= median ? "true" : "false", R(e.Target!.Value), R(e.Structure.Lattice.Volume)];
            cells = edit?.Invoke(i, cells) ?? cells;
            return $"[{StructureJson.WritePymatgen(e.Structure)}, {string.Join(", ", cells)}, {i % 5}]";
        })));
        text.Append("]}");
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static string[] Column(string csv, string name)
    {
        var table = Csv.Read(new StreamReader(csv), csv).OrThrow();
        var j = table.ColumnIndex(name).OrThrow();
        return [.. table.Rows.Select(r => r[j])];
    }

    [Fact]
    public void Featurize_WritesEveryColumnByName_AfterTheTargetAlias()
    {
        var dir = CliRun.TempDir("pm-scol-f-");
        var json = WriteJson(dir);
        var output = Path.Combine(dir, "features.csv");
        var (exit, _, err) = Run("featurize", "--structures", json, "--featurizers", "density", "--out", output);
        Assert.True(exit == 0, err);
        var table = Csv.Read(new StreamReader(output), output).OrThrow();
        Assert.Equal(["id", "target", "is_metal", "peak", "volume", "fold"], table.Header.Take(6));
        var entries = Entries();
        Assert.Equal(entries.Select(e => R(e.Target!.Value)), Column(output, "target"));
        Assert.Equal(Column(output, "target"), Column(output, "peak"));
        Assert.Equal(entries.Select(e => R(e.Structure.Lattice.Volume)), Column(output, "volume"));
        Assert.All(Column(output, "is_metal"), c => Assert.Contains(c, new[] { "True", "False" }));
        Assert.Equal(Rows / 2, Column(output, "is_metal").Count(c => c == "True"));
    }

    [Fact]
    public void Cv_TargetNamesTheColumn_AndTargetTargetIsTheFirstNumericColumn()
    {
        var dir = CliRun.TempDir("pm-scol-cv-");
        var json = WriteJson(dir);
        string[] Cv(string target, string outDir)
        {
            var (exit, _, err) = Run("cv", "--structures", json, "--featurizers", "density", "--target", target, "--fold-column", "fold",
                "--model", "rf", "--set", "n_estimators=5", "--seed", "1", "--out", outDir);
            Assert.True(exit == 0, err);
            var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
            Assert.Equal("regression", (string)report["task"]!);
            return File.ReadAllLines(Path.Combine(outDir, "predictions.csv"));
        }
        var entries = Entries().ToDictionary(e => e.Id);
        var volume = Cv("volume", Path.Combine(dir, "volume"));
        Assert.All(volume.Skip(1).Select(l => l.Split(',')), c => Assert.Equal(R(entries[c[0]].Structure.Lattice.Volume), c[3]));
        var peak = Cv("peak", Path.Combine(dir, "peak"));
        Assert.All(peak.Skip(1).Select(l => l.Split(',')), c => Assert.Equal(R(entries[c[0]].Target!.Value), c[3]));
        // The alias: the same column, the same seed, the same predictions bit for bit.
        Assert.Equal(peak, Cv("target", Path.Combine(dir, "alias")));
    }

    [Fact]
    public void Cv_ABooleanColumn_IsClassified_ByAForestOnFeatures()
    {
        var dir = CliRun.TempDir("pm-scol-rf-");
        var json = WriteJson(dir);
        var outDir = Path.Combine(dir, "cv");
        var (exit, stdout, err) = Run("cv", "--structures", json, "--featurizers", "magpie,site-stats-bond-length", "--target", "is_metal",
            "--fold-column", "fold", "--model", "rf", "--set", "n_estimators=10", "--out", outDir);
        Assert.True(exit == 0, err);
        Assert.Contains("classification of 'is_metal' (False, True)", stdout);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
        Assert.Equal("classification", (string)report["task"]!);
        var lines = File.ReadAllLines(Path.Combine(outDir, "predictions.csv"));
        Assert.Equal("id,formula,fold,y_true,y_pred,p_False,p_True", lines[0]);
        Assert.Equal(Rows + 1, lines.Length);
        Assert.Equal(Rows / 2, lines.Skip(1).Count(l => l.Split(',')[3] == "True"));
    }

    [Fact]
    public void Cgcnn_ABooleanColumn_IsClassifiedWithoutTask_AndPredictScoresAgainstIt()
    {
        var dir = CliRun.TempDir("pm-scol-cgcnn-");
        var json = WriteJson(dir);
        string[] args = ["--structures", json, "--target", "is_metal", "--fold-column", "fold", "--model", "cgcnn", .. CgcnnCliTests.Tiny, "--set", "batch_size=16"];
        var outDir = Path.Combine(dir, "cv");
        var (exit, stdout, err) = Run(["cv", .. args, "--out", outDir]);
        Assert.True(exit == 0, err);
        Assert.Contains("classification of 'is_metal' (False, True)", stdout);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
        Assert.Equal("classification", (string)report["task"]!);
        Assert.Equal(["False", "True"], report["target"]!["classes"]!.AsArray().Select(c => (string)c!));
        Assert.Equal("id,formula,fold,y_true,y_pred,p_False,p_True", File.ReadLines(Path.Combine(outDir, "predictions.csv")).First());

        var model = Path.Combine(dir, "m.pmm");
        (exit, _, err) = Run(["fit", .. args, "--holdout-fold", "0", "--out", model]);
        Assert.True(exit == 0, err);
        var pipeline = ModelFile.Load(model).OrThrow().Pipeline;
        Assert.Equal(TaskKind.Classification, pipeline.Target.Task);
        Assert.Equal(["False", "True"], pipeline.Target.ClassLabels);
        (exit, stdout, err) = Run("predict", "--model", model, "--structures", json, "--fold-column", "fold", "--fold", "0", "--out", Path.Combine(dir, "p.csv"));
        Assert.True(exit == 0, err);
        Assert.Contains("against 'is_metal' (12 rows)", stdout);
        Assert.All(File.ReadAllLines(Path.Combine(dir, "p.csv")).Skip(1), l => Assert.Contains(l.Split(',')[2], new[] { "True", "False" }));
    }

    [Fact]
    public void AMissingCell_ANonNumericRegressionValue_AndAnUnknownName_AreOneProblemEach()
    {
        var dir = CliRun.TempDir("pm-scol-bad-");
        var json = WriteJson(dir, "bad.json", (i, c) => i switch
        {
            4 => ["null", c[1], c[2]],
            7 => [c[0], c[1], "\"n/a\""],
            _ => c,
        });
        var id5 = Entries()[4].Id;
        var id8 = Entries()[7].Id;
        foreach (var model in new[] { "rf", "cgcnn" })
        {
            string[] Args(string target) => ["cv", "--structures", json, "--target", target, "--model", model, .. model == "rf" ? new[] { "--featurizers", "density" } : [],
                "--out", Path.Combine(dir, "never")];
            var (exit, _, err) = Run(Args("is_metal"));
            Assert.Equal(1, exit);
            Assert.Equal($"error: row 5, column 'is_metal': structure '{id5}' has no value in column 'is_metal' of {json}; fill it in, or leave the structure out of the file [data.missing_target]", err.Trim());

            (exit, _, err) = Run(Args("volume"));
            Assert.Equal(1, exit);
            Assert.Equal($"error: row 8, column 'volume': structure '{id8}': 'n/a' in column 'volume' of {json} is not a number, and this column is a regression target (its other values are numbers); correct the value, or leave the structure out of the file [data.non_numeric_target]", err.Trim());

            (exit, _, err) = Run(Args("gap"));
            Assert.Equal(1, exit);
            Assert.Equal($"error: column 'gap': the structures in {json} carry the columns 'is_metal', 'peak', 'volume', not 'gap'; name one with --target (e.g. --target \"is_metal\") [csv.missing_column]", err.Trim());
            Assert.False(Directory.Exists(Path.Combine(dir, "never")));
        }

        // A file whose only column is boolean has no numeric column for the alias 'target'.
        var onlyBoolean = Path.Combine(dir, "only.json");
        var e = Entries().Take(3).ToArray();
        File.WriteAllText(onlyBoolean, "{\"index\": [" + string.Join(", ", e.Select(x => $"\"{x.Id}\"")) + "], \"columns\": [\"structure\", \"is_metal\"], \"data\": [" +
            string.Join(", ", e.Select((x, i) => $"[{StructureJson.WritePymatgen(x.Structure)}, {(i == 0 ? "true" : "false")}]")) + "]}");
        var (code, _, message) = Run("cv", "--structures", onlyBoolean, "--target", "target", "--model", "cgcnn", "--out", Path.Combine(dir, "never"));
        Assert.Equal(1, code);
        Assert.Equal($"error: column 'target': the structures in {onlyBoolean} carry the target 'is_metal', not 'target' ('target' names the first numeric column of a structure file, and these structures have none); use --target \"is_metal\" [csv.missing_column]", message.Trim());
    }

    [Fact]
    public void AFileColumnNamedLikeTheFormulaColumn_IsAProblem()
    {
        var dir = CliRun.TempDir("pm-scol-dup-");
        var json = Path.Combine(dir, "formula.json");
        var e = Entries().Take(3).ToArray();
        File.WriteAllText(json, "{\"index\": [" + string.Join(", ", e.Select(x => $"\"{x.Id}\"")) + "], \"columns\": [\"structure\", \"formula\", \"y\"], \"data\": [" +
            string.Join(", ", e.Select(x => $"[{StructureJson.WritePymatgen(x.Structure)}, \"X\", 1.5]")) + "]}");
        var (exit, _, err) = Run("cv", "--structures", json, "--featurizers", "density", "--target", "y", "--model", "rf", "--out", Path.Combine(dir, "never"));
        Assert.Equal(1, exit);
        Assert.Equal($"error: column 'formula': the column 'formula' of {json} has the name of the reduced-formula column every structure gets; rename it in the file [json.duplicate_column]", err.Trim());
    }
}
