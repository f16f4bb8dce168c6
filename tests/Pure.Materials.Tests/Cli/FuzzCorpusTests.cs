using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>
/// The fuzz corpus of issue 11 (items 7 and 8): one case per defect found, each the one-line reproduction. Bad input must give
/// exit code 1 and clean one-line problems on stderr (<c>error: ... [code]</c>), never a stack trace, an internal error (exit 2),
/// a silent success, lost data or an <c>Infinity</c> cell.
/// </summary>
public class FuzzCorpusTests
{
    private const string Small = "id,composition,y\n" +
        "a,Fe2O3,2.1\nb,NaCl,8.5\nc,MgO,7.8\nd,Si,1.1\ne,GaAs,1.4\nf,ZnO,3.3\n";

    private static string Dir() => CliRun.TempDir("pm-fuzz-");

    private static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Exit 1, every stderr line a one-line problem (or the parse-error hint), the expected code present, no trace.</summary>
    private static string[] AssertProblem((int Exit, string Out, string Err) r, string code)
    {
        Assert.True(r.Exit == 1, $"exit {r.Exit}\nstdout: {r.Out}\nstderr: {r.Err}");
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.True(l.StartsWith("error: ", StringComparison.Ordinal) || l.StartsWith("run '", StringComparison.Ordinal), l));
        Assert.Contains(lines, l => l.EndsWith($"[{code}]", StringComparison.Ordinal) || code.Length == 0);
        foreach (var text in new[] { r.Err, r.Out })
        {
            Assert.DoesNotContain("   at ", text);
            Assert.DoesNotContain("internal error", text);
            Assert.DoesNotContain("Exception", text);
        }
        return lines.Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToArray();
    }

    // ---- data loss and output paths ----

    [Fact]
    public void Featurize_SkippedReportNamingTheInput_IsRefused_AndTheInputIsUntouched()
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", Small);
        var before = File.ReadAllBytes(input);
        var lines = AssertProblem(CliRun.Run("featurize", "--data", input, "--out", Path.Combine(dir, "o.csv"), "--on-error", "skip", "--skipped-report", input), "param.invalid_path");
        Assert.Contains("--skipped-report", Assert.Single(lines));
        Assert.Equal(before, File.ReadAllBytes(input));
        Assert.False(File.Exists(Path.Combine(dir, "o.csv")));
    }

    [Fact]
    public void Featurize_OutNamingTheInputThroughAnotherSpelling_IsRefused()
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", Small);
        var before = File.ReadAllBytes(input);
        AssertProblem(CliRun.Run("featurize", "--data", input, "--out", Path.Combine(dir, ".", "sub", "..", "in.csv")), "param.invalid_path");
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void Featurize_InputNamedLikeTheTemporaryOutput_IsRefused()
    {
        var dir = Dir();
        var input = Write(dir, "o.csv.tmp", Small);
        var before = File.ReadAllBytes(input);
        AssertProblem(CliRun.Run("featurize", "--data", input, "--out", Path.Combine(dir, "o.csv")), "param.invalid_path");
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void Cv_InputInsideTheOutputDirectoryUnderAnOutputName_IsRefusedBeforeTheRun()
    {
        var dir = Dir();
        var input = Write(dir, "predictions.csv", Small);
        var before = File.ReadAllBytes(input);
        AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--model", "ridge", "--folds", "2", "--out", dir), "param.invalid_path");
        Assert.Equal(before, File.ReadAllBytes(input));
        Assert.False(File.Exists(Path.Combine(dir, "report.json")));
    }

    [Theory]
    [InlineData("featurize")]
    [InlineData("cv")]
    [InlineData("search")]
    [InlineData("pca")]
    public void EmptyOut_IsAProblemBeforeAnyWork(string verb)
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", Small);
        string[] args = verb switch
        {
            "featurize" => ["featurize", "--data", input, "--out", ""],
            "cv" => ["cv", "--data", input, "--target", "y", "--formula-column", "composition", "--out", ""],
            "search" => ["search", "--data", input, "--target", "y", "--formula-column", "composition", "--model", "ridge", "--grid", "alpha=1,2", "--out", ""],
            _ => ["pca", "--data", input, "--formula-column", "composition", "--out", ""],
        };
        var lines = AssertProblem(CliRun.Run(args), "param.invalid_path");
        Assert.Contains("--out '' is empty", Assert.Single(lines));
    }

    [Fact]
    public void Out_WhereNoFileCanBeCreated_IsAProblemBeforeAnyWork()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc takes no new files, whoever runs the test (root included)
        var dir = Dir();
        var input = Write(dir, "in.csv", Small);
        AssertProblem(CliRun.Run("featurize", "--data", input, "--out", "/proc/pm-fuzz.csv"), "param.invalid_path");
        AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--out", "/proc/pm-fuzz"), "param.invalid_path");
    }

    [Theory]
    [InlineData("results/")]
    [InlineData(".")]
    public void Featurize_OutNamingADirectory_IsAProblem(string output)
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", Small);
        // A path relative to the working directory: run as a process in that directory (a test cannot change this process's).
        var r = CliRun.Process(dir, "featurize", "--data", input, "--out", output);
        Assert.Contains("is a directory", Assert.Single(AssertProblem(r, "param.invalid_path")));
        Assert.Equal(["in.csv"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Cv_Out_WritesAllFilesOrNone()
    {
        // predictions.csv cannot be created (a directory of that name): no report.json is left without it, and no temporaries.
        var dir = Dir();
        var input = Write(dir, "in.csv", Small);
        var outDir = Path.Combine(dir, "out");
        Directory.CreateDirectory(Path.Combine(outDir, "predictions.csv"));
        AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--model", "ridge", "--folds", "2", "--out", outDir), "io.write_failed");
        Assert.False(File.Exists(Path.Combine(outDir, "report.json")));
        Assert.Empty(Directory.GetFiles(outDir, "*.tmp"));
    }

    [Fact]
    public async Task Featurize_Interrupted_LeavesNoTemporaryFile()
    {
        // The input is a named pipe the test keeps open, so the run is certainly still going when the signal arrives. SIGTERM:
        // SIGINT runs the same clean-up handler, but a process started from the test host may inherit SIGINT as ignored (the .NET
        // runtime then keeps it ignored, as shells do for background jobs).
        if (OperatingSystem.IsWindows()) return;
        var dir = Dir();
        var input = Path.Combine(dir, "pipe.csv");
        using (var mkfifo = Process.Start("mkfifo", [input])) mkfifo.WaitForExit();
        var output = Path.Combine(dir, "features.csv");
        // A signal ends a process: this one runs as a child process.
        using var p = CliRun.Start(null, "featurize", "--data", input, "--out", output);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var writer = new StreamWriter(new FileStream(input, FileMode.Open, FileAccess.Write)); // waits for the command to open the pipe
        writer.Write("id,composition\n");
        for (var i = 0; i < 1000; i++) writer.Write($"{i},Fe2O3\n"); // more than the 4096 bytes sniffed, fewer than one chunk
        writer.Flush();
        var clock = Stopwatch.StartNew();
        while (!File.Exists(output + ".tmp") && !p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(20);
        if (!File.Exists(output + ".tmp")) Assert.Fail("no temporary output appeared: " + (p.HasExited ? await stderr : "still running"));
        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        Assert.True(p.WaitForExit(60_000));
        try { writer.Dispose(); } catch (IOException) { } // the reader is gone
        Assert.Equal(143, p.ExitCode);
        Assert.Contains("interrupted (SIGTERM)", await stderr);
        await stdout;
        Assert.False(File.Exists(output + ".tmp"), "the temporary output survived the signal");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Featurize_SkipWhenEveryRowFails_IsAProblem_AndKeepsTheReport()
    {
        var dir = Dir();
        var input = Write(dir, "bad.csv", "id,composition\n1,Xx\n2,Yy2\n");
        var output = Path.Combine(dir, "o.csv");
        AssertProblem(CliRun.Run("featurize", "--data", input, "--out", output, "--on-error", "skip"), "featurize.all_rows_skipped");
        Assert.False(File.Exists(output));
        Assert.Equal(3, File.ReadAllLines(output + ".skipped.csv").Length);
    }

    [Fact]
    public void Featurize_HugeChunkSize_IsBounded()
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", Small);
        AssertProblem(CliRun.Run("featurize", "--data", input, "--out", Path.Combine(dir, "o.csv"), "--chunk-size", "2147483647"), "param.out_of_range");
    }

    // ---- no Infinity cells ----

    [Theory]
    [InlineData("magpie")]
    [InlineData("matminer")]
    public void Featurize_ExtremeAmounts_GiveFiniteFeatures(string featurizers)
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", "id,composition\n1,Fe1e305\n2,FeO0.00000000000000001\n3,Fe1e-300O1e-300\n4,Fe1e305O1e305\n");
        var output = Path.Combine(dir, "o.csv");
        var (exit, stdout, stderr) = CliRun.Run("featurize", "--data", input, "--out", output, "--featurizers", featurizers);
        Assert.True(exit == 0, stderr + stdout);
        var text = File.ReadAllText(output);
        Assert.DoesNotContain("Infinity", text);
        Assert.DoesNotContain("∞", text);
    }

    // ---- target kind guessing ----

    [Theory]
    [InlineData("\"2,1\"|\"3,5\"|\"1,0\"|\"2,0\"|\"4,5\"|\"0,5\"", "data.non_numeric_target", "decimal comma")]
    [InlineData("2.1 eV|3.5 eV|1.0 eV|2 eV|4.5 eV|0.5 eV", "data.non_numeric_target", "--target-unit eV")]
    [InlineData("True|False|Ture|True|False|True", "data.bad_boolean", "'Ture' is not True or False")]
    public void Cv_TargetThatOnlyLooksLikeLabels_IsOneProblemAtTheCell(string cells, string code, string says)
    {
        var dir = Dir();
        var formulas = new[] { "Fe2O3", "NaCl", "MgO", "Si", "GaAs", "ZnO" };
        var rows = cells.Split('|').Select((c, i) => $"{formulas[i]},{c}");
        var input = Write(dir, "t.csv", "composition,y\n" + string.Join("\n", rows) + "\n");
        var line = Assert.Single(AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--folds", "2"), code));
        Assert.Contains("column 'y'", line);
        Assert.Contains(says, line);
    }

    // ---- kernel expressions ----

    [Theory]
    [InlineData(10_000, false)]
    [InlineData(18_000, true)]
    [InlineData(40, false)]
    public void Gpr_PathologicalKernelExpression_IsAProblem(int size, bool sum)
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", Small);
        var kernel = sum ? string.Join("+", Enumerable.Repeat("rbf", size)) : new string('(', size) + "rbf" + new string(')', size);
        var clock = Stopwatch.StartNew();
        AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--model", "gpr", "--folds", "2", "--set", "kernel=" + kernel), "param.invalid_kernel");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60));
    }

    // ---- internal errors ----

    [Theory]
    [InlineData("2147483647")]
    [InlineData("3000000")]
    public void Cv_SparseFoldLabel_IsOneProblem(string label)
    {
        var dir = Dir();
        var input = Write(dir, "f.csv", $"composition,y,fold\nFe2O3,1,0\nNaCl,2,1\nMgO,3,{label}\n");
        var line = Assert.Single(AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--fold-column", "fold"), "fold.missing_label"));
        Assert.Contains($"up to {label}", line);
    }

    [Fact]
    public void Svr_WithOneTrainingRow_Runs()
    {
        var dir = Dir();
        var input = Write(dir, "s.csv", "composition,y,fold\nFe2O3,1,0\nNaCl,2,1\n");
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--fold-column", "fold", "--model", "svr");
        Assert.True(exit == 0, stderr + stdout);
        Assert.DoesNotContain("internal error", stderr);
    }

    // ---- rows and columns named as in the file ----

    [Fact]
    public void Cv_ImputeNone_NamesTheDataRowAndTheFeature()
    {
        var dir = Dir();
        var input = Write(dir, "he.csv", "composition,y\nFe2O3,1\nNaCl,2\nMgO,3\nZnO,1\nHe,2\nAl2O3,3\n");
        var lines = AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--impute", "none", "--folds", "2", "--model", "ridge"), "data.nan_feature");
        Assert.StartsWith("error: row 5, column 'MagpieData ", lines[0]);
        Assert.Contains("'He'", lines[0]);
    }

    [Fact]
    public void Cv_FitErrorInsideAFold_NamesTheFeatureNotItsIndex()
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", "composition,y\nFe2O3,1\nNaCl,2\nMgO,3\nZnO,1\nCuO,2\nAl2O3,3\n");
        // The matminer preset has properties no element of these rows has: all-NaN columns in a fold.
        var lines = AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--featurizers", "matminer", "--folds", "2", "--model", "ridge"), "");
        Assert.All(lines.Where(l => !l.StartsWith("error: ... and ", StringComparison.Ordinal)),
            l => Assert.Matches(@"^error: column 'PymatgenData [a-z_]+ [A-Za-z_]+': fold \d: ", l));
    }

    // ---- divergence and overflow ----

    [Fact]
    public void LinearGd_DivergingOnExptGap_IsAProblemSayingWhatToChange()
    {
        var line = AssertProblem(CliRun.Run("cv", "--data", "matbench_expt_gap", "--target", "gap expt", "--formula-column", "composition", "--model", "linear-gd",
            "--set", "learning_rate=0.1", "--folds", "2"), "optimize.diverged")[0];
        Assert.Contains("stable only below 2 / L", line);
        Assert.Contains("use learning_rate=", line);
    }

    [Fact]
    public void LinearGd_WithDefaults_ConvergesOnExptGap()
    {
        // The default learning_rate is auto (1 / L): stable on any features, where the former fixed 0.1 diverged here.
        var dir = Dir();
        var (exit, _, err) = CliRun.Run("cv", "--data", "matbench_expt_gap", "--target", "gap expt", "--formula-column", "composition", "--model", "linear-gd",
            "--folds", "2", "--out", dir);
        Assert.True(exit == 0, err);
        var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!;
        Assert.Equal("auto", report["options"]!["parameters"]!["learning_rate"]!.GetValue<string>());
        Assert.All(report["metrics"]!["mae"]!["per_fold"]!.AsArray(), mae => Assert.True(double.IsFinite(mae!.GetValue<double>())));
    }

    [Fact]
    public void Cv_HugeTargets_AreReportedAsTooLarge()
    {
        var dir = Dir();
        var input = Write(dir, "big.csv", "composition,y\nFe2O3,1e300\nNaCl,2e300\nMgO,3e300\nZnO,1e300\nCuO,2e300\nAl2O3,3e300\n");
        var line = Assert.Single(AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--folds", "2", "--model", "ridge"), "data.too_large"));
        Assert.StartsWith("error: row 1, column 'y'", line);
    }

    [Fact]
    public void ParseError_IsOneLine_WithoutDotNetTypesOrTheWholeHelp()
    {
        var r = CliRun.Run("cv", "--data", "x.csv", "--target", "y", "--folds", "abc");
        var line = Assert.Single(AssertProblem(r, ""));
        Assert.Equal("error: --folds 'abc' is not accepted: expected a whole number (e.g. 5)", line);
        Assert.DoesNotContain("System.", r.Err + r.Out);
        Assert.DoesNotContain("Usage", r.Err + r.Out);
    }

    [Fact]
    public void RedirectedOutput_HasNoAnsiCodes()
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", Small);
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--model", "ridge", "--folds", "2");
        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain('\u001b', stdout + stderr);
    }

    // ---- item 8: bad input, everywhere ----

    [Fact]
    public void Featurize_ListsEveryBadRow()
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", "id,composition\n1,Fe2O3\n2,Xx\n3,NaCl\n4,Fe2O3(\n");
        var lines = AssertProblem(CliRun.Run("featurize", "--data", input, "--out", Path.Combine(dir, "o.csv")), "formula.unknown_element");
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: row 2,", lines[0]);
        Assert.StartsWith("error: row 4,", lines[1]);
    }

    [Fact]
    public void Cv_OnErrorSkip_LeavesBadRowsOut_AndListsThem()
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", Small + "g,Xx,1\nh,MgO,abc\n");
        var outDir = Path.Combine(dir, "out");
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--model", "ridge", "--folds", "2", "--on-error", "skip", "--out", outDir);
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("warning: skipped 2 of 8 rows", stderr);
        var skipped = File.ReadAllLines(Path.Combine(outDir, "skipped_rows.csv"));
        Assert.Equal("row,id,column,code,message", skipped[0]);
        Assert.StartsWith("7,g,composition,formula.unknown_element,", skipped[1]);
        Assert.StartsWith("8,h,y,data.non_numeric_target,", skipped[2]);
        Assert.Equal(7, File.ReadAllLines(Path.Combine(outDir, "predictions.csv")).Length);
    }

    [Fact]
    public void Cv_OnErrorSkip_AlsoSkipsRowsWithTheWrongNumberOfFields()
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", Small + "g,MgO,1,7\nh,ZnO\n");
        var outDir = Path.Combine(dir, "out");
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--model", "ridge", "--folds", "2", "--on-error", "skip", "--out", outDir);
        Assert.True(exit == 0, stderr + stdout);
        var skipped = File.ReadAllLines(Path.Combine(outDir, "skipped_rows.csv"));
        Assert.Equal(["7,g,,csv.bad_row", "8,h,,csv.bad_row"], skipped.Skip(1).Select(l => string.Join(',', l.Split(',').Take(4))));
        // Without skip, both are problems, one line each.
        Assert.Equal(2, AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition", "--model", "ridge", "--folds", "2"), "csv.bad_row").Length);
    }

    [Fact]
    public void Search_OnErrorSkip_WhenEveryRowFails_IsAProblem()
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", "composition,y\nXx,1\nYy,2\n");
        AssertProblem(CliRun.Run("search", "--data", input, "--target", "y", "--formula-column", "composition", "--model", "ridge", "--grid", "alpha=1,2", "--on-error", "skip"), "data.all_rows_skipped");
    }

    [Theory]
    [InlineData("composition;y\nFe2O3;1.5\nNaCl;2\n", "semicolons")]
    [InlineData("composition\ty\nFe2O3\t1.5\nNaCl\t2\n", "tabs")]
    public void OtherDelimiter_IsNamed(string text, string named)
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", text);
        Assert.Contains(named, Assert.Single(AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition"), "csv.delimiter")));
        Assert.Contains(named, Assert.Single(AssertProblem(CliRun.Run("featurize", "--data", input, "--out", Path.Combine(dir, "o.csv")), "csv.delimiter")));
    }

    [Fact]
    public void MistypedColumn_GetsDidYouMean()
    {
        var dir = Dir();
        var input = Write(dir, "in.csv", Small);
        var lines = AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "compositon"), "csv.missing_column");
        Assert.Contains("did you mean 'composition'?", Assert.Single(lines));
    }

    [Theory]
    [InlineData("gzip", "gzip-compressed")]
    [InlineData("json", "JSON")]
    [InlineData("binary", "binary data")]
    [InlineData("zip", "ZIP archive")]
    public void FileThatIsNotCsv_IsSaidToBeSo(string kind, string says)
    {
        var dir = Dir();
        var input = Path.Combine(dir, "data." + kind);
        switch (kind)
        {
            case "gzip":
                using (var gz = new GZipStream(File.Create(input), CompressionLevel.Fastest)) gz.Write(Encoding.UTF8.GetBytes(Small));
                break;
            case "json":
                File.WriteAllText(input, "[{\"composition\": \"Fe2O3\", \"y\": 1}]");
                break;
            case "binary":
                File.WriteAllBytes(input, [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x2c, 0x0a]);
                break;
            default:
                using (var zip = ZipFile.Open(input, ZipArchiveMode.Create))
                using (var e = new StreamWriter(zip.CreateEntry("sheet.xml").Open())) e.Write("<x/>");
                break;
        }
        Assert.Contains(says, Assert.Single(AssertProblem(CliRun.Run("cv", "--data", input, "--target", "y", "--formula-column", "composition"), "csv.not_csv")));
        Assert.Contains(says, Assert.Single(AssertProblem(CliRun.Run("featurize", "--data", input, "--out", Path.Combine(dir, "o.csv")), "csv.not_csv")));
    }
}
