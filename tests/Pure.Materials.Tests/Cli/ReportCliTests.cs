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
        Assert.Contains("first 50 of 512 rows", html);
        Assert.Contains("[io.missing_directory]", CliRun.Run("report", Path.Combine(dir, "nope")).Err);
        // The old spelling report --out DIR still works (hidden), with a warning naming report DIR.
        var old = CliRun.Run("report", "--out", dir);
        Assert.True(old.Exit == 0, old.Err);
        Assert.Contains("warning: report --out DIR is deprecated", old.Err);
        var none = CliRun.Run("report");
        Assert.Equal(1, none.Exit);
        Assert.Contains("[param.missing]", none.Err);
    }
}
