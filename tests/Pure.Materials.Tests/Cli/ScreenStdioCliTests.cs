using System.Globalization;
using Pure.Materials.Core;
using Pure.Materials.Data;
using Pure.Materials.Featurize;
using Pure.Materials.Models.Trees;
using Pure.Materials.Pipelines;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The pipe contract of <c>screen</c> and <c>merge</c> (GNU parallel, Spark's RDD.pipe): <c>--candidates -</c> reads
/// standard input, <c>--out -</c> writes the ranked CSV to standard output and nothing else (every message on stderr), with the
/// same bytes as the file run.</summary>
public class ScreenStdioCliTests
{
    private static readonly Lazy<string> Model = new(() =>
    {
        var table = BundledData.OpenPathOrName("matbench_expt_gap").OrThrow();
        var ds = Dataset.FromTable(new DatasetSpec { FormulaColumn = "composition", TargetColumn = "gap expt" }, table with { Rows = table.Rows.Take(400).ToArray() }).OrThrow();
        var fs = CompositionFeaturizers.Build([ElementProperty.Magpie], ds).OrThrow();
        var spec = new PipelineSpec(new PipelineInput("composition", ["magpie"], MissingElementValue.NaN, []), [new PipelineStep.MeanImpute()],
            Learners.RandomForest(new RandomForestOptions { NEstimators = 8 }));
        var model = FittedPipeline.FitFeatures(spec, fs, ds.Target!, ds.Compositions, new PipelineTarget("gap expt", "eV"), Rng.FromSeed(5)).OrThrow();
        var path = Path.Combine(CliRun.TempDir("screen-stdio-model"), "gap.pmm");
        ModelFile.Save(model, path).OrThrow();
        return path;
    });

    /// <summary>A candidates CSV (id, formula) of every A2BX4 of a small space, in the template's order, with two ids quoted.</summary>
    private static string CandidatesCsv()
    {
        var all = Path.Combine(CliRun.TempDir("screen-stdio-all"), "all.csv");
        var (exit, _, err) = CliRun.Run("screen", "--model", Model.Value, "--template", "A2BX4", "--role", "A=Li,Na,K,Cu,Ag", "--role", "B=Mg,Zn,Ge,Sn,Ti",
            "--role", "X=O,S,Se", "--top", "1", "--all", all, "--out", all + ".top.csv");
        Assert.True(exit == 0, err);
        var formulas = File.ReadAllLines(all).Skip(1).Select(line => line.Split(',')[1]).ToArray();
        Assert.Equal(75, formulas.Length);
        return "id,formula\n" + string.Concat(formulas.Select((f, i) => (i % 40 == 3 ? $"\"cand, {i}\"" : $"c{i}") + "," + f + "\n"));
    }

    private static readonly string[] Ranking = ["--formula-column", "formula", "--id-column", "id", "--rank", "ucb", "--top", "9"];

    [Fact]
    public void Screen_CandidatesFromStdin_OutToStdout_IsTheFileRunByteForByte_AndStdoutHoldsOnlyTheCsv()
    {
        var dir = CliRun.TempDir("screen-stdio");
        var csv = CandidatesCsv();
        var candidates = Path.Combine(dir, "candidates.csv");
        File.WriteAllText(candidates, csv);
        var whole = Path.Combine(dir, "whole.csv");
        var (exit, _, err) = CliRun.Run(["screen", "--model", Model.Value, "--candidates", candidates, .. Ranking, "--out", whole]);
        Assert.True(exit == 0, err);
        var expected = File.ReadAllText(whole);
        Assert.StartsWith("rank,index,candidate,y_pred,y_std,score,", expected);
        Assert.Equal(10, expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // stdin -> stdout: stdout is exactly the file's bytes; the summary and the top-10 listing went to stderr.
        (exit, var stdout, err) = CliRun.RunWithInput(csv, ["screen", "--model", Model.Value, "--candidates", "-", .. Ranking, "--out", "-"]);
        Assert.True(exit == 0, err);
        Assert.Equal(expected, stdout);
        Assert.Contains("of standard input (75 rows)", err);
        Assert.Contains("wrote the best 9 to standard output", err);
        Assert.Contains("  1. ", err);

        // stdin -> file, and file -> stdout: the same bytes again.
        var fromStdin = Path.Combine(dir, "from-stdin.csv");
        (exit, stdout, err) = CliRun.RunWithInput(csv, ["screen", "--model", Model.Value, "--candidates", "-", .. Ranking, "--out", fromStdin]);
        Assert.True(exit == 0, err);
        Assert.Equal(expected, File.ReadAllText(fromStdin));
        Assert.Contains("wrote the best 9 to " + fromStdin, stdout);
        (exit, stdout, err) = CliRun.Run(["screen", "--model", Model.Value, "--candidates", candidates, .. Ranking, "--out", "-"]);
        Assert.True(exit == 0, err);
        Assert.Equal(expected, stdout);
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "-")), "--out - must not create a file named '-'");
    }

    [Fact]
    public void Screen_AsAProcessInAPipe_WritesOnlyTheCsvToStdout()
    {
        // The process, not the in-process runner: nothing the console, Spectre.Console or the runtime prints may reach stdout.
        var dir = CliRun.TempDir("screen-stdio-process");
        var csv = CandidatesCsv();
        var whole = Path.Combine(dir, "whole.csv");
        var candidates = Path.Combine(dir, "c.csv");
        File.WriteAllText(candidates, csv);
        var (exit, _, err) = CliRun.Run(["screen", "--model", Model.Value, "--candidates", candidates, .. Ranking, "--out", whole]);
        Assert.True(exit == 0, err);
        (exit, var stdout, err) = CliRun.ProcessWithInput(csv, ["screen", "--model", Model.Value, "--candidates", "-", .. Ranking, "--out", "-"]);
        Assert.True(exit == 0, err);
        Assert.Equal(File.ReadAllText(whole), stdout);
        Assert.Contains("wrote the best 9 to standard output", err);
    }

    [Fact]
    public void Screen_CandidatesFromANamedPipe_AreReadOnce_AndGiveTheFileRun()
    {
        if (OperatingSystem.IsWindows()) return;   // named pipes in the file system (mkfifo, <(...)) are a Unix thing
        var dir = CliRun.TempDir("screen-stdio-fifo");
        var csv = CandidatesCsv();
        var file = Path.Combine(dir, "c.csv");
        File.WriteAllText(file, csv);
        var (exit, expected, err) = CliRun.Run(["screen", "--model", Model.Value, "--candidates", file, .. Ranking, "--out", "-"]);
        Assert.True(exit == 0, err);
        var fifo = Path.Combine(dir, "c.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        // The writer blocks until screen opens the pipe; it writes the text once, as a shell's <(cat c.csv) would.
        var writer = Task.Run(() => File.WriteAllText(fifo, csv));
        // A reader that opened the pipe twice would block for ever on the second open: fail after a minute instead of hanging.
        var run = Task.Run(() => CliRun.Run(["screen", "--model", Model.Value, "--candidates", fifo, .. Ranking, "--out", "-"]));
        Assert.True(run.Wait(TimeSpan.FromSeconds(60)), "screen did not finish reading the named pipe within 60 s (opened it twice?)");
        if (!writer.Wait(TimeSpan.FromSeconds(10))) using (File.OpenRead(fifo)) { }   // never leave the writer blocked
        (exit, var stdout, err) = run.Result;
        Assert.True(exit == 0, err);
        Assert.Equal(expected, stdout);
    }

    [Fact]
    public void ShardsThroughStdinAndStdout_MergedToStdout_EqualTheUnshardedRun()
    {
        var dir = CliRun.TempDir("screen-stdio-shards");
        var csv = CandidatesCsv();
        var (exit, whole, err) = CliRun.RunWithInput(csv, ["screen", "--model", Model.Value, "--candidates", "-", .. Ranking, "--out", "-"]);
        Assert.True(exit == 0, err);
        var shards = new List<string>();
        for (var k = 0; k < 4; k++)
        {
            (exit, var stdout, err) = CliRun.RunWithInput(csv, ["screen", "--model", Model.Value, "--candidates", "-", .. Ranking, "--shard", $"{k}/4", "--out", "-"]);
            Assert.True(exit == 0, err);
            var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
            Assert.All(rows, r => Assert.Equal(k, int.Parse(r.Split(',')[1], CultureInfo.InvariantCulture) % 4));
            shards.Add(Path.Combine(dir, $"shard-{k}.csv"));
            File.WriteAllText(shards[^1], stdout);
        }
        (exit, var merged, err) = CliRun.Run(["merge", .. shards, "--top", "9", "--out", "-"]);
        Assert.True(exit == 0, err);
        Assert.Equal(whole, merged);
        Assert.Contains("merged ", err);
    }

    [Fact]
    public void Screen_StdinProblems_AreOneLineEach_AndNothingOnStdout()
    {
        (int Exit, string Out, string Err) Screen(string stdin, params string[] more) =>
            CliRun.RunWithInput(stdin, ["screen", "--model", Model.Value, "--candidates", "-", "--formula-column", "formula", .. more, "--out", "-"]);
        var empty = Screen("");
        Assert.Equal(1, empty.Exit);
        Assert.Equal("", empty.Out);
        Assert.Contains("standard input is empty", empty.Err);
        var unknown = Screen("formula\nFe2O3\nXx3\n");
        Assert.Equal(1, unknown.Exit);
        Assert.Equal("", unknown.Out);
        Assert.Contains("row 2, column 'formula': 'Xx3' has an unknown element 'Xx'", unknown.Err);
        var column = Screen("composition\nFe2O3\n");
        Assert.Equal(1, column.Exit);
        Assert.Contains("standard input has no column 'formula'", column.Err);
        var all = Screen("formula\nFe2O3\n", "--all", "-");
        Assert.Equal(1, all.Exit);
        Assert.Contains("--all - : standard output is for --out", all.Err);
    }
}
