using System.Globalization;
using System.Text.Json;
using Pure.Materials.Cli;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>What cv prints: pooled out-of-fold metrics beside the fold mean, summary rows only for leave-one-out, no std for one split,
/// units, <c>--quiet</c> (one line), <c>--json</c> (report.json on stdout), and the console width from <c>COLUMNS</c>.</summary>
public class ConsoleOutputCliTests
{
    /// <summary>30 rows: a gap that grows with <c>extra</c>, plus noise, and a class.</summary>
    private static string Data()
    {
        var dir = CliRun.TempDir("pm-console-");
        var path = Path.Combine(dir, "small.csv");
        var lines = Enumerable.Range(0, 30).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"r{i},{0.3 * i + (i % 3 == 0 ? 0.5 : i % 3 == 1 ? -0.4 : 0.1)},{i},{(i % 2 == 0 ? "yes" : "no")}"));
        File.WriteAllText(path, "id,gap,extra,cls\n" + string.Join("\n", lines) + "\n");
        return path;
    }

    private static double[] Column(string csv, string name)
    {
        var lines = File.ReadAllLines(csv);
        var at = Array.IndexOf(lines[0].Split(','), name);
        return lines.Skip(1).Select(l => double.Parse(l.Split(',')[at], CultureInfo.InvariantCulture)).ToArray();
    }

    [Fact]
    public void LeaveOneOut_PrintsSummaryRowsAndPooledMetrics_NotOneLinePerRow()
    {
        var data = Data();
        var outDir = Path.Combine(Path.GetDirectoryName(data)!, "loo");
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", data, "--target", "gap", "--feature-columns", "extra", "--model", "ridge",
            "--loo", "--target-unit", "eV", "--out", outDir);
        Assert.True(exit == 0, stderr + stdout);
        Assert.True(stdout.Split('\n').Length < 25, stdout);
        Assert.Contains("30 folds: per-fold values are in report.json", stdout);
        Assert.Contains("mae (eV)", stdout);
        // The pooled R2 is defined where every per-fold R2 of one row is not; it equals R2 of predictions.csv.
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        var r2 = report.RootElement.GetProperty("metrics").GetProperty("r2");
        Assert.Equal(JsonValueKind.Null, r2.GetProperty("mean").ValueKind);
        var pooledR2 = r2.GetProperty("pooled").GetDouble();
        var pooledMae = report.RootElement.GetProperty("metrics").GetProperty("mae").GetProperty("pooled").GetDouble();
        var yTrue = Column(Path.Combine(outDir, "predictions.csv"), "y_true");
        var yPred = Column(Path.Combine(outDir, "predictions.csv"), "y_pred");
        var mean = yTrue.Average();
        var expectedR2 = 1 - yTrue.Zip(yPred, (t, p) => (t - p) * (t - p)).Sum() / yTrue.Sum(t => (t - mean) * (t - mean));
        var expectedMae = yTrue.Zip(yPred, (t, p) => Math.Abs(t - p)).Average();
        // Summation order differs (row order here, fold order there): a few ulps of a sum of 30 terms.
        Assert.Equal(expectedR2, pooledR2, 1e-12);
        Assert.Equal(expectedMae, pooledMae, 1e-12);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"pooled MAE {pooledMae:0.0000} eV"), stdout);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"R2 {pooledR2:0.0000}"), stdout);
    }

    [Fact]
    public void OneSplit_HasNoStdRow_AndSaysSo()
    {
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", Data(), "--target", "gap", "--feature-columns", "extra", "--model", "ridge",
            "--test-fraction", "0.3");
        Assert.True(exit == 0, stderr + stdout);
        Assert.DoesNotContain("│ std", stdout);
        Assert.DoesNotContain("pooled", stdout);
        Assert.Contains("on one split (9 test rows)", stdout);
    }

    [Fact]
    public void KFold_ShowsMeanStdAndPooledRows()
    {
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", Data(), "--target", "gap", "--feature-columns", "extra", "--model", "ridge", "--folds", "3");
        Assert.True(exit == 0, stderr + stdout);
        Assert.Contains("│ mean", stdout);
        Assert.Contains("│ std", stdout);
        Assert.Contains("│ pooled │ 30", stdout);
        Assert.Contains("over 3 folds; pooled MAE", stdout);
    }

    [Fact]
    public void Quiet_PrintsOneLine_AndJsonPrintsTheReport()
    {
        var data = Data();
        var quiet = CliRun.Run("cv", "--data", data, "--target", "gap", "--feature-columns", "extra", "--model", "ridge", "--folds", "3", "--quiet");
        Assert.True(quiet.Exit == 0, quiet.Err);
        var line = Assert.Single(quiet.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mean MAE ", line);

        var json = CliRun.Run("cv", "--data", data, "--target", "cls", "--feature-columns", "extra", "--model", "logistic", "--folds", "3", "--json");
        Assert.True(json.Exit == 0, json.Err);
        using var report = JsonDocument.Parse(json.Out);
        Assert.Equal("pure-materials.report/1", report.RootElement.GetProperty("schema").GetString());
        Assert.Equal("classification", report.RootElement.GetProperty("task").GetString());
        var accuracy = report.RootElement.GetProperty("metrics").GetProperty("accuracy");
        Assert.InRange(accuracy.GetProperty("pooled").GetDouble(), 0, 1);
    }

    [Theory]
    [InlineData("120", false, 120)]
    [InlineData("120", true, 120)]
    [InlineData(null, true, 200)]
    [InlineData("abc", true, 200)]
    [InlineData("5", true, 200)]
    [InlineData(null, false, null)]
    public void Width_FollowsColumns_ElseWideForPipes(string? columns, bool redirected, int? expected) =>
        Assert.Equal(expected, Terminal.Width(columns, redirected));
}

/// <summary>report.json names the featurizers that ran, by the run's own rule.</summary>
public class ReportOptionsCliTests
{
    [Fact]
    public void EmptyFeatureColumns_WithAFormulaColumn_RecordsTheMagpieFeaturesThatRan()
    {
        var dir = CliRun.TempDir("pm-report-options-");
        var data = Path.Combine(dir, "small.csv");
        File.WriteAllText(data, "formula,gap\nNaCl,8.5\nMgO,7.8\nSi,1.1\nGaAs,1.4\nZnO,3.3\nTiO2,3.0\nAl2O3,8.8\nAlN,6.2\nCdS,2.4\nFe2O3,2.1\n");
        var outDir = Path.Combine(dir, "out");
        var (exit, stdout, stderr) = CliRun.Run("cv", "--data", data, "--target", "gap", "--formula-column", "formula", "--feature-columns", "",
            "--model", "ridge", "--folds", "2", "--out", outDir, "--quiet");
        Assert.True(exit == 0, stderr + stdout);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        Assert.Equal(["magpie"], report.RootElement.GetProperty("options").GetProperty("featurizers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(132, report.RootElement.GetProperty("n_features").GetInt32());
    }
}
