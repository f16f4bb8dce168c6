using Pure.Materials.Core;
using Pure.Materials.Evaluate;
using Xunit;

namespace Pure.Materials.Tests.Cli;

/// <summary>The <c>report</c> command: a run's pictures and tables gathered into one page.</summary>
public class ReportCliTests
{
    [Fact]
    public void ReportCommand_GathersCvAndLearningCurveOutputs_IntoOnePage()
    {
        var dir = CliRun.TempDir("pm-report-");
        string[] common = ["--data", "perovskite_dft", "--target", "Band Gap", "--feature-columns", "K,Rb,Cs,MA,FA,Ge,Sn,Pb,Cl,Br,I", "--model", "ridge", "--target-unit", "eV", "--out", dir];
        Assert.Equal(0, CliRun.Run(["cv", .. common]).Exit);
        Assert.Equal(0, CliRun.Run(["learning-curve", .. common]).Exit);
        var (exit, stdout, stderr) = CliRun.Run("report", dir, "--title", "Perovskite ridge");
        Assert.True(exit == 0, stderr);
        var html = File.ReadAllText(Path.Combine(dir, "index.html"));
        Assert.Equal(4, html.Split("<svg").Length - 1); // parity, residuals, residual histogram, learning curve
        Assert.True(html.IndexOf("parity.svg", StringComparison.Ordinal) < html.IndexOf("learning_curve.svg", StringComparison.Ordinal));
        Assert.Contains("<th>seed</th>", html);
        Assert.Contains("the 50 largest of 512 out-of-fold errors", html);
        Assert.Contains("[io.missing_directory]", CliRun.Run("report", Path.Combine(dir, "nope")).Err);
        // The old spelling report --out DIR still works (hidden), with a warning naming report DIR.
        var old = CliRun.Run("report", "--out", dir);
        Assert.True(old.Exit == 0, old.Err);
        Assert.Contains("warning: report --out DIR is deprecated", old.Err);
        var none = CliRun.Run("report");
        Assert.Equal(1, none.Exit);
        Assert.Contains("[param.missing]", none.Err);
    }

    [Fact]
    public void Report_OfACvRun_LeadsWithTheResultBesideTheBaselines_ThenFoldsAndLargestErrors()
    {
        var dir = CliRun.TempDir("pm-report-head-");
        var cv = CliRun.Run("cv", "--data", "matbench_expt_gap", "--target", "gap expt", "--formula-column", "composition", "--fold-column", "fold",
            "--model", "ridge", "--target-unit", "eV", "--out", dir, "--quiet");
        Assert.True(cv.Exit == 0, cv.Err);
        var (exit, _, stderr) = CliRun.Run("report", dir);
        Assert.True(exit == 0, stderr);
        var html = File.ReadAllText(Path.Combine(dir, "index.html"));
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "report.json")));
        var root = report.RootElement;
        // The title names model, data and target; the lead gives the main metric to meaningful digits with its unit, the dummy
        // baseline (scored on the same folds: Matbench's Dummy entry has 1.1435 eV) and the published RF-SCM/Magpie score.
        Assert.Contains("<title>ridge on matbench_expt_gap: gap expt</title>", html);
        var mae = root.GetProperty("metrics").GetProperty("mae");
        var expected = Pure.Materials.Cli.ReportSummary.MeanStd(mae.GetProperty("mean").GetDouble(), mae.GetProperty("std").GetDouble(), "eV");
        Assert.Contains($"with MAE {expected.Replace("\u00b1", "&#177;")}", html);
        Assert.Equal(1.1435269609161667, root.GetProperty("baseline").GetProperty("metrics").GetProperty("mae").GetProperty("mean").GetDouble(), 1e-12);
        Assert.Contains("A mean dummy model scores 1.144 eV", html);
        Assert.Contains("Matbench&#39;s RF-SCM/Magpie: 0.4461 eV", html);
        // Sections in reading order: summary, per-fold table, largest errors (the largest first), pictures, then every setting.
        var order = new[] { "<h2>Summary</h2>", "<h2>Per fold</h2>", "<h2>Largest errors</h2>", "<h2>Parity (parity.svg)</h2>", "<h2>Every setting and metric (report.json)</h2>" }
            .Select(h => html.IndexOf(h, StringComparison.Ordinal)).ToArray();
        Assert.All(order, i => Assert.True(i >= 0));
        Assert.Equal(order.Order(), order);
        var errors = html[order[2]..order[3]];
        var first = System.Text.RegularExpressions.Regex.Matches(errors, "<tr><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td></tr>")
            .Select(m => Math.Abs(double.Parse(m.Groups[1].Value.Replace("\u2212", "-"), System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        Assert.Equal(50, first.Length);
        Assert.Equal(first.OrderByDescending(v => v), first);
        Assert.Contains("(scikit-learn&#39;s MAPE: huge when a target is 0; see mape_matbench)", html);
    }

    [Theory]
    [InlineData(0.4490654710386586, 0.019549, "0.449 \u00b1 0.020 eV")]
    [InlineData(6.1402, 1.715, "6.1 \u00b1 1.7 eV")]
    [InlineData(37.5047, 3.993, "37.5 \u00b1 4.0 eV")]
    [InlineData(0.9096, 0.0, "0.9096 eV")]
    public void MeanStd_RoundsTheStdToTwoSignificantDigits_AndTheMeanAlike(double mean, double std, string expected) =>
        Assert.Equal(expected, Pure.Materials.Cli.ReportSummary.MeanStd(mean, std, "eV"));
}
